import { createInterface } from 'node:readline';
import { openPtyPair, type PtyPair } from '../../hardware/serial/pty-pair';

/**
 * The shared shell of the simulators run as processes: stop cleanly on SIGTERM/SIGINT, say `ready`,
 * then answer one command per stdin line (`ok ...` or `error: ...`) until `quit`. Without stdin
 * (started detached) the device just stays plugged in until SIGTERM.
 */
export interface CommandLoopOptions {
  /** The `ready ...` line the parent waits for. */
  readonly ready: string;
  run(command: string, args: string[]): string | Promise<string>;
  stop(): Promise<void>;
}

export async function runCommandLoop(options: CommandLoopOptions): Promise<number> {
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await options.stop();
  };
  process.once('SIGTERM', () => void stop().then(() => process.exit(0)));
  process.once('SIGINT', () => void stop().then(() => process.exit(0)));

  process.stdout.write(`${options.ready}\n`);
  let quit = false;
  for await (const line of createInterface({ input: process.stdin })) {
    const [command, ...args] = line.trim().split(/\s+/);
    if (!command) continue;
    if (command === 'quit') {
      quit = true;
      break;
    }
    try {
      process.stdout.write(`${await options.run(command, args)}\n`);
    } catch (error) {
      process.stdout.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
  if (!quit) await new Promise<never>(() => {});
  // After `quit` the parent may keep our stdin open: that handle alone would keep the process alive.
  process.stdin.destroy();
  await stop();
  return 0;
}

/** The pty end the simulator speaks on: the given device, or a new pty pair (whose host end is printed). */
export async function deviceEnd(name: string, device: string | undefined): Promise<{ devicePath: string; pair: PtyPair | undefined }> {
  if (device !== undefined) return { devicePath: device, pair: undefined };
  const pair = await openPtyPair(name);
  return { devicePath: pair.devicePath, pair };
}
