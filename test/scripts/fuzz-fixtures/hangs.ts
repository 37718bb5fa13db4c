import fc from 'fast-check';
import type { FuzzTarget } from '../../../scripts/fuzz/target';

/** A parser that loops for ever on one input: the runner's watchdog must name it. */
export const target: FuzzTarget<number> = {
  name: 'hangs',
  subject: 'a loop that never ends on 7',
  input: fc.nat(20),
  feed(input) {
    while (input === 7) {} // the hang under test
  },
};
