import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPtyPair, type PtyPair } from './pty-pair';

/**
 * A simulated device's USB cable: a pty pair that `pull()` closes (the host's device node goes
 * away, as when the cable is pulled) and `plug()` reopens at the same paths. `dir` holds the links
 * (a temporary folder, removed on close, by default).
 */
export interface PtyCable {
  readonly hostPath: string;
  readonly devicePath: string;
  readonly plugged: boolean;
  pull(): Promise<void>;
  plug(): Promise<void>;
  close(): Promise<void>;
}

export async function openPtyCable(ptyName: string, dir?: string): Promise<PtyCable> {
  const folder = dir ?? mkdtempSync(join(tmpdir(), `pty-${ptyName}-`));
  let pair: PtyPair | undefined = await openPtyPair(ptyName, folder);
  const { hostPath, devicePath } = pair;
  return {
    hostPath,
    devicePath,
    get plugged() {
      return pair !== undefined;
    },
    async pull() {
      await pair?.close();
      pair = undefined;
    },
    async plug() {
      pair ??= await openPtyPair(ptyName, folder);
    },
    async close() {
      await pair?.close();
      pair = undefined;
      if (!dir) rmSync(folder, { recursive: true, force: true });
    },
  };
}
