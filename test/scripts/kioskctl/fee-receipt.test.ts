import { createActor, toPromise } from 'xstate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issuanceSteps, type IssuanceDevices } from '../../../kiosk/controller/issuance/issuance-services';
import type { IssuanceJob, SettledFee } from '../../../kiosk/controller/issuance/issuance-types';
import { openReceiptSigner, receiptPublicKeyFile } from '../../../kiosk/controller/receipt/receipt-signer';
import { formatFeeReceipt, type FeeReceiptPrint } from '../../../kiosk/controller/receipt/fee-receipt-print';
import type { ReceiptFields } from '../../../shared/contract/receipt';
import { emptyApplicationForm, type ApplicationForm } from '../../../shared/contract/kiosk-api';
import { periodFiguresSchema } from '../../../shared/contract/report-figures';
import { testSession } from '../../kiosk/controller/store/session-fixture';
import { issuance, kioskId, openTempStore, type TempStore } from '../../kiosk/controller/store/temp-store';
import { runKioskctl } from './run-kioskctl';

/**
 * Issue 16's proof: a fee paid in cash, one paid from the replaced card's e-wallet and one waived go
 * through the kiosk's own commit step: each is audited and counted (`kioskctl stats`), and a paid fee's
 * signed receipt verifies with `kioskctl receipt verify`.
 */

const oldCard = '3300011300000015';

describe('the replacement fee: audited, counted, and its receipt verified by kioskctl', () => {
  let t: TempStore;
  let steps: ReturnType<typeof issuanceSteps>;
  const printed: string[] = [];

  beforeEach(async () => {
    t = await openTempStore();
    const signer = openReceiptSigner(t.dir);
    if (!signer.ok) throw new Error(signer.error.kind);
    // The old card, with NT$100 in its e-wallet (a top-up at the unattended kiosk).
    expect((await t.store.recordIssuance(issuance({ cardNumber: oldCard, applicant: { idNumber: 'A123456789', idKind: 'national', name: 'CHEN', birthDate: '1950-05-05' } }))).ok).toBe(true);
    const { topUpId } = await t.store.wallet.startTopUp(oldCard);
    const escrow = await t.store.wallet.journalEscrow({ topUpId, cardNumber: oldCard, device: 'cctalk', billType: 1, amount: 100, escrowCounter: 1 });
    if (!escrow.ok) throw new Error(escrow.error.kind);
    expect((await t.store.wallet.creditStacked({ journalId: escrow.value.journalId, stackedCounter: 2, cap: 10_000 })).ok).toBe(true);
    steps = issuanceSteps({
      store: t.store, clock: t.clock, kioskId, operatorId: () => null, log: () => {},
      feeReceipts: { sign: (fields: ReceiptFields) => signer.value.sign(fields), print: (receipt: FeeReceiptPrint) => printed.push(receipt.qr) },
    } as unknown as IssuanceDevices);
  });
  afterEach(async () => t.cleanup());

  /** One replacement through the commit step (and the receipt step for a paid fee), as a card job runs them. */
  async function replace(idNumber: string, cardNumber: string, fee: SettledFee): Promise<{ jobId: string; receipt: string | null }> {
    const form: ApplicationForm = { ...emptyApplicationForm, idNumber, name: 'CHEN', birthDate: '1950-05-05', cardType: 'senior', replacementCause: 'lost' };
    const { sessionId } = await testSession(t.store);
    const jobId = await t.store.beginIssuanceJob({ sessionId, scheme: 'easycard', cardType: 'senior', operatorId: null, context: {}, batchRowId: null });
    const job = {
      jobId, form, assessment: { eligibility: null, problems: [], fee: 94, action: 'replacement' as const }, photo: null, archivePhoto: null, photoOverride: null,
      preview: { cardNumber, frontPng: new Uint8Array(), job: null }, owner: null, uid: '04AABBCC', fee,
    } satisfies IssuanceJob & { uid: string };
    await toPromise(createActor(steps.commitIssuance, { input: job }).start());
    if (fee.method === 'waived') return { jobId, receipt: null };
    const receipt = await toPromise(createActor(steps.feeReceipt, { input: { jobId, cardNumber, amount: 94 } }).start());
    expect(receipt.id).toBe(jobId);
    return { jobId, receipt: receipt.text };
  }

  it('records cash, e-wallet and waived fees with their audit rows, counts them, and the paid ones’ receipts verify', async () => {
    const wallet = await replace('A123456789', '3300011300000023', { method: 'wallet', waiverReason: null, approvedBy: null, amount: 94, walletCardNumber: oldCard });
    const cash = await replace('B120000001', '3300011300000031', { method: 'cash', waiverReason: null, approvedBy: null, amount: 94, walletCardNumber: null });
    const waived = await replace('F120000006', '3300011300000049', { method: 'waived', waiverReason: 'kiosk-fault', approvedBy: 'sup-1', amount: 94, walletCardNumber: null });

    // Audited: one `issuance-fee` row each, in the issuance's transaction; the e-wallet paid NT$94 of its NT$100.
    const audit = (await t.store.readAudit()).filter((entry) => entry.eventId === 'issuance-fee').map((entry) => entry.details);
    expect(audit).toEqual([
      expect.objectContaining({ jobId: wallet.jobId, method: 'wallet', amount: 94, receiptId: wallet.jobId, walletCardNumber: oldCard, transferId: expect.any(String) }),
      expect.objectContaining({ jobId: cash.jobId, method: 'cash', amount: 94, receiptId: cash.jobId, transferId: null }),
      expect.objectContaining({ jobId: waived.jobId, method: 'waived', amount: 94, waiverReason: 'kiosk-fault', approvedBy: 'sup-1', receiptId: null }),
    ]);
    expect((await t.store.wallet.walletOf(oldCard)).balance).toBe(6);
    expect(printed).toEqual([wallet.receipt, cash.receipt]);
    await t.store.close();

    // Counted: kioskctl stats, as JSON and as its summary.
    const flags = ['--db', t.path, '--key', t.keyFile, '--kiosk', kioskId];
    const json = await runKioskctl(['stats', '--json', '--from', '2026-03-01', '--to', '2026-03-01', ...flags]);
    expect(json.stderr).toBe('');
    expect(periodFiguresSchema.parse(JSON.parse(json.stdout)).cards.fees).toEqual({
      cash: { count: 1, amount: 94 }, wallet: { count: 1, amount: 94 }, waived: { count: 1, amount: 94 }, unrecorded: { count: 0, amount: 0 },
    });
    const summary = await runKioskctl(['stats', '--from', '2026-03-01', '--to', '2026-03-01', ...flags]);
    expect(summary.stdout).toContain('fees: paid cash 1 (NT$94), paid e-wallet 1 (NT$94), waived 1 (NT$94)');

    // Verified: each paid fee's receipt with the kiosk's public key; a changed one is not.
    for (const { receipt, jobId } of [wallet, cash]) {
      if (!receipt) throw new Error('no receipt');
      const verified = await runKioskctl(['receipt', 'verify', receipt, '--public-key', receiptPublicKeyFile(t.dir)]);
      expect(verified.code).toBe(0);
      expect(verified.stdout).toContain('kind       replacement fee');
      expect(verified.stdout).toContain('amount     NT$94');
      expect(verified.stdout).toContain(`job id     ${jobId}`);
      expect(verified.stdout).toContain('signature valid');
    }
    const [version, payload, signature] = (cash.receipt ?? '').split('.');
    const changed = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    const tampered = `${version}.${Buffer.from(JSON.stringify({ ...changed, a: 9 })).toString('base64url')}.${signature}`;
    const refused = await runKioskctl(['receipt', 'verify', tampered, '--public-key', receiptPublicKeyFile(t.dir)]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('signature NOT valid');
    await t.reopen();
  });

  it('the paper receipt is ASCII only and carries the signed text as its QR code', () => {
    const receipt = formatFeeReceipt({ kioskId, last4: '0023', amount: 94, time: '2026-03-01T09:00:00.000Z', jobId: 'job-1', qr: 'TCR1.a.b' });
    const texts = receipt?.lines.flatMap((line) => (line.kind === 'text' ? [line.text] : [])) ?? [];
    expect(texts.join('')).toMatch(/^[\x20-\x7e]*$/);
    expect(texts.some((text) => text.includes('NT$ 94'))).toBe(true);
    expect(receipt?.lines).toContainEqual({ kind: 'qr', data: 'TCR1.a.b', moduleSize: 4, errorCorrection: 'M' });
  });
});
