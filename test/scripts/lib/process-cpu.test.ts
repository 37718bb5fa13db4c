import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cpuSecondsOf, cpuTicksFromStat } from '../../../scripts/lib/process-cpu';

describe('process CPU from /proc/<pid>/stat', () => {
  it('adds utime and stime (fields 14 and 15), whatever the command name holds', () => {
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime …
    const stat = '4242 (node (x) y) S 1 4242 4242 0 -1 4194560 900 0 0 0 1234 56 7 8 20 0 11 0 100 0 0';
    expect(cpuTicksFromStat(stat)).toBe(1234 + 56);
  });

  it('refuses a line it cannot read', () => {
    expect(() => cpuTicksFromStat('4242 (node) S 1')).toThrow(/unreadable/);
  });

  it("counts another process's CPU, not this one's", async () => {
    // A child that spins for ~300 ms of CPU while this process waits.
    const child = spawn(process.execPath, ['-e', 'const end = process.cpuUsage().user + 300_000; while (process.cpuUsage().user < end); setTimeout(() => {}, 5_000);']);
    try {
      const before = process.cpuUsage();
      let seconds = 0;
      for (let i = 0; i < 100 && seconds < 0.3; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        seconds = cpuSecondsOf(child.pid!);
      }
      const own = process.cpuUsage(before);
      expect(seconds).toBeGreaterThanOrEqual(0.3);
      expect(seconds).toBeLessThan(2);
      // This process slept meanwhile: what was read is the child's.
      expect((own.user + own.system) / 1e6).toBeLessThan(seconds / 2);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
