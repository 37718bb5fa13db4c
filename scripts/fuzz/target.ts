import type fc from 'fast-check';

/**
 * One parser or boundary under hostile input. `npm run fuzz` feeds each target's `input` arbitrary
 * (random bytes/strings and mutations of real, valid samples) to `feed`, seeded, and prints the seed of
 * any failure so it can be replayed: `npm run fuzz -- --target <name> --seed <seed>`.
 *
 * `feed` must return normally when the code under test behaves: it accepted the input, or refused it
 * with a clear error (a typed `Result` error, or an `Error` whose message says what is wrong and where).
 * It throws only when the code misbehaves: an unexpected exception (TypeError, RangeError, ...), an
 * unclear error, or an accepted value that breaks the parser's own promises (a round trip that does
 * not hold, a checksum that was not checked, ...).
 *
 * `npm run fuzz` runs each target in a worker thread of its own: an input that does not return within
 * `--stall-ms` (10 s) is reported as a hang with the input, and the heap (after GC) may not grow by more
 * than `--max-heap-growth-mb` (32 MB) over the run, so a target keeps nothing from one input to the next.
 * Helpers for byte streams (mutations of real frames, chunking, floods): `byte-mutations.ts`.
 */
export interface FuzzTarget<T = unknown> {
  /** Short kebab-case name, e.g. `mrz`, `printer-reply`; also the file name in `targets/`. */
  readonly name: string;
  /** What is under test, for the report: a module path and function. */
  readonly subject: string;
  readonly input: fc.Arbitrary<T>;
  feed(input: T): void | Promise<void>;
}
