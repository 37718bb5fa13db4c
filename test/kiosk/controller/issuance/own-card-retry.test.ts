import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyApplicationForm, type ApplicationForm } from '../../../../shared/contract/kiosk-api';
import { message } from '../../../../shared/contract/messages';
import { defaultCityRules } from '../../../../shared/domain/rules';
import { assessApplication, recentHandOverMs, type AssessmentDependencies } from '../../../../kiosk/controller/issuance/assess-application';
import { issuance, openTempStore, person, type TempStore } from '../store/temp-store';
import { testSession } from '../store/session-fixture';

/**
 * The applicant whose card was recorded as issued but never handed over (a crash right after the
 * commit, a jammed exit) applies again: the kiosk shows them their own card instead of turning the
 * retry into a paid replacement that would hot-list the card they never received.
 */
const form: ApplicationForm = {
  ...emptyApplicationForm,
  idNumber: person.idNumber,
  name: person.name,
  birthDate: person.birthDate,
  district: '中壢區',
  cardType: 'senior',
  replacementCause: 'damaged',
};

describe('a retry by the applicant whose card was never handed over', () => {
  let t: TempStore;
  beforeEach(async () => {
    t = await openTempStore();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  /** The store behind the assessment, as the issuance services wire it. */
  const deps = (): AssessmentDependencies => ({
    rules: defaultCityRules,
    today: () => '2026-03-01',
    heldCards: (idNumber) => t.store.heldCards(idNumber),
    cardsBeingHandedOver: (idNumber) => t.store.cardsBeingHandedOver(idNumber, new Date(t.clock.now().getTime() - recentHandOverMs).toISOString()),
  });

  it('sees the card still in the printer, is not charged and cannot submit a replacement', async () => {
    const jobId = await t.store.beginIssuanceJob({ ...(await testSession(t.store)), cardType: 'senior', operatorId: null });
    expect((await t.store.recordIssuance(issuance({ jobId, cardNumber: '3300012000000014' }))).ok).toBe(true);
    t.clock.advance(3 * 60_000);

    const retry = await assessApplication(form, deps());
    expect(retry.fee).toBe(0);
    expect(retry.action).toBeNull();
    expect(retry.problems).toEqual([
      message('application.own-card-in-printer', { cardNumber: '3300012000000014', time: expect.stringMatching(/^\d\d:\d\d$/) }),
    ]);

    // Ejected to the output tray and not taken yet: still theirs, still free.
    await t.store.markJobStep(jobId, 'ejected');
    const waiting = await assessApplication(form, deps());
    expect({ fee: waiting.fee, action: waiting.action }).toEqual({ fee: 0, action: null });
    expect(waiting.problems).toEqual([
      message('application.own-card-in-output', { cardNumber: '3300012000000014', time: expect.stringMatching(/^\d\d:\d\d$/) }),
    ]);

    // Once taken, a later application for a damaged card is the ordinary paid replacement.
    await t.store.markCardsTaken();
    const replacement = await assessApplication(form, deps());
    expect(replacement.problems).toEqual([]);
    expect(replacement.action).toBe('replacement');
    expect(replacement.fee).toBe(defaultCityRules.fees.replacement.damaged);
    expect(replacement.fee).toBeGreaterThan(0);
  });

  it('a card of another type in hand-over does not block this one', async () => {
    const jobId = await t.store.beginIssuanceJob({ ...(await testSession(t.store)), cardType: 'senior', operatorId: null });
    await t.store.recordIssuance(issuance({ jobId }));
    const other = await assessApplication({ ...form, cardType: 'general' }, deps());
    const codes = other.problems.map((p) => p.code);
    expect(codes).not.toContain('application.own-card-in-printer');
    expect(codes).not.toContain('application.own-card-in-output');
  });
});
