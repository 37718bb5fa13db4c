import {
  pointsAccount, pointsGrantAccount, pointsLapsedAccount, walletAccount, type LedgerAccount, type TransferKind,
} from '../../../shared/domain/wallet';
import { err, ok, type Result } from '../../../shared/result';
import { audited, type AuditAppender } from './audit';
import { isoNow, type StoreContext } from './context';
import type { Queries } from './database';
import { uuidv7 } from './ids';
import type {
  CashDeviceKind, HistoryRow, JournalRow, JournalState, NoteCounts, PendingCredit, PointsState, Reconciliation, Settlement,
  WalletError, WalletException, WalletExceptionKind, WalletState, WalletTable,
} from './wallet-types';

/**
 * The e-wallet, welfare points and cash journal over migration 007 (`store.wallet`). Balances are
 * derived from `ledger_transfers` (double entry: one row moves an amount from one account to another);
 * every write is one transaction with its audit row, and the writes a restart may repeat are checked
 * inside their transaction (and guarded by the unique indexes) so the second time changes nothing.
 */

/** Thrown inside a transaction to roll it back with an expected failure. */
class Refusal {
  constructor(readonly error: WalletError) {}
}

async function refusing<T>(work: () => Promise<T>): Promise<Result<T, WalletError>> {
  try {
    return ok(await work());
  } catch (error) {
    if (error instanceof Refusal) return err(error.error);
    throw error;
  }
}

interface JournalDbRow {
  id: string;
  top_up_id: string;
  card_number: string;
  device: CashDeviceKind;
  bill_type: number | null;
  amount: number;
  escrow_counter: number | null;
  stacked_counter: number | null;
  state: JournalState;
  opened_at: string;
  closed_at: string | null;
}

const toJournalRow = (row: JournalDbRow): JournalRow => ({
  id: row.id,
  topUpId: row.top_up_id,
  cardNumber: row.card_number,
  device: row.device,
  billType: row.bill_type,
  amount: row.amount,
  escrowCounter: row.escrow_counter,
  stackedCounter: row.stacked_counter,
  state: row.state,
  openedAt: row.opened_at,
  closedAt: row.closed_at,
});

interface ExceptionDbRow {
  id: string;
  kind: WalletExceptionKind;
  card_number: string | null;
  journal_id: string | null;
  amount: number | null;
  details: string;
  opened_at: string;
  settled_at: string | null;
  settled_by: string | null;
  settlement: Settlement | null;
}

const toException = (row: ExceptionDbRow): WalletException => ({
  id: row.id,
  kind: row.kind,
  cardNumber: row.card_number,
  journalId: row.journal_id,
  amount: row.amount,
  details: JSON.parse(row.details) as WalletException['details'],
  openedAt: row.opened_at,
  settledAt: row.settled_at,
  settledBy: row.settled_by,
  settlement: row.settlement,
});

const isOpenState = (state: JournalState): boolean => state === 'escrow' || state === 'routing';

function requireWholeAmount(amount: number, what: string): void {
  if (!Number.isSafeInteger(amount) || amount <= 0) throw new Error(`${what} must be a whole positive number of NT dollars, not ${amount}`);
}

interface NewTransfer {
  readonly kind: TransferKind;
  readonly from: LedgerAccount;
  readonly to: LedgerAccount;
  readonly amount: number;
  readonly cardNumber: string;
  readonly journalId?: string | null;
  readonly month?: string | null;
  readonly operatorId?: string | null;
  /** ISO instant; default now. */
  readonly at?: string;
}

async function insertTransfer(tx: Queries, context: StoreContext, transfer: NewTransfer): Promise<string> {
  const id = uuidv7(context.clock);
  await tx.run(
    `INSERT INTO ledger_transfers (id, kiosk_id, kind, from_account, to_account, amount, card_number, journal_id, month, operator_id, at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      id, context.kioskId, transfer.kind, transfer.from, transfer.to, transfer.amount, transfer.cardNumber,
      transfer.journalId ?? null, transfer.month ?? null, transfer.operatorId ?? null, transfer.at ?? isoNow(context),
    ],
  );
  return id;
}

/** The card's wallet as its transfers say: the balance and the counter (how many wallet transfers). */
async function walletTotals(tx: Queries, cardNumber: string): Promise<{ balance: number; counter: number }> {
  const account = walletAccount(cardNumber);
  const row = await tx.get<{ balance: number | null; counter: number }>(
    `SELECT SUM(CASE WHEN to_account = ? THEN amount ELSE -amount END) AS balance, COUNT(*) AS counter
     FROM ledger_transfers WHERE card_number = ? AND (to_account = ? OR from_account = ?)`,
    [account, cardNumber, account, account],
  );
  return { balance: row?.balance ?? 0, counter: row?.counter ?? 0 };
}

async function pointsBalance(tx: Queries, cardNumber: string): Promise<number> {
  const account = pointsAccount(cardNumber);
  const row = await tx.get<{ balance: number | null }>(
    `SELECT SUM(CASE WHEN to_account = ? THEN amount ELSE -amount END) AS balance
     FROM ledger_transfers WHERE card_number = ? AND (to_account = ? OR from_account = ?)`,
    [account, cardNumber, account, account],
  );
  return row?.balance ?? 0;
}

/** The newest month whose points were loaded on the card, or null. */
async function lastLoadedMonth(tx: Queries, cardNumber: string): Promise<string | null> {
  const row = await tx.get<{ month: string | null }>(`SELECT MAX(month) AS month FROM ledger_transfers WHERE card_number = ? AND kind = 'points-load'`, [cardNumber]);
  return row?.month ?? null;
}

async function journalRow(tx: Queries, journalId: string): Promise<JournalDbRow> {
  const row = await tx.get<JournalDbRow>('SELECT * FROM cash_journal WHERE id = ?', [journalId]);
  if (!row) throw new Refusal({ kind: 'journal_not_found', journalId });
  return row;
}

/** The row must still be open (escrow or routing): a closed one is reported, never changed. */
async function openJournalRow(tx: Queries, journalId: string): Promise<JournalDbRow> {
  const row = await journalRow(tx, journalId);
  if (!isOpenState(row.state)) throw new Refusal({ kind: 'already_closed', journalId, state: row.state });
  return row;
}

const monthPattern = /^\d{4}-(0[1-9]|1[0-2])$/;

export function walletTable(context: StoreContext): WalletTable {
  const { db } = context;
  const inTx = <T>(work: (tx: Queries, audit: AuditAppender) => Promise<T>): Promise<T> => audited(db, context, work);

  async function pointsState(tx: Queries, cardNumber: string, month: string, loadedNow: boolean): Promise<PointsState> {
    // Points of an earlier month lapse at its end: until the lapse is booked (at the next load) they are not spendable.
    const current = (await lastLoadedMonth(tx, cardNumber)) === month;
    return { month, balance: current ? await pointsBalance(tx, cardNumber) : 0, loadedNow };
  }

  return {
    async walletOf(cardNumber) {
      const issuance = await db.get<{ monthly_points: number | null }>(
        'SELECT monthly_points FROM issuances WHERE card_number = ? ORDER BY issued_at DESC, rowid DESC LIMIT 1',
        [cardNumber],
      );
      const totals = await walletTotals(db, cardNumber);
      const mirror = await db.get<{ counter: number; balance: number }>('SELECT counter, balance FROM card_mirrors WHERE card_number = ?', [cardNumber]);
      return {
        known: issuance !== undefined,
        balance: totals.balance,
        counter: totals.counter,
        confirmed: mirror ? { counter: mirror.counter, balance: mirror.balance } : null,
        // A card issued before migration 007 has no figure on file: no points rather than a guess.
        monthlyPoints: issuance === undefined ? null : (issuance.monthly_points ?? 0),
      } satisfies WalletState;
    },

    async history(cardNumber, limit) {
      const wallet = walletAccount(cardNumber);
      const points = pointsAccount(cardNumber);
      const rows = await db.all<{ at: string; kind: TransferKind; amount: number; to_account: string; kiosk_id: string }>(
        `SELECT at, kind, amount, to_account, kiosk_id FROM ledger_transfers
         WHERE card_number = ? AND (to_account IN (?, ?) OR from_account IN (?, ?)) ORDER BY seq DESC LIMIT ?`,
        [cardNumber, wallet, points, wallet, points, limit],
      );
      return rows.map((row): HistoryRow => ({
        at: row.at,
        kind: row.kind,
        amount: row.to_account === wallet || row.to_account === points ? row.amount : -row.amount,
        kioskId: row.kiosk_id,
      }));
    },

    async loadMonthlyPoints({ cardNumber, month, points }) {
      if (!monthPattern.test(month)) throw new Error(`not a month (YYYY-MM): ${month}`);
      if (!Number.isSafeInteger(points) || points < 0) throw new Error(`monthly points must be a whole number ≥ 0, not ${points}`);
      // One write transaction (BEGIN IMMEDIATE): a second kiosk on the same file waits for this one and then finds the load.
      return inTx(async (tx, audit) => {
        const loaded = await tx.get(`SELECT 1 AS one FROM ledger_transfers WHERE card_number = ? AND month = ? AND kind = 'points-load'`, [cardNumber, month]);
        if (loaded) return pointsState(tx, cardNumber, month, false);
        const previous = await lastLoadedMonth(tx, cardNumber);
        if (previous !== null && previous > month) return pointsState(tx, cardNumber, month, false); // the clock went back: never load a past month
        const left = await pointsBalance(tx, cardNumber);
        if (previous !== null && left > 0) {
          await insertTransfer(tx, context, { kind: 'points-lapse', from: pointsAccount(cardNumber), to: pointsLapsedAccount(previous), amount: left, cardNumber, month: previous });
          await audit({ eventId: 'wallet-points-lapse', operatorId: null, disposition: 'success', details: { cardNumber, month: previous, points: left } });
        }
        if (points === 0) return pointsState(tx, cardNumber, month, false);
        await insertTransfer(tx, context, { kind: 'points-load', from: pointsGrantAccount(month), to: pointsAccount(cardNumber), amount: points, cardNumber, month });
        await audit({ eventId: 'wallet-points-load', operatorId: null, disposition: 'success', details: { cardNumber, month, points } });
        return pointsState(tx, cardNumber, month, true);
      });
    },

    pointsOf: (cardNumber, month) => db.transaction((tx) => pointsState(tx, cardNumber, month, false)),

    async startTopUp(cardNumber) {
      const topUpId = uuidv7(context.clock);
      await inTx(async (tx, audit) => {
        await tx.run('INSERT INTO top_ups (id, kiosk_id, card_number, started_at) VALUES (?, ?, ?, ?)', [topUpId, context.kioskId, cardNumber, isoNow(context)]);
        await audit({ eventId: 'wallet-top-up-start', operatorId: null, disposition: 'success', details: { topUpId, cardNumber } });
      });
      return { topUpId };
    },

    async endTopUp(topUpId) {
      await inTx(async (tx, audit) => {
        const ended = await tx.run('UPDATE top_ups SET ended_at = ? WHERE id = ? AND ended_at IS NULL', [isoNow(context), topUpId]);
        if (ended.changes === 0) return;
        const notes = await tx.get<{ credited: number; amount: number | null }>(
          `SELECT COUNT(*) AS credited, SUM(amount) AS amount FROM cash_journal WHERE top_up_id = ? AND state = 'credited'`,
          [topUpId],
        );
        await audit({ eventId: 'wallet-top-up-end', operatorId: null, disposition: 'success', details: { topUpId, notesCredited: notes?.credited ?? 0, amount: notes?.amount ?? 0 } });
      });
    },

    async journalEscrow(input) {
      requireWholeAmount(input.amount, 'a note');
      const journalId = uuidv7(context.clock);
      return refusing(() =>
        inTx(async (tx, audit) => {
          const open = await tx.get<{ id: string }>(`SELECT id FROM cash_journal WHERE device = ? AND state IN ('escrow', 'routing')`, [input.device]);
          if (open) throw new Refusal({ kind: 'note_open', journalId: open.id });
          await tx.run(
            `INSERT INTO cash_journal (id, top_up_id, card_number, device, bill_type, amount, escrow_counter, state, opened_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, 'escrow', ?)`,
            [journalId, input.topUpId, input.cardNumber, input.device, input.billType, input.amount, input.escrowCounter, isoNow(context)],
          );
          await audit({
            eventId: 'wallet-note-escrow',
            operatorId: null,
            disposition: 'success',
            details: { journalId, topUpId: input.topUpId, cardNumber: input.cardNumber, device: input.device, billType: input.billType, amount: input.amount, escrowCounter: input.escrowCounter },
          });
          return { journalId };
        }),
      );
    },

    async markRouting(journalId) {
      return refusing(() =>
        inTx(async (tx, audit) => {
          const row = await openJournalRow(tx, journalId);
          if (row.state === 'routing') return; // said twice (a retry): already so
          await tx.run(`UPDATE cash_journal SET state = 'routing' WHERE id = ?`, [journalId]);
          await audit({ eventId: 'wallet-note-routing', operatorId: null, disposition: 'success', details: { journalId, amount: row.amount } });
        }),
      );
    },

    async creditStacked({ journalId, stackedCounter, cap }) {
      return refusing(() =>
        inTx(async (tx, audit) => {
          const row = await openJournalRow(tx, journalId);
          const before = await walletTotals(tx, row.card_number);
          if (before.balance + row.amount > cap) throw new Refusal({ kind: 'over_cap', balance: before.balance, cap });
          const at = isoNow(context);
          await insertTransfer(tx, context, { kind: 'cash-top-up', from: 'cash-box', to: walletAccount(row.card_number), amount: row.amount, cardNumber: row.card_number, journalId, at });
          await tx.run(`UPDATE cash_journal SET state = 'credited', stacked_counter = ?, closed_at = ? WHERE id = ?`, [stackedCounter, at, journalId]);
          const after = { balance: before.balance + row.amount, counter: before.counter + 1 };
          await audit({
            eventId: 'wallet-top-up',
            operatorId: null,
            disposition: 'success',
            details: { journalId, topUpId: row.top_up_id, cardNumber: row.card_number, amount: row.amount, stackedCounter, balance: after.balance, counter: after.counter },
          });
          return after;
        }),
      );
    },

    async closeReturned(journalId, reason) {
      return refusing(() =>
        inTx(async (tx, audit) => {
          const row = await openJournalRow(tx, journalId);
          await tx.run(`UPDATE cash_journal SET state = 'returned', closed_at = ? WHERE id = ?`, [isoNow(context), journalId]);
          await audit({ eventId: 'wallet-note-returned', operatorId: null, disposition: 'success', details: { journalId, topUpId: row.top_up_id, amount: row.amount, reason } });
        }),
      );
    },

    async openJournal(device) {
      const row = await db.get<JournalDbRow>(`SELECT * FROM cash_journal WHERE device = ? AND state IN ('escrow', 'routing')`, [device]);
      return row ? toJournalRow(row) : null;
    },

    async journalOf(topUpId) {
      const rows = await db.all<JournalDbRow>('SELECT * FROM cash_journal WHERE top_up_id = ? ORDER BY opened_at, rowid', [topUpId]);
      return rows.map(toJournalRow);
    },

    async raiseException(input) {
      if (input.amount !== null) requireWholeAmount(input.amount, 'the money in question');
      const id = uuidv7(context.clock);
      const now = isoNow(context);
      await inTx(async (tx, audit) => {
        // A fault can race the note's own end: a row already credited or returned keeps its end, and the
        // exception names no money (a supervisor cannot credit that note a second time).
        const ended = input.journalId === null
          ? undefined
          : await tx.get<{ state: string }>(`SELECT state FROM cash_journal WHERE id = ? AND state IN ('credited', 'returned')`, [input.journalId]);
        const amount = ended ? null : input.amount;
        const details = ended ? { ...input.details, journalState: ended.state } : input.details;
        await tx.run(
          `INSERT INTO wallet_exceptions (id, kind, card_number, journal_id, amount, details, opened_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
          [id, input.kind, input.cardNumber, input.journalId, amount, JSON.stringify(details), now],
        );
        if (input.journalId !== null) {
          await tx.run(`UPDATE cash_journal SET state = 'exception', closed_at = ? WHERE id = ? AND state IN ('escrow', 'routing')`, [now, input.journalId]);
        }
        await audit({
          // A note nobody claimed (a pulse acceptor outside a visit) keeps the catalogue's own id.
          eventId: input.kind === 'note-unclaimed' ? 'cash-note-unclaimed' : 'wallet-exception',
          operatorId: null,
          disposition: 'failure',
          details: { exceptionId: id, kind: input.kind, cardNumber: input.cardNumber, journalId: input.journalId, amount, details: JSON.stringify(details) },
        });
      });
      return { id };
    },

    async exceptions({ open }) {
      const rows = await db.all<ExceptionDbRow>(`SELECT * FROM wallet_exceptions ${open ? 'WHERE settled_at IS NULL' : ''} ORDER BY opened_at, rowid`);
      return rows.map(toException);
    },

    async settleException({ id, settlement, operatorId }) {
      return refusing(() =>
        inTx(async (tx, audit) => {
          const row = await tx.get<ExceptionDbRow>('SELECT * FROM wallet_exceptions WHERE id = ?', [id]);
          if (!row) throw new Refusal({ kind: 'exception_not_found', id });
          if (row.settled_at !== null) throw new Refusal({ kind: 'already_settled', id });
          let transferId: string | null = null;
          if (settlement === 'credited') {
            if (row.card_number === null) throw new Refusal({ kind: 'cannot_credit', id, missing: 'card' });
            if (row.amount === null) throw new Refusal({ kind: 'cannot_credit', id, missing: 'amount' });
            transferId = await insertTransfer(tx, context, { kind: 'adjustment', from: 'adjustment', to: walletAccount(row.card_number), amount: row.amount, cardNumber: row.card_number, journalId: id, operatorId });
          }
          const now = isoNow(context);
          await tx.run('UPDATE wallet_exceptions SET settled_at = ?, settled_by = ?, settlement = ? WHERE id = ?', [now, operatorId, settlement, id]);
          await audit({
            eventId: 'wallet-exception-settled',
            operatorId,
            disposition: 'success',
            details: { exceptionId: id, kind: row.kind, settlement, cardNumber: row.card_number, amount: row.amount, transferId },
          });
          return toException({ ...row, settled_at: now, settled_by: operatorId, settlement });
        }),
      );
    },

    async confirmMirror({ cardNumber, counter, balance }) {
      await inTx(async (tx, audit) => {
        await tx.run(
          `INSERT INTO card_mirrors (card_number, counter, balance, confirmed_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (card_number) DO UPDATE SET counter = excluded.counter, balance = excluded.balance, confirmed_at = excluded.confirmed_at`,
          [cardNumber, counter, balance, isoNow(context)],
        );
        await audit({ eventId: 'wallet-mirror-confirmed', operatorId: null, disposition: 'success', details: { cardNumber, counter, balance } });
      });
    },

    async pendingCredits() {
      const rows = await db.all<{ card_number: string; counter: number; balance: number; confirmed_counter: number | null; confirmed_balance: number | null }>(
        `WITH wallets AS (
           SELECT card_number, COUNT(*) AS counter, SUM(CASE WHEN to_account = 'wallet:' || card_number THEN amount ELSE -amount END) AS balance
           FROM ledger_transfers WHERE to_account = 'wallet:' || card_number OR from_account = 'wallet:' || card_number GROUP BY card_number)
         SELECT w.card_number, w.counter, w.balance, m.counter AS confirmed_counter, m.balance AS confirmed_balance
         FROM wallets w LEFT JOIN card_mirrors m ON m.card_number = w.card_number
         WHERE w.counter > COALESCE(m.counter, 0) ORDER BY w.card_number`,
      );
      return rows.map((row): PendingCredit => ({
        cardNumber: row.card_number,
        ledgerCounter: row.counter,
        confirmedCounter: row.confirmed_counter ?? 0,
        amount: row.balance - (row.confirmed_balance ?? 0),
      }));
    },

    async recordCashBox(input, operatorId) {
      if (input.kind === 'counted') checkCounts(input.counts);
      await inTx(async (tx, audit) => {
        const id = uuidv7(context.clock);
        const counts = input.kind === 'counted' ? JSON.stringify(sortedCounts(input.counts)) : null;
        await tx.run('INSERT INTO cash_box_events (id, kind, counts, operator_id, at) VALUES (?, ?, ?, ?, ?)', [id, input.kind, counts, operatorId, isoNow(context)]);
        await audit(
          input.kind === 'opened'
            ? { eventId: 'cash-box-open', operatorId, disposition: 'success', details: { cashBoxEventId: id } }
            : { eventId: 'cash-box-count', operatorId, disposition: 'success', details: { cashBoxEventId: id, ...countDetails(input.counts) } },
        );
      });
    },

    reconcile: () => db.transaction((tx) => reconcileIn(tx)),
  };
}

function checkCounts(counts: NoteCounts): void {
  for (const [note, count] of Object.entries(counts)) {
    if (!/^[1-9]\d*$/.test(note)) throw new Error(`not a denomination: ${note}`);
    if (!Number.isSafeInteger(count) || count < 0) throw new Error(`not a count of NT$${note} notes: ${count}`);
  }
}

const sortedCounts = (counts: NoteCounts): Record<string, number> =>
  Object.fromEntries(Object.entries(counts).sort(([a], [b]) => Number(a) - Number(b)));

/** `{ notes100: 12, notes500: 3 }`: flat audit details. */
const countDetails = (counts: NoteCounts): Record<string, number> => Object.fromEntries(Object.entries(sortedCounts(counts)).map(([note, n]) => [`notes${note}`, n]));

function tally(amounts: readonly number[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const amount of amounts) counts[String(amount)] = (counts[String(amount)] ?? 0) + 1;
  return sortedCounts(counts);
}

const notes = (n: number): string => `${n} note${n === 1 ? '' : 's'}`;

/** Exception kinds about a note (the others are about a card's chip). */
const noteExceptionKinds = ['events-lost', 'validator-restarted', 'note-unsafe-jam', 'note-unknown', 'note-unclaimed'];

/**
 * The last count of the cash box against what the kiosk recorded between the count before it (or the
 * start) and that count: notes credited to cards, and notes the journal saw stacked (credited, or taken
 * into an exception: a jam, lost events, a note nobody claimed). The box is emptied at each count.
 */
async function reconcileIn(tx: Queries): Promise<Reconciliation> {
  const counts = await tx.all<{ counts: string; at: string }>(`SELECT counts, at FROM cash_box_events WHERE kind = 'counted' ORDER BY seq DESC LIMIT 2`);
  const [last, previous] = counts;
  const since = previous?.at ?? null;
  const until = last?.at ?? null;
  const window = (column: string): { sql: string; params: string[] } => {
    const parts: string[] = [];
    const params: string[] = [];
    if (since !== null) {
      parts.push(`${column} > ?`);
      params.push(since);
    }
    if (until !== null) {
      parts.push(`${column} <= ?`);
      params.push(until);
    }
    return { sql: parts.length > 0 ? ` AND ${parts.join(' AND ')}` : '', params };
  };
  const creditedWindow = window('at');
  const credited = await tx.all<{ amount: number }>(`SELECT amount FROM ledger_transfers WHERE kind = 'cash-top-up'${creditedWindow.sql}`, creditedWindow.params);
  const journalWindow = window('closed_at');
  const stackedJournal = await tx.all<{ amount: number }>(`SELECT amount FROM cash_journal WHERE state = 'credited'${journalWindow.sql}`, journalWindow.params);
  const exceptionWindow = window('opened_at');
  const kinds = noteExceptionKinds.map(() => '?').join(', ');
  // A supervisor who found no note taken (`no-money`) takes it out of the stacked notes; one who credited it
  // puts it on a card (an adjustment transfer), so it counts as credited.
  const taken = await tx.all<{ amount: number; settled_at: string | null; settlement: string | null }>(
    `SELECT amount, settled_at, settlement FROM wallet_exceptions
      WHERE amount IS NOT NULL AND kind IN (${kinds}) AND (settlement IS NULL OR settlement <> 'no-money')${exceptionWindow.sql}`,
    [...noteExceptionKinds, ...exceptionWindow.params],
  );
  const counted = last ? (JSON.parse(last.counts) as Record<string, number>) : null;
  const creditedCounts = tally([...credited, ...taken.filter((row) => row.settlement === 'credited')].map((row) => row.amount));
  const stackedCounts = tally([...stackedJournal, ...taken].map((row) => row.amount));
  const inDoubt = tally(taken.filter((row) => row.settled_at === null).map((row) => row.amount));

  const differences: string[] = [];
  if (counted === null) differences.push('the cash box has not been counted yet: count it with `kioskctl cash-box count 100=N 500=N 1000=N`');
  const denominations = [...new Set([...Object.keys(counted ?? {}), ...Object.keys(creditedCounts), ...Object.keys(stackedCounts)])].sort((a, b) => Number(a) - Number(b));
  for (const note of denominations) {
    const inBox = counted?.[note] ?? 0;
    const stacked = stackedCounts[note] ?? 0;
    const toCards = creditedCounts[note] ?? 0;
    if (counted !== null && inBox !== stacked) {
      differences.push(
        inBox < stacked
          ? `NT$${note}: ${notes(stacked - inBox)} fewer in the box than the kiosk stacked (counted ${inBox}, stacked ${stacked})`
          : `NT$${note}: ${notes(inBox - stacked)} more in the box than the kiosk stacked (counted ${inBox}, stacked ${stacked})`,
      );
    }
    if (toCards < stacked) {
      const open = inDoubt[note] ?? 0;
      differences.push(
        `NT$${note}: ${notes(stacked - toCards)} stacked but not credited to a card (stacked ${stacked}, credited ${toCards}; ` +
          `${open > 0 ? `${open} in exceptions waiting for a supervisor` : 'their exceptions are settled'})`,
      );
    } else if (toCards > stacked) {
      differences.push(`NT$${note}: ${notes(toCards - stacked)} credited to cards that the journal never saw stacked (credited ${toCards}, stacked ${stacked})`);
    }
  }
  return { since, counted, credited: creditedCounts, stacked: stackedCounts, inDoubt, differences };
}
