import { closeSync, existsSync, fdatasync, openSync, readFileSync, write } from 'node:fs';

/**
 * The audit sequence of the newest commit, kept in a small file beside the database (`<db>.high-water`)
 * and made durable after each commit. SQLite in WAL mode drops without a word the commits whose WAL
 * frames are cut off (a torn WAL, a WAL truncated by a bad copy): at the next open the database is
 * simply older. Nearly every write that matters appends an audit row, so a database whose newest audit
 * row is below this mark has lost committed records, and the store refuses to open (store.ts).
 *
 * One fixed-size record overwritten in place: no metadata changes, so `fdatasync` flushes one block.
 * Callers of the same moment share one write (as they share one SQLite commit).
 */
export interface HighWaterMark {
  readonly file: string;
  /** The durable mark: the audit sequence of the newest commit recorded. */
  current(): number;
  /** Records `seq` (only ever forward), durably; resolves once on disk. Never rejects: see `failed`. */
  advance(seq: number): Promise<void>;
  /** Sets the mark to `seq` even when lower: after a loss was acknowledged, or a backup restored. */
  reset(seq: number): Promise<void>;
  /** The last write error, null while the mark is kept. A failed mark only weakens the check: it is behind. */
  failed(): Error | null;
  /** After the last write in flight. */
  close(): Promise<void>;
}

export const highWaterSuffix = '.high-water';
export const highWaterFileOf = (databasePath: string): string => `${databasePath}${highWaterSuffix}`;

/** 20 digits and a newline: the record never changes size. */
const recordLength = 21;
const privateFileMode = 0o600;

/** The mark in `file`; null when there is none (a database from before marks, or a new one). */
export function readHighWater(file: string): number | null {
  if (!existsSync(file)) return null;
  const text = readFileSync(file, 'latin1').trim();
  // A torn record (an impossible write of 21 bytes, but a copy can cut anything) reads as no mark at all.
  return /^\d{1,20}$/.test(text) ? Number(text) : null;
}

export function openHighWater(file: string): HighWaterMark {
  const fd = openSync(file, existsSync(file) ? 'r+' : 'w+', privateFileMode);
  // -1: nothing on disk yet (a new file), so the first advance writes even a 0.
  let durable = readHighWater(file) ?? -1;
  let wanted = durable;
  let flushing: Promise<void> | null = null;
  let lastError: Error | null = null;
  let closed = false;

  const writeOnce = (seq: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const record = Buffer.from(`${String(seq).padStart(recordLength - 1, '0')}\n`, 'latin1');
      write(fd, record, 0, record.length, 0, (error) => (error ? reject(error) : fdatasync(fd, (synced) => (synced ? reject(synced) : resolve()))));
    });

  async function flush(): Promise<void> {
    while (durable !== wanted && !closed) {
      const seq = wanted;
      try {
        await writeOnce(seq);
        durable = seq;
        lastError = null;
      } catch (error) {
        lastError = error as Error;
        return;
      }
    }
  }

  async function settle(): Promise<void> {
    while (durable !== wanted && !closed) {
      flushing ??= flush().finally(() => (flushing = null));
      await flushing;
      if (lastError) return;
    }
  }

  return {
    file,
    current: () => durable,
    advance(seq) {
      if (seq <= durable) return Promise.resolve();
      if (seq > wanted) wanted = seq;
      return settle();
    },
    reset(seq) {
      wanted = seq;
      return settle();
    },
    failed: () => lastError,
    async close() {
      if (closed) return;
      await flushing;
      closed = true;
      closeSync(fd);
    },
  };
}
