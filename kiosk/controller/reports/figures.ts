import type {
  CardFigures, FeeFigures, PeriodFigures, ReportStage, SchemeLedger, SessionFigures, SpoilageFigures, StageFigures,
} from '../../../shared/contract/report-figures';
import { reportStages } from '../../../shared/contract/report-figures';
import { cardTypes, transitSchemes, type CardType, type TransitScheme } from '../../../shared/domain/card-types';
import { loadReasons, spoilReasons, stockOf, type LoadReason, type SpoilReason, type StockMovement, type VoidSpoilReason } from '../../../shared/domain/service-session';
import type { CalendarDate } from '../../../shared/domain/calendar-date';
import type { CardRow, JournalRow, MovementRow, PeriodReportRows, SessionReportRows } from '../store/report-rows';
import { localDayOf, localDaysBetween, localHourOf, localHoursBetween } from './local-time';

/**
 * The figures of a session or a period, from the store's rows (pure: the same rows, the same figures).
 * Counts and card numbers only: the rows carry nothing personal and nothing here adds any.
 */

/**
 * Where each stage of an applicant's time starts and ends in the job journal: the first of `from` found
 * (the counter runs from the application's start, or from its job's begin when the confirm did not say).
 * A stage that was tried again (a card reprinted after a chip failure) is measured on its last attempt;
 * the queue wait runs to the first print.
 */
interface StageMarks {
  readonly from: readonly string[];
  readonly to: string;
  readonly attempt: 'first' | 'last';
}
const stageMarks: Readonly<Record<ReportStage, StageMarks>> = {
  counter: { from: ['application-started', 'begun'], to: 'queued', attempt: 'first' },
  queue: { from: ['queued'], to: 'printing', attempt: 'first' },
  print: { from: ['printing'], to: 'printed', attempt: 'last' },
  encode: { from: ['encoding'], to: 'verified', attempt: 'last' },
};

export function sessionFigures(rows: SessionReportRows): SessionFigures {
  const movements = rows.movements.map(toStockMovement);
  const stock = stockOf(movements);
  const counted = new Map(rows.counts.map((count) => [count.scheme, count]));
  const ledgerOf = (scheme: TransitScheme): SchemeLedger => {
    const line = stock[scheme];
    const count = counted.get(scheme);
    return {
      loaded: line.loaded,
      issued: line.issued,
      spoiled: line.spoiled,
      returned: line.returned,
      left: line.inHand,
      counted: count?.counted ?? null,
      discrepancy: count ? count.counted - count.expected : null,
    };
  };
  const ledger = { easycard: ledgerOf('easycard'), ipass: ledgerOf('ipass') };
  const kept = rows.cards.filter((card) => card.status !== 'void');
  const lastInstant = rows.session.closedAt ?? rows.cards.at(-1)?.issuedAt ?? rows.session.openedAt;
  return {
    kind: 'session',
    session: { ...rows.session },
    cards: cardFigures(rows.cards),
    perHour: localHoursBetween(rows.session.openedAt, lastInstant).map((hour) => {
      const inHour = kept.filter((card) => localHourOf(card.issuedAt) === hour);
      const byScheme = perScheme(inHour);
      return { hour, byScheme, total: inHour.length };
    }),
    stages: stageFigures(rows.journal),
    spoilage: { total: transitSchemes.reduce((sum, scheme) => sum + stock[scheme].spoiled, 0), byReason: spoiledBy(movements) },
    ledger,
    // Only a closed session has a count to reconcile with; its `left` is then the count itself.
    reconciles: rows.session.closedAt !== null && transitSchemes.every((scheme) => ledger[scheme].counted === ledger[scheme].left),
    cardNumbers: kept.map((card) => card.cardNumber),
  };
}

export function periodFigures(rows: PeriodReportRows, from: CalendarDate, to: CalendarDate, fromText: string, toText: string): PeriodFigures {
  const movements = rows.movements.map(toStockMovement);
  const spoiledMovements = rows.movements.filter((movement) => movement.kind === 'spoiled' || movement.kind === 'voided');
  return {
    kind: 'period',
    from: fromText,
    to: toText,
    sessions: rows.sessions,
    cards: cardFigures(rows.cards),
    spoilage: { total: spoiledMovements.reduce((sum, movement) => sum + movement.quantity, 0), byReason: spoiledBy(movements) },
    perDay: localDaysBetween(from, to).map((day) => {
      const cards = rows.cards.filter((card) => card.status !== 'void' && localDayOf(card.issuedAt) === day);
      return {
        day,
        issued: cards.length,
        replacements: cards.filter((card) => card.cause === 'replacement').length,
        spoiled: spoiledMovements.filter((movement) => localDayOf(movement.at) === day).reduce((sum, movement) => sum + movement.quantity, 0),
      };
    }),
  };
}

function cardFigures(cards: readonly CardRow[]): CardFigures {
  const kept = cards.filter((card) => card.status !== 'void');
  const byCardType = Object.fromEntries(cardTypes.map((type) => [type, 0])) as Record<CardType, number>;
  const replacementCauses: Record<string, number> = {};
  for (const card of kept) {
    byCardType[card.cardType] += 1;
    if (card.cause === 'replacement') {
      const cause = card.replacementCause ?? 'unknown';
      replacementCauses[cause] = (replacementCauses[cause] ?? 0) + 1;
    }
  }
  return {
    issued: kept.length,
    byCardType,
    byScheme: perScheme(kept),
    replacements: kept.filter((card) => card.cause === 'replacement').length,
    replacementCauses,
    voided: cards.length - kept.length,
    fees: feeFigures(cards),
  };
}

/** Fees by settlement method, over every card (a voided card's fee was taken all the same). */
export function feeFigures(cards: readonly CardRow[]): FeeFigures {
  const fees: FeeFigures = { cash: { count: 0, amount: 0 }, wallet: { count: 0, amount: 0 }, waived: { count: 0, amount: 0 }, unrecorded: { count: 0, amount: 0 } };
  for (const card of cards) {
    if (card.fee <= 0) continue;
    const total = fees[card.feeMethod ?? 'unrecorded'];
    total.count += 1;
    total.amount += card.fee;
  }
  return fees;
}

function perScheme(cards: readonly CardRow[]): Record<TransitScheme, number> {
  return Object.fromEntries(transitSchemes.map((scheme) => [scheme, cards.filter((card) => card.scheme === scheme).length])) as Record<TransitScheme, number>;
}

function spoiledBy(movements: readonly StockMovement[]): SpoilageFigures['byReason'] {
  const stock = stockOf(movements);
  return Object.fromEntries(spoilReasons.map((reason) => [reason, transitSchemes.reduce((sum, scheme) => sum + stock[scheme].spoiledBy[reason], 0)])) as Record<SpoilReason, number>;
}

function stageFigures(journal: readonly JournalRow[]): StageFigures[] {
  const marksByJob = new Map<string, JournalRow[]>();
  for (const mark of journal) {
    if (mark.failed) continue; // a failed attempt ends no stage
    const marks = marksByJob.get(mark.jobId) ?? [];
    marks.push(mark);
    marksByJob.set(mark.jobId, marks);
  }
  return reportStages.map((stage) => {
    const seconds = [...marksByJob.values()].flatMap((marks) => {
      const duration = stageSeconds(marks, stageMarks[stage]);
      return duration === null ? [] : [duration];
    });
    return { stage, jobs: seconds.length, ...summary(seconds) };
  });
}

/** The stage's length in one job's marks (in journal order), or null when a mark is missing. */
function stageSeconds(marks: readonly JournalRow[], stage: StageMarks): number | null {
  const ends = marks.map((mark, index) => ({ mark, index })).filter(({ mark }) => mark.step === stage.to);
  const candidates = stage.attempt === 'last' ? ends.reverse() : ends;
  for (const end of candidates) {
    const before = marks.slice(0, end.index);
    for (const from of stage.from) {
      const start = before.findLast((mark) => mark.step === from);
      if (start) return Math.max(0, (Date.parse(end.mark.at) - Date.parse(start.at)) / 1000);
    }
  }
  return null;
}

const tenths = (value: number): number => Math.round(value * 10) / 10;

function summary(seconds: readonly number[]): Pick<StageFigures, 'medianSeconds' | 'meanSeconds' | 'maxSeconds'> {
  if (seconds.length === 0) return { medianSeconds: null, meanSeconds: null, maxSeconds: null };
  const sorted = [...seconds].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  const median = sorted.length % 2 === 1 ? (sorted[Math.floor(middle)] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  return { medianSeconds: tenths(median), meanSeconds: tenths(sorted.reduce((a, b) => a + b, 0) / sorted.length), maxSeconds: tenths(sorted.at(-1) ?? 0) };
}

/** A ledger row as the domain's movement; a reason the schema does not know is a corrupt store, not input. */
function toStockMovement(row: MovementRow): StockMovement {
  const { scheme, quantity } = row;
  switch (row.kind) {
    case 'loaded':
      if (!loadReasons.includes(row.reason as LoadReason)) throw new Error(`a loaded movement with reason ${String(row.reason)}`);
      return { kind: 'loaded', scheme, quantity, reason: row.reason as LoadReason };
    case 'spoiled':
      if (!spoilReasons.includes(row.reason as SpoilReason)) throw new Error(`a spoiled movement with reason ${String(row.reason)}`);
      return { kind: 'spoiled', scheme, quantity, reason: row.reason as SpoilReason };
    case 'voided':
      if (row.reason !== 'void-at-counter' && row.reason !== 'crash-recovery') throw new Error(`a voided movement with reason ${String(row.reason)}`);
      return { kind: 'voided', scheme, quantity, reason: row.reason as VoidSpoilReason };
    case 'issued':
    case 'returned':
      return { kind: row.kind, scheme, quantity };
    default:
      throw new Error(`a stock movement of kind ${String(row.kind satisfies never)}`);
  }
}
