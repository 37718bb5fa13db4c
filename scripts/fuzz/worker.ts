import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';
import fc from 'fast-check';
import { fuzzFailureReport } from './report';
import type { FuzzTarget } from './target';

/**
 * One target's run, in a worker thread of its own so that the runner can stop it when it hangs (a
 * synchronous loop never returns to fast-check) or grows without bound (the worker's heap is capped).
 * It counts every input it starts in shared memory (the runner's watchdog reads the count); asked to
 * replay up to input `recordFrom`, it posts that input, stringified, before feeding it, so a stall can
 * name the input that hung: fast-check draws the same inputs again from the same seed.
 */
export interface FuzzJob {
  readonly file: string;
  readonly count: number;
  readonly seed: number;
  /** Int32Array over it: [0] inputs started (shrinking included). */
  readonly progress: SharedArrayBuffer;
  readonly recordFrom: number | null;
}

export type FuzzWorkerMessage =
  | { readonly kind: 'loaded'; readonly name: string; readonly subject: string }
  | { readonly kind: 'input'; readonly index: number; readonly text: string }
  | {
      readonly kind: 'done';
      readonly numRuns: number;
      readonly failed: boolean;
      readonly report: string | null;
      readonly heapBeforeBytes: number;
      readonly heapAfterBytes: number;
    };

/** The biggest stringified input worth posting (a huge one is cut, its head is enough to replay by seed). */
const maxInputText = 4096;

const job = workerData as FuzzJob;
const port = parentPort;
if (port === null) throw new Error('scripts/fuzz/worker.ts runs as a worker thread (scripts/fuzz.ts starts it)');

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapAfterGc = (): number => {
  gc();
  gc();
  // Buffers and typed arrays live outside the JS heap (`external`): a parser that keeps them leaks too.
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
};

const { target } = (await import(job.file)) as { target: FuzzTarget };
port.postMessage({ kind: 'loaded', name: target.name, subject: target.subject } satisfies FuzzWorkerMessage);
const started = new Int32Array(job.progress);
const heapBeforeBytes = heapAfterGc();
const result = await fc.check(
  fc.asyncProperty(target.input, async (input) => {
    const index = Atomics.add(started, 0, 1);
    if (job.recordFrom !== null && index >= job.recordFrom) {
      port.postMessage({ kind: 'input', index, text: fc.stringify(input).slice(0, maxInputText) } satisfies FuzzWorkerMessage);
    }
    await target.feed(input);
  }),
  { numRuns: job.count, seed: job.seed, includeErrorInReport: true },
);
const report = result.failed ? fuzzFailureReport(result) : null;
port.postMessage({
  kind: 'done',
  numRuns: result.numRuns,
  failed: result.failed,
  report,
  heapBeforeBytes,
  heapAfterBytes: heapAfterGc(),
} satisfies FuzzWorkerMessage);
