import { parseArgs } from 'node:util';
import { receiptQrCodes, receiptText, startReceiptPrinterSimulator, type ReceiptPrinterFault } from '../../hardware/receipt-printer/simulator';
import { deviceEnd, runCommandLoop } from './command-loop';

/**
 * The simulated ESC/POS receipt printer as a process of its own, on the device end of a pty:
 *
 *   tsx scripts/simulators/receipt-printer.ts --device /tmp/x/receipt-device [--paper-lines 200]
 *   tsx scripts/simulators/receipt-printer.ts      (makes its own pty pair and prints the host end)
 *
 * It prints `ready device=<path> [host=<path>]` and each receipt as it is cut (`receipt <n>`, its text
 * lines indented, `qr <data>` for each QR code, `cut <how>`), then takes one command per line on stdin:
 *
 *   fault paper-out|paper-near-end|paper-loaded|cover-open|cover-close|cutter-jam|clear-error|power-off|power-on
 *   state          paper, cover, online, receipts printed, bytes dropped
 *   errors         the protocol errors so far (unknown sequences, bad parameters)
 *   quit           stop (so does SIGTERM)
 */
const faults: readonly ReceiptPrinterFault['kind'][] = ['paper-out', 'paper-near-end', 'paper-loaded', 'cover-open', 'cover-close', 'cutter-jam', 'clear-error', 'power-off', 'power-on'];

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { device: { type: 'string' }, 'paper-lines': { type: 'string' } } });
  const paperLines = values['paper-lines'] === undefined ? undefined : Number(values['paper-lines']);
  if (paperLines !== undefined && !(Number.isInteger(paperLines) && paperLines > 0)) {
    process.stderr.write('receipt-printer simulator: --paper-lines must be a whole number above 0\n');
    return 2;
  }
  const { devicePath, pair } = await deviceEnd('receipt-printer', values.device);
  const simulator = await startReceiptPrinterSimulator({ devicePath, ...(paperLines === undefined ? {} : { paperLines }) });
  simulator.onReceipt((receipt) => {
    const number = simulator.receipts().length;
    const lines = [`receipt ${number}`, ...receiptText(receipt).map((line) => `  ${line}`), ...receiptQrCodes(receipt).map((data) => `qr ${data}`), `cut ${receipt.cut ?? 'none (paper ran out)'}`];
    process.stdout.write(`${lines.join('\n')}\n`);
  });
  return runCommandLoop({
    ready: `ready device=${devicePath}${pair ? ` host=${pair.hostPath}` : ''}`,
    run: (command, args) => {
      switch (command) {
        case 'fault': {
          const kind = faults.find((fault) => fault === args[0]);
          if (!kind) throw new Error(`unknown fault '${args[0] ?? ''}' (${faults.join(', ')})`);
          simulator.injectFault({ kind } as ReceiptPrinterFault);
          return 'ok';
        }
        case 'state':
          return `ok ${JSON.stringify(simulator.state())}`;
        case 'errors':
          return `ok ${JSON.stringify(simulator.protocolErrors())}`;
        default:
          throw new Error(`unknown command '${command}' (fault, state, errors, quit)`);
      }
    },
    stop: async () => {
      await simulator.close();
      await pair?.close();
    },
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`receipt-printer simulator: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
