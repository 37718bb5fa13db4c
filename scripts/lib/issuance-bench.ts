import { parseArgs } from 'node:util';
import { numberOption } from './number-option';
import { seededRandom } from '../../shared/seeded-random';

/**
 * The pure parts of `npm run bench -- issuance`: its options, the applicants' counter times, and the
 * figures computed from what the run measured (kept here so that they can be unit-tested).
 */
export interface IssuanceBenchOptions {
  readonly applicants: number;
  /** Mean counter time per applicant (application, photo, review), in real seconds: one run each. */
  readonly counterSeconds: readonly number[];
  /** KIOSK_PRINTER_TIME_SCALE; the counter time is scaled by the same factor. */
  readonly scale: number;
  readonly seed: number;
}

export const defaultIssuanceBenchOptions: IssuanceBenchOptions = { applicants: 60, counterSeconds: [10, 30, 60], scale: 0.05, seed: 13 };

/** `--applicants N --counter-seconds a,b,c --scale s --seed n`; throws a sentence on anything else. */
export function parseIssuanceBenchOptions(args: readonly string[]): IssuanceBenchOptions {
  const { values } = parseArgs({
    args: [...args],
    options: { applicants: { type: 'string' }, 'counter-seconds': { type: 'string' }, scale: { type: 'string' }, seed: { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  const d = defaultIssuanceBenchOptions;
  const counterSeconds = values['counter-seconds'] === undefined
    ? d.counterSeconds
    : values['counter-seconds'].split(',').map((part) => numberOption('counter-seconds', part, 0, (n) => n >= 0 && n <= 3600, 'seconds from 0 to 3600, comma-separated'));
  return {
    applicants: numberOption('applicants', values.applicants, d.applicants, (n) => Number.isInteger(n) && n >= 1 && n <= 1000, 'a whole number from 1 to 1000'),
    counterSeconds,
    scale: numberOption('scale', values.scale, d.scale, (n) => n > 0 && n <= 1, 'a time scale above 0, at most 1 (1 = real time)'),
    seed: numberOption('seed', values.seed, d.seed, (n) => Number.isInteger(n), 'a whole number'),
  };
}


/** How far an applicant's counter time strays from the mean: uniform within ±30 %. */
export const counterSpread = 0.3;

/** `count` counter times (seconds) drawn uniformly within ±30 % of `meanSeconds`. */
export function drawCounterSeconds(meanSeconds: number, count: number, seed: number): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => meanSeconds * (1 - counterSpread + 2 * counterSpread * random()));
}

export interface Interval {
  readonly start: number;
  readonly end: number;
}

/** The share of `window` covered by the intervals (their union, clipped to the window). */
export function busyFraction(intervals: readonly Interval[], window: Interval): number {
  const span = window.end - window.start;
  if (span <= 0) return 0;
  const clipped = intervals
    .map((i) => ({ start: Math.max(i.start, window.start), end: Math.min(i.end, window.end) }))
    .filter((i) => i.end > i.start)
    .sort((a, b) => a.start - b.start);
  let busy = 0;
  let reach = window.start;
  for (const interval of clipped) {
    const from = Math.max(interval.start, reach);
    if (interval.end > from) busy += interval.end - from;
    reach = Math.max(reach, interval.end);
  }
  return busy / span;
}

/** One job's printer occupancy from the issuance journal: `printing` (first) to `ejected`. */
export interface JournalStep {
  readonly jobId: string;
  readonly step: string;
  /** Milliseconds since the epoch. */
  readonly at: number;
}

export function printerOccupancy(steps: readonly JournalStep[]): Interval[] {
  const starts = new Map<string, number>();
  const intervals: Interval[] = [];
  for (const { jobId, step, at } of steps) {
    if (step === 'printing' && !starts.has(jobId)) starts.set(jobId, at);
    const start = starts.get(jobId);
    if (step === 'ejected' && start !== undefined) intervals.push({ start, end: at });
  }
  return intervals;
}

export interface RunFigures {
  readonly counterSeconds: number;
  readonly cardsPerHour: number;
  readonly idealCardsPerHour: number;
  readonly pipelineEfficiency: number;
  readonly printerBusyFraction: number;
}

/**
 * A run's figures in real time: `wallMs` and the busy time were measured at `scale`, so a real hour
 * is `3_600_000 × scale` ms of the run. The ideal is the slower of the two stages alone.
 */
export function runFigures(input: {
  readonly counterSeconds: number;
  readonly cards: number;
  readonly wallMs: number;
  readonly scale: number;
  readonly printerSecondsPerCard: number;
  readonly printerBusyFraction: number;
}): RunFigures {
  const realSeconds = input.wallMs / 1000 / input.scale;
  const cardsPerHour = (input.cards * 3600) / realSeconds;
  const idealCardsPerHour = 3600 / Math.max(input.counterSeconds, input.printerSecondsPerCard);
  return {
    counterSeconds: input.counterSeconds,
    cardsPerHour: round(cardsPerHour, 1),
    idealCardsPerHour: round(idealCardsPerHour, 1),
    pipelineEfficiency: round(cardsPerHour / idealCardsPerHour, 3),
    printerBusyFraction: round(input.printerBusyFraction, 3),
  };
}

export function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
