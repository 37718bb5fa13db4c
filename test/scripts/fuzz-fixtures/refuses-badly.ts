import fc from 'fast-check';
import type { FuzzTarget } from '../../../scripts/fuzz/target';

/** A parser that throws a TypeError on some inputs: a plain failure, with its seed and input. */
export const target: FuzzTarget<string> = {
  name: 'refuses-badly',
  subject: 'a parser that crashes on "x"',
  input: fc.string({ maxLength: 4 }),
  feed(input) {
    if (input.includes('x')) throw new TypeError('cannot read properties of undefined');
  },
};
