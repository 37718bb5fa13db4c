import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../../hardware/host/child-processes';
import { reconciles } from '../../../shared/domain/service-session';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningKiosk } from '../../../kiosk/controller/main';
import { applyAndPrint, devOk, jobReaches, signInAt, startTestKiosk, type TestKiosk } from '../../helpers/kiosk';
import { taoyuanIdNumber } from '../../helpers/killed-kiosk';

/** Another applicant (their ID card's barcode and what the operator types), up to the review. */
async function applyForAnother(kiosk: RunningKiosk, idNumber: string): Promise<void> {
  expect(await kiosk.controller.command({ type: 'start-application' })).toEqual({ accepted: true });
  await devOk(kiosk, { type: 'feed-taiwan-id', idNumber });
  await waitFor(() => kiosk.controller.snapshot().application.form.idNumber === idNumber, 10_000, 'the scanned ID never filled the form');
  await kiosk.controller.command({ type: 'update-application', fields: { name: 'TEST APPLICANT', birthDate: '1985-06-15', sex: 'F', district: '中壢區', cardType: 'general' } });
  await waitFor(() => kiosk.controller.snapshot().application.problems.length === 0, 10_000, 'the application kept its problems');
  expect(await kiosk.controller.command({ type: 'submit-application' })).toEqual({ accepted: true });
  const photo = readFileSync(join(process.cwd(), 'test/fixtures/photos/applicant.jpg')).toString('base64');
  expect(await kiosk.controller.command({ type: 'capture-photo', jpegBase64: photo })).toEqual({ accepted: true });
  await waitFor(() => kiosk.controller.snapshot().previewUrl !== null, 30_000, 'the photo did not pass or no preview was rendered');
}

/**
 * The service session's stock through the controller's own commands, on a whole kiosk with simulated devices:
 * no card without an open session, a supervisor opens and closes it, the snapshot shows its stock,
 * a card the stock cannot finish is refused, and a closing count that differs needs a note.
 */
describe('service session stock through the controller', () => {
  let test: TestKiosk | undefined;
  afterEach(async () => {
    await test?.stop();
    test = undefined;
  });

  it('books the card made, refuses one the blanks cannot finish, and closes only with a note when the count differs', { timeout: 120_000 }, async () => {
    test = await startTestKiosk('session-stock', { session: false });
    test.reportOnFailure();
    const { kiosk } = test;
    await signInAt(kiosk, 'supervisor', '314159');
    expect(await kiosk.controller.command({ type: 'open-session', site: 'market', mode: 'market', blanks: { easycard: 1, ipass: 0 } })).toEqual({ accepted: true });
    const session = kiosk.controller.snapshot().serviceSession!;
    expect(session.warnings).toContainEqual({ kind: 'blanks-out', scheme: 'ipass' });

    // An operator makes the cards; the supervisor comes back for the stock and the close.
    expect(await kiosk.controller.command({ type: 'sign-out' })).toEqual({ accepted: true });
    await signInAt(kiosk, 'staff', '271828');
    const card = await applyAndPrint(kiosk);
    // Queued: the blank is promised before it is printed.
    expect(kiosk.controller.snapshot().serviceSession?.stock.easycard).toMatchObject({ inHand: 1, free: expect.any(Number) });
    await jobReaches(kiosk, card.jobId, 'ready', 60_000);
    await waitFor(() => kiosk.controller.snapshot().serviceSession?.stock.easycard.issued === 1, 5_000, 'the issued card never reached the stock');
    expect(kiosk.controller.snapshot().serviceSession?.stock.easycard).toMatchObject({ loaded: 1, issued: 1, inHand: 0, queued: 0, free: 0 });
    expect(kiosk.controller.snapshot().serviceSession?.warnings).toContainEqual({ kind: 'blanks-out', scheme: 'easycard' });
    expect(await kiosk.controller.command({ type: 'finish', jobId: card.jobId })).toEqual({ accepted: true });

    // No blank left: the next card is refused at "print", before it takes the printer.
    await applyForAnother(kiosk, taoyuanIdNumber(1));
    expect(await kiosk.controller.command({ type: 'confirm-print' })).toMatchObject({ accepted: false, code: 'no-blanks' });
    expect(await kiosk.controller.command({ type: 'cancel' })).toEqual({ accepted: true });
    expect(await kiosk.controller.command({ type: 'confirm-discard' })).toEqual({ accepted: true });
    expect(await kiosk.controller.command({ type: 'sign-out' })).toEqual({ accepted: true });
    await signInAt(kiosk, 'supervisor', '314159');
    expect(await kiosk.controller.command({ type: 'load-blanks', scheme: 'easycard', count: 3 })).toEqual({ accepted: true });
    expect(kiosk.controller.snapshot().serviceSession?.stock.easycard).toMatchObject({ loaded: 4, inHand: 3, free: 3 });
    expect(await kiosk.controller.command({ type: 'return-blanks', scheme: 'easycard', count: 1 })).toEqual({ accepted: true });
    // The cancelled application's job is closed in the store (a card at the exit does not hold the session open).
    await waitFor(async () => (await kiosk.store.pendingJobs()).every((job) => job.step === 'ejected' || job.step === 'committed'), 5_000, 'the cancelled job stayed open');

    // 2 in hand by the ledger; the supervisor counts 1: refused without a note, booked with it.
    expect(await kiosk.controller.command({ type: 'close-session', counted: { easycard: 1, ipass: 0 } })).toMatchObject({ accepted: false, code: 'count-note-required' });
    expect(kiosk.controller.snapshot().serviceSession).not.toBeNull();
    expect(await kiosk.controller.command({ type: 'close-session', counted: { easycard: 1, ipass: 0 }, note: 'one blank bent' })).toEqual({ accepted: true });
    expect(kiosk.controller.snapshot().serviceSession).toBeNull();
    const movements = await kiosk.store.sessions.movements(session.id);
    expect(movements).toContainEqual({ kind: 'spoiled', scheme: 'easycard', quantity: 1, reason: 'count-discrepancy' });
    expect(reconciles(movements, { easycard: 1, ipass: 0 })).toBe(true);
    expect(await kiosk.controller.command({ type: 'start-application' })).toMatchObject({ accepted: false, code: 'no-session' });
  });
});
