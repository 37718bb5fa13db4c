import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatCardNumber } from '../../kiosk/controller/store/card-number';
import { waitFor } from '../../hardware/host/child-processes';
import { apply, applyAndPrint, jobSteps, kioskApi as api, signIn, crashedKiosk } from '../helpers/killed-kiosk';

/**
 * The kiosk loses power right after the commit: the card is recorded as issued but was never
 * ejected. The restart looks for it at the printer; the printer lost it with the power (the simulated
 * printer starts empty), so it cannot be verified and is voided with an audit row, and the applicant's
 * retry is a new card, free, instead of a paid replacement that hot-lists a card they never received.
 * (A card found intact at the station and read back is ejected instead: test/kiosk/controller/issuance/
 * hand-over-recovery.test.ts.) Its own file: one in-process kiosk per process (libpcsclite's socket).
 */
describe('power cut right after the commit, before the card is ejected', () => {
  const crash = crashedKiosk('crash-commit');
  const { dataDir } = crash;
  afterAll(() => crash.cleanUp());

  it('finds the committed card at the restart, voids it as undelivered, and the retry is not charged', { timeout: 120_000 }, async () => {
    const first = await crash.start(0.01);
    await signIn(first);
    // The deterministic moment: the printer goes dark when asked to eject, so the kiosk is caught
    // with the issuance committed and the card still at the station (the eject waits for a reply).
    expect(await first.dev({ type: 'printer-fault', fault: 'power-loss', atStep: 'eject' })).toEqual({ accepted: true });
    await applyAndPrint(first);
    await waitFor(async () => (await jobSteps(join(dataDir, 'kiosk.sqlite'), 'all')).includes('committed'), 30_000, 'the issuance was never committed');

    await crash.kill();
    const kiosk = await crash.restart();
    expect(kiosk.recovered).toMatchObject([{ step: 'committed', outcome: 'voided' }]);
    expect(await kiosk.store.pendingJobs()).toEqual([]);
    const cardNumber = formatCardNumber(1, 'general', 1);
    expect(await kiosk.store.heldCards('H900001234')).toMatchObject([{ cardNumber, status: 'void' }]);
    const audit = await kiosk.store.readAudit();
    expect(audit.filter((entry) => entry.eventId === 'issuance-void')).toMatchObject([{ details: { cardNumber, reason: 'crash-recovery' } }]);
    expect(audit.filter((entry) => entry.eventId === 'issuance-replacement')).toEqual([]);
    expect((await kiosk.store.verifyAudit()).ok).toBe(true);

    // The applicant tries again: a new card, free — no replacement fee, nothing hot-listed.
    const second = api(kiosk.url, kiosk.token);
    await signIn(second);
    await apply(second, { replacementCause: 'damaged' });
    const retry = (await second.snapshot()).application;
    expect(retry.fee).toBe(0);
    expect(retry.eligibility?.cards.find((card) => card.type === 'general')?.action).toBe('new');
  });
});
