import { parseArgs } from 'node:util';
import { validatorFaults } from '../../shared/contract/kiosk-api';
import { startBillValidatorSimulator, type BillValidatorSimulator, type ValidatorFault } from '../../hardware/bill-validator/simulator';
import { deviceEnd, runCommandLoop } from './command-loop';

/**
 * The simulated ccTalk bill validator as a process of its own, on the device end of a pty:
 *
 *   tsx scripts/simulators/bill-validator.ts --device /tmp/x/validator-device [--time-scale 1] [--no-echo]
 *   tsx scripts/simulators/bill-validator.ts            (makes its own pty pair and prints the host end)
 *
 * It prints `ready device=<path> [host=<path>]`, then takes one command per line on stdin and answers
 * with a line:
 *
 *   note <value>             insert a note (100, 200, 500, 1000, 2000): `escrow`, `stacked`, `refused <status>`, `not-taken <why>`
 *   counterfeit <value>      insert a counterfeit of that value (refused: invalid-validation)
 *   fault <kind> [offMs]     jam-unsafe, jam-safe, jam-stacker, clear-jam, stacker-removed, stacker-inserted,
 *                            stacker-full, fraud-opto, fraud-string, power-loss [offMs], garbage [bytes]
 *   echo on|off              the one-wire echo (off = a broken bus)
 *   state                    the validator's state as JSON
 *   quit                     stop (so does SIGTERM)
 */

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { device: { type: 'string' }, 'time-scale': { type: 'string', default: '1' }, 'no-echo': { type: 'boolean', default: false } } });
  const timeScale = Number(values['time-scale']);
  if (!(timeScale > 0)) {
    process.stderr.write('bill-validator simulator: --time-scale must be a positive number\n');
    return 2;
  }
  const { devicePath, pair } = await deviceEnd('validator', values.device);
  const simulator = await startBillValidatorSimulator({ devicePath, timeScale, echo: !values['no-echo'] });
  return runCommandLoop({
    ready: `ready device=${devicePath}${pair ? ` host=${pair.hostPath}` : ''}`,
    run: (command, args) => run(command, args, simulator),
    stop: async () => {
      await simulator.close();
      await pair?.close();
    },
  });
}

async function run(command: string, args: string[], simulator: BillValidatorSimulator): Promise<string> {
  switch (command) {
    case 'note':
    case 'counterfeit': {
      const value = Number(args[0]);
      if (!Number.isInteger(value) || value <= 0) throw new Error(`${command} takes a note value, e.g. ${command} 500`);
      const outcome = await simulator.insertNote(value, { counterfeit: command === 'counterfeit' });
      switch (outcome.kind) {
        case 'escrow':
        case 'stacked':
          return `${outcome.kind} type ${outcome.billType}`;
        case 'refused':
          return `refused ${outcome.status}`;
        case 'not-taken':
          return `not-taken ${outcome.reason}`;
      }
      return 'ok';
    }
    case 'fault':
      simulator.injectFault(parseFault(args));
      return 'ok';
    case 'echo':
      if (args[0] !== 'on' && args[0] !== 'off') throw new Error('echo on|off');
      simulator.setEcho(args[0] === 'on');
      return 'ok';
    case 'state':
      return JSON.stringify(simulator.state());
    default:
      throw new Error(`unknown command '${command}'`);
  }
}

function parseFault(args: string[]): ValidatorFault {
  const kind = validatorFaults.find((name) => name === args[0]);
  if (!kind) throw new Error(`unknown fault '${args[0] ?? ''}' (${validatorFaults.join(', ')})`);
  const amount = args[1] === undefined ? undefined : Number(args[1]);
  if (amount !== undefined && !(amount >= 0)) throw new Error(`'${args[1]}' is not a number`);
  if (kind === 'power-loss') return amount === undefined ? { kind } : { kind, offMs: amount };
  if (kind === 'garbage') return amount === undefined ? { kind } : { kind, bytes: Math.min(amount, 4096) };
  return { kind };
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bill-validator simulator: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
