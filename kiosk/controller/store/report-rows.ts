import type { CardType, TransitScheme } from '../../../shared/domain/card-types';
import type { SessionMode } from '../../../shared/domain/service-session';
import type { StoreContext } from './context';
import type { Queries } from './database';

/**
 * The rows the figures are made of (kiosk/controller/reports): sessions, stock movements, cards and the
 * job journal's times. Nothing here is personal: no cardholder, no photo, no job context is read.
 */

export interface SessionRow {
  readonly id: string;
  readonly site: string;
  readonly mode: SessionMode;
  readonly openedAt: string;
  readonly closedAt: string | null;
  readonly note: string | null;
}

export interface MovementRow {
  readonly scheme: TransitScheme;
  readonly kind: 'loaded' | 'issued' | 'spoiled' | 'returned' | 'voided';
  readonly quantity: number;
  readonly reason: string | null;
  readonly at: string;
}

export interface CardRow {
  readonly cardNumber: string;
  readonly cardType: CardType;
  readonly scheme: TransitScheme;
  readonly cause: 'new' | 'replacement';
  readonly replacementCause: string | null;
  readonly status: 'active' | 'hot-listed' | 'void';
  readonly issuedAt: string;
  /** NT$ (0: free). */
  readonly fee: number;
  /** How the fee was settled (migration 008), or null (free, or recorded before fees were settled). */
  readonly feeMethod: 'cash' | 'wallet' | 'waived' | null;
}

/** One mark of the job journal: a job reached a step (or failed at it) at a time. */
export interface JournalRow {
  readonly jobId: string;
  readonly step: string;
  readonly failed: boolean;
  readonly at: string;
}

export interface CountRow {
  readonly scheme: TransitScheme;
  readonly expected: number;
  readonly counted: number;
}

export interface SessionReportRows {
  readonly session: SessionRow;
  readonly movements: readonly MovementRow[];
  readonly counts: readonly CountRow[];
  readonly cards: readonly CardRow[];
  readonly journal: readonly JournalRow[];
}

export interface PeriodReportRows {
  readonly sessions: number;
  readonly movements: readonly MovementRow[];
  readonly cards: readonly CardRow[];
}

/** The events that journal a card job: each carries `jobId` and (but the first) `step` in its details. */
const journalEvents = ['issuance-job-begin', 'issuance-job-step', 'issuance-print', 'issuance-encode', 'issuance-spoil'] as const;

const sessionColumns = 'id, site, mode, opened_at AS openedAt, closed_at AS closedAt, close_note AS note';
const movementColumns = 'scheme, kind, quantity, reason, at';
const cardColumns = `i.card_number AS cardNumber, i.card_type AS cardType, i.scheme, i.cause, i.replacement_cause AS replacementCause, i.status, i.issued_at AS issuedAt, i.fee, i.fee_method AS feeMethod`;

/** A session's rows; null when there is no such session. One read transaction, so they agree. */
export async function sessionReportRows(context: StoreContext, sessionId: string): Promise<SessionReportRows | null> {
  return context.db.transaction(async (tx) => {
    const session = await tx.get<SessionRow>(`SELECT ${sessionColumns} FROM service_sessions WHERE id = ?`, [sessionId]);
    if (!session) return null;
    const movements = await tx.all<MovementRow>(`SELECT ${movementColumns} FROM stock_movements WHERE session_id = ? ORDER BY seq`, [sessionId]);
    const counts = await tx.all<CountRow>('SELECT scheme, expected, counted FROM session_counts WHERE session_id = ? ORDER BY scheme', [sessionId]);
    const cards = await tx.all<CardRow>(
      `SELECT ${cardColumns} FROM issuances i JOIN issuance_jobs j ON j.issuance_id = i.id WHERE j.session_id = ? ORDER BY i.issued_at, i.card_number`,
      [sessionId],
    );
    return { session, movements, counts, cards, journal: await journalOf(tx, session) };
  });
}

/**
 * The journal of the session's jobs. The audit has no index on events (see audit.ts): the cheap test on
 * the time comes first, so that only the rows since the session opened have their details parsed.
 */
async function journalOf(tx: Queries, session: SessionRow): Promise<JournalRow[]> {
  const rows = await tx.all<{ jobId: string; eventId: string; step: string | null; disposition: string; at: string; startedAt: string | null }>(
    `SELECT json_extract(a.details, '$.jobId') AS jobId, a.event_id AS eventId, json_extract(a.details, '$.step') AS step, a.disposition, a.at,
            json_extract(a.details, '$.applicationStartedAt') AS startedAt
       FROM audit a
      WHERE a.at >= ?
        AND a.event_id IN (${journalEvents.map(() => '?').join(', ')})
        AND json_extract(a.details, '$.jobId') IN (SELECT id FROM issuance_jobs WHERE session_id = ?)
      ORDER BY a.seq`,
    // To the second: '…:00Z' and '…:00.000Z' name the same instant but do not compare so as text.
    [session.openedAt.slice(0, 19), ...journalEvents, session.id],
  );
  return rows.flatMap((row) => {
    const mark = { jobId: row.jobId, step: row.eventId === 'issuance-job-begin' ? 'begun' : (row.step ?? row.eventId), failed: row.disposition === 'failure', at: row.at };
    // The confirm carries when the application started (before its job existed): a mark of its own, just before it.
    return row.startedAt ? [{ jobId: row.jobId, step: 'application-started', failed: false, at: row.startedAt }, mark] : [mark];
  });
}

/** Every card issued, movement booked and session opened in `[fromIso, toIso)` (UTC instants). */
export async function periodReportRows(context: StoreContext, fromIso: string, toIso: string): Promise<PeriodReportRows> {
  return context.db.transaction(async (tx) => {
    const sessions = await tx.get<{ n: number }>('SELECT count(*) AS n FROM service_sessions WHERE opened_at >= ? AND opened_at < ?', [fromIso, toIso]);
    const movements = await tx.all<MovementRow>(`SELECT ${movementColumns} FROM stock_movements WHERE at >= ? AND at < ? ORDER BY seq`, [fromIso, toIso]);
    const cards = await tx.all<CardRow>(`SELECT ${cardColumns} FROM issuances i WHERE i.issued_at >= ? AND i.issued_at < ? ORDER BY i.issued_at, i.card_number`, [fromIso, toIso]);
    return { sessions: sessions?.n ?? 0, movements, cards };
  });
}

/** The sessions, newest first, for the supervisor's list. */
export async function listSessionRows(context: StoreContext, limit: number): Promise<SessionRow[]> {
  return context.db.all<SessionRow>(`SELECT ${sessionColumns} FROM service_sessions ORDER BY opened_at DESC LIMIT ?`, [limit]);
}
