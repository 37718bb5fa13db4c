import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyAndPrint, jobSteps, kioskApi as api, signIn, crashedKiosk } from '../helpers/killed-kiosk';
import { formatCardNumber } from '../../kiosk/controller/store/card-number';
import { waitFor } from '../../hardware/host/child-processes';

/**
 * The kiosk loses power while a card is being printed (the whole process group is SIGKILLed:
 * controller, simulators, socat and pcscd). On the next start the journal closes that job as
 * spoiled — the card is never handed out nor recorded as issued — and the kiosk issues the
 * applicant's next card normally, with a new card number.
 */
describe('power cut while a card is printing', () => {
  const crash = crashedKiosk('crash');
  const { dataDir } = crash;
  afterAll(() => crash.cleanUp());

  it('spoils the interrupted card on restart and issues the next one normally', { timeout: 180_000 }, async () => {
    // A real printer's speed (16 s a card): the plug is pulled well inside the print, however loaded the machine.
    const first = await crash.start(1);
    await signIn(first);
    await applyAndPrint(first);
    // Pull the plug once the journal says the card is at the printer (read straight from the SQLite file).
    await waitFor(async () => (await jobSteps(join(dataDir, 'kiosk.sqlite'))).includes('printing'), 20_000, 'printing never started');

    await crash.kill();
    const kiosk = await crash.restart();
    expect(kiosk.recovered).toMatchObject([{ step: 'printing', outcome: 'spoiled' }]);
    expect(await kiosk.store.pendingJobs()).toEqual([]);
    expect(await kiosk.store.heldCards('H900001234')).toEqual([]);
    const spoiled = (await kiosk.store.readAudit()).filter((entry) => entry.eventId === 'issuance-spoil');
    expect(spoiled).toHaveLength(1);

    const second = api(kiosk.url, kiosk.token);
    await signIn(second);
    await applyAndPrint(second);
    // The confirmed card leaves the applicant flow for the print queue: issued once its job is `ready`.
    await waitFor(async () => (await second.snapshot()).printQueue.jobs.some((job) => job.stage === 'ready'), 60_000, 'the second card was not issued');
    const held = await kiosk.store.heldCards('H900001234');
    expect(held).toHaveLength(1);
    // The interrupted card's number (sequence 1) is never reused.
    expect(held[0]?.cardNumber).toBe(formatCardNumber(1, 'general', 2));
    expect((await kiosk.store.verifyAudit()).ok).toBe(true);
  });
});
