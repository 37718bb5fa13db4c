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

/** Where a simulator that owns its cable puts it: the pty's name and the folder of its links. */
export interface PtyCableOptions {
  readonly ptyName?: string;
  readonly dir?: string;
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

/** A simulated device's own end of the cable: its serial port, opened on and closed from the device path. */
export interface CableEnd {
  attach(devicePath: string): Promise<void>;
  detach(): Promise<void>;
}

/** What a simulator on a pty cable adds: the host's path, and pulling and plugging the cable. */
export interface CableControls {
  /** Where the driver connects; the same path again after a replug. */
  readonly hostPath: string;
  readonly plugged: boolean;
  /** Pulls the cable: the host's device node disappears. */
  unplug(): Promise<void>;
  /** Plugs the cable back: the device node comes back at the same path. */
  replug(): Promise<void>;
}

/**
 * Attaches `end` to the cable (closing the cable if that fails) and returns the simulator `make`
 * builds, with the cable's controls; the simulator's close also closes the cable.
 */
export async function plugInto<T extends object>(
  cable: PtyCable,
  end: CableEnd,
  make: (close: () => Promise<void>) => T,
): Promise<T & CableControls> {
  try {
    await end.attach(cable.devicePath);
  } catch (error) {
    await cable.close();
    throw error;
  }
  return {
    ...make(async () => {
      await end.detach();
      await cable.close();
    }),
    hostPath: cable.hostPath,
    get plugged() {
      return cable.plugged;
    },
    async unplug() {
      if (!cable.plugged) return;
      await end.detach();
      await cable.pull();
    },
    async replug() {
      if (cable.plugged) return;
      await cable.plug();
      await end.attach(cable.devicePath);
    },
  };
}
