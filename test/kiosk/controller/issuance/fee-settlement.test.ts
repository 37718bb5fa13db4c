import { describe, expect, it } from 'vitest';
import { waitFor } from 'xstate';
import type { Assessment } from '../../../../kiosk/controller/issuance/issuance-machine';
import { eligibleGeneral, issuanceHarness, stages, toReview, untilStages } from './issuance-harness';

/** Issue 16: a replacement's fee is settled at the review before the card may be printed. */
const lostCard: Assessment = { ...eligibleGeneral, fee: 94, action: 'replacement' };

describe('issuance machine: the replacement fee', () => {
  it('refuses the print while the fee is unsettled, then prints once it is paid in cash', async () => {
    const { actor, commits, calls } = issuanceHarness({ assessment: lostCard });
    await toReview(actor);
    actor.send({ type: 'confirm-print' });
    expect(actor.getSnapshot().matches({ applicant: { review: 'ready' } })).toBe(true);
    expect(stages(actor)).toEqual({});
    actor.send({ type: 'settle-fee', method: 'cash' });
    actor.send({ type: 'confirm-print' });
    await untilStages(actor, { 1: 'ready' });
    expect(commits[0]?.fee).toEqual({ method: 'cash', waiverReason: null, approvedBy: null, amount: 94, walletCardNumber: null });
    // A paid fee gets its receipt once the issuance is recorded, before the card comes out.
    expect(calls.indexOf('receipt:job-1:94')).toBeGreaterThan(calls.findIndex((call) => call.startsWith('commit:job-1')));
    expect(actor.getSnapshot().context.jobs[0]?.ref.getSnapshot().context.fee).toEqual({ amount: 94, method: 'cash', waiverReason: null, receiptId: 'job-1', receipt: 'TCR1.fake-job-1.sig' });
  });

  it('a waiver needs an approving supervisor; with one it is recorded with its reason and approver, and no receipt', async () => {
    const { actor, commits, calls } = issuanceHarness({ assessment: lostCard });
    await toReview(actor);
    expect(actor.getSnapshot().can({ type: 'waive-fee', reason: 'low-income', approvedBy: null })).toBe(false);
    actor.send({ type: 'waive-fee', reason: 'low-income', approvedBy: null });
    expect(actor.getSnapshot().context.fee.settlement).toBeNull();
    actor.send({ type: 'waive-fee', reason: 'low-income', approvedBy: 'sup-1' });
    actor.send({ type: 'confirm-print' });
    await untilStages(actor, { 1: 'ready' });
    expect(commits[0]?.fee).toEqual({ method: 'waived', waiverReason: 'low-income', approvedBy: 'sup-1', amount: 94, walletCardNumber: null });
    expect(calls.some((call) => call.startsWith('receipt:'))).toBe(false);
  });

  it('pays from the replaced card’s e-wallet only when the ledger keeps one that holds the fee', async () => {
    const short = issuanceHarness({ assessment: lostCard, feeWallet: { cardNumber: '3300011300000015', balance: 50 } });
    await toReview(short.actor);
    await waitFor(short.actor, (s) => !s.context.fee.walletLooking);
    expect(short.actor.getSnapshot().can({ type: 'settle-fee', method: 'wallet' })).toBe(false);

    const none = issuanceHarness({ assessment: lostCard, feeWallet: null });
    await toReview(none.actor);
    await waitFor(none.actor, (s) => !s.context.fee.walletLooking);
    expect(none.actor.getSnapshot().can({ type: 'settle-fee', method: 'wallet' })).toBe(false);

    const enough = issuanceHarness({ assessment: lostCard, feeWallet: { cardNumber: '3300011300000015', balance: 500 } });
    await toReview(enough.actor);
    await waitFor(enough.actor, (s) => !s.context.fee.walletLooking);
    enough.actor.send({ type: 'settle-fee', method: 'wallet' });
    enough.actor.send({ type: 'confirm-print' });
    await untilStages(enough.actor, { 1: 'ready' });
    expect(enough.commits[0]?.fee).toMatchObject({ method: 'wallet', walletCardNumber: '3300011300000015', amount: 94 });
  });

  it('Back and Cancel clear the settlement: the next review starts unsettled', async () => {
    const { actor } = issuanceHarness({ assessment: lostCard });
    await toReview(actor);
    actor.send({ type: 'settle-fee', method: 'cash' });
    expect(actor.getSnapshot().context.fee.settlement).not.toBeNull();
    actor.send({ type: 'back' });
    await waitFor(actor, (s) => s.matches({ applicant: 'photo' }));
    actor.send({ type: 'capture-photo', image: new Uint8Array([0xff, 0xd8]) });
    await waitFor(actor, (s) => s.matches({ applicant: { review: 'ready' } }));
    expect(actor.getSnapshot().context.fee.settlement).toBeNull();
    actor.send({ type: 'confirm-print' });
    expect(actor.getSnapshot().matches({ applicant: { review: 'ready' } })).toBe(true);

    actor.send({ type: 'settle-fee', method: 'cash' });
    actor.send({ type: 'cancel' }); // a photo was taken: Cancel asks first
    actor.send({ type: 'confirm-discard' });
    await waitFor(actor, (s) => s.matches({ applicant: 'home' }));
    expect(actor.getSnapshot().context.fee.settlement).toBeNull();
  });

  it('a free card needs no settlement and refuses one', async () => {
    const { actor, commits } = issuanceHarness();
    await toReview(actor);
    expect(actor.getSnapshot().can({ type: 'settle-fee', method: 'cash' })).toBe(false);
    actor.send({ type: 'confirm-print' });
    await untilStages(actor, { 1: 'ready' });
    expect(commits[0]?.fee).toBeNull();
  });
});
