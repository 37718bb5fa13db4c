import { parseArgs } from 'node:util';
import { numberOption } from '../lib/number-option';

export interface ChaosOptions {
  readonly runs: number;
  readonly seed: number;
  /** KIOSK_PRINTER_TIME_SCALE of the counter kiosk's printer. */
  readonly scale: number;
  /** A run's controller is killed at a random moment within this many ms of its work starting. */
  readonly maxKillMs: number;
  /** Keep the data directories afterwards (they are kept anyway when an invariant breaks). */
  readonly keep: boolean;
  /** Which kiosk the runs pick: either at random (0.65 the counter), or only one. */
  readonly kiosks: 'both' | 'counter' | 'top-up';
}

export const defaultChaosOptions = { runs: 20, scale: 0.05, maxKillMs: 15_000 } as const;

function kioskChoice(text: string | undefined): ChaosOptions['kiosks'] {
  if (text === undefined || text === 'both' || text === 'counter' || text === 'top-up') return text ?? 'both';
  throw new Error(`--kiosk '${text}': both, counter or top-up`);
}

/** `--runs N [--seed S] [--scale s] [--max-kill-ms ms] [--kiosk both|counter|top-up] [--keep]`; throws a sentence on anything else. */
export function parseChaosOptions(args: readonly string[], randomSeed: () => number = () => Math.floor(Math.random() * 2 ** 31)): ChaosOptions {
  const { values } = parseArgs({
    args: [...args],
    options: { runs: { type: 'string' }, seed: { type: 'string' }, scale: { type: 'string' }, 'max-kill-ms': { type: 'string' }, keep: { type: 'boolean' }, kiosk: { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  const whole = (min: number, max: number) => (n: number) => Number.isInteger(n) && n >= min && n <= max;
  return {
    runs: numberOption('runs', values.runs, defaultChaosOptions.runs, whole(1, 100_000), 'a whole number from 1 to 100000'),
    seed: numberOption('seed', values.seed, randomSeed(), whole(0, 2 ** 32 - 1), 'a whole number from 0 to 4294967295'),
    scale: numberOption('scale', values.scale, defaultChaosOptions.scale, (n) => n > 0 && n <= 1, 'a time scale above 0, at most 1 (1 = real time)'),
    maxKillMs: numberOption('max-kill-ms', values['max-kill-ms'], defaultChaosOptions.maxKillMs, whole(100, 600_000), 'milliseconds from 100 to 600000'),
    keep: values.keep ?? false,
    kiosks: kioskChoice(values.kiosk),
  };
}
