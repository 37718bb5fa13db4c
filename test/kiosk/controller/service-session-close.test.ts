import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../../hardware/host/child-processes';
import { signInAt, startTestKiosk, type TestKiosk } from '../../helpers/kiosk';

/**
 * Closing a session from an operator's screen: what the ledger would refuse (a count that differs
 * without a note) is said at once, with the numbers, before a supervisor is called over to approve it.
 * (Its own file: one kiosk per process, libpcsclite talks to one pcscd.)
 */
describe('closing a service session, before the approval', () => {
  let test: TestKiosk | undefined;
  afterEach(async () => {
    await test?.stop();
    test = undefined;
  });

  it("an operator's close the ledger would refuse is refused at once, before a supervisor is asked to approve it", { timeout: 60_000 }, async () => {
    test = await startTestKiosk('close-before-approval', { session: false });
    test.reportOnFailure();
    const { kiosk } = test;
    await signInAt(kiosk, 'supervisor', '314159');
    expect(await kiosk.controller.command({ type: 'open-session', site: 'Bade market', mode: 'market', blanks: { easycard: 4, ipass: 2 } })).toEqual({ accepted: true });
    expect(await kiosk.controller.command({ type: 'sign-out' })).toEqual({ accepted: true });
    await signInAt(kiosk, 'staff', '271828');

    // Three EasyCard blanks counted where the ledger has four, and no note: said now, with the numbers.
    const wrong = await kiosk.controller.command({ type: 'close-session', counted: { easycard: 3, ipass: 2 } });
    expect(wrong).toMatchObject({ accepted: false, code: 'count-note-required', reason: expect.stringContaining('easycard 3 counted, 4 expected') });
    expect(kiosk.controller.snapshot().session.approval).toBeNull();

    // With the note, the close waits for the supervisor's card and PIN as usual.
    expect(await kiosk.controller.command({ type: 'close-session', counted: { easycard: 3, ipass: 2 }, note: 'one blank dropped behind the counter' })).toEqual({ accepted: true });
    await waitFor(() => kiosk.controller.snapshot().session.approval !== null, 5_000, 'no approval was asked for');
  });
});
