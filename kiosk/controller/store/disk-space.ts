import { statfs } from 'node:fs/promises';
import { err, ok, type Result } from '../../../shared/result';

/**
 * Free space on the data directory's disk, against a reserve kept for the store's own writes. A
 * card is made only while the store can still record it: a job that reaches the printer on a full
 * disk ends as a printed, encoded card that cannot be committed.
 */
export interface DiskLow {
  readonly kind: 'disk_low';
  readonly dir: string;
  readonly freeBytes: number;
  readonly reserveBytes: number;
}

/** The fields of `fs.statfs` we read: blocks free to an unprivileged user, and their size. */
export type StatFs = (dir: string) => Promise<{ readonly bavail: number; readonly bsize: number }>;

export interface DiskReserve {
  readonly dir: string;
  readonly reserveBytes: number;
  /** ok with the free bytes while they are at least the reserve. */
  check(): Promise<Result<number, DiskLow>>;
}

const bytesPerMb = 1024 * 1024;

export function diskReserve(dir: string, reserveMb: number, stat: StatFs = statfs): DiskReserve {
  const reserveBytes = reserveMb * bytesPerMb;
  return {
    dir,
    reserveBytes,
    async check() {
      const fs = await stat(dir);
      const freeBytes = fs.bavail * fs.bsize;
      return freeBytes >= reserveBytes ? ok(freeBytes) : err({ kind: 'disk_low', dir, freeBytes, reserveBytes });
    },
  };
}

/** Whether an error is the disk (or quota) being full: SQLite's SQLITE_FULL, or ENOSPC/EDQUOT from a file write. */
export function isDiskFull(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return true;
  // Some callers wrap the cause into their own message (a key file that could not be created).
  return /\b(SQLITE_FULL|ENOSPC|EDQUOT)\b/.test(error.message);
}

export function megabytes(bytes: number): string {
  return `${(bytes / bytesPerMb).toFixed(1)} MB`;
}

/** The disk below its reserve, in words for staff, logs and API replies. */
export function diskLowReason(low: DiskLow): string {
  return `the data disk is full: ${low.dir} has ${megabytes(low.freeBytes)} free, below the ${megabytes(low.reserveBytes)} the kiosk keeps for its records; free space there or call a technician`;
}

/** A write the store could not make because the disk is full. */
export const diskFullReason = 'the data disk is full: the kiosk could not save its records; free space on the data disk or call a technician';
