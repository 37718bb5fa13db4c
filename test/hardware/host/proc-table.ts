import { readdirSync, readFileSync } from 'node:fs';

/**
 * Just enough of /proc for tests that check which processes are left behind. A process is named by
 * pid AND start time, so a pid reused by an unrelated process is never mistaken for ours.
 */
export interface ProcessEntry {
  readonly pid: number;
  readonly ppid: number;
  /** The executable's name as the kernel keeps it (at most 15 characters). */
  readonly comm: string;
  /** R, S, D, Z (zombie: dead, only waiting to be reaped), ... */
  readonly state: string;
  readonly startTime: string;
}

export function readProcess(pid: number): ProcessEntry | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // "pid (comm) state ppid ..."; comm may hold spaces and parentheses, so split after the last ')'.
  const close = stat.lastIndexOf(')');
  const comm = stat.slice(stat.indexOf('(') + 1, close);
  const fields = stat.slice(close + 2).split(' ');
  return { pid, ppid: Number(fields[1]), comm, state: fields[0] ?? '?', startTime: fields[19] ?? '?' };
}

export function allProcesses(): ProcessEntry[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProcess(Number(name)))
    .filter((entry): entry is ProcessEntry => entry !== null);
}

/** Every living descendant of `rootPid` (children, their children, ...). */
export function descendantsOf(rootPid: number): ProcessEntry[] {
  const table = allProcesses();
  const found: ProcessEntry[] = [];
  const parents = new Set([rootPid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const entry of table) {
      if (parents.has(entry.ppid) && !parents.has(entry.pid)) {
        parents.add(entry.pid);
        found.push(entry);
        grew = true;
      }
    }
  }
  return found.filter((entry) => entry.state !== 'Z');
}

/** True while this very process (same start time) exists and is not a zombie. */
export function isAlive(entry: ProcessEntry): boolean {
  const now = readProcess(entry.pid);
  return now !== null && now.startTime === entry.startTime && now.state !== 'Z' && now.state !== 'X';
}

/** Last-resort cleanup for a failed test: SIGKILL each process that is still the one we saw. */
export function killIfAlive(entries: readonly ProcessEntry[]): void {
  for (const entry of entries) {
    if (!isAlive(entry)) continue;
    try {
      process.kill(entry.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
