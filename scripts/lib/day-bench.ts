import { parseArgs } from 'node:util';
import { numberOption } from './number-option';
import { round } from './issuance-bench';

/**
 * The pure parts of `npm run bench -- day` (scripts/bench/day.ts): its options, when each fault and
 * card check falls in the day, and the figures computed from the samples (kept here so that they
 * can be unit-tested).
 */
export interface DayBenchOptions {
  readonly issuances: number;
  readonly checks: number;
  readonly topups: number;
  /** KIOSK_PRINTER_TIME_SCALE, and the bill validator's time scale. */
  readonly scale: number;
  /** Cards confirmed and not yet out of the printer at most: the counter waits for the printer beyond that. */
  readonly queue: number;
  /** Applicants between two faults (one kind after the other). */
  readonly faultEvery: number;
  readonly seed: number;
}

export const fullDay: DayBenchOptions = { issuances: 2_000, checks: 500, topups: 5_000, scale: 0.01, queue: 3, faultEvery: 50, seed: 17 };
/** What `npm run bench` with no name runs unless `--full`: a tenth of the day (the whole takes about an hour). */
export const reducedDayArgs: readonly string[] = ['--issuances', '200', '--checks', '50', '--topups', '500'];

/** `--issuances N --checks N --topups N --scale s --queue N --fault-every N --seed n`; throws a sentence on anything else. */
export function parseDayBenchOptions(args: readonly string[]): DayBenchOptions {
  const { values } = parseArgs({
    args: [...args],
    options: {
      issuances: { type: 'string' },
      checks: { type: 'string' },
      topups: { type: 'string' },
      scale: { type: 'string' },
      queue: { type: 'string' },
      'fault-every': { type: 'string' },
      seed: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  const number = (name: keyof typeof values, fallback: number, valid: (n: number) => boolean, what: string): number => {
    const text = values[name];
    return numberOption(name, typeof text === 'string' ? text : undefined, fallback, valid, what);
  };
  const whole = (min: number, max: number) => (n: number) => Number.isInteger(n) && n >= min && n <= max;
  const d = fullDay;
  return {
    issuances: number('issuances', d.issuances, whole(1, 100_000), 'a whole number from 1 to 100000'),
    checks: number('checks', d.checks, whole(0, 100_000), 'a whole number from 0 to 100000'),
    topups: number('topups', d.topups, whole(0, 100_000), 'a whole number from 0 to 100000'),
    scale: number('scale', d.scale, (n) => n > 0 && n <= 1, 'a time scale above 0, at most 1 (1 = real time)'),
    queue: number('queue', d.queue, whole(1, 20), 'a whole number from 1 to 20'),
    faultEvery: number('fault-every', d.faultEvery, whole(2, 100_000), 'a whole number of applicants, at least 2'),
    seed: number('seed', d.seed, Number.isInteger, 'a whole number'),
  };
}

/** The faults of the day, one kind after the other. */
export const dayFaults = ['jam', 'ribbon-end', 'chip-fault', 'cable-pull'] as const;
export type DayFault = (typeof dayFaults)[number];

/**
 * Which applicant (0-based) meets which fault: one every `faultEvery`, spread evenly over the day,
 * and each kind at least once when the day has room for it (4 applicants or more, two apart).
 */
export function faultPlan(issuances: number, faultEvery: number): Map<number, DayFault> {
  const count = Math.min(Math.max(Math.floor(issuances / faultEvery), dayFaults.length), Math.floor(issuances / 2));
  const plan = new Map<number, DayFault>();
  for (let i = 0; i < count; i++) plan.set(Math.floor(((i + 0.5) * issuances) / count), dayFaults[i % dayFaults.length]!);
  return plan;
}

/** Card checks to make after applicant `index` (0-based): the day's checks spread evenly between the applicants. */
export function checksAfter(index: number, issuances: number, checks: number): number {
  const before = Math.round((checks * index) / issuances);
  return Math.round((checks * (index + 1)) / issuances) - before;
}

/** One look at the controller's process. */
export interface Sample {
  /** Work done in its phase so far (cards issued, or top-ups), out of the phase's total. */
  readonly done: number;
  readonly rssBytes: number;
  /** V8's heap after a full garbage collection. */
  readonly heapBytes: number;
  readonly fds: number;
  /** The store's file and its WAL. */
  readonly storeBytes: number;
}

export interface PhaseFigures {
  readonly rssStartMb: number;
  readonly rssEndMb: number;
  /** RSS at the end over RSS once the first 10 % of the phase's work was done (start-up and warm-up behind it). */
  readonly rssGrowth: number;
  readonly heapStartMb: number;
  readonly heapEndMb: number;
  readonly heapGrowth: number;
  readonly fdsStart: number;
  readonly fdsEnd: number;
  /** Open descriptors at the end less those once the first 10 % was done. */
  readonly fdGrowth: number;
  readonly rssMaxMb: number;
  readonly samples: number;
}

const mb = (bytes: number): number => round(bytes / 1024 / 1024, 1);

/** A phase's figures from its samples (in order; the first taken once the controller had started, the last once all was done). */
export function phaseFigures(samples: readonly Sample[], total: number): PhaseFigures {
  const first = samples[0];
  const last = samples.at(-1);
  if (!first || !last) throw new Error('no samples');
  const base = samples.find((sample) => sample.done >= total * 0.1) ?? last;
  return {
    rssStartMb: mb(first.rssBytes),
    rssEndMb: mb(last.rssBytes),
    rssGrowth: round(last.rssBytes / base.rssBytes, 3),
    heapStartMb: mb(first.heapBytes),
    heapEndMb: mb(last.heapBytes),
    heapGrowth: round(last.heapBytes / base.heapBytes, 3),
    fdsStart: first.fds,
    fdsEnd: last.fds,
    fdGrowth: last.fds - base.fds,
    rssMaxMb: mb(Math.max(...samples.map((sample) => sample.rssBytes))),
    samples: samples.length,
  };
}

/** The store's growth a thousand cards (or top-ups), in MB. */
export function storeMbPer1000(bytesBefore: number, bytesAfter: number, count: number): number {
  if (count === 0) return 0;
  return round(((bytesAfter - bytesBefore) / 1024 / 1024 / count) * 1000, 3);
}

export { mb as megabytes };
