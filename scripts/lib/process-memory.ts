import { readdirSync, readFileSync, statSync } from 'node:fs';

/**
 * What a process holds, read from /proc as `top` and `ls /proc/<pid>/fd` would: its resident set
 * (VmRSS, every page it has in memory, V8's heap, native buffers and SQLite's cache alike) and its
 * open file descriptors (files, sockets, ptys, pipes).
 */
export function rssBytesOf(pid: number): number {
  return rssBytesFromStatus(readFileSync(`/proc/${pid}/status`, 'utf8'));
}

/** VmRSS from one /proc/<pid>/status text, in bytes (the kernel writes it in kB). */
export function rssBytesFromStatus(status: string): number {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!match) throw new Error('no VmRSS in /proc status');
  return Number(match[1]) * 1024;
}

export function openFdsOf(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length;
}

/** The bytes of the files that exist among `paths` (a SQLite store: its file and its WAL). */
export function bytesOnDisk(paths: readonly string[]): number {
  let bytes = 0;
  for (const path of paths) {
    try {
      bytes += statSync(path).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return bytes;
}
