import { parseArgs } from 'node:util';
import { lineFaults, startBoardSimulator, startBoardSimulatorOnPty, type BoardSimulator, type LineFault, type NoteValue } from '../../firmware/simulator';
import { runCommandLoop } from './command-loop';

/**
 * The simulated kiosk I/O board (Arduino Uno, StandardFirmataPlus, wired to a pulse bill acceptor
 * and a door switch) as a process of its own:
 *
 *   tsx scripts/simulators/board.ts --device /tmp/x/board-device [--time-scale 1] [--name StandardFirmataPlus.ino] [--seed N]
 *   tsx scripts/simulators/board.ts [--boot-ms 2000]   (makes its own pty pair with DTR, prints the host end:
 *                                                       opening it resets the board; unplug pulls the cable)
 *
 * It prints `ready device=<path> [host=<path>]`, then takes one command per line on stdin (the dev
 * panel drives it this way) and answers one line: `ok`, a JSON object, or `error: ...`:
 *
 *   note 100|500|1000 [jitter-ms] [faults]   insert a note (answers once its pulse train is sent); faults:
 *                                            comma-separated spikes,missing-pulse,stretched-pulse
 *   door open|shut                           the tamper switch
 *   unplug | replug                          pull the USB cable (own pty) or cut the power (--device)
 *   state                                    pin modes and output values as JSON
 *   writes                                   every output change the host made, as JSON
 *   quit                                     stop (so does SIGTERM; the end of stdin does not)
 */
const notes: readonly NoteValue[] = [100, 500, 1000];

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      device: { type: 'string' },
      'time-scale': { type: 'string', default: '1' },
      name: { type: 'string' },
      seed: { type: 'string' },
      'boot-ms': { type: 'string' },
    },
  });
  const timeScale = Number(values['time-scale']);
  if (!(timeScale > 0)) {
    process.stderr.write('board simulator: --time-scale must be > 0\n');
    return 2;
  }
  const common = {
    timeScale,
    ...(values.name === undefined ? {} : { name: values.name }),
    ...(values.seed === undefined ? {} : { seed: Number(values.seed) }),
    ...(values['boot-ms'] === undefined ? {} : { bootMs: Number(values['boot-ms']) }),
  };
  const simulator: BoardSimulator & { hostPath?: string } =
    values.device === undefined ? await startBoardSimulatorOnPty(common) : await startBoardSimulator({ ...common, devicePath: values.device });

  return runCommandLoop({
    ready: `ready device=${simulator.devicePath}${simulator.hostPath ? ` host=${simulator.hostPath}` : ''}`,
    run: (command, args) => run(command, args, simulator),
    stop: () => simulator.close(),
  });
}

async function run(command: string, args: string[], simulator: BoardSimulator): Promise<string> {
  switch (command) {
    case 'note': {
      const amount = Number(args[0]);
      if (!(notes as readonly number[]).includes(amount)) throw new Error(`usage: note 100|500|1000 [jitter-ms] [${lineFaults.join(',')}]`);
      const jitterMs = args[1] === undefined ? 0 : Number(args[1]);
      if (!(jitterMs >= 0 && jitterMs <= 40)) throw new Error('jitter must be 0-40 ms');
      const faults = args[2] === undefined ? [] : args[2].split(',');
      const unknown = faults.filter((fault) => !(lineFaults as readonly string[]).includes(fault));
      if (unknown.length > 0) throw new Error(`unknown line fault ${unknown.join(', ')} (${lineFaults.join(', ')})`);
      const inserted = await simulator.insertNote(amount as NoteValue, { jitterMs, faults: faults as LineFault[] });
      return JSON.stringify(inserted);
    }
    case 'door':
      if (args[0] !== 'open' && args[0] !== 'shut') throw new Error('usage: door open|shut');
      simulator.setDoor(args[0] === 'open', { bounce: true });
      return 'ok';
    case 'unplug':
      await simulator.unplug();
      return 'ok';
    case 'replug':
      await simulator.replug();
      return 'ok';
    case 'state': {
      const pins = Array.from({ length: 20 }, (_, pin) => ({ pin, mode: simulator.pinMode(pin) ?? null, value: simulator.pinValue(pin) }));
      return JSON.stringify({ handshakes: simulator.handshakes, resets: simulator.resets, booting: simulator.booting, pins });
    }
    case 'writes':
      return JSON.stringify(simulator.pinWrites());
    default:
      throw new Error(`unknown command '${command}' (note, door, unplug, replug, state, writes, quit)`);
  }
}

process.exitCode = await main();
