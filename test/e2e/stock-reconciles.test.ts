import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../hardware/host/child-processes';
import type { DevWorldState } from '../../shared/contract/kiosk-api';
import { reconciles } from '../../shared/domain/service-session';
import { signInAt } from '../helpers/kiosk';
import { applyAndPrintFor, crashedKiosk, jobSteps, kioskApi, signIn, taoyuanIdNumber, type KioskApi } from '../helpers/killed-kiosk';

/**
 * The stock ledger's promise, `loaded = issued + spoiled + returned + left`, against the physical world:
 * the simulated printer's feeder is the box of blanks. A session is opened with exactly the blanks in
 * the feeder; cards are made through a jam (cleared, retried on a new blank), a cover opened mid-card
 * (cancelled: the card goes to the reject box), a chip that fails its verify (cancelled, the card made
 * again on a new blank) and a power cut right after a commit (the undelivered
 * card is voided at the restart); then the session is closed with what the feeder says is
 * left. No discrepancy may appear. A wrong count is refused without a note and booked with one.
 *
 * The kill takes the simulated printer with it (it lives in the killed process group) and the restart
 * brings a fresh one with a full feeder: the blanks left are those at the kill less those the restarted
 * kiosk took since.
 */
const simulatedFeeder = 100;
const photo = readFileSync(join(process.cwd(), 'test/fixtures/photos/applicant.jpg')).toString('base64');

/** The dev panel's view of the simulated world (GET /api/dev) of the kiosk process. */
async function worldOf(url: string, token: string): Promise<DevWorldState> {
  const response = await fetch(new URL('api/dev', url), { headers: { authorization: `Bearer ${token}` } });
  return (await response.json()) as DevWorldState;
}

/** The same applicant again, their ID number typed (the scanner does not take the same card twice in a row). */
async function typedAndPrinted(kiosk: KioskApi, idNumber: string): Promise<void> {
  expect(await kiosk.command({ type: 'start-application' })).toEqual({ accepted: true });
  await kiosk.command({ type: 'update-application', fields: { idNumber, name: 'TEST APPLICANT', birthDate: '1985-06-15', sex: 'F', district: '中壢區', cardType: 'general' } });
  await waitFor(async () => (await kiosk.snapshot()).application.problems.length === 0, 10_000, 'the application kept its problems');
  expect(await kiosk.command({ type: 'submit-application' })).toEqual({ accepted: true });
  expect(await kiosk.command({ type: 'capture-photo', jpegBase64: photo })).toEqual({ accepted: true });
  await waitFor(async () => (await kiosk.snapshot()).previewUrl !== null, 30_000, 'the photo did not pass or no preview was rendered');
  expect(await kiosk.command({ type: 'confirm-print' })).toEqual({ accepted: true });
}

async function stageOf(kiosk: KioskApi, ticket: number): Promise<string | undefined> {
  return (await kiosk.snapshot()).printQueue.jobs.find((job) => job.ticket === ticket)?.stage;
}

describe('the stock ledger reconciles through faults and a crash', () => {
  const crash = crashedKiosk('stock');
  afterAll(() => crash.cleanUp());

  it('closes with the count the feeder shows, without a discrepancy; a wrong count needs a note', { timeout: 240_000 }, async () => {
    const first = await crash.start(0.01, { easycard: simulatedFeeder, ipass: 0 });
    const running = (await import('../../kiosk/controller/controller-file')).readControllerFile(crash.dataDir)!;
    await signIn(first);

    // 1. A jam mid-print: the jammed card is pulled out, the retry takes a new blank.
    expect(await first.dev({ type: 'printer-fault', fault: 'jam', atStep: 'print-front' })).toEqual({ accepted: true });
    await applyAndPrintFor(first, taoyuanIdNumber(101));
    await waitFor(async () => (await stageOf(first, 1)) === 'failed', 30_000, 'the jam did not fail the card');
    expect(await first.dev({ type: 'printer-fault', fault: 'clear-jam' })).toEqual({ accepted: true });
    const jammed = (await first.snapshot()).printQueue.jobs.find((job) => job.ticket === 1)!;
    expect(await first.command({ type: 'retry', jobId: jammed.jobId })).toEqual({ accepted: true });
    await waitFor(async () => (await stageOf(first, 1)) === 'ready', 30_000, 'the retried card was not issued');
    expect(await first.command({ type: 'finish', jobId: jammed.jobId })).toEqual({ accepted: true });

    // 2. The cover opens as the front is printed, a card picked: cancelled, the card goes to the reject box.
    expect(await first.dev({ type: 'printer-fault', fault: 'cover-open', atStep: 'print-front' })).toEqual({ accepted: true });
    await applyAndPrintFor(first, taoyuanIdNumber(102));
    await waitFor(async () => (await stageOf(first, 2)) === 'failed', 30_000, 'the open cover did not fail the card');
    expect(await first.dev({ type: 'printer-fault', fault: 'cover-close' })).toEqual({ accepted: true });
    const misprinted = (await first.snapshot()).printQueue.jobs.find((job) => job.ticket === 2)!;
    expect(await first.command({ type: 'cancel-job', jobId: misprinted.jobId })).toEqual({ accepted: true });
    await waitFor(async () => (await stageOf(first, 2)) === undefined, 30_000, 'the cancelled card stayed in the queue');

    // 3. A chip that fails its verify: cancelled to the reject box, the applicant's card made again on a new blank.
    expect(await first.dev({ type: 'chip-fault' })).toEqual({ accepted: true });
    await applyAndPrintFor(first, taoyuanIdNumber(103));
    await waitFor(async () => (await stageOf(first, 3)) === 'failed', 30_000, 'the bad chip did not fail the card');
    const badChip = (await first.snapshot()).printQueue.jobs.find((job) => job.ticket === 3)!;
    expect(badChip.error?.kind).toBe('nfc_write_verify_failed');
    expect(await first.command({ type: 'cancel-job', jobId: badChip.jobId })).toEqual({ accepted: true });
    await waitFor(async () => (await stageOf(first, 3)) === undefined, 30_000, 'the cancelled card stayed in the queue');
    await typedAndPrinted(first, taoyuanIdNumber(103));
    await waitFor(async () => (await stageOf(first, 4)) === 'ready', 30_000, 'the card made again was not issued');
    const again = (await first.snapshot()).printQueue.jobs.find((job) => job.ticket === 4)!;
    expect(await first.command({ type: 'finish', jobId: again.jobId })).toEqual({ accepted: true });

    // 4. The power fails as the printer is asked to eject a committed card; the kiosk is killed there.
    expect(await first.dev({ type: 'printer-fault', fault: 'power-loss', atStep: 'eject' })).toEqual({ accepted: true });
    await applyAndPrintFor(first, taoyuanIdNumber(104));
    await waitFor(async () => (await jobSteps(join(crash.dataDir, 'kiosk.sqlite'), 'open')).includes('committed'), 30_000, 'the third card was never committed');
    const feederAtKill = (await worldOf(running.url, running.token)).printer!.cardsInFeeder;
    // Six blanks taken: the jammed one, its retry, the one under the open cover, the bad chip, the card made again, the committed one.
    expect(feederAtKill).toBe(simulatedFeeder - 6);
    await crash.kill();

    const kiosk = await crash.restart();
    expect(kiosk.recovered.filter((job) => job.step === 'committed')).toMatchObject([{ outcome: 'voided' }]);
    const api = kioskApi(kiosk.url, kiosk.token);
    await signIn(api);
    // 5. One more card after the restart, made normally.
    await applyAndPrintFor(api, taoyuanIdNumber(105));
    await waitFor(async () => (await api.snapshot()).printQueue.jobs.some((job) => job.stage === 'ready'), 30_000, 'the card after the restart was not issued');
    const ready = (await api.snapshot()).printQueue.jobs.find((job) => job.stage === 'ready')!;
    expect(await api.command({ type: 'finish', jobId: ready.jobId })).toEqual({ accepted: true });
    expect(await api.command({ type: 'sign-out' })).toEqual({ accepted: true });

    const left = feederAtKill - (simulatedFeeder - kiosk.world!.state().printer!.cardsInFeeder);
    expect(left).toBe(simulatedFeeder - 7);
    const sessionId = (await kiosk.store.sessions.current())!.id;
    const stock = await kiosk.store.sessions.stock(sessionId);
    expect(stock.easycard).toMatchObject({ loaded: simulatedFeeder, issued: 3, spoiled: 4, inHand: left });
    expect(stock.easycard.spoiledBy).toMatchObject({ jam: 1, misprint: 1, 'chip-verify-failed': 1, 'crash-recovery': 1 });

    await signInAt(kiosk, 'supervisor', '314159');
    // A count one short is refused without a note; the true count closes the session balanced.
    expect(await kiosk.controller.command({ type: 'close-session', counted: { easycard: left - 1, ipass: 0 } })).toMatchObject({ accepted: false, code: 'count-note-required' });
    expect(await kiosk.controller.command({ type: 'close-session', counted: { easycard: left, ipass: 0 } })).toEqual({ accepted: true });
    const movements = await kiosk.store.sessions.movements(sessionId);
    expect(reconciles(movements, { easycard: left, ipass: 0 })).toBe(true);
    expect(movements.filter((movement) => 'reason' in movement && movement.reason === 'count-discrepancy')).toEqual([]);

    // The next session's count is wrong: the discrepancy is booked with the supervisor's note, and it still reconciles.
    expect(await kiosk.controller.command({ type: 'open-session', site: 'market', mode: 'market', blanks: { easycard: 10, ipass: 5 } })).toEqual({ accepted: true });
    const next = (await kiosk.store.sessions.current())!.id;
    expect(await kiosk.controller.command({ type: 'close-session', counted: { easycard: 9, ipass: 5 }, note: 'one blank dropped' })).toEqual({ accepted: true });
    const nextMovements = await kiosk.store.sessions.movements(next);
    expect(nextMovements).toContainEqual({ kind: 'spoiled', scheme: 'easycard', quantity: 1, reason: 'count-discrepancy' });
    expect(reconciles(nextMovements, { easycard: 9, ipass: 5 })).toBe(true);
    expect(await kiosk.store.sessions.byId(next)).toMatchObject({ closeNote: 'one blank dropped' });
    expect((await kiosk.store.verifyAudit()).ok).toBe(true);
  });
});
