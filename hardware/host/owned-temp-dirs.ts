import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Temporary folders that name their owner: `<prefix><pid>-<start>-XXXXXX` under os.tmpdir(), where
 * <start> is the owner's start time (/proc/<pid>/stat, clock ticks since boot), so that a pid reused by
 * another process never passes for the owner. A process killed outright (SIGKILL, power cut) cannot
 * remove its folders: the next one to make folders of the same kind removes those whose owner is gone,
 * and never a living process's (another kiosk, a test running beside it).
 */
export interface ProcessIdentity {
  readonly pid: number;
  /** Start time in clock ticks since boot; 0 where /proc cannot tell (then the pid alone names it). */
  readonly startTime: number;
}

/** Makes a fresh folder owned by this process. */
export function makeOwnedTempDir(prefix: string): string {
  const self = identityOf(process.pid) ?? { pid: process.pid, startTime: 0 };
  return mkdtempSync(join(tmpdir(), `${prefix}${ownerTag(self)}-`));
}

/** `<pid>-<start>`: the part of an owned folder's name that names its owner. */
export function ownerTag(owner: ProcessIdentity): string {
  return `${owner.pid}-${owner.startTime}`;
}

/** Removes the folders `<prefix><pid>-<start>-XXXXXX` whose owner no longer runs; returns their paths. */
export function removeOrphanedTempDirs(prefix: string): string[] {
  const pattern = new RegExp(`^${escapeRegExp(prefix)}(\\d+)-(\\d+)-[A-Za-z0-9]{6}$`);
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(tmpdir());
  } catch {
    return removed;
  }
  for (const name of names) {
    const match = pattern.exec(name);
    if (!match) continue;
    if (isRunning({ pid: Number(match[1]), startTime: Number(match[2]) })) continue;
    const path = join(tmpdir(), name);
    try {
      rmSync(path, { recursive: true, force: true });
      removed.push(path);
    } catch {
      // not ours to remove after all (another user's): leave it
    }
  }
  return removed;
}

/** A process's pid and start time while it runs (a zombie has ended), null when it does not. */
export function identityOf(pid: number): ProcessIdentity | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // "pid (comm) state ppid ..." where comm may hold spaces and parentheses: split after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (fields[0] === 'Z' || fields[0] === 'X') return null;
  return { pid, startTime: Number(fields[19] ?? 0) };
}

function isRunning(owner: ProcessIdentity): boolean {
  const now = identityOf(owner.pid);
  if (now) return owner.startTime === 0 || now.startTime === owner.startTime;
  if (identityOf(process.pid) !== null) return false; // /proc answers, and not for this pid: gone
  // Without /proc: a signal 0 says whether the pid exists (EPERM: it does, someone else's).
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
