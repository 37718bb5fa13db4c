import { closeSync, fchmodSync, fstatSync, ftruncateSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { createActor, setup, type Actor } from 'xstate';
import { systemClock, type Clock } from '../../../shared/clock';
import type { LogHealthView } from '../../../shared/contract/kiosk-api';
import type { TimerClock } from '../machine/staff-machine';

/**
 * The log file: JSON lines appended to `<dataDir>/logs/kiosk.jsonl`, rotated by size, readable by
 * its owner only (it holds card numbers and operator ids). A write that fails (disk full, no
 * permission, I/O error) never throws: the lines go to a bounded ring in memory, the health says so,
 * and the file is tried again now and then (the `logFileRetry` delay, on an injected clock); once it
 * takes writes the ring is written out first.
 */

/** Size at which the file is rotated to `kiosk.jsonl.1` (the older ones move up to `.2`, ...). */
export const logFileMaxBytes = 10 * 1024 * 1024;
/** Rotated files kept besides the current one; the oldest goes. */
export const logFilesKept = 5;
/** What the ring keeps while the file fails; the oldest lines go first. */
export const memoryRingBytes = 1024 * 1024;
/** How long after a failed write the file is tried again (a write in between goes to the ring only). */
export const logRetryIntervalMs = 10_000;
/** Owner read/write only, like the keys. */
export const logFileMode = 0o600;

export interface FileDestinationOptions {
  readonly path: string;
  readonly clock?: Clock;
  readonly maxBytes?: number;
  readonly filesKept?: number;
  readonly ringBytes?: number;
  /** The `logFileRetry` delay: how often a failing file is tried again. */
  readonly retryIntervalMs?: number;
  /** The clock the retry's delay runs on: real time by default, XState's `SimulatedClock` in tests. */
  readonly timers?: TimerClock;
}

export interface FileDestination {
  /** Never throws; always true (pino's stream contract). */
  write(line: string): boolean;
  health(): LogHealthView;
  onChange(listener: (health: LogHealthView) => void): () => void;
  /** The lines held in memory while the file fails (oldest first). */
  memoryLines(): readonly string[];
  /** Tries the file again if the retry interval has passed (also done by a timer while it fails). */
  retry(): void;
  close(): void;
}

/**
 * While the file fails: a `retry` every `logFileRetry`, so that a quiet kiosk still finds out that
 * the disk has room again. Started at the first failure, stopped once the file takes writes.
 */
export const logFileRetryMachine = setup({
  types: {
    context: {} as { readonly retryIntervalMs: number },
    input: {} as { readonly retryIntervalMs: number },
  },
  actions: {
    retry: () => {},
  },
  delays: {
    logFileRetry: ({ context }) => context.retryIntervalMs,
  },
}).createMachine({
  id: 'logFileRetry',
  context: ({ input }) => ({ retryIntervalMs: input.retryIntervalMs }),
  initial: 'waiting',
  states: {
    waiting: {
      after: { logFileRetry: { target: 'waiting', reenter: true, actions: 'retry' } },
    },
  },
});

export function createFileDestination(options: FileDestinationOptions): FileDestination {
  const clock = options.clock ?? systemClock;
  const maxBytes = options.maxBytes ?? logFileMaxBytes;
  const filesKept = options.filesKept ?? logFilesKept;
  const ringBytes = options.ringBytes ?? memoryRingBytes;
  const retryIntervalMs = options.retryIntervalMs ?? logRetryIntervalMs;
  const { path } = options;
  const listeners = new Set<(health: LogHealthView) => void>();

  let fd: number | undefined;
  let size = 0;
  let failure: { since: string; reason: string; at: number } | undefined;
  /** While the file fails: a quiet kiosk still finds out that the disk has room again. */
  let retryLoop: Actor<typeof logFileRetryMachine> | undefined;
  const stopRetryLoop = (): void => {
    retryLoop?.stop();
    retryLoop = undefined;
  };
  const ring: string[] = [];
  let ringSize = 0;
  let dropped = 0;

  const health = (): LogHealthView =>
    failure
      ? { state: 'memory-only', since: failure.since, reason: failure.reason, keptLines: ring.length, droppedLines: dropped }
      : { state: 'writing' };
  const changed = (): void => {
    const now = health();
    for (const listener of listeners) listener(now);
  };

  const open = (): number => {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const opened = openSync(path, 'a', logFileMode);
    try {
      // A file left by an older kiosk may be 0644: tighten it.
      fchmodSync(opened, logFileMode);
      size = fstatSync(opened).size;
    } catch (error) {
      closeSync(opened);
      throw error;
    }
    return opened;
  };

  const closeFile = (): void => {
    if (fd === undefined) return;
    const closing = fd;
    fd = undefined;
    try {
      closeSync(closing);
    } catch {
      // nothing to save: the next write reopens
    }
  };

  const rotate = (): void => {
    closeFile();
    rmSync(`${path}.${filesKept}`, { force: true });
    for (let n = filesKept - 1; n >= 1; n--) {
      try {
        renameSync(`${path}.${n}`, `${path}.${n + 1}`);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    renameSync(path, `${path}.1`);
  };

  /** Writes one whole line to the file, or throws having written none of it. */
  const writeLine = (line: string): void => {
    const bytes = Buffer.from(line, 'utf8');
    if (fd !== undefined && size > 0 && size + bytes.length > maxBytes) rotate();
    const file = (fd ??= open());
    const start = size;
    try {
      for (let at = 0; at < bytes.length; ) at += writeSync(file, bytes, at, bytes.length - at);
      size = start + bytes.length;
    } catch (error) {
      // A disk that filled in the middle of a line: cut the half line off (truncating needs no room).
      try {
        ftruncateSync(file, start);
      } catch {
        // the half line stays; a reader skips a line that is not JSON
      }
      size = start;
      throw error;
    }
  };

  const keep = (line: string): void => {
    ring.push(line);
    ringSize += Buffer.byteLength(line);
    while (ringSize > ringBytes && ring.length > 1) {
      ringSize -= Buffer.byteLength(ring.shift() ?? '');
      dropped++;
    }
  };

  const fail = (error: unknown): void => {
    closeFile();
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    const first = failure === undefined;
    failure = { since: first ? clock.now().toISOString() : (failure?.since ?? ''), reason, at: clock.now().getTime() };
    if (!first) return;
    retryLoop = createActor(logFileRetryMachine.provide({ actions: { retry } }), {
      input: { retryIntervalMs },
      ...(options.timers ? { clock: options.timers } : {}),
    }).start();
    changed();
  };

  /** Writes out what the ring holds, or throws with the rest still in it. */
  const drainRing = (): void => {
    while (ring.length > 0) {
      const line = ring[0] ?? '';
      writeLine(line);
      ring.shift();
      ringSize -= Buffer.byteLength(line);
    }
  };

  const recovered = (): void => {
    const was = failure;
    const lost = dropped;
    failure = undefined;
    stopRetryLoop();
    dropped = 0;
    if (was) {
      const note = {
        level: 'warn',
        time: clock.now().toISOString(),
        eventId: 'log-recovered',
        disposition: 'success',
        message: `the log file takes writes again after ${was.reason} since ${was.since}; ${lost} lines were lost meanwhile`,
        droppedLines: lost,
      };
      try {
        writeLine(`${JSON.stringify(note)}\n`);
      } catch {
        // the next write finds out again
      }
    }
    changed();
  };

  function retry(): void {
    if (!failure || clock.now().getTime() - failure.at < retryIntervalMs) return;
    try {
      drainRing();
      recovered();
    } catch (error) {
      fail(error);
    }
  }

  return {
    write(line) {
      if (failure) {
        keep(line);
        retry();
        return true;
      }
      try {
        writeLine(line);
      } catch (error) {
        keep(line);
        fail(error);
      }
      return true;
    },
    health,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    memoryLines: () => [...ring],
    retry,
    close() {
      stopRetryLoop();
      closeFile();
    },
  };
}
