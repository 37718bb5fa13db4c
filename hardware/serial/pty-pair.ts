import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProcess, waitFor, type ManagedProcess } from '../host/child-processes';

/**
 * A pair of connected pseudo-terminals made by socat: whatever is written to `devicePath`
 * comes out of `hostPath` and back. The simulator opens `devicePath`, the driver `hostPath`,
 * exactly as it would open /dev/ttyUSB0 in the field.
 */
export interface PtyPair {
  readonly hostPath: string;
  readonly devicePath: string;
  /** Closes both ends, as if the cable were pulled. */
  close(): Promise<void>;
}

export async function openPtyPair(name = 'dev', dir?: string): Promise<PtyPair> {
  const folder = dir ?? mkdtempSync(join(tmpdir(), `pty-${name}-`));
  const hostPath = join(folder, `${name}-host`);
  const devicePath = join(folder, `${name}-device`);
  const socat: ManagedProcess = startProcess('socat', [
    `pty,raw,echo=0,link=${hostPath}`,
    `pty,raw,echo=0,link=${devicePath}`,
  ]);
  await waitFor(
    () => existsSync(hostPath) && existsSync(devicePath),
    5000,
    `socat did not create ${hostPath} and ${devicePath}: ${socat.output() || 'is socat installed? run scripts/setup.sh'}`,
  );
  return {
    hostPath,
    devicePath,
    async close() {
      await socat.stop();
      if (!dir) rmSync(folder, { recursive: true, force: true });
    },
  };
}
