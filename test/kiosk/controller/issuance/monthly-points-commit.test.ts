import { createActor, toPromise } from 'xstate';
import { afterEach, describe, expect, it } from 'vitest';
import { assessApplication } from '../../../../kiosk/controller/issuance/assess-application';
import { issuanceSteps, type IssuanceDevices } from '../../../../kiosk/controller/issuance/issuance-services';
import type { IssuanceJob } from '../../../../kiosk/controller/issuance/issuance-types';
import { emptyApplicationForm, type ApplicationForm } from '../../../../shared/contract/kiosk-api';
import { defaultCityRules } from '../../../../shared/domain/rules';
import { testSession } from '../store/session-fixture';
import { openTempStore, type TempStore } from '../store/temp-store';

/** The issuance commit keeps the month's welfare points the eligibility rules decided for the chosen card type. */
describe('the issuance commit stores the monthly points', () => {
  let temp: TempStore | null = null;
  afterEach(async () => {
    await temp?.cleanup();
    temp = null;
  });

  async function commit(district: ApplicationForm['district'], cardNumber: string, idNumber: string): Promise<number | null> {
    if (!temp) throw new Error('no store');
    const store = temp.store;
    const form: ApplicationForm = { ...emptyApplicationForm, idNumber, name: 'TEST PERSON', birthDate: '1950-05-05', district, cardType: 'senior' };
    const assessment = await assessApplication(form, { rules: defaultCityRules, today: () => '2026-03-01', heldCards: async () => [] });
    expect(assessment.problems).toEqual([]);
    const { sessionId } = await testSession(store);
    const jobId = await store.beginIssuanceJob({ sessionId, scheme: 'easycard', cardType: 'senior', operatorId: null, context: {}, batchRowId: null });
    const steps = issuanceSteps({ store, clock: temp.clock, operatorId: () => null } as unknown as IssuanceDevices);
    const job = { jobId, form, assessment, photo: null, archivePhoto: null, photoOverride: null, preview: { cardNumber, frontPng: new Uint8Array(), job: null }, owner: null, uid: '04AABBCC' } satisfies IssuanceJob & { uid: string };
    await toPromise(createActor(steps.commitIssuance, { input: job }).start());
    return (await store.wallet.walletOf(cardNumber)).monthlyPoints;
  }

  it('800 for a senior card, 1,000 for a senior of a 復興區 household', async () => {
    temp = await openTempStore();
    expect(await commit('桃園區', '3300012000000018', 'A123456789')).toBe(800);
    expect(await commit('復興區', '3300012000000026', 'B123456780')).toBe(1_000);
  });
});
