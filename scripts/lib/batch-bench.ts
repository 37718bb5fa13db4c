import { parseArgs } from 'node:util';
import { numberOption } from './number-option';
import { taiwanIdCheckDigit } from '../../shared/identity/taiwan-id';
import { round, type Interval } from './issuance-bench';

/**
 * The pure parts of `npm run bench -- batch`: its options, the pre-registered applicants' list (a
 * batch CSV in the README's columns), and the figures computed from what the run measured.
 */
export interface BatchBenchOptions {
  readonly applicants: number;
  /** KIOSK_PRINTER_TIME_SCALE. */
  readonly scale: number;
}

export const defaultBatchBenchOptions: BatchBenchOptions = { applicants: 50, scale: 0.05 };

/** `--applicants N --scale s`; throws a sentence on anything else. */
export function parseBatchBenchOptions(args: readonly string[]): BatchBenchOptions {
  const { values } = parseArgs({ args: [...args], options: { applicants: { type: 'string' }, scale: { type: 'string' } }, strict: true, allowPositionals: false });
  const d = defaultBatchBenchOptions;
  return {
    applicants: numberOption('applicants', values.applicants, d.applicants, (n) => Number.isInteger(n) && n >= 1 && n <= 1000, 'a whole number from 1 to 1000'),
    scale: numberOption('scale', values.scale, d.scale, (n) => n > 0 && n <= 1, 'a time scale above 0, at most 1 (1 = real time)'),
  };
}

const surnames = ['陳', '林', '黃', '張', '李', '王', '吳', '劉', '蔡', '楊'];
const givenNames = ['秀英', '志明', '美玲', '建國', '淑芬', '金水', '玉蘭', '俊傑', '麗華', '文雄'];
const districts = ['中壢區', '平鎮區', '桃園區', '八德區', '龜山區'];

/** A national ID number (H, Taoyuan) for applicant `serial`: the sex digit alternates, the check digit is right. */
export function benchIdNumber(serial: number): string {
  const firstNine = `H${serial % 2 === 1 ? 1 : 2}${String(serial).padStart(7, '0')}`;
  const check = taiwanIdCheckDigit(firstNine);
  if (check === null) throw new Error(`bench batch: no check digit for ${firstNine}`);
  return `${firstNine}${check}`;
}

/**
 * A list of `count` applications made online beforehand (applicants `firstSerial`, `firstSerial + 1`, …),
 * as a batch CSV: two in three a senior card for someone born 1940–1954 (the ROC year, as clerks
 * type it), the third a general card for an adult (ISO date); EasyCard and iPASS in turn; Taoyuan
 * districts. The room column holds the online application's number, so the list keeps their order.
 */
export function preRegisteredBatchCsv(firstSerial: number, count: number): string {
  const header = 'room,name_zh,name,id_number,birth_date,district,card_type,scheme,replacement_cause,disability_certificate,indigenous,bedridden,guardian_name,guardian_id_number,guardian_relation';
  const rows = Array.from({ length: count }, (_, i) => {
    const serial = firstSerial + i;
    const month = String((serial % 12) + 1).padStart(2, '0');
    const day = String((serial % 28) + 1).padStart(2, '0');
    const senior = serial % 3 !== 0;
    const birthDate = senior ? `${String(1940 + (serial % 15) - 1911).padStart(3, '0')}/${month}/${day}` : `${1970 + (serial % 30)}-${month}-${day}`;
    return [
      `W${String(serial).padStart(4, '0')}`,
      `${surnames[serial % surnames.length]}${givenNames[Math.floor(serial / surnames.length) % givenNames.length]}`,
      '',
      benchIdNumber(serial),
      birthDate,
      districts[serial % districts.length],
      senior ? 'senior' : 'general',
      serial % 2 === 0 ? 'easycard' : 'ipass',
      '', 'none', 'no', 'no', '', '', '',
    ].join(',');
  });
  return `${[header, ...rows].join('\n')}\n`;
}

export interface BatchFigures {
  readonly cards: number;
  readonly cardsPerHour: number;
  /** The printer's whole occupancy for one card measured alone, in real seconds. */
  readonly printerSecondsPerCard: number;
  /** `cardsPerHour × printerSecondsPerCard / 3600`: 1 when the printer never waits for the software. */
  readonly printerUtilisation: number;
}

/**
 * The batch's figures in real time: `wallMs` (first pick to last card out) was measured at `scale`,
 * so a real hour is `3_600_000 × scale` ms of the run.
 */
export function batchFigures(input: { readonly cards: number; readonly wallMs: number; readonly scale: number; readonly printerSecondsPerCard: number }): BatchFigures {
  const realSeconds = input.wallMs / 1000 / input.scale;
  const cardsPerHour = (input.cards * 3600) / realSeconds;
  return {
    cards: input.cards,
    cardsPerHour: round(cardsPerHour, 1),
    printerSecondsPerCard: round(input.printerSecondsPerCard, 2),
    printerUtilisation: round((cardsPerHour * input.printerSecondsPerCard) / 3600, 3),
  };
}

/** Where the printer stood idle within a run: before its first card, and between cards (ms, at the run's scale). */
export function printerIdle(intervals: readonly Interval[], start: number): { readonly beforeFirstMs: number; readonly betweenCardsMs: number } {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  if (sorted.length === 0) return { beforeFirstMs: 0, betweenCardsMs: 0 };
  let reach = sorted[0]!.end;
  let between = 0;
  for (const interval of sorted.slice(1)) {
    if (interval.start > reach) between += interval.start - reach;
    reach = Math.max(reach, interval.end);
  }
  return { beforeFirstMs: Math.max(0, sorted[0]!.start - start), betweenCardsMs: between };
}
