import { createActor, toPromise } from 'xstate';
import { afterEach, describe, expect, it } from 'vitest';
import { issuanceSteps, type IssuanceDevices } from '../../../../kiosk/controller/issuance/issuance-services';
import { openTempStore, type TempStore } from '../store/temp-store';
import { issuanceHarness, toReview, untilStages } from './issuance-harness';

/**
 * The confirm is journaled for the figures (kiosk/controller/reports): the counter stage ends and the
 * queue wait begins there, and the row says when the application started (its job begins only at review).
 */
describe('the card job journals its confirm', () => {
  it('once per card, with when that card’s application started', async () => {
    let now = 1_772_326_800_000;
    const { actor, queued } = issuanceHarness({ now: () => now });
    const firstStarted = now;
    await toReview(actor);
    now += 95_000;
    actor.send({ type: 'confirm-print' });
    await untilStages(actor, { 1: 'ready' });
    now += 60_000;
    const secondStarted = now;
    await toReview(actor);
    actor.send({ type: 'confirm-print' });
    await untilStages(actor, { 1: 'ready', 2: 'ready' });
    expect(queued).toEqual([
      { jobId: 'job-1', applicationStartedAt: firstStarted },
      { jobId: 'job-2', applicationStartedAt: secondStarted },
    ]);
  });

  let temp: TempStore | null = null;
  afterEach(async () => {
    await temp?.cleanup();
    temp = null;
  });

  it('as an issuance-job-step audit row `queued`, the start as an ISO time and nothing personal', async () => {
    temp = await openTempStore();
    const steps = issuanceSteps({ store: temp.store, clock: temp.clock, operatorId: () => 'op-1' } as unknown as IssuanceDevices);
    await toPromise(createActor(steps.journalQueued, { input: { jobId: 'job-9', applicationStartedAt: Date.parse('2026-03-01T08:58:20Z') } }).start());
    const [row] = await temp.store.readAudit({ newest: true, limit: 1 });
    expect(row).toMatchObject({
      eventId: 'issuance-job-step',
      operatorId: 'op-1',
      disposition: 'na',
      details: { jobId: 'job-9', step: 'queued', reason: null, applicationStartedAt: '2026-03-01T08:58:20.000Z' },
    });
  });
});
