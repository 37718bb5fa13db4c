import { transitSchemes, type TransitScheme } from '../../../shared/domain/card-types';
import { closeBook, stockOf, type BlankCount, type ClosingBook, type LoadReason, type SessionMode, type SessionStock, type SpoilReason, type StockMovement, type VoidSpoilReason } from '../../../shared/domain/service-session';
import { err, ok, type Result } from '../../../shared/result';
import { audited } from './audit';
import { isoNow, type StoreContext } from './context';
import type { Queries } from './database';
import { uuidv7 } from './ids';

/**
 * Service sessions and their stock ledger (migration 005). A session is opened with the blanks loaded
 * per scheme, blanks are loaded or returned while it is open, and it is closed with the count of what
 * is left: the difference from the ledger is booked as adjustments with the supervisor's note, in the
 * same transaction as the closing count and its audit row. Nothing here is personal data: a site is a
 * place, an operator an id.
 */
export interface ServiceSessionRecord {
  readonly id: string;
  readonly site: string;
  readonly mode: SessionMode;
  readonly openedAt: string;
  readonly openedBy: string | null;
  readonly ribbonPrintsAtOpen: number | null;
  readonly closedAt: string | null;
  readonly closedBy: string | null;
  readonly closeNote: string | null;
}

export interface OpenSessionInput {
  readonly site: string;
  readonly mode: SessionMode;
  readonly blanks: BlankCount;
  readonly operatorId: string | null;
  /** The printer's `Rco;I` when the session opens; null when it has not said. */
  readonly ribbonPrintsLeft: number | null;
}

export interface AdjustStockInput {
  readonly sessionId: string;
  readonly scheme: TransitScheme;
  readonly count: number;
  readonly operatorId: string | null;
}

export interface CloseSessionInput {
  readonly sessionId: string;
  readonly counted: BlankCount;
  readonly note: string | null;
  readonly operatorId: string | null;
  readonly ribbonPrintsLeft: number | null;
}

export type SessionError =
  | { readonly kind: 'session_open'; readonly sessionId: string }
  | { readonly kind: 'session_not_open'; readonly sessionId: string }
  | { readonly kind: 'not_in_hand'; readonly scheme: TransitScheme; readonly inHand: number }
  /** Jobs of the session whose blank is not decided yet (queued, printing, on the review screen). */
  | { readonly kind: 'jobs_open'; readonly jobs: number }
  /** The count differs from the ledger and no note says why. */
  | { readonly kind: 'note_required'; readonly book: ClosingBook }
  | { readonly kind: 'invalid_count'; readonly scheme: TransitScheme };

export interface ClosedSession {
  readonly sessionId: string;
  readonly book: ClosingBook;
}

/** Thrown inside a transaction to roll it back with an expected failure. */
class Refusal {
  constructor(readonly error: SessionError) {}
}

async function refusing<T>(work: () => Promise<T>): Promise<Result<T, SessionError>> {
  try {
    return ok(await work());
  } catch (error) {
    if (error instanceof Refusal) return err(error.error);
    throw error;
  }
}

interface SessionRow {
  id: string;
  site: string;
  mode: SessionMode;
  opened_at: string;
  opened_by: string | null;
  ribbon_prints_at_open: number | null;
  closed_at: string | null;
  closed_by: string | null;
  close_note: string | null;
}

const toRecord = (row: SessionRow): ServiceSessionRecord => ({
  id: row.id,
  site: row.site,
  mode: row.mode,
  openedAt: row.opened_at,
  openedBy: row.opened_by,
  ribbonPrintsAtOpen: row.ribbon_prints_at_open,
  closedAt: row.closed_at,
  closedBy: row.closed_by,
  closeNote: row.close_note,
});

const validCount = (count: number): boolean => Number.isSafeInteger(count) && count >= 0;

/** One ledger line, inside the caller's transaction. */
export async function insertMovement(
  tx: Queries,
  context: StoreContext,
  sessionId: string,
  movement: StockMovement,
  extra: { readonly jobId?: string; readonly blank?: string; readonly cardNumber?: string | null; readonly operatorId?: string | null } = {},
): Promise<void> {
  const reason = 'reason' in movement ? movement.reason : null;
  await tx.run(
    `INSERT INTO stock_movements (id, session_id, scheme, kind, quantity, reason, job_id, blank, card_number, operator_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [uuidv7(context.clock), sessionId, movement.scheme, movement.kind, movement.quantity, reason, extra.jobId ?? null, extra.blank ?? null, extra.cardNumber ?? null, extra.operatorId ?? null, isoNow(context)],
  );
}

async function openRow(tx: Queries, context: StoreContext): Promise<SessionRow | undefined> {
  return tx.get<SessionRow>('SELECT * FROM service_sessions WHERE kiosk_id = ? AND closed_at IS NULL', [context.kioskId]);
}

async function movementsIn(tx: Queries, sessionId: string): Promise<StockMovement[]> {
  const rows = await tx.all<{ kind: StockMovement['kind']; scheme: TransitScheme; quantity: number; reason: string | null }>(
    'SELECT kind, scheme, quantity, reason FROM stock_movements WHERE session_id = ? ORDER BY seq',
    [sessionId],
  );
  return rows.map((row): StockMovement => {
    switch (row.kind) {
      case 'loaded':
        return { kind: 'loaded', scheme: row.scheme, quantity: row.quantity, reason: row.reason as LoadReason };
      case 'spoiled':
        return { kind: 'spoiled', scheme: row.scheme, quantity: row.quantity, reason: row.reason as SpoilReason };
      case 'voided':
        return { kind: 'voided', scheme: row.scheme, quantity: row.quantity, reason: row.reason as VoidSpoilReason };
      case 'issued':
        return { kind: 'issued', scheme: row.scheme, quantity: row.quantity };
      case 'returned':
        return { kind: 'returned', scheme: row.scheme, quantity: row.quantity };
      default:
        throw new Error(`unknown stock movement kind ${String(row.kind satisfies never)}`);
    }
  });
}

export async function openSession(context: StoreContext, input: OpenSessionInput): Promise<Result<ServiceSessionRecord, SessionError>> {
  for (const scheme of transitSchemes) if (!validCount(input.blanks[scheme])) return err({ kind: 'invalid_count', scheme });
  const id = uuidv7(context.clock);
  const now = isoNow(context);
  return refusing(() =>
    audited(context.db, context, async (tx, audit) => {
      const open = await openRow(tx, context);
      if (open) throw new Refusal({ kind: 'session_open', sessionId: open.id });
      await tx.run(
        `INSERT INTO service_sessions (id, kiosk_id, site, mode, opened_at, opened_by, ribbon_prints_at_open) VALUES (?, ?, ?, ?, ?, ?, ?)`,
        [id, context.kioskId, input.site, input.mode, now, input.operatorId, input.ribbonPrintsLeft],
      );
      for (const scheme of transitSchemes) {
        const quantity = input.blanks[scheme];
        if (quantity > 0) await insertMovement(tx, context, id, { kind: 'loaded', scheme, quantity, reason: 'box' }, { operatorId: input.operatorId });
      }
      // The site is left out: a free-text place name is not worth the risk of carrying a person's name.
      await audit({
        eventId: 'session-opened',
        operatorId: input.operatorId,
        disposition: 'success',
        details: { sessionId: id, mode: input.mode, easycard: input.blanks.easycard, ipass: input.blanks.ipass, ribbonPrintsLeft: input.ribbonPrintsLeft },
      });
      const row = await tx.get<SessionRow>('SELECT * FROM service_sessions WHERE id = ?', [id]);
      if (!row) throw new Error('the session just opened is missing');
      return toRecord(row);
    }),
  );
}

export async function loadBlanks(context: StoreContext, input: AdjustStockInput): Promise<Result<SessionStock, SessionError>> {
  return adjust(context, input, 'loaded');
}

export async function returnBlanks(context: StoreContext, input: AdjustStockInput): Promise<Result<SessionStock, SessionError>> {
  return adjust(context, input, 'returned');
}

async function adjust(context: StoreContext, input: AdjustStockInput, kind: 'loaded' | 'returned'): Promise<Result<SessionStock, SessionError>> {
  if (!validCount(input.count) || input.count === 0) return err({ kind: 'invalid_count', scheme: input.scheme });
  return refusing(() =>
    audited(context.db, context, async (tx, audit) => {
      const open = await openRow(tx, context);
      if (open?.id !== input.sessionId) throw new Refusal({ kind: 'session_not_open', sessionId: input.sessionId });
      if (kind === 'returned') {
        // Only blanks the ledger says are in hand can go back to the box (a queued card's blank is in hand too: the queue decides about those).
        const inHand = stockOf(await movementsIn(tx, input.sessionId))[input.scheme].inHand;
        if (input.count > inHand) throw new Refusal({ kind: 'not_in_hand', scheme: input.scheme, inHand });
      }
      const movement: StockMovement = kind === 'loaded' ? { kind, scheme: input.scheme, quantity: input.count, reason: 'box' } : { kind, scheme: input.scheme, quantity: input.count };
      await insertMovement(tx, context, input.sessionId, movement, { operatorId: input.operatorId });
      await audit({
        eventId: kind === 'loaded' ? 'stock-loaded' : 'stock-returned',
        operatorId: input.operatorId,
        disposition: 'success',
        details: { sessionId: input.sessionId, scheme: input.scheme, count: input.count },
      });
      return stockOf(await movementsIn(tx, input.sessionId));
    }),
  );
}

/** Job steps at which a job's blank is decided (issued, or closed): any other open job holds the session open. */
const decidedOpenSteps = ['committed', 'ejected'];

export async function closeSession(context: StoreContext, input: CloseSessionInput): Promise<Result<ClosedSession, SessionError>> {
  for (const scheme of transitSchemes) if (!validCount(input.counted[scheme])) return err({ kind: 'invalid_count', scheme });
  const note = input.note?.trim() ? input.note.trim() : null;
  const now = isoNow(context);
  return refusing(() =>
    audited(context.db, context, async (tx, audit) => {
      const open = await openRow(tx, context);
      if (open?.id !== input.sessionId) throw new Refusal({ kind: 'session_not_open', sessionId: input.sessionId });
      const undecided = await tx.get<{ jobs: number }>(
        `SELECT COUNT(*) AS jobs FROM issuance_jobs WHERE session_id = ? AND open = 1 AND step NOT IN (${decidedOpenSteps.map(() => '?').join(', ')})`,
        [input.sessionId, ...decidedOpenSteps],
      );
      if (undecided && undecided.jobs > 0) throw new Refusal({ kind: 'jobs_open', jobs: undecided.jobs });
      const book = closeBook(stockOf(await movementsIn(tx, input.sessionId)), input.counted);
      if (!book.balanced && note === null) throw new Refusal({ kind: 'note_required', book });
      for (const adjustment of book.adjustments) await insertMovement(tx, context, input.sessionId, adjustment, { operatorId: input.operatorId });
      for (const scheme of transitSchemes) {
        await tx.run('INSERT INTO session_counts (session_id, scheme, expected, counted) VALUES (?, ?, ?, ?)', [input.sessionId, scheme, book.schemes[scheme].expected, input.counted[scheme]]);
      }
      await tx.run('UPDATE service_sessions SET closed_at = ?, closed_by = ?, ribbon_prints_at_close = ?, close_note = ? WHERE id = ?', [now, input.operatorId, input.ribbonPrintsLeft, note, input.sessionId]);
      await audit({
        eventId: 'session-closed',
        operatorId: input.operatorId,
        disposition: book.balanced ? 'success' : 'failure',
        details: {
          sessionId: input.sessionId,
          easycardExpected: book.schemes.easycard.expected, easycardCounted: input.counted.easycard,
          ipassExpected: book.schemes.ipass.expected, ipassCounted: input.counted.ipass,
          discrepancy: !book.balanced, withNote: note !== null,
        },
      });
      return { sessionId: input.sessionId, book };
    }),
  );
}

/** The session open on this kiosk, or null. */
export async function currentSession(context: StoreContext): Promise<ServiceSessionRecord | null> {
  const row = await openRow(context.db, context);
  return row ? toRecord(row) : null;
}

export async function sessionById(context: StoreContext, sessionId: string): Promise<ServiceSessionRecord | null> {
  const row = await context.db.get<SessionRow>('SELECT * FROM service_sessions WHERE id = ?', [sessionId]);
  return row ? toRecord(row) : null;
}

/** A session's ledger, in the order it was booked. */
export async function sessionMovements(context: StoreContext, sessionId: string): Promise<StockMovement[]> {
  return movementsIn(context.db, sessionId);
}

export async function sessionStock(context: StoreContext, sessionId: string): Promise<SessionStock> {
  return stockOf(await movementsIn(context.db, sessionId));
}

/** The closing count of a closed session, per scheme; null while it is open. */
export async function sessionCounts(context: StoreContext, sessionId: string): Promise<BlankCount | null> {
  const rows = await context.db.all<{ scheme: TransitScheme; counted: number }>('SELECT scheme, counted FROM session_counts WHERE session_id = ?', [sessionId]);
  if (rows.length === 0) return null;
  return Object.fromEntries(transitSchemes.map((scheme) => [scheme, rows.find((row) => row.scheme === scheme)?.counted ?? 0])) as Record<TransitScheme, number>;
}

/** Sessions newest first. */
export async function listSessions(context: StoreContext, limit = 50): Promise<ServiceSessionRecord[]> {
  const rows = await context.db.all<SessionRow>('SELECT * FROM service_sessions WHERE kiosk_id = ? ORDER BY opened_at DESC, rowid DESC LIMIT ?', [context.kioskId, limit]);
  return rows.map(toRecord);
}
