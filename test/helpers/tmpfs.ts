import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmdirSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real, small filesystem (tmpfs, mounted by root as the tests run) to fill up: SQLite and the
 * kiosk meet ENOSPC from the kernel, not from a stub.
 */
export interface SmallDisk {
  readonly dir: string;
  /** Bytes free to the kiosk's user now. */
  freeBytes(): number;
  /** Writes a filler file until only `leaveBytes` are free (0: until the kernel says ENOSPC). */
  fill(leaveBytes?: number): void;
  /** Removes the filler files: the space is back. */
  unfill(): void;
  unmount(): void;
}

export function mountSmallDisk(name: string, sizeMb: number): SmallDisk {
  const dir = mkdtempSync(join(tmpdir(), `kiosk-${name}-`));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m,mode=0700`, 'tmpfs', dir]);
  let fillers = 0;
  const freeBytes = (): number => {
    const fs = statfsSync(dir);
    return fs.bavail * fs.bsize;
  };
  return {
    dir,
    freeBytes,
    fill(leaveBytes = 0) {
      fillers += 1;
      const fd = openSync(join(dir, `filler-${fillers}`), 'w');
      const chunk = Buffer.alloc(64 * 1024, 0x5a);
      try {
        for (;;) {
          const room = freeBytes() - leaveBytes;
          if (room <= 0) break;
          writeSync(fd, chunk, 0, Math.min(chunk.length, room));
        }
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      } finally {
        closeSync(fd);
      }
    },
    unfill() {
      for (let i = 1; i <= fillers; i += 1) rmSync(join(dir, `filler-${i}`), { force: true });
      fillers = 0;
    },
    unmount() {
      execFileSync('umount', ['-l', dir]);
      rmdirSync(dir);
    },
  };
}
