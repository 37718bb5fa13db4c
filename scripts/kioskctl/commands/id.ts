import { checkTaiwanId } from '../../../shared/identity';
import type { KioskctlCommand } from '../main';

const usage = 'usage: kioskctl id check <number>\n';

/** `kioskctl id check <number>`: JSON on stdout; exit 0 valid, 1 invalid, 2 usage error. */
export const command: KioskctlCommand = {
  summary: 'check a Taiwan national ID or resident (ARC/UI) number',
  async run(args) {
    const [action, number, ...extra] = args;
    if (action !== 'check' || number === undefined || extra.length > 0) {
      process.stderr.write(usage);
      return 2;
    }
    const result = checkTaiwanId(number);
    const output = { valid: result.valid, kind: result.kind, sex: result.sex, error: result.valid ? null : result.error.message };
    process.stdout.write(`${JSON.stringify(output)}\n`);
    return result.valid ? 0 : 1;
  },
};
