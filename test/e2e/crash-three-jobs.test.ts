import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatCardNumber } from '../../kiosk/controller/store/card-number';
import { waitFor } from '../../hardware/host/child-processes';
import { applyAndPrint, applyAndPrintFor, jobSteps, kioskApi as api, signIn, taoyuanIdNumber, crashedKiosk } from '../helpers/killed-kiosk';

/**
 * The kiosk loses power with three cards in its print queue: the first being printed, the two
 * confirmed after it waiting for the printer. On the next start every one of the three jobs is
 * closed — the one at the printer spoiled, the waiting ones abandoned — none is issued, none
 * is left pending, no card number is used twice, and the kiosk issues the next card normally.
 */
describe('power cut with three cards in the print queue', () => {
  const crash = crashedKiosk('crash-three');
  const { dataDir } = crash;
  afterAll(() => crash.cleanUp());

  it('closes every job at the restart, spoils only the card at the printer, and issues the next card', { timeout: 240_000 }, async () => {
    // Four times a real printer's time (about a minute a print): the two applicants after the first
    // are served and confirmed while the first card is still being printed, however loaded the machine.
    const first = await crash.start(4);
    await signIn(first);
    await applyAndPrint(first);
    await waitFor(async () => (await jobSteps(join(dataDir, 'kiosk.sqlite'))).includes('printing'), 20_000, 'printing never started');
    const applicants = [taoyuanIdNumber(1), taoyuanIdNumber(2)];
    for (const idNumber of applicants) await applyAndPrintFor(first, idNumber);

    // Three jobs in flight: the first still at the printer, the others waiting their turn.
    const queue = (await first.snapshot()).printQueue;
    expect(queue.jobs.map((job) => [job.ticket, job.stage])).toEqual([
      [1, 'printing'],
      [2, 'queued'],
      [3, 'queued'],
    ]);
    const cardNumbers = queue.jobs.map((job) => job.cardNumber);
    expect(new Set(cardNumbers).size).toBe(3);
    // The journal agrees: one job at the printer, two with nothing but a card number.
    expect((await jobSteps(join(dataDir, 'kiosk.sqlite'))).sort()).toEqual(['card-number-allocated', 'card-number-allocated', 'printing']);

    await crash.kill();
    const kiosk = await crash.restart();
    const byId = new Map(queue.jobs.map((job) => [job.jobId, job.ticket]));
    const recovered = [...kiosk.recovered].sort((a, b) => byId.get(a.jobId)! - byId.get(b.jobId)!);
    // Every job of the queue is closed: the card at the printer spoiled, the waiting ones abandoned.
    expect(recovered).toMatchObject([
      { jobId: queue.jobs[0]!.jobId, step: 'printing', outcome: 'spoiled' },
      { jobId: queue.jobs[1]!.jobId, step: 'card-number-allocated', outcome: 'abandoned', cardRejected: false },
      { jobId: queue.jobs[2]!.jobId, step: 'card-number-allocated', outcome: 'abandoned', cardRejected: false },
    ]);
    // At most one card was in the printer, and only that job's.
    expect(recovered.filter((job) => job.cardRejected).length).toBeLessThanOrEqual(1);
    expect(await kiosk.store.pendingJobs()).toEqual([]);
    const audit = await kiosk.store.readAudit();
    expect(audit.filter((entry) => entry.eventId === 'issuance-spoil')).toHaveLength(1);
    // Nothing issued, so nothing issued twice.
    expect(audit.filter((entry) => entry.eventId === 'issuance-recorded')).toEqual([]);
    for (const idNumber of ['H900001234', ...applicants]) expect(await kiosk.store.heldCards(idNumber)).toEqual([]);
    expect((await kiosk.store.verifyAudit()).ok).toBe(true);

    // A fresh application on the restarted kiosk: issued once, with a card number none of the three had.
    const second = api(kiosk.url, kiosk.token);
    await signIn(second);
    await applyAndPrint(second);
    await waitFor(async () => (await second.snapshot()).printQueue.jobs.some((job) => job.stage === 'ready'), 60_000, 'the next card was not issued');
    const held = await kiosk.store.heldCards('H900001234');
    expect(held).toHaveLength(1);
    expect(held[0]?.cardNumber).toBe(formatCardNumber(1, 'general', 4));
    expect(cardNumbers).not.toContain(held[0]?.cardNumber);
    expect((await kiosk.store.readAudit()).filter((entry) => entry.eventId === 'issuance-recorded')).toHaveLength(1);
    expect(await kiosk.store.pendingJobs()).toMatchObject([{ step: 'ejected' }]);
    expect((await kiosk.store.verifyAudit()).ok).toBe(true);
  });
});
