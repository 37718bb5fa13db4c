import fc from 'fast-check';
import type { FuzzTarget } from '../../../scripts/fuzz/target';

/** A parser that behaves. */
export const target: FuzzTarget<string> = {
  name: 'holds',
  subject: 'String.prototype.trim',
  input: fc.string(),
  feed(input) {
    if (input.trim().length > input.length) throw new Error('trim grew the text');
  },
};
