import { closeSync, existsSync, fdatasync, openSync, readFileSync, writeSync } from 'node:fs';

/**
 * The audit sequence (and the first bytes of the MAC) of the newest commit, kept in a small file beside
 * the database (`<db>.high-water`) and written after each commit. SQLite in WAL mode drops without a
 * word the commits whose WAL frames are cut off (a torn WAL, a WAL truncated by a bad copy): at the next
 * open the database is simply older. Nearly every write that matters appends an audit row, so a database whose newest audit
 * row is below this mark, or whose row of that number is another one (records lost, then others written
 * over the same numbers), has lost committed records, and the store refuses to open (store.ts).
 *
 * One fixed-size record overwritten in place after each commit (a pwrite: microseconds, and the mark is
 * never ahead of a commit), flushed by `fdatasync` in the background at most once a second and at
 * close: no commit waits for it. A mark that is behind only misses a loss, it never invents one.
 */
/** The newest committed audit row: its sequence and its MAC's first 8 bytes (hex). */
export interface Mark {
  readonly seq: number;
  readonly mac: string;
}

export interface HighWaterMark {
  readonly file: string;
  /**
   * Records the row (only ever forward) now; flushed to disk within a second or at close. Never throws:
   * a failure is told to `onFailure` (the mark is then behind, which only weakens the check).
   */
  advance(seq: number, mac: Buffer): void;
  /** Sets the mark even when lower (after a loss was acknowledged); resolves once on disk. */
  reset(seq: number, mac: Buffer): Promise<void>;
  /** After the last write in flight. */
  close(): Promise<void>;
}

export const highWaterSuffix = '.high-water';
export const highWaterFileOf = (databasePath: string): string => `${databasePath}${highWaterSuffix}`;

/** 20 digits, a space, 16 hex digits and a newline: the record never changes size. */
const seqDigits = 20;
const macBytes = 8;
export const macPrefix = (mac: Buffer): string => mac.subarray(0, macBytes).toString('hex');
const privateFileMode = 0o600;

/** The mark in `file`; null when there is none (a database from before marks, or a new one). */
export function readHighWater(file: string): Mark | null {
  if (!existsSync(file)) return null;
  const match = /^(\d{1,20}) ([0-9a-f]{16})$/.exec(readFileSync(file, 'latin1').trim());
  // A torn record (an impossible write of 38 bytes, but a copy can cut anything) reads as no mark at all.
  return match ? { seq: Number(match[1]), mac: match[2]! } : null;
}

/**
 * How often at most the mark is flushed while commits come: an fdatasync per commit would double the
 * commit's cost (measured: ~170 µs CPU per append, and the threadpool shared with sqlite3). Between
 * flushes the mark is in the page cache: a killed process loses none of it; a power cut may leave it up
 * to a second behind, which only narrows what the check sees.
 */
const flushEveryMs = 1_000;

export interface HighWaterOptions {
  readonly now?: () => number;
  /** Told once when writing the mark starts failing (a full disk, say); again after it has worked in between. */
  readonly onFailure?: (error: Error) => void;
}

export function openHighWater(file: string, options: HighWaterOptions = {}): HighWaterMark {
  const now = options.now ?? Date.now;
  const fd = openSync(file, existsSync(file) ? 'r+' : 'w+', privateFileMode);
  // null: nothing written yet (a new file), so the first advance writes even a 0.
  let written: Mark | null = readHighWater(file);
  let syncing: Promise<void> | null = null;
  let syncAgain = false;
  let lastFlush = Number.NEGATIVE_INFINITY;
  let lastError: Error | null = null;
  let closed = false;

  const fail = (error: unknown): void => {
    if (lastError === null) options.onFailure?.(error as Error);
    lastError = error as Error;
  };
  const datasync = (): Promise<void> =>
    new Promise((resolve) =>
      fdatasync(fd, (error) => {
        if (error) fail(error);
        resolve();
      }),
    );

  /** One flush in flight at most; marks written meanwhile share the next one. */
  function syncSoon(): Promise<void> {
    if (syncing) {
      syncAgain = true;
      return syncing;
    }
    syncing = (async () => {
      do {
        syncAgain = false;
        lastFlush = now();
        await datasync();
      } while (syncAgain && !closed);
    })().finally(() => (syncing = null));
    return syncing;
  }

  function write(mark: Mark, flush: 'now' | 'soon'): Promise<void> {
    if (closed) return Promise.resolve();
    try {
      // A pwrite of 38 bytes in place: in the page cache at once (a killed process loses nothing), on disk at the flush.
      const record = Buffer.from(`${String(mark.seq).padStart(seqDigits, '0')} ${mark.mac}\n`, 'latin1');
      writeSync(fd, record, 0, record.length, 0);
      written = mark;
      lastError = null;
    } catch (error) {
      fail(error);
      return Promise.resolve();
    }
    return flush === 'now' || now() - lastFlush >= flushEveryMs ? syncSoon() : Promise.resolve();
  }

  return {
    file,
    advance(seq, mac) {
      if (written && seq <= written.seq) return;
      void write({ seq, mac: macPrefix(mac) }, 'soon');
    },
    reset: (seq, mac) => write({ seq, mac: macPrefix(mac) }, 'now'),
    async close() {
      if (closed) return;
      await syncing;
      if (written) await datasync(); // the marks written since the last flush
      closed = true;
      closeSync(fd);
    },
  };
}
