import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { command as pending } from '../../../scripts/kioskctl/commands/pending';
import { command as receipt } from '../../../scripts/kioskctl/commands/receipt';
import { command as reconcile } from '../../../scripts/kioskctl/commands/reconcile';
import { createOperatorService } from '../../../kiosk/controller/auth/operator-service';
import { openReceiptSigner } from '../../../kiosk/controller/receipt/receipt-signer';
import type { Store } from '../../../kiosk/controller/store/store';
import { issuance, kioskId, openTempStore, type TempStore } from '../../kiosk/controller/store/temp-store';
import { runKioskctl } from './run-kioskctl';

const card = '3300012000000018';
const supervisorCard = 'STAFF-S-100';
const supervisorPin = '482913';
const operatorCard = 'STAFF-O-200';
const operatorPin = '571846';

async function creditNote(store: Store, amount: number): Promise<void> {
  const { topUpId } = await store.wallet.startTopUp(card);
  const escrow = await store.wallet.journalEscrow({ topUpId, cardNumber: card, device: 'cctalk', billType: amount / 100, amount, escrowCounter: 1 });
  if (!escrow.ok) throw new Error(escrow.error.kind);
  const credited = await store.wallet.creditStacked({ journalId: escrow.value.journalId, stackedCounter: 2, cap: 10_000 });
  if (!credited.ok) throw new Error(credited.error.kind);
}

describe('kioskctl pending, settle, cash-box, reconcile, receipt', () => {
  let t: TempStore;
  let flags: string[];
  let out: string[];
  let supervisorId: string;
  let exceptionId: string;

  beforeEach(async () => {
    t = await openTempStore();
    await t.store.recordIssuance(issuance({ cardNumber: card, monthlyPoints: 800 }));
    const auth = createOperatorService(t.store, { clock: t.clock, pinCost: { N: 1024, r: 8, p: 1 } });
    const supervisor = await auth.addOperator({ staffCardNumber: supervisorCard, name: 'SUPERVISOR', role: 'supervisor', pin: supervisorPin, actorId: null });
    if (!supervisor.ok) throw new Error(supervisor.error.kind);
    supervisorId = supervisor.value.operatorId;
    await auth.addOperator({ staffCardNumber: operatorCard, name: 'OPERATOR', role: 'operator', pin: operatorPin, actorId: null });
    await creditNote(t.store, 500);
    const { topUpId } = await t.store.wallet.startTopUp(card);
    const jam = await t.store.wallet.journalEscrow({ topUpId, cardNumber: card, device: 'cctalk', billType: 1, amount: 100, escrowCounter: 3 });
    if (!jam.ok) throw new Error(jam.error.kind);
    exceptionId = (await t.store.wallet.raiseException({ kind: 'note-unsafe-jam', cardNumber: card, journalId: jam.value.journalId, amount: 100, details: { counter: 4 } })).id;
    await t.store.close();
    flags = ['--db', t.path, '--key', t.keyFile, '--kiosk', kioskId];
    out = [];
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await t.reopen();
    await t.cleanup();
  });

  const capture = () => {
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
  };

  it('pending: the credit waiting for the chip and the open exception, card last 4 only', async () => {
    capture();
    expect(await pending.run([...flags])).toBe(0);
    const text = out.join('');
    expect(text).toContain('pending credits: 1');
    expect(text).toMatch(/…0018\s+500\s+1\s+0/);
    expect(text).toContain('open exceptions: 1');
    expect(text).toMatch(new RegExp(`${exceptionId}\\s+note-unsafe-jam\\s+…0018\\s+100`));
    expect(text).not.toContain(card);
    out.length = 0;
    expect(await pending.run(['--json', ...flags])).toBe(0);
    expect(JSON.parse(out.join(''))).toEqual({
      credits: [{ card: '0018', amount: 500, ledgerCounter: 1, chipCounter: 0 }],
      exceptions: [expect.objectContaining({ id: exceptionId, kind: 'note-unsafe-jam', card: '0018', amount: 100 })],
    });
  });

  it('settle: refused to an operator and to a wrong PIN; a supervisor credits it once, audited under their id', async () => {
    const asOperator = await runKioskctl(['settle', exceptionId, '--as', 'credited', '--card', operatorCard, ...flags], `${operatorPin}\n`);
    expect(asOperator.code).toBe(1);
    expect(asOperator.stderr).toContain('the operator role may not settle-money-exception');
    const wrongPin = await runKioskctl(['settle', exceptionId, '--as', 'credited', '--card', supervisorCard, ...flags], '000000\n');
    expect(wrongPin.code).toBe(1);
    expect(wrongPin.stderr).toContain('wrong PIN');
    expect((await runKioskctl(['settle', exceptionId, '--as', 'paid', '--card', supervisorCard, ...flags])).code).toBe(2);

    const settled = await runKioskctl(['settle', exceptionId, '--as', 'credited', '--card', supervisorCard, ...flags], `${supervisorPin}\n`);
    expect(settled.stderr).toBe('');
    expect(settled.code).toBe(0);
    expect(settled.stdout).toContain(`settled ${exceptionId} (note-unsafe-jam) as credited: NT$100 credited to card …0018`);
    const again = await runKioskctl(['settle', exceptionId, '--as', 'credited', '--card', supervisorCard, ...flags], `${supervisorPin}\n`);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('settled before: nothing changed');

    const store = await t.reopen();
    expect((await store.wallet.walletOf(card)).balance).toBe(600);
    const audit = await store.readAudit({ eventIds: ['wallet-exception-settled', 'auth-permission-refused', 'auth-sign-in', 'auth-sign-out'], limit: 100 });
    expect(audit.filter((row) => row.eventId === 'wallet-exception-settled').map((row) => [row.operatorId, row.details['settlement']])).toEqual([[supervisorId, 'credited']]);
    expect(audit.filter((row) => row.eventId === 'auth-permission-refused')).toHaveLength(1);
    expect(audit.filter((row) => row.eventId === 'auth-sign-in' && row.disposition === 'failure')).toHaveLength(1);
    expect((await store.verifyAudit()).ok).toBe(true);
  });

  it('cash-box open and count: a supervisor’s, audited; reconcile names the differences and exits 1, 0 when all agree', async () => {
    capture();
    expect(await reconcile.run([...flags])).toBe(1);
    expect(out.join('')).toContain('not been counted');
    vi.restoreAllMocks();

    expect((await runKioskctl(['cash-box', 'count', '100=x', '--card', supervisorCard, ...flags], `${supervisorPin}\n`)).code).toBe(2);
    expect((await runKioskctl(['cash-box', 'open', '--card', operatorCard, ...flags], `${operatorPin}\n`)).code).toBe(1);
    const opened = await runKioskctl(['cash-box', 'open', '--card', supervisorCard, ...flags], `${supervisorPin}\n`);
    expect(opened.code).toBe(0);
    const counted = await runKioskctl(['cash-box', 'count', '100=0', '500=1', '--card', supervisorCard, ...flags], `${supervisorPin}\n`);
    expect(counted.stderr).toBe('');
    expect(counted.stdout).toContain('count recorded: 0 × NT$100, 1 × NT$500 = NT$500');

    out.length = 0;
    capture();
    expect(await reconcile.run([...flags])).toBe(1);
    expect(out.join('')).toContain('NT$100: 1 note fewer in the box than the kiosk stacked (counted 0, stacked 1)');
    expect(out.join('')).toContain('NT$100: 1 note stacked but not credited to a card (stacked 1, credited 0; 1 in exceptions waiting for a supervisor)');
    expect(out.join('')).not.toContain('NT$500:');
    vi.restoreAllMocks();

    const store = await t.reopen();
    const audit = await store.readAudit({ eventIds: ['cash-box-open', 'cash-box-count'] });
    expect(audit.map((row) => [row.eventId, row.operatorId])).toEqual([['cash-box-open', supervisorId], ['cash-box-count', supervisorId]]);
    // The jam took no note after all (the count shows it): settled, and the next count agrees.
    expect((await store.wallet.settleException({ id: exceptionId, settlement: 'no-money', operatorId: supervisorId })).ok).toBe(true);
    t.clock.set(new Date(Date.now() + 60_000));
    await creditNote(store, 1_000);
    await store.wallet.recordCashBox({ kind: 'counted', counts: { '1000': 1 } }, supervisorId);
    await store.close();
    out.length = 0;
    capture();
    expect(await reconcile.run([...flags])).toBe(0);
    expect(out.join('')).toContain('everything agrees');
  });

  it('receipt verify: valid with the kiosk’s own key (data dir) or a given one; a changed text exits 1', async () => {
    const signer = openReceiptSigner(t.dir);
    if (!signer.ok) throw new Error(signer.error.kind);
    const text = signer.value.sign({ kioskId, last4: '0018', amount: 500, at: '2026-03-01T09:00:00.000Z', journalId: '0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b' });
    const previous = process.env['KIOSK_DATA_DIR'];
    process.env['KIOSK_DATA_DIR'] = t.dir;
    try {
      capture();
      expect(await receipt.run(['verify', text])).toBe(0);
      expect(out.join('')).toContain('card       …0018');
      expect(out.join('')).toContain('amount     NT$500');
      expect(out.join('')).toContain('signature valid');
      const other = openReceiptSigner(join(t.dir, 'other'));
      if (!other.ok) throw new Error(other.error.kind);
      const otherKey = join(t.dir, 'other.pub');
      writeFileSync(otherKey, other.value.publicKeyPem);
      out.length = 0;
      expect(await receipt.run(['verify', text, '--public-key', otherKey])).toBe(1);
      expect(out.join('')).toContain('signature NOT valid');
      out.length = 0;
      expect(await receipt.run(['verify', `${text.slice(0, 10)}x${text.slice(11)}`])).toBe(1);
      out.length = 0;
      expect(await receipt.run(['verify', 'TCR1.nonsense'])).toBe(1);
      expect(out.join('')).toContain('not a receipt');
      expect(await receipt.run(['verify'])).toBe(2);
    } finally {
      if (previous === undefined) delete process.env['KIOSK_DATA_DIR'];
      else process.env['KIOSK_DATA_DIR'] = previous;
    }
  });
});
