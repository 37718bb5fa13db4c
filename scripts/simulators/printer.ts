import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startPrinterSimulator, type PrinterFault, type PrinterSimulator, type SimulatorStep } from '../../hardware/printer/simulator';
import { deviceEnd, runCommandLoop } from './command-loop';

/**
 * The simulated Evolis card printer as a process of its own, on the device end of a pty:
 *
 *   tsx scripts/simulators/printer.ts --device /tmp/x/printer-device [--time-scale 0.1] [--cards 100]
 *        [--ribbon-prints 300] [--firmware current|guide-2004] [--model kiosk|primacy] [--cr]
 *   tsx scripts/simulators/printer.ts            (makes its own pty pair and prints the host end)
 *
 * It prints `ready device=<path> [host=<path>]`, then takes one command per line on stdin (the dev
 * panel and tests drive it this way) and answers one line: `ok`, a JSON object, or `error: ...`:
 *
 *   fault feeder-empty | load-cards <n> | ribbon-end | new-ribbon <n> | cover-open [step] | cover-close
 *         | jam <step> | clear-jam | take-card | power-loss [step] | power-on | garbage [count]
 *         (steps: insert, print-front, print-back, park, eject, reject)
 *   state                    the printer's state as JSON (feeder, ribbon, cover, card position, counters)
 *   cards                    the printed cards as JSON (without images)
 *   save <dir>               write each printed side as <dir>/card-<n>-front.png / -back.png
 *   quit                     stop (so does SIGTERM; the end of stdin does not, so it can run detached)
 */
const steps: readonly SimulatorStep[] = ['insert', 'print-front', 'print-back', 'park', 'eject', 'reject'];
const maxGarbageBytes = 4096;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      device: { type: 'string' },
      'time-scale': { type: 'string', default: '1' },
      cards: { type: 'string', default: '100' },
      'ribbon-prints': { type: 'string', default: '300' },
      firmware: { type: 'string', default: 'current' },
      model: { type: 'string', default: 'kiosk' },
      cr: { type: 'boolean', default: false },
    },
  });
  const timeScale = Number(values['time-scale']);
  const cards = Number(values.cards);
  const ribbonPrints = Number(values['ribbon-prints']);
  if (!(timeScale > 0) || !Number.isInteger(cards) || cards < 0 || !Number.isInteger(ribbonPrints) || ribbonPrints < 0) {
    process.stderr.write('printer simulator: --time-scale must be > 0, --cards and --ribbon-prints whole numbers\n');
    return 2;
  }
  if ((values.firmware !== 'current' && values.firmware !== 'guide-2004') || (values.model !== 'kiosk' && values.model !== 'primacy')) {
    process.stderr.write('printer simulator: --firmware current|guide-2004, --model kiosk|primacy\n');
    return 2;
  }
  const { devicePath, pair } = await deviceEnd('printer', values.device);
  const simulator = await startPrinterSimulator({
    devicePath,
    timeScale,
    cards,
    ribbonPrints,
    firmware: values.firmware,
    model: values.model,
    replyTerminator: values.cr ? '\r' : '',
  });
  return runCommandLoop({
    ready: `ready device=${devicePath}${pair ? ` host=${pair.hostPath}` : ''}`,
    run: (command, args) => run(command, args, simulator),
    stop: async () => {
      await simulator.close();
      await pair?.close();
    },
  });
}

function run(command: string, args: string[], simulator: PrinterSimulator): string {
  switch (command) {
    case 'fault':
      simulator.injectFault(parseFault(args));
      return 'ok';
    case 'state':
      return JSON.stringify(simulator.state());
    case 'cards':
      // The facts only: the images are decoded when asked for (`save`).
      return JSON.stringify(
        simulator.printedCards().map(({ index, frontPanels, backPanels, ribbon, overlayCoverage, chipAreaClear, disposition, simulatedMs }) => ({
          index, frontPanels, backPanels, ribbon, overlayCoverage, chipAreaClear, disposition, simulatedMs,
        })),
      );
    case 'save': {
      const dir = args[0];
      if (!dir) throw new Error('usage: save <dir>');
      mkdirSync(dir, { recursive: true });
      let files = 0;
      // Only the last cards printed keep their images.
      for (const card of simulator.printedCards()) {
        const { front, back } = card;
        if (front) {
          writeFileSync(join(dir, `card-${card.index}-front.png`), front);
          files++;
        }
        if (back) {
          writeFileSync(join(dir, `card-${card.index}-back.png`), back);
          files++;
        }
      }
      return JSON.stringify({ files });
    }
    default:
      throw new Error(`unknown command '${command}' (fault, state, cards, save, quit)`);
  }
}

function parseFault(args: string[]): PrinterFault {
  const [kind, arg] = args;
  const step = (value: string | undefined): SimulatorStep | undefined => {
    if (value === undefined) return undefined;
    if (!(steps as readonly string[]).includes(value)) throw new Error(`unknown step '${value}' (${steps.join(', ')})`);
    return value as SimulatorStep;
  };
  const count = (value: string | undefined, max: number): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > max) throw new Error(`expected a whole number up to ${max}, got '${value ?? ''}'`);
    return n;
  };
  switch (kind) {
    case 'feeder-empty':
    case 'ribbon-end':
    case 'cover-close':
    case 'clear-jam':
    case 'take-card':
    case 'power-on':
      return { kind };
    case 'load-cards':
      return { kind, count: count(arg, 10_000) };
    case 'new-ribbon':
      return { kind, prints: count(arg, 10_000) };
    case 'cover-open':
    case 'power-loss': {
      const at = step(arg);
      return at ? { kind, atStep: at } : { kind };
    }
    case 'jam': {
      const at = step(arg);
      if (!at) throw new Error('usage: fault jam <step>');
      return { kind, atStep: at };
    }
    case 'garbage':
      return { kind, bytes: arg === undefined ? 16 : count(arg, maxGarbageBytes) };
    default:
      throw new Error(`unknown fault '${kind ?? ''}'`);
  }
}

process.exitCode = await main();
