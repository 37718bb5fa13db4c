import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * While the controller runs, `<dataDir>/controller.json` (0600) says where it listens and with
 * which token, so that `kioskctl` on the same machine can ask it about its devices.
 */
export interface ControllerFile {
  readonly pid: number;
  readonly url: string;
  readonly token: string;
}

export const controllerFilePath = (dataDir: string): string => join(dataDir, 'controller.json');

export function writeControllerFile(dataDir: string, content: ControllerFile): void {
  writeFileSync(controllerFilePath(dataDir), JSON.stringify(content), { mode: 0o600 });
}

export function removeControllerFile(dataDir: string): void {
  rmSync(controllerFilePath(dataDir), { force: true });
}

/** The running controller's file, or null when none runs (a stale file from a crash is ignored). */
export function readControllerFile(dataDir: string): ControllerFile | null {
  const path = controllerFilePath(dataDir);
  if (!existsSync(path)) return null;
  try {
    const content = JSON.parse(readFileSync(path, 'utf8')) as ControllerFile;
    return isAlive(content.pid) ? content : null;
  } catch {
    return null;
  }
}

/** A killed process may linger as a zombie until it is reaped: that is not a running controller. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc: trust kill(0)
  }
}
