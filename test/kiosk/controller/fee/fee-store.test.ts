import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../kiosk/controller/store/database';
import { latestSchemaVersion, schemaVersion } from '../../../../kiosk/controller/store/migrate';
import type { RecordIssuanceInput } from '../../../../kiosk/controller/store/issuances';
import type { Store } from '../../../../kiosk/controller/store/store';
import { figuresOfPeriod } from '../../../../kiosk/controller/reports/from-store';
import { issuance, openTempStore, person, type TempStore } from '../store/temp-store';

/**
 * Issue 16: the fee in the issuance's transaction (migration 008). A fee paid from the replaced card's
 * e-wallet is a `fee` transfer written with the issuance or not at all, once per job.
 */

const oldCard = '3300011300000015';
const newCard = '3300011300000023';
const cap = 10_000;

async function topUp(store: Store, cardNumber: string, amount: number): Promise<void> {
  const { topUpId } = await store.wallet.startTopUp(cardNumber);
  const escrow = await store.wallet.journalEscrow({ topUpId, cardNumber, device: 'cctalk', billType: 1, amount, escrowCounter: 1 });
  if (!escrow.ok) throw new Error(escrow.error.kind);
  await store.wallet.markRouting(escrow.value.journalId);
  const credited = await store.wallet.creditStacked({ journalId: escrow.value.journalId, stackedCounter: 2, cap });
  if (!credited.ok) throw new Error(credited.error.kind);
  await store.wallet.endTopUp(topUpId);
}

const replacement = (settlement: RecordIssuanceInput['feeSettlement'], cardNumber = newCard): RecordIssuanceInput => ({
  ...issuance({ cardNumber, cause: 'replacement', replacementCause: 'lost' }),
  fee: 94,
  ...(settlement ? { feeSettlement: settlement } : {}),
});
const fromWallet = { method: 'wallet' as const, waiverReason: null, approvedBy: null, receiptId: 'receipt-1', walletCardNumber: oldCard };

async function feeTransfers(t: TempStore): Promise<Array<{ kind: string; from_account: string; to_account: string; amount: number; journal_id: string }>> {
  const raw = await openDatabase(t.path);
  try {
    return await raw.all(`SELECT kind, from_account, to_account, amount, journal_id FROM ledger_transfers WHERE kind = 'fee' ORDER BY seq`);
  } finally {
    await raw.close();
  }
}

describe('store: the fee in the issuance transaction (migration 008)', () => {
  let t: TempStore;
  beforeEach(async () => {
    t = await openTempStore();
    const first = await t.store.recordIssuance(issuance({ cardNumber: oldCard }));
    if (!first.ok) throw new Error(first.error.kind);
    await topUp(t.store, oldCard, 100);
  });
  afterEach(async () => t.cleanup());

  it('migrates to 008: the issuance keeps the fee method, waiver, approver and receipt id', async () => {
    const raw = await openDatabase(t.path);
    try {
      expect(await schemaVersion(raw)).toBe(latestSchemaVersion());
      const columns = (await raw.all<{ name: string }>(`SELECT name FROM pragma_table_info('issuances')`)).map((column) => column.name);
      expect(columns).toEqual(expect.arrayContaining(['fee_method', 'fee_waiver_reason', 'fee_approved_by', 'fee_receipt_id']));
      // The rebuilt ledger kept the top-up.
      expect(await raw.get(`SELECT COUNT(*) AS n FROM ledger_transfers WHERE kind = 'cash-top-up'`)).toEqual({ n: 1 });
    } finally {
      await raw.close();
    }
  });

  it('finds the replaced card’s e-wallet and its balance; none for a card the ledger keeps no wallet for', async () => {
    expect(await t.store.feeWallet(person.idNumber, 'senior')).toEqual({ cardNumber: oldCard, balance: 100 });
    expect(await t.store.feeWallet(person.idNumber, 'general')).toBeNull();
  });

  it('a fee paid from the e-wallet moves wallet → fee income with the issuance, audited with its method and receipt', async () => {
    const recorded = await t.store.recordIssuance(replacement(fromWallet));
    if (!recorded.ok) throw new Error(recorded.error.kind);
    expect(await feeTransfers(t)).toEqual([{ kind: 'fee', from_account: `wallet:${oldCard}`, to_account: 'fee-income', amount: 94, journal_id: recorded.value.issuanceId }]);
    expect((await t.store.wallet.walletOf(oldCard)).balance).toBe(6);
    const audit = (await t.store.readAudit()).find((entry) => entry.eventId === 'issuance-fee');
    expect(audit?.details).toMatchObject({ issuanceId: recorded.value.issuanceId, amount: 94, method: 'wallet', receiptId: 'receipt-1', walletCardNumber: oldCard, waiverReason: null, approvedBy: null });
    expect(audit?.details['transferId']).toEqual(expect.any(String));
  });

  it('a short e-wallet records nothing: no card, no money moved', async () => {
    const short = await t.store.recordIssuance({ ...replacement(fromWallet), fee: 194 });
    expect(short).toEqual({ ok: false, error: { kind: 'wallet_short', balance: 100, fee: 194 } });
    expect(await t.store.cardByNumber(newCard)).toBeNull();
    expect(await feeTransfers(t)).toEqual([]);
    expect((await t.store.wallet.walletOf(oldCard)).balance).toBe(100);
  });

  it('a crash after the debit and before the commit leaves neither: a second store instance finds no money taken and no card, and the retry takes it once', async () => {
    // A fault inside the transaction after the wallet debit (the fee's audit row is the last write): as a crash, the transaction never commits.
    const other = await openDatabase(t.path);
    await other.exec(`CREATE TRIGGER crash_at_fee_audit BEFORE INSERT ON audit WHEN NEW.event_id = 'issuance-fee' BEGIN SELECT RAISE(ABORT, 'simulated crash'); END`);
    await expect(t.store.recordIssuance(replacement(fromWallet))).rejects.toThrow(/simulated crash/);
    await other.exec('DROP TRIGGER crash_at_fee_audit');
    await other.close();

    const second = await t.reopen();
    expect(await second.cardByNumber(newCard)).toBeNull();
    expect(await feeTransfers(t)).toEqual([]);
    expect((await second.wallet.walletOf(oldCard)).balance).toBe(100);

    const retried = await second.recordIssuance(replacement(fromWallet));
    expect(retried.ok).toBe(true);
    // The same card again (a repeated commit) is refused and takes nothing more.
    expect(await second.recordIssuance(replacement(fromWallet))).toMatchObject({ ok: false, error: { kind: 'card_number_taken' } });
    expect(await feeTransfers(t)).toHaveLength(1);
    expect((await second.wallet.walletOf(oldCard)).balance).toBe(6);
  });

  it('takes a job’s fee once: the ledger refuses a second fee transfer for the same job', async () => {
    const recorded = await t.store.recordIssuance(replacement(fromWallet));
    if (!recorded.ok) throw new Error(recorded.error.kind);
    const raw = await openDatabase(t.path);
    try {
      await expect(
        raw.run(
          `INSERT INTO ledger_transfers (id, kiosk_id, kind, from_account, to_account, amount, card_number, journal_id, at) VALUES ('x', 'TY-K01', 'fee', ?, 'fee-income', 94, ?, ?, '2026-03-01T09:00:00Z')`,
          [`wallet:${oldCard}`, oldCard, recorded.value.issuanceId],
        ),
      ).rejects.toThrow(/UNIQUE/);
    } finally {
      await raw.close();
    }
  });

  it('refuses a waiver without its reason and supervisor, and a settlement of a free card', async () => {
    expect(await t.store.recordIssuance(replacement({ method: 'waived', waiverReason: 'low-income', approvedBy: null, receiptId: null, walletCardNumber: null }))).toMatchObject({ ok: false, error: { kind: 'invalid_fee_settlement' } });
    expect(await t.store.recordIssuance({ ...replacement({ method: 'cash', waiverReason: null, approvedBy: null, receiptId: 'r', walletCardNumber: null }), fee: 0 })).toMatchObject({ ok: false, error: { kind: 'invalid_fee_settlement' } });
  });

  it('counts the fees by method: paid cash, paid e-wallet, waived (count and amount)', async () => {
    const other = (idNumber: string) => ({ ...person, idNumber });
    const cash = await t.store.recordIssuance({ ...replacement({ method: 'cash', waiverReason: null, approvedBy: null, receiptId: 'r2', walletCardNumber: null }, '3300011300000031'), applicant: other('B120000001'), cause: 'new' });
    const wallet = await t.store.recordIssuance(replacement(fromWallet));
    const waived = await t.store.recordIssuance({ ...replacement({ method: 'waived', waiverReason: 'disaster-victim', approvedBy: 'sup-1', receiptId: null, walletCardNumber: null }, '3300011300000049'), applicant: other('F120000006'), cause: 'new' });
    expect([cash.ok, wallet.ok, waived.ok]).toEqual([true, true, true]);
    const period = await figuresOfPeriod(t.store, '2026-03-01', '2026-03-01');
    if (!period.ok) throw new Error(period.error.kind);
    expect(period.value.cards.fees).toEqual({ cash: { count: 1, amount: 94 }, wallet: { count: 1, amount: 94 }, waived: { count: 1, amount: 94 }, unrecorded: { count: 0, amount: 0 } });
  });
});
