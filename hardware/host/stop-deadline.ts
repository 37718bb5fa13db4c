import { Worker } from 'node:worker_threads';

/**
 * A last resort that bounds a process's stop, whatever a step does. A stop can be stuck two ways:
 * - a step that never settles: this thread's own timer fires at `deadlineMs` and `onMissed` ends the
 *   process (its exit hook SIGKILLs every helper, see child-processes.ts);
 * - this thread stuck in a native call that waits without a timeout (libpcsclite waits for pcscd so):
 *   no timer of this thread can run, so a worker thread, which has an event loop of its own, SIGKILLs the
 *   whole process `stuckMarginMs` after the deadline. The kernel then kills the helpers (their
 *   parent-death signal) and the next start removes their temp folders (owned-temp-dirs.ts).
 */
export interface StopDeadline {
  /** The stop finished in time: nothing more happens. */
  disarm(): void;
}

export interface StopDeadlineOptions {
  readonly deadlineMs: number;
  readonly stuckMarginMs: number;
  /** Called on this thread at the deadline (when it can run): say why, then exit. */
  readonly onMissed: () => void;
  /** Written to stderr by the watchdog thread before it kills the process. */
  readonly stuckMessage: string;
}

// CommonJS, evaluated in the worker: no loader, no import of ours (it must start even under tsx).
const watchdogSource = `
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
setTimeout(() => {
  try { writeSync(2, workerData.message); } catch {}
  process.kill(process.pid, 'SIGKILL');
}, Math.max(0, workerData.killAt - Date.now()));
`;

export function armStopDeadline(options: StopDeadlineOptions): StopDeadline {
  const start = Date.now();
  const timer = setTimeout(options.onMissed, options.deadlineMs);
  // The kill time is absolute: a worker slow to start on a loaded machine does not push it back.
  const watchdog = new Worker(watchdogSource, {
    eval: true,
    execArgv: [],
    workerData: { killAt: start + options.deadlineMs + options.stuckMarginMs, message: options.stuckMessage },
    stdout: false,
    stderr: false,
  });
  watchdog.unref();
  return {
    disarm() {
      clearTimeout(timer);
      void watchdog.terminate();
    },
  };
}
