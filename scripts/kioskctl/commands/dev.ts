import { devCommandSchema, type DevCommand } from '../../../shared/contract/kiosk-api';
import { loadStoreSettings } from '../../../kiosk/controller/config';
import { readControllerFile } from '../../../kiosk/controller/controller-file';
import type { KioskctlCommand } from '../main';

/**
 * `kioskctl dev ...`: the dev panel from a terminal, acting on the running kiosk's simulated devices.
 *   kioskctl dev state
 *   kioskctl dev feed-document residentPermitTaiwan | feed-taiwan-id A123456789
 *   kioskctl dev place-card staff|supervisor|technician|citizen|first-citizen|blank|phone|demo-senior|demo-disability|demo-general|demo-hot-listed | remove-card
 *   kioskctl dev printer-fault feeder-empty|load-cards|ribbon-end|new-ribbon|cover-open|cover-close|jam|clear-jam|take-card|power-loss|power-on|garbage [step]
 *     (jam, cover-open and power-loss take a step: insert|print-front|print-back|park|eject|reject)
 *   kioskctl dev chip-fault      (the next blank at the encoder has a defective chip)
 *   kioskctl dev card-fault lift-before-wallet-write|tear-wallet-write   (the citizen card on the counter reader)
 *   kioskctl dev cable printer|scanner|board|billValidator unplug|plug
 *   kioskctl dev note 100|200|500|1000|2000 [counterfeit]   (also: insert-note <amount>)
 *     (into the cash device: the ccTalk validator when it is the kiosk's, else the board's pulse acceptor)
 *   kioskctl dev validator-fault jam-unsafe|jam-safe|jam-stacker|clear-jam|stacker-removed|stacker-inserted|stacker-full|fraud-opto|fraud-string|power-loss|garbage
 *   kioskctl dev door open|closed
 *   kioskctl dev receipt-printer-fault paper-out|paper-near-end|paper-loaded|cover-open|cover-close|cutter-jam|clear-error
 */
const usage =
  'usage: kioskctl dev state | feed-document <fixture> | feed-taiwan-id <id> | place-card <kind> | remove-card | printer-fault <fault> [step] | chip-fault | card-fault <fault> | cable printer|scanner|board|billValidator unplug|plug | note <amount> [counterfeit] | validator-fault <fault> | door open|closed | receipt-printer-fault <fault>\n';

/** The command to send, null for `state` (a read), or what is wrong with the arguments. */
function parse(args: string[]): DevCommand | null | string {
  const [type, value, extra] = args;
  const candidate: Record<string, unknown> = { type };
  switch (type) {
    case 'state':
      return args.length === 1 ? null : 'state takes no arguments';
    case 'feed-document':
      candidate['fixture'] = value;
      break;
    case 'feed-taiwan-id':
      candidate['idNumber'] = value;
      break;
    case 'place-card':
      candidate['kind'] = value;
      break;
    case 'chip-fault':
      if (args.length !== 1) return 'chip-fault takes no arguments';
      break;
    case 'card-fault':
      candidate['fault'] = value;
      break;
    case 'printer-fault':
      candidate['fault'] = value;
      if (extra !== undefined) candidate['atStep'] = extra;
      break;
    case 'cable':
      if (extra !== 'unplug' && extra !== 'plug') return 'cable takes a device and unplug or plug';
      candidate['device'] = value;
      candidate['plugged'] = extra === 'plug';
      break;
    case 'note':
    case 'insert-note':
      candidate['type'] = 'insert-note';
      candidate['amount'] = Number(value);
      if (extra !== undefined && extra !== 'counterfeit') return `${type} takes an amount and optionally 'counterfeit'`;
      if (extra === 'counterfeit') candidate['counterfeit'] = true;
      break;
    case 'validator-fault':
    case 'receipt-printer-fault':
      candidate['fault'] = value;
      break;
    case 'door':
      if (value !== 'open' && value !== 'closed') return 'door takes open or closed';
      candidate['open'] = value === 'open';
      break;
    default:
      break;
  }
  const parsed = devCommandSchema.safeParse(candidate);
  return parsed.success ? parsed.data : parsed.error.issues.map((issue) => `${issue.path.join('.') || 'command'}: ${issue.message}`).join('; ');
}

export const command: KioskctlCommand = {
  summary: 'act on the running kiosk\'s simulated devices (documents, cards, faults, cables, notes, door)',
  async run(args) {
    if (args.length === 0) {
      process.stderr.write(usage);
      return 2;
    }
    // A usage error is one whether or not a kiosk is running: check the arguments first.
    const command = parse(args);
    if (typeof command === 'string') {
      process.stderr.write(`kioskctl dev: ${command}\n${usage}`);
      return 2;
    }
    const running = readControllerFile(loadStoreSettings().dataDir);
    if (!running) {
      process.stderr.write('kioskctl dev: no kiosk is running on this data directory (start it with npm start)\n');
      return 1;
    }
    const headers = { authorization: `Bearer ${running.token}`, 'content-type': 'application/json' };
    if (command === null) {
      const response = await fetch(new URL('api/dev', running.url), { headers });
      process.stdout.write(`${JSON.stringify(await response.json(), null, 2)}\n`);
      return response.ok ? 0 : 1;
    }
    const response = await fetch(new URL('api/dev', running.url), { method: 'POST', headers, body: JSON.stringify(command) });
    const reply = (await response.json()) as { accepted?: boolean; reason?: string; error?: string };
    if (reply.accepted) {
      process.stdout.write(`ok: ${args.join(' ')}\n`);
      return 0;
    }
    process.stderr.write(`kioskctl dev: ${reply.reason ?? reply.error ?? 'refused'}\n`);
    return 1;
  },
};
