import { parseArgs } from 'node:util';
import { fixtureDocuments, type FixtureName } from '../../hardware/id-scanner/fixtures';
import { startIdScannerSimulator } from '../../hardware/id-scanner/simulator';
import type { ScanMode } from '../../hardware/id-scanner/types';
import { deviceEnd, runCommandLoop } from './command-loop';

/**
 * The simulated ID scanner as a process of its own, on the device end of a pty:
 *
 *   tsx scripts/simulators/id-scanner.ts --device /tmp/x/scanner-device [--mode rte|desko|plain]
 *   tsx scripts/simulators/id-scanner.ts            (makes its own pty pair and prints the host end)
 *
 * It prints `ready device=<path> [host=<path>] mode=<mode>`, then takes one command per line on stdin
 * (the dev panel and tests drive it this way) and answers `ok` or `error: ...`:
 *
 *   feed <fixture> [mode]    lay a fixture document on the glass (`list` shows the names)
 *   barcode <id> [mode]      scan a Taiwan ID card barcode (keyboard mode unless a mode is given)
 *   raw <hex>                send these bytes as they are (bad frames, half documents)
 *   noise <count> [any]      send <count> bytes of line noise: never a frame start, CR or text, or with
 *                            `any` bytes of any value, as interference gives (they may open a frame)
 *   list                     the fixture names
 *   quit                     stop (so does SIGTERM; the end of stdin does not, so it can run detached)
 */
const modes: readonly ScanMode[] = ['rte', 'desko', 'plain'];
const maxNoiseBytes = 4096;

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { device: { type: 'string' }, mode: { type: 'string', default: 'rte' } } });
  const mode = parseMode(values.mode);
  if (mode === null) {
    process.stderr.write(`id-scanner simulator: --mode must be one of ${modes.join(', ')}\n`);
    return 2;
  }
  const { devicePath, pair } = await deviceEnd('scanner', values.device);
  const simulator = await startIdScannerSimulator({ devicePath, mode });
  return runCommandLoop({
    ready: `ready device=${devicePath}${pair ? ` host=${pair.hostPath}` : ''} mode=${mode}`,
    run: (command, args) => run(command, args, simulator),
    stop: async () => {
      await simulator.close();
      await pair?.close();
    },
  });
}

async function run(command: string, args: string[], simulator: Awaited<ReturnType<typeof startIdScannerSimulator>>): Promise<string> {
  const modeArg = (value: string | undefined): ScanMode | undefined => {
    if (value === undefined) return undefined;
    const mode = parseMode(value);
    if (mode === null) throw new Error(`unknown mode '${value}' (${modes.join(', ')})`);
    return mode;
  };
  switch (command) {
    case 'list':
      return Object.entries(fixtureDocuments)
        .map(([name, fixture]) => `${name}: ${fixture.description}`)
        .join('\n');
    case 'feed': {
      const name = args[0] ?? '';
      if (!isFixtureName(name)) throw new Error(`unknown fixture '${name}' (try 'list')`);
      const mode = modeArg(args[1]);
      await simulator.feed(fixtureDocuments[name], mode === undefined ? {} : { mode });
      return 'ok';
    }
    case 'barcode': {
      const mode = modeArg(args[1]);
      await simulator.feedTaiwanIdBarcode(args[0] ?? '', mode === undefined ? {} : { mode });
      return 'ok';
    }
    case 'raw': {
      const hex = args.join('');
      if (!/^([0-9a-fA-F]{2})+$/.test(hex)) throw new Error('raw takes hex bytes, e.g. raw 01 66 00');
      await simulator.feedRaw(Buffer.from(hex, 'hex'));
      return 'ok';
    }
    case 'noise': {
      const count = Math.min(Number(args[0] ?? '16') || 16, maxNoiseBytes);
      if (args[1] !== undefined && args[1] !== 'any') throw new Error(`noise takes a count and 'any', got '${args[1]}'`);
      // Bytes that can start nothing (high bytes), or any byte at all.
      const base = args[1] === 'any' ? 0 : 0x80;
      const noise = Uint8Array.from({ length: count }, () => base + Math.floor(Math.random() * (0x100 - base)));
      await simulator.feedRaw(noise);
      return 'ok';
    }
    default:
      throw new Error(`unknown command '${command}'`);
  }
}

function parseMode(value: string | undefined): ScanMode | null {
  return modes.find((mode) => mode === value) ?? null;
}

function isFixtureName(name: string): name is FixtureName {
  return Object.hasOwn(fixtureDocuments, name);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`id-scanner simulator: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
