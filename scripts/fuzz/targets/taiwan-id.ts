import fc from 'fast-check';
import { checkTaiwanId, taiwanIdCheckDigit } from '../../../shared/identity/taiwan-id';
import type { FuzzTarget } from '../target';

/** Real-looking numbers (valid check digit) and their mutations, beside arbitrary text. */
const validId = fc
  .tuple(fc.constantFrom(...'ABCDEFGHJKLMNPQUVXYWZIOT'.split('')), fc.constantFrom('1', '2', '8', '9'), fc.stringMatching(/^[0-9]{7}$/))
  .map(([letter, second, digits]) => `${letter}${second}${digits}${taiwanIdCheckDigit(`${letter}${second}${digits}`) ?? 0}`);
const mutated = fc.tuple(validId, fc.nat(9), fc.string({ minLength: 0, maxLength: 2 })).map(([id, at, text]) => id.slice(0, at) + text + id.slice(at + 1));

export const target: FuzzTarget<string> = {
  name: 'taiwan-id',
  subject: 'shared/identity/taiwan-id.ts checkTaiwanId',
  input: fc.oneof(validId, mutated, fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 })),
  feed(input) {
    const result = checkTaiwanId(input);
    if (result.valid) {
      const again = checkTaiwanId(result.id);
      if (!again.valid || again.id !== result.id) throw new Error(`a valid ${result.id} is not valid once normalised`);
      if (taiwanIdCheckDigit(result.id.slice(0, 9)) !== Number(result.id[9])) throw new Error(`${result.id} passed with a wrong check digit`);
    } else if (result.error.message.length === 0) {
      throw new Error(`refused ${JSON.stringify(input)} without saying why`);
    }
  },
};
