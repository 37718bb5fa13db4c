import { describe, expect, it } from 'vitest';
import { waitFor } from 'xstate';
import type { Assessment } from '../../../../kiosk/controller/issuance/issuance-machine';
import { eligibleGeneral, issuanceHarness, stages, toReview, untilStages } from './issuance-harness';

/**
 * Issue 16's three review features together, as merged: the fee settled at the review, the discard
 * question on Cancel, and the applicant's language. "Keep" must give back the review as it was (its
 * settlement too); "discard" must leave nothing of this applicant (no settlement, no language).
 */
const lostCard: Assessment = { ...eligibleGeneral, fee: 94, action: 'replacement' };

describe('issuance machine: fee, discard question and the applicant\'s language together', () => {
  it('settle → Cancel → keep: the settlement and the language stay, and the card prints without settling again', async () => {
    const { actor, commits } = issuanceHarness({ assessment: lostCard });
    await toReview(actor);
    actor.send({ type: 'set-applicant-language', language: 'vi' });
    actor.send({ type: 'settle-fee', method: 'cash' });
    actor.send({ type: 'cancel' });
    expect(actor.getSnapshot().matches({ applicant: { review: 'confirmingDiscard' } })).toBe(true);
    // While the question is open nothing goes on: no print, no other settlement.
    actor.send({ type: 'confirm-print' });
    actor.send({ type: 'waive-fee', reason: 'low-income', approvedBy: 'sup-1' });
    expect(stages(actor)).toEqual({});
    expect(actor.getSnapshot().context.fee.settlement).toMatchObject({ method: 'cash' });

    actor.send({ type: 'keep-application' });
    expect(actor.getSnapshot().matches({ applicant: { review: 'ready' } })).toBe(true);
    expect(actor.getSnapshot().context.fee.settlement).toMatchObject({ method: 'cash' });
    expect(actor.getSnapshot().context.applicantLanguage).toBe('vi');
    actor.send({ type: 'confirm-print' });
    await untilStages(actor, { 1: 'ready' });
    expect(commits[0]?.fee).toMatchObject({ method: 'cash', amount: 94 });
  });

  it('settle → Cancel → discard: home with no settlement and the language back to Chinese; the next review starts unsettled', async () => {
    const { actor, calls } = issuanceHarness({ assessment: lostCard });
    await toReview(actor);
    actor.send({ type: 'set-applicant-language', language: 'id' });
    actor.send({ type: 'waive-fee', reason: 'disaster-victim', approvedBy: 'sup-1' });
    expect(actor.getSnapshot().context.fee.settlement).toMatchObject({ method: 'waived' });
    actor.send({ type: 'cancel' });
    actor.send({ type: 'confirm-discard' });
    await waitFor(actor, (s) => s.matches({ applicant: 'home' }));
    expect(actor.getSnapshot().context.fee.settlement).toBeNull();
    expect(actor.getSnapshot().context.applicantLanguage).toBe('zh-TW');
    expect(calls.some((call) => call.startsWith('commit:'))).toBe(false);

    await toReview(actor, 'WANG CHIH MING');
    expect(actor.getSnapshot().context.fee.settlement).toBeNull();
    actor.send({ type: 'confirm-print' });
    expect(actor.getSnapshot().matches({ applicant: { review: 'ready' } })).toBe(true);
    expect(stages(actor)).toEqual({});
  });

  it('Back clears the settlement but never the language (Back never discards)', async () => {
    const { actor } = issuanceHarness({ assessment: lostCard });
    await toReview(actor);
    actor.send({ type: 'set-applicant-language', language: 'en' });
    actor.send({ type: 'settle-fee', method: 'cash' });
    actor.send({ type: 'back' });
    await waitFor(actor, (s) => s.matches({ applicant: 'photo' }));
    expect(actor.getSnapshot().context.applicantLanguage).toBe('en');
    actor.send({ type: 'use-photo' });
    await waitFor(actor, (s) => s.matches({ applicant: { review: 'ready' } }));
    expect(actor.getSnapshot().context.fee.settlement).toBeNull();
    expect(actor.getSnapshot().context.applicantLanguage).toBe('en');
  });
});
