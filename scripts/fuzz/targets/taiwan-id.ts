import fc from 'fast-check';
import { checkTaiwanId } from '../../../shared/identity/taiwan-id';
import type { FuzzTarget } from '../target';

/**
 * Taiwan ID numbers (`checkTaiwanId`): real numbers of the three kinds (national, new resident 8/9, old
 * resident with a second letter), as clerks and input methods type them (lower case, full width, spaces)
 * and as they go wrong (a digit changed, two swapped, one dropped or added), beside arbitrary text. The
 * checksum is recomputed here from protocols.md ("Taiwan ID numbers"), not with the module's own helper.
 * Its promises: an accepted number is ten characters of the right pattern with a right check digit, its
 * kind and sex read from it; the errors a checksum must catch are caught; a refusal says what and where.
 */

/** protocols.md: A10 B11 C12 D13 E14 F15 G16 H17 I34 J18 K19 L20 M21 N22 O35 P23 Q24 R25 S26 T27 U28 V29 W32 X30 Y31 Z33. */
const letterCode: Readonly<Record<string, number>> = {
  A: 10, B: 11, C: 12, D: 13, E: 14, F: 15, G: 16, H: 17, I: 34, J: 18, K: 19, L: 20, M: 21,
  N: 22, O: 35, P: 23, Q: 24, R: 25, S: 26, T: 27, U: 28, V: 29, W: 32, X: 30, Y: 31, Z: 33,
};

/** The weighted sum of protocols.md; a number is valid when it is divisible by 10. */
function referenceSum(id: string): number {
  const code = letterCode[id.charAt(0)] ?? Number.NaN;
  const second = /[A-Z]/.test(id.charAt(1)) ? (letterCode[id.charAt(1)] ?? Number.NaN) % 10 : Number(id.charAt(1));
  let sum = Math.floor(code / 10) + (code % 10) * 9 + second * 8;
  for (let i = 2; i < 9; i++) sum += Number(id.charAt(i)) * (9 - i);
  return sum + Number(id.charAt(9));
}

const withCheckDigit = (firstNine: string): string => `${firstNine}${(10 - (referenceSum(`${firstNine}0`) % 10)) % 10}`;

const letters = Object.keys(letterCode);
const realId: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...letters), fc.constantFrom('1', '2', '8', '9', 'A', 'B', 'C', 'D'), fc.stringMatching(/^[0-9]{7}$/))
  .map(([letter, second, digits]) => withCheckDigit(`${letter}${second}${digits}`));

/** How a real number reaches the kiosk: what it must still accept. */
const typed: fc.Arbitrary<{ text: string; id: string }> = fc
  .tuple(realId, fc.constantFrom('plain', 'lower', 'full-width', 'spaces'), fc.constantFrom('', ' ', '\t', '\u3000', '\u00a0', '\n'))
  .map(([id, how, pad]) => {
    const text = how === 'lower' ? id.toLowerCase() : how === 'full-width' ? [...id].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join('') : id;
    return { text: how === 'spaces' || pad !== '' ? `${pad}${text}${pad}` : text, id };
  });

type Damage =
  | { readonly kind: 'substitute'; readonly id: string; readonly at: number; readonly by: number }
  | { readonly kind: 'swap'; readonly id: string; readonly at: number }
  | { readonly kind: 'drop'; readonly id: string; readonly at: number }
  | { readonly kind: 'insert'; readonly id: string; readonly at: number; readonly text: string };

const damage: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({ kind: fc.constant('substitute' as const), id: realId, at: fc.integer({ min: 2, max: 9 }), by: fc.integer({ min: 1, max: 9 }) }),
  fc.record({ kind: fc.constant('swap' as const), id: realId, at: fc.integer({ min: 2, max: 8 }) }),
  fc.record({ kind: fc.constant('drop' as const), id: realId, at: fc.nat(9) }),
  fc.record({ kind: fc.constant('insert' as const), id: realId, at: fc.nat(10), text: fc.string({ minLength: 1, maxLength: 2 }) }),
);

function damaged(d: Damage): { text: string; mustRefuse: boolean } {
  const { id, at } = d;
  switch (d.kind) {
    case 'substitute': {
      const digit = (Number(id.charAt(at)) + d.by) % 10;
      // Weight 9 - at (1 for the check digit): a change is caught when weight × change is not a multiple of 10.
      const weight = at === 9 ? 1 : 9 - at;
      return { text: id.slice(0, at) + String(digit) + id.slice(at + 1), mustRefuse: (weight * d.by) % 10 !== 0 };
    }
    case 'swap': {
      const a = id.charAt(at);
      const b = id.charAt(at + 1);
      // Neighbouring weights differ by one (the check digit's by none: 2 and 1, then 1 and 1).
      return { text: id.slice(0, at) + b + a + id.slice(at + 2), mustRefuse: a !== b && at + 1 !== 9 };
    }
    case 'drop':
      return { text: id.slice(0, at) + id.slice(at + 1), mustRefuse: true };
    case 'insert':
      // Spaces at either end are trimmed, and some characters fold away: only "no crash, a clear answer".
      return { text: id.slice(0, at) + d.text + id.slice(at), mustRefuse: false };
  }
}

type Input = { readonly text: string; readonly expect: 'accept' | 'refuse' | 'any'; readonly id?: string };

export const target: FuzzTarget<Input> = {
  name: 'taiwan-id',
  subject: 'shared/identity/taiwan-id.ts checkTaiwanId',
  input: fc.oneof(
    typed.map(({ text, id }): Input => ({ text, id, expect: 'accept' })),
    damage.map((d): Input => {
      const { text, mustRefuse } = damaged(d);
      return { text, expect: mustRefuse ? 'refuse' : 'any' };
    }),
    fc.string({ maxLength: 40 }).map((text): Input => ({ text, expect: 'any' })),
    fc.string({ unit: 'binary', maxLength: 40 }).map((text): Input => ({ text, expect: 'any' })),
    fc.stringMatching(/^[A-Za-z][0-9A-Za-z][0-9]{8}$/).map((text): Input => ({ text, expect: 'any' })),
  ),
  feed(input) {
    const result = checkTaiwanId(input.text);
    if (result.valid) {
      const { id } = result;
      if (!/^[A-Z]([1289]|[A-D])\d{8}$/.test(id)) throw new Error(`accepted ${JSON.stringify(input.text)} as ${id}, which is not an ID number's pattern`);
      if (referenceSum(id) % 10 !== 0) throw new Error(`accepted ${id} with a wrong check digit`);
      const second = id.charAt(1);
      const kind = /[12]/.test(second) ? 'national' : /[89]/.test(second) ? 'resident-new' : 'resident-old';
      if (result.kind !== kind) throw new Error(`${id} read as ${result.kind}, is ${kind}`);
      const sex = /[18AC]/.test(second) ? 'M' : 'F';
      if (result.sex !== sex) throw new Error(`${id} read as sex ${String(result.sex)}, is ${sex}`);
      if (input.expect === 'refuse') throw new Error(`accepted the damaged ${JSON.stringify(input.text)}`);
      if (input.id !== undefined && id !== input.id) throw new Error(`read ${JSON.stringify(input.text)} as ${id}, not ${input.id}`);
      return;
    }
    if (input.expect === 'accept') throw new Error(`refused the real ${input.id ?? ''} typed as ${JSON.stringify(input.text)}: ${result.error.message}`);
    const { error } = result;
    if (error.message.trim() === '') throw new Error(`refused ${JSON.stringify(input.text)} without saying why`);
    if ((error.kind === 'pattern' || error.kind === 'letter') && !(error.position >= 1 && error.position <= 10)) throw new Error(`an error at position ${error.position}`);
    if (error.kind === 'checksum' && (referenceSum(result.id) % 10 === 0 || error.expectedCheckDigit !== (10 - ((referenceSum(result.id) - error.actualCheckDigit) % 10)) % 10)) {
      throw new Error(`${result.id}: a checksum error that the reference sum does not confirm (${error.message})`);
    }
  },
};
