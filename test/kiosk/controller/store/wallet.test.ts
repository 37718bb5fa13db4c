import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../kiosk/controller/store/database';
import { openStore, type Store } from '../../../../kiosk/controller/store/store';
import type { CashDeviceKind } from '../../../../kiosk/controller/store/wallet-types';
import { issuance, kioskId, openTempStore, type TempStore } from './temp-store';

const card = 'TY-K01-S-0000001';
const cap = 10_000;

interface TransferRow {
  kind: string;
  from_account: string;
  to_account: string;
  amount: number;
  month: string | null;
  journal_id: string | null;
}

async function transfers(t: TempStore): Promise<TransferRow[]> {
  const raw = await openDatabase(t.path);
  try {
    return await raw.all<TransferRow>('SELECT kind, from_account, to_account, amount, month, journal_id FROM ledger_transfers ORDER BY seq');
  } finally {
    await raw.close();
  }
}

/** One note through the exactly-once order: escrow journaled, routed, reported stacked, credited. */
async function creditNote(store: Store, amount: number, device: CashDeviceKind = 'cctalk'): Promise<string> {
  const { topUpId } = await store.wallet.startTopUp(card);
  const escrow = await store.wallet.journalEscrow({ topUpId, cardNumber: card, device, billType: amount / 100, amount, escrowCounter: 1 });
  if (!escrow.ok) throw new Error(escrow.error.kind);
  expect((await store.wallet.markRouting(escrow.value.journalId)).ok).toBe(true);
  const credited = await store.wallet.creditStacked({ journalId: escrow.value.journalId, stackedCounter: 2, cap });
  if (!credited.ok) throw new Error(credited.error.kind);
  await store.wallet.endTopUp(topUpId);
  return escrow.value.journalId;
}

describe('store.wallet', () => {
  let t: TempStore;
  beforeEach(async () => {
    t = await openTempStore();
  });
  afterEach(() => t.cleanup());

  it('knows a card only when its issuance is on file, with the monthly points stored at the commit', async () => {
    const unknown = await t.store.wallet.walletOf(card);
    expect(unknown).toEqual({ known: false, balance: 0, counter: 0, confirmed: null, monthlyPoints: null });
    await t.store.recordIssuance(issuance({ monthlyPoints: 1_000 }));
    expect(await t.store.wallet.walletOf(card)).toEqual({ known: true, balance: 0, counter: 0, confirmed: null, monthlyPoints: 1_000 });
  });

  it('credits a stacked note once: a cash-box → wallet transfer, the journal row closed, a second credit changes nothing', async () => {
    await t.store.recordIssuance(issuance({ monthlyPoints: 800 }));
    const { topUpId } = await t.store.wallet.startTopUp(card);
    const escrow = await t.store.wallet.journalEscrow({ topUpId, cardNumber: card, device: 'cctalk', billType: 5, amount: 500, escrowCounter: 7 });
    if (!escrow.ok) throw new Error(escrow.error.kind);
    const { journalId } = escrow.value;
    expect(await t.store.wallet.openJournal('cctalk')).toMatchObject({ id: journalId, state: 'escrow', escrowCounter: 7, amount: 500 });
    expect(await t.store.wallet.markRouting(journalId)).toEqual({ ok: true, value: undefined });
    expect((await t.store.wallet.openJournal('cctalk'))?.state).toBe('routing');

    expect(await t.store.wallet.creditStacked({ journalId, stackedCounter: 8, cap })).toEqual({ ok: true, value: { balance: 500, counter: 1 } });
    expect(await t.store.wallet.creditStacked({ journalId, stackedCounter: 8, cap })).toEqual({ ok: false, error: { kind: 'already_closed', journalId, state: 'credited' } });
    expect(await t.store.wallet.closeReturned(journalId, 'late')).toEqual({ ok: false, error: { kind: 'already_closed', journalId, state: 'credited' } });

    expect(await transfers(t)).toEqual([{ kind: 'cash-top-up', from_account: 'cash-box', to_account: `wallet:${card}`, amount: 500, month: null, journal_id: journalId }]);
    expect(await t.store.wallet.journalOf(topUpId)).toEqual([expect.objectContaining({ id: journalId, state: 'credited', stackedCounter: 8, closedAt: expect.any(String) })]);
    expect(await t.store.wallet.openJournal('cctalk')).toBeNull();
    expect((await t.store.wallet.walletOf(card))).toMatchObject({ balance: 500, counter: 1 });

    const audit = await t.store.readAudit({ limit: 50 });
    expect(audit.filter((row) => row.eventId === 'wallet-top-up')).toEqual([expect.objectContaining({ details: expect.objectContaining({ journalId, amount: 500, balance: 500 }) })]);
    expect(JSON.stringify(audit)).not.toContain('陳');
    expect((await t.store.verifyAudit()).ok).toBe(true);
  });

  it('the unique index refuses a second credit of one note even past the code', async () => {
    await t.store.recordIssuance(issuance());
    const journalId = await creditNote(t.store, 100);
    const raw = await openDatabase(t.path);
    await expect(
      raw.run(`INSERT INTO ledger_transfers (id, kiosk_id, kind, from_account, to_account, amount, card_number, journal_id, at) VALUES ('x', ?, 'cash-top-up', 'cash-box', ?, 100, ?, ?, 'now')`, [kioskId, `wallet:${card}`, card, journalId]),
    ).rejects.toThrow(/UNIQUE/);
    await raw.close();
  });

  it('checks the cap inside the credit: over it, nothing is credited and the note stays open', async () => {
    await t.store.recordIssuance(issuance());
    for (let i = 0; i < 9; i++) await creditNote(t.store, 1_000);
    await creditNote(t.store, 500);
    const { topUpId } = await t.store.wallet.startTopUp(card);
    const escrow = await t.store.wallet.journalEscrow({ topUpId, cardNumber: card, device: 'cctalk', billType: 10, amount: 1_000, escrowCounter: 3 });
    if (!escrow.ok) throw new Error(escrow.error.kind);
    expect(await t.store.wallet.creditStacked({ journalId: escrow.value.journalId, stackedCounter: 4, cap })).toEqual({ ok: false, error: { kind: 'over_cap', balance: 9_500, cap } });
    expect((await t.store.wallet.walletOf(card)).balance).toBe(9_500);
    expect((await t.store.wallet.openJournal('cctalk'))?.id).toBe(escrow.value.journalId);
    // A note of 500 fits exactly.
    expect(await t.store.wallet.closeReturned(escrow.value.journalId, 'over-cap')).toEqual({ ok: true, value: undefined });
    await creditNote(t.store, 500);
    expect((await t.store.wallet.walletOf(card)).balance).toBe(10_000);
  });

  it('one note open per device; a returned note is closed without a credit', async () => {
    await t.store.recordIssuance(issuance());
    const { topUpId } = await t.store.wallet.startTopUp(card);
    const first = await t.store.wallet.journalEscrow({ topUpId, cardNumber: card, device: 'cctalk', billType: 1, amount: 100, escrowCounter: 1 });
    if (!first.ok) throw new Error(first.error.kind);
    expect(await t.store.wallet.journalEscrow({ topUpId, cardNumber: card, device: 'cctalk', billType: 1, amount: 100, escrowCounter: 2 })).toEqual({ ok: false, error: { kind: 'note_open', journalId: first.value.journalId } });
    expect((await t.store.wallet.journalEscrow({ topUpId, cardNumber: card, device: 'pulse', billType: null, amount: 100, escrowCounter: null })).ok).toBe(true);
    expect(await t.store.wallet.closeReturned(first.value.journalId, 'cancel')).toEqual({ ok: true, value: undefined });
    expect(await t.store.wallet.creditStacked({ journalId: first.value.journalId, stackedCounter: 2, cap })).toEqual({ ok: false, error: { kind: 'already_closed', journalId: first.value.journalId, state: 'returned' } });
    expect(await t.store.wallet.markRouting('nope')).toEqual({ ok: false, error: { kind: 'journal_not_found', journalId: 'nope' } });
    expect((await t.store.wallet.walletOf(card)).balance).toBe(0);
  });

  it('loads the month’s points once, and lapses what an earlier month left before the next load', async () => {
    await t.store.recordIssuance(issuance({ monthlyPoints: 800 }));
    expect(await t.store.wallet.pointsOf(card, '2026-03')).toEqual({ month: '2026-03', balance: 0, loadedNow: false });
    expect(await t.store.wallet.loadMonthlyPoints({ cardNumber: card, month: '2026-03', points: 800 })).toEqual({ month: '2026-03', balance: 800, loadedNow: true });
    expect(await t.store.wallet.loadMonthlyPoints({ cardNumber: card, month: '2026-03', points: 800 })).toEqual({ month: '2026-03', balance: 800, loadedNow: false });
    // April: March's 800 are not April's.
    expect(await t.store.wallet.pointsOf(card, '2026-04')).toEqual({ month: '2026-04', balance: 0, loadedNow: false });
    expect(await t.store.wallet.loadMonthlyPoints({ cardNumber: card, month: '2026-04', points: 800 })).toEqual({ month: '2026-04', balance: 800, loadedNow: true });
    // A clock set back to March loads nothing.
    expect(await t.store.wallet.loadMonthlyPoints({ cardNumber: card, month: '2026-03', points: 800 })).toMatchObject({ loadedNow: false });
    expect(await transfers(t)).toEqual([
      { kind: 'points-load', from_account: 'points-grant:2026-03', to_account: `points:${card}`, amount: 800, month: '2026-03', journal_id: null },
      { kind: 'points-lapse', from_account: `points:${card}`, to_account: 'points-lapsed:2026-03', amount: 800, month: '2026-03', journal_id: null },
      { kind: 'points-load', from_account: 'points-grant:2026-04', to_account: `points:${card}`, amount: 800, month: '2026-04', journal_id: null },
    ]);
    // Points are not money: the wallet is untouched.
    expect(await t.store.wallet.walletOf(card)).toMatchObject({ balance: 0, counter: 0 });
    const history = await t.store.wallet.history(card, 10);
    expect(history.map((row) => [row.kind, row.amount])).toEqual([['points-load', 800], ['points-lapse', -800], ['points-load', 800]]);
  });

  it('two stores on one file loading the same month at once: one load', async () => {
    await t.store.recordIssuance(issuance({ monthlyPoints: 800 }));
    const second = await openStore({ path: t.path, keyFile: t.keyFile, kioskId, clock: t.clock });
    if (!second.ok) throw new Error(second.error.kind);
    try {
      const loads = await Promise.all([
        t.store.wallet.loadMonthlyPoints({ cardNumber: card, month: '2026-03', points: 800 }),
        second.value.wallet.loadMonthlyPoints({ cardNumber: card, month: '2026-03', points: 800 }),
        second.value.wallet.loadMonthlyPoints({ cardNumber: card, month: '2026-03', points: 800 }),
        t.store.wallet.loadMonthlyPoints({ cardNumber: card, month: '2026-03', points: 800 }),
      ]);
      expect(loads.filter((load) => load.loadedNow)).toHaveLength(1);
      expect(loads.map((load) => load.balance)).toEqual([800, 800, 800, 800]);
    } finally {
      await second.value.close();
    }
    expect((await transfers(t)).filter((row) => row.kind === 'points-load')).toHaveLength(1);
    expect((await t.store.verifyAudit()).ok).toBe(true);
  });

  it('an exception closes its journal row; a supervisor settles it once, `credited` posting an adjustment', async () => {
    await t.store.recordIssuance(issuance());
    const { topUpId } = await t.store.wallet.startTopUp(card);
    const escrow = await t.store.wallet.journalEscrow({ topUpId, cardNumber: card, device: 'cctalk', billType: 5, amount: 500, escrowCounter: 4 });
    if (!escrow.ok) throw new Error(escrow.error.kind);
    const { id } = await t.store.wallet.raiseException({ kind: 'note-unsafe-jam', cardNumber: card, journalId: escrow.value.journalId, amount: 500, details: { counter: 5 } });
    expect(await t.store.wallet.openJournal('cctalk')).toBeNull();
    expect((await t.store.wallet.journalOf(topUpId))[0]?.state).toBe('exception');
    expect(await t.store.wallet.creditStacked({ journalId: escrow.value.journalId, stackedCounter: 5, cap })).toMatchObject({ ok: false, error: { kind: 'already_closed', state: 'exception' } });
    expect(await t.store.wallet.exceptions({ open: true })).toEqual([expect.objectContaining({ id, kind: 'note-unsafe-jam', amount: 500, details: { counter: 5 }, settlement: null })]);

    const settled = await t.store.wallet.settleException({ id, settlement: 'credited', operatorId: 'sup-1' });
    expect(settled).toMatchObject({ ok: true, value: { id, settlement: 'credited', settledBy: 'sup-1' } });
    expect(await t.store.wallet.settleException({ id, settlement: 'credited', operatorId: 'sup-1' })).toEqual({ ok: false, error: { kind: 'already_settled', id } });
    expect(await t.store.wallet.walletOf(card)).toMatchObject({ balance: 500, counter: 1 });
    expect((await transfers(t)).filter((row) => row.kind === 'adjustment')).toEqual([{ kind: 'adjustment', from_account: 'adjustment', to_account: `wallet:${card}`, amount: 500, month: null, journal_id: id }]);
    expect(await t.store.wallet.exceptions({ open: true })).toEqual([]);
    expect(await t.store.wallet.exceptions({ open: false })).toHaveLength(1);

    const noCard = await t.store.wallet.raiseException({ kind: 'events-lost', cardNumber: null, journalId: null, amount: null, details: {} });
    expect(await t.store.wallet.settleException({ id: noCard.id, settlement: 'credited', operatorId: 'sup-1' })).toEqual({ ok: false, error: { kind: 'cannot_credit', id: noCard.id, missing: 'card' } });
    expect((await t.store.wallet.settleException({ id: noCard.id, settlement: 'no-money', operatorId: 'sup-1' })).ok).toBe(true);
    expect(await t.store.wallet.settleException({ id: 'nope', settlement: 'refunded', operatorId: 'sup-1' })).toEqual({ ok: false, error: { kind: 'exception_not_found', id: 'nope' } });
    const audit = await t.store.readAudit({ eventIds: ['wallet-exception-settled'] });
    expect(audit.map((row) => [row.operatorId, row.details['settlement']])).toEqual([['sup-1', 'credited'], ['sup-1', 'no-money']]);
  });

  it('an exception is audited without personal data; a note nobody claimed keeps the catalogue’s cash-note-unclaimed', async () => {
    await t.store.wallet.raiseException({ kind: 'mirror-ahead', cardNumber: card, journalId: null, amount: null, details: { chipCounter: 3, ledgerCounter: 2 } });
    await t.store.wallet.raiseException({ kind: 'note-unclaimed', cardNumber: null, journalId: null, amount: 500, details: { device: 'pulse' } });
    const audit = await t.store.readAudit({ eventIds: ['wallet-exception', 'cash-note-unclaimed'] });
    expect(audit.map((row) => [row.eventId, row.details['kind'], row.details['amount']])).toEqual([['wallet-exception', 'mirror-ahead', null], ['cash-note-unclaimed', 'note-unclaimed', 500]]);
    expect(audit[0]?.details['details']).toBe('{"chipCounter":3,"ledgerCounter":2}');
  });

  it('a card whose ledger counter is ahead of its confirmed mirror has a credit pending until the mirror is confirmed', async () => {
    await t.store.recordIssuance(issuance());
    await creditNote(t.store, 500);
    await t.store.wallet.confirmMirror({ cardNumber: card, counter: 1, balance: 500 });
    expect(await t.store.wallet.pendingCredits()).toEqual([]);
    await creditNote(t.store, 100);
    expect(await t.store.wallet.pendingCredits()).toEqual([{ cardNumber: card, ledgerCounter: 2, confirmedCounter: 1, amount: 100 }]);
    expect((await t.store.wallet.walletOf(card)).confirmed).toEqual({ counter: 1, balance: 500 });
    await t.store.wallet.confirmMirror({ cardNumber: card, counter: 2, balance: 600 });
    expect(await t.store.wallet.pendingCredits()).toEqual([]);
  });

  it('an exception raised for a note already credited (a fault racing its credit) names no money: it cannot be credited twice', async () => {
    await t.store.recordIssuance(issuance());
    const journalId = await creditNote(t.store, 500);
    const { id } = await t.store.wallet.raiseException({ kind: 'note-unknown', cardNumber: card, journalId, amount: 500, details: { reason: 'validator disconnected' } });
    const [raised] = await t.store.wallet.exceptions({ open: true });
    expect(raised).toMatchObject({ id, amount: null, details: { reason: 'validator disconnected', journalState: 'credited' } });
    expect(await t.store.wallet.settleException({ id, settlement: 'credited', operatorId: 'sup-1' })).toMatchObject({ ok: false, error: { kind: 'cannot_credit' } });
    expect((await t.store.wallet.walletOf(card)).balance).toBe(500);
  });

  it('reconciles the last count with the notes credited and stacked since the count before it, naming each difference', async () => {
    await t.store.recordIssuance(issuance());
    expect((await t.store.wallet.reconcile()).differences).toEqual([expect.stringContaining('not been counted')]);
    await creditNote(t.store, 100); // before the first count: not in the second one
    t.clock.advance(1_000);
    await t.store.wallet.recordCashBox({ kind: 'counted', counts: { '100': 1 } }, 'sup-1');
    expect((await t.store.wallet.reconcile()).differences).toEqual([]);

    t.clock.advance(1_000);
    await creditNote(t.store, 500);
    await creditNote(t.store, 500);
    await creditNote(t.store, 1_000);
    const { topUpId } = await t.store.wallet.startTopUp(card);
    const jam = await t.store.wallet.journalEscrow({ topUpId, cardNumber: card, device: 'cctalk', billType: 1, amount: 100, escrowCounter: 9 });
    if (!jam.ok) throw new Error(jam.error.kind);
    await t.store.wallet.raiseException({ kind: 'note-unsafe-jam', cardNumber: card, journalId: jam.value.journalId, amount: 100, details: {} });
    t.clock.advance(1_000);
    await t.store.wallet.recordCashBox({ kind: 'opened' }, 'sup-1');
    await t.store.wallet.recordCashBox({ kind: 'counted', counts: { '100': 1, '500': 1, '1000': 1 } }, 'sup-1');
    t.clock.advance(1_000);
    await creditNote(t.store, 1_000); // after the last count: the next one's

    const reconciliation = await t.store.wallet.reconcile();
    expect(reconciliation).toMatchObject({
      counted: { '100': 1, '500': 1, '1000': 1 },
      credited: { '500': 2, '1000': 1 },
      stacked: { '100': 1, '500': 2, '1000': 1 },
      inDoubt: { '100': 1 },
    });
    expect(reconciliation.since).not.toBeNull();
    expect(reconciliation.differences).toEqual([
      'NT$100: 1 note stacked but not credited to a card (stacked 1, credited 0; 1 in exceptions waiting for a supervisor)',
      'NT$500: 1 note fewer in the box than the kiosk stacked (counted 1, stacked 2)',
    ]);
    // The supervisor settles the jam by crediting the note by hand: it counts as credited to a card.
    const [open] = await t.store.wallet.exceptions({ open: true });
    await t.store.wallet.settleException({ id: open!.id, settlement: 'credited', operatorId: 'sup-1' });
    expect((await t.store.wallet.reconcile()).differences).toEqual(['NT$500: 1 note fewer in the box than the kiosk stacked (counted 1, stacked 2)']);
    const audit = await t.store.readAudit({ eventIds: ['cash-box-open', 'cash-box-count'] });
    expect(audit.map((row) => row.eventId)).toEqual(['cash-box-count', 'cash-box-open', 'cash-box-count']);
    expect(audit[2]?.details).toMatchObject({ notes100: 1, notes500: 1, notes1000: 1 });
  });
});
