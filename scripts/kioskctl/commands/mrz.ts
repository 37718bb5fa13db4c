import { parseIsoDate } from '../../../shared/domain';
import { parseMrz } from '../../../shared/identity';
import type { KioskctlCommand } from '../main';

const usage = 'usage: kioskctl mrz parse [--reference-date YYYY-MM-DD] < mrz.txt\n';

/** The kiosks work in Taiwan's calendar: "today" is the date in Taipei. */
const timeZone = 'Asia/Taipei';

/** `kioskctl mrz parse`: MRZ lines on stdin, JSON on stdout; exit 0 valid, 1 invalid, 2 usage error. */
export const command: KioskctlCommand = {
  summary: 'parse an ICAO 9303 MRZ (TD1, TD2, TD3) from stdin and check every check digit',
  async run(args) {
    const [action, ...options] = args;
    const reference = action === 'parse' ? referenceDate(options) : null;
    if (reference === null) {
      process.stderr.write(usage);
      return 2;
    }
    if (process.stdin.isTTY) {
      process.stderr.write(`kioskctl mrz parse: pipe the MRZ lines into stdin\n${usage}`);
      return 2;
    }
    const text = await readStdin();
    if (text.trim() === '') {
      process.stderr.write(`kioskctl mrz parse: no MRZ lines on stdin\n${usage}`);
      return 2;
    }
    const result = parseMrz(text, { referenceDate: reference });
    const output = {
      valid: result.valid,
      format: result.format,
      ...result.fields,
      checks: result.checks,
      errors: result.errors,
      suggestions: result.suggestions,
    };
    process.stdout.write(`${JSON.stringify(output)}\n`);
    return result.valid ? 0 : 1;
  },
};

function referenceDate(options: readonly string[]): string | null {
  if (options.length === 0) return new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date());
  const [flag, value, ...extra] = options;
  if (flag !== '--reference-date' || value === undefined || extra.length > 0 || parseIsoDate(value) === null) return null;
  return value;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
