import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FuzzTarget } from './fuzz/target';
import type { FuzzJob, FuzzWorkerMessage } from './fuzz/worker';

/**
 * `npm run fuzz [-- --count N] [--target NAME] [--seed S]`: every target in `fuzz/targets/` fed N inputs
 * (default 100,000) from one seed, printed first so that any run can be replayed. Each target runs in a
 * worker thread of its own under a watchdog: an input that does not return within `--stall-ms` is a hang,
 * reported with the input (replayed from the seed); the heap after GC is compared before and after the
 * run (a growth beyond `--max-heap-growth-mb` fails) and the worker's heap is capped (`--heap-limit-mb`).
 * Last line: one JSON object `{"targets":T,"inputsPerTarget":N,"failures":F}`; exit code 1 on any failure.
 */
const defaultTargetsDir = join(dirname(fileURLToPath(import.meta.url)), 'fuzz', 'targets');
const workerEntry = new URL('./fuzz/worker.mjs', import.meta.url);

export interface FuzzOptions {
  readonly count: number;
  readonly seed: number;
  /** Only the target of this name. */
  readonly target?: string | undefined;
  readonly targetsDir?: string | undefined;
  /** An input that runs this long without returning is a hang. */
  readonly stallMs: number;
  /** The most the heap (after GC) may grow over a target's run. */
  readonly maxHeapGrowthMb: number;
  /** The worker's old-generation cap: a runaway allocation ends the worker, not the runner. */
  readonly heapLimitMb: number;
  readonly write: (line: string) => void;
}

export interface FuzzSummary {
  readonly targets: number;
  readonly inputsPerTarget: number;
  readonly failures: number;
}

export const fuzzDefaults = { count: 100_000, stallMs: 10_000, maxHeapGrowthMb: 32, heapLimitMb: 1024 } as const;
/** Loading a target (tsx compiles it and what it imports) may take a while on a busy machine. */
const loadTimeoutMs = 60_000;
const megabyte = 1024 * 1024;

export function fuzzTargetFiles(targetsDir = defaultTargetsDir): string[] {
  return readdirSync(targetsDir)
    .filter((f) => f.endsWith('.ts'))
    .sort()
    .map((f) => join(targetsDir, f));
}

/** The targets in this process (the vitest file runs them so, at a small count). */
export async function loadFuzzTargets(targetsDir = defaultTargetsDir): Promise<FuzzTarget[]> {
  const targets: FuzzTarget[] = [];
  for (const file of fuzzTargetFiles(targetsDir)) targets.push(((await import(file)) as { target: FuzzTarget }).target);
  return targets;
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzSummary> {
  const { count, seed, write } = options;
  let files = fuzzTargetFiles(options.targetsDir);
  if (options.target !== undefined) {
    files = files.filter((file) => file.endsWith(`/${options.target}.ts`));
    if (files.length === 0) throw new Error(`no fuzz target named '${options.target}' in ${options.targetsDir ?? defaultTargetsDir}`);
  }
  write(`fuzz: seed ${seed}, ${count} inputs per target, ${files.length} targets (replay: npm run fuzz -- --seed ${seed} --count ${count} [--target NAME])`);
  let failures = 0;
  for (const file of files) {
    const outcome = await runTarget(file, options);
    if (outcome.kind !== 'ok') failures += 1;
    write(describe(outcome, options));
  }
  return { targets: files.length, inputsPerTarget: count, failures };
}

type Outcome =
  | { readonly kind: 'ok'; readonly name: string; readonly numRuns: number; readonly seconds: number; readonly heapGrowthMb: number }
  | { readonly kind: 'failed'; readonly name: string; readonly subject: string; readonly numRuns: number; readonly seconds: number; readonly report: string }
  | { readonly kind: 'hang'; readonly name: string; readonly subject: string; readonly index: number; readonly input: string | null }
  | { readonly kind: 'memory'; readonly name: string; readonly subject: string; readonly heapGrowthMb: number; readonly seconds: number }
  | { readonly kind: 'crashed'; readonly name: string; readonly subject: string; readonly index: number; readonly error: string };

function describe(outcome: Outcome, options: FuzzOptions): string {
  const replay = `replay: npm run fuzz -- --target ${outcome.name} --seed ${options.seed} --count ${options.count}`;
  switch (outcome.kind) {
    case 'ok':
      return `ok   ${outcome.name}: ${outcome.numRuns} inputs in ${outcome.seconds.toFixed(1)} s, heap ${signed(outcome.heapGrowthMb)} MB after GC (seed ${options.seed})`;
    case 'failed':
      return `FAIL ${outcome.name} (${outcome.subject}) seed ${options.seed} after ${outcome.numRuns} inputs, ${outcome.seconds.toFixed(1)} s; ${replay}\n${outcome.report}`;
    case 'hang':
      return `HANG ${outcome.name} (${outcome.subject}) seed ${options.seed}: input #${outcome.index} did not return within ${options.stallMs} ms; ${replay}\n  input: ${outcome.input ?? '(not reproduced on replay)'}`;
    case 'memory':
      return `MEM  ${outcome.name} (${outcome.subject}) seed ${options.seed}: heap grew ${signed(outcome.heapGrowthMb)} MB after GC over the run (bound ${options.maxHeapGrowthMb} MB), ${outcome.seconds.toFixed(1)} s; ${replay}`;
    case 'crashed':
      return `CRASH ${outcome.name} (${outcome.subject}) seed ${options.seed} ${outcome.index < 0 ? 'while loading' : `at input #${outcome.index}`}: ${outcome.error}; ${replay}`;
  }
}

function signed(mb: number): string {
  return `${mb >= 0 ? '+' : ''}${mb.toFixed(1)}`;
}

interface WorkerRun {
  readonly name: string;
  readonly subject: string;
  readonly end:
    | { readonly kind: 'done'; readonly message: Extract<FuzzWorkerMessage, { kind: 'done' }> }
    | { readonly kind: 'stalled'; readonly index: number }
    | { readonly kind: 'input'; readonly index: number; readonly text: string }
    | { readonly kind: 'crashed'; readonly index: number; readonly error: string };
}

async function runTarget(file: string, options: FuzzOptions): Promise<Outcome> {
  const started = performance.now();
  const run = await runWorker(file, options, null);
  const seconds = (performance.now() - started) / 1000;
  const { name, subject, end } = run;
  switch (end.kind) {
    case 'done': {
      const heapGrowthMb = (end.message.heapAfterBytes - end.message.heapBeforeBytes) / megabyte;
      if (end.message.failed) return { kind: 'failed', name, subject, numRuns: end.message.numRuns, seconds, report: end.message.report ?? '' };
      if (heapGrowthMb > options.maxHeapGrowthMb) return { kind: 'memory', name, subject, heapGrowthMb, seconds };
      return { kind: 'ok', name, numRuns: end.message.numRuns, seconds, heapGrowthMb };
    }
    case 'stalled': {
      // The hung worker cannot say what it was fed: replay the same seed and have it post that input.
      const replay = await runWorker(file, options, end.index);
      return { kind: 'hang', name, subject, index: end.index, input: replay.end.kind === 'input' && replay.end.index === end.index ? replay.end.text : null };
    }
    case 'input':
      throw new Error('a first run posts no inputs');
    case 'crashed':
      return { kind: 'crashed', name, subject, index: end.index, error: end.error };
  }
}

/** Runs one worker to its end: done, a stall (watchdog), the recorded input reached, or a crash. */
function runWorker(file: string, options: FuzzOptions, recordFrom: number | null): Promise<WorkerRun> {
  const progress = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  const inputsStarted = new Int32Array(progress);
  const job: FuzzJob = { file: pathToFileURL(resolve(file)).href, count: options.count, seed: options.seed, progress, recordFrom };
  const worker = new Worker(workerEntry, { workerData: job, resourceLimits: { maxOldGenerationSizeMb: options.heapLimitMb } });
  let name = file.replace(/^.*\//, '').replace(/\.ts$/, '');
  let subject = '?';
  return new Promise<WorkerRun>((resolvePromise) => {
    let settled = false;
    let lastCount = -1;
    let lastChange = Date.now();
    let loaded = false;
    const finish = (end: WorkerRun['end']): void => {
      if (settled) return;
      settled = true;
      clearInterval(watchdog);
      void worker.terminate();
      resolvePromise({ name, subject, end });
    };
    const watchdog = setInterval(() => {
      const count = Atomics.load(inputsStarted, 0);
      const now = Date.now();
      if (count !== lastCount) {
        lastCount = count;
        lastChange = now;
      } else if (now - lastChange > (loaded ? options.stallMs : loadTimeoutMs)) {
        finish(loaded ? { kind: 'stalled', index: count - 1 } : { kind: 'crashed', index: -1, error: `the target did not load within ${loadTimeoutMs} ms` });
      }
    }, Math.max(20, Math.min(1000, options.stallMs / 4)));
    worker.on('message', (message: FuzzWorkerMessage) => {
      if (message.kind === 'loaded') {
        ({ name, subject } = message);
        loaded = true;
        lastChange = Date.now();
      } else if (message.kind === 'input') {
        if (message.index === recordFrom) finish({ kind: 'input', index: message.index, text: message.text });
      } else {
        finish({ kind: 'done', message });
      }
    });
    worker.on('error', (error) => finish({ kind: 'crashed', index: Atomics.load(inputsStarted, 0) - 1, error: error.message }));
    worker.on('exit', (code) => finish({ kind: 'crashed', index: Atomics.load(inputsStarted, 0) - 1, error: `the worker exited (code ${code}) before the run ended` }));
  });
}

const flags = ['count', 'target', 'seed', 'stall-ms', 'max-heap-growth-mb', 'heap-limit-mb', 'targets-dir'] as const;
type Flag = (typeof flags)[number];

function parseFlags(args: readonly string[]): Partial<Record<Flag, string>> {
  const values: Partial<Record<Flag, string>> = {};
  for (let at = 0; at < args.length; at += 2) {
    const flag = args[at]?.replace(/^--/, '') as Flag;
    const value = args[at + 1];
    if (!flags.includes(flag) || !args[at]?.startsWith('--')) throw new Error(`unknown argument '${args[at]}' (flags: ${flags.map((f) => `--${f}`).join(' ')})`);
    if (value === undefined) throw new Error(`--${flag} needs a value`);
    values[flag] = value;
  }
  return values;
}

function positiveInteger(text: string | undefined, flag: Flag, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`--${flag} takes a positive whole number, got '${text}'`);
  return value;
}

/** fast-check seeds are 32-bit integers. */
function parseSeed(text: string | undefined): number {
  if (text === undefined) return (Date.now() ^ Math.floor(Math.random() * 0x7fffffff)) | 0;
  const value = Number(text);
  if (!Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff) throw new Error(`--seed takes a 32-bit integer, got '${text}'`);
  return value;
}

async function main(args: readonly string[]): Promise<number> {
  const write = (line: string): void => {
    process.stdout.write(`${line}\n`);
  };
  let options: FuzzOptions;
  try {
    const values = parseFlags(args);
    options = {
      count: positiveInteger(values.count, 'count', fuzzDefaults.count),
      seed: parseSeed(values.seed),
      target: values.target,
      targetsDir: values['targets-dir'] === undefined ? undefined : resolve(values['targets-dir']),
      stallMs: positiveInteger(values['stall-ms'], 'stall-ms', fuzzDefaults.stallMs),
      maxHeapGrowthMb: positiveInteger(values['max-heap-growth-mb'], 'max-heap-growth-mb', fuzzDefaults.maxHeapGrowthMb),
      heapLimitMb: positiveInteger(values['heap-limit-mb'], 'heap-limit-mb', fuzzDefaults.heapLimitMb),
      write,
    };
  } catch (error) {
    process.stderr.write(`fuzz: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  let summary: FuzzSummary;
  try {
    summary = await runFuzz(options);
  } catch (error) {
    process.stderr.write(`fuzz: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  write(JSON.stringify(summary));
  return summary.failures === 0 ? 0 : 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = await main(process.argv.slice(2));
