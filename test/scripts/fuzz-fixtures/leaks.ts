import fc from 'fast-check';
import type { FuzzTarget } from '../../../scripts/fuzz/target';

const kept: Uint8Array[] = [];

/** A parser that keeps every input's buffer: the heap after GC grows with the count. */
export const target: FuzzTarget<number> = {
  name: 'leaks',
  subject: 'a cache that is never emptied',
  input: fc.nat(),
  feed() {
    kept.push(new Uint8Array(16 * 1024).fill(1));
  },
};
