import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A real, small file system (tmpfs, mounted as root) that a test can fill up and free again. */
export interface SmallDisk {
  readonly dir: string;
  /** Fills every byte left with one file. */
  fill(): void;
  /** Removes that file. */
  free(): void;
  unmount(): void;
}

export const smallDiskBytes = 256 * 1024;

export function mountSmallDisk(name: string, bytes = smallDiskBytes): SmallDisk {
  const dir = mkdtempSync(join(tmpdir(), `${name}-`));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', dir]);
  const filler = join(dir, 'filler');
  return {
    dir,
    fill() {
      const fd = openSync(filler, 'a');
      const block = Buffer.alloc(64 * 1024);
      try {
        for (;;) writeSync(fd, block);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      } finally {
        closeSync(fd);
      }
    },
    free() {
      rmSync(filler, { force: true });
    },
    unmount() {
      // Lazily: a file a test left open must not make the unmount (and so the test) fail.
      execFileSync('umount', ['--lazy', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
