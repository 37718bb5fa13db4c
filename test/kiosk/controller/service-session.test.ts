import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../../hardware/host/child-processes';
import { kioskSnapshotSchema } from '../../../shared/contract/kiosk-api';
import { signInAt, startTestKiosk, type TestKiosk } from '../../helpers/kiosk';

/**
 * The service session through the controller's own commands, on a whole kiosk with simulated devices:
 * no card without an open session, a supervisor opens and closes it, the snapshot shows its stock,
 * a card the stock cannot finish is refused, and a closing count that differs needs a note.
 */
describe('service sessions through the controller', () => {
  let test: TestKiosk | undefined;
  afterEach(async () => {
    await test?.stop();
    test = undefined;
  });

  it('no application starts without a session; a supervisor opens one, and a second is refused', { timeout: 60_000 }, async () => {
    test = await startTestKiosk('no-session', { session: false });
    test.reportOnFailure();
    const { kiosk } = test;
    await signInAt(kiosk, 'staff', '271828');
    expect(kiosk.controller.snapshot().serviceSession).toBeNull();
    expect(await kiosk.controller.command({ type: 'start-application' })).toMatchObject({ accepted: false, code: 'no-session' });
    // An operator's session change waits for a supervisor's approval (card + PIN).
    const asked = await kiosk.controller.command({ type: 'open-session', site: 'Zhongli station', mode: 'transit-station', blanks: { easycard: 2, ipass: 1 } });
    expect(asked).toEqual({ accepted: true });
    await waitFor(() => kiosk.controller.snapshot().session.approval !== null, 5_000, 'no approval was asked for');
    expect(kiosk.controller.snapshot().serviceSession).toBeNull();
    expect(await kiosk.controller.command({ type: 'sign-out' })).toEqual({ accepted: true });

    await signInAt(kiosk, 'supervisor', '314159');
    expect(await kiosk.controller.command({ type: 'close-session', counted: { easycard: 0, ipass: 0 } })).toMatchObject({ accepted: false, code: 'no-session' });
    expect(await kiosk.controller.command({ type: 'open-session', site: 'Zhongli station', mode: 'transit-station', blanks: { easycard: 2, ipass: 1 } })).toEqual({ accepted: true });
    // The snapshot with an open session is what the contract says.
    expect(kioskSnapshotSchema.safeParse(kiosk.controller.snapshot()).success).toBe(true);
    const view = kiosk.controller.snapshot().serviceSession;
    expect(view).toMatchObject({ site: 'Zhongli station', mode: 'transit-station', stock: { easycard: { loaded: 2, inHand: 2, queued: 0, free: 2 }, ipass: { loaded: 1, free: 1 } } });
    expect(view?.ribbon.printsLeft).toEqual(expect.any(Number));
    expect(view?.warnings).toEqual([
      { kind: 'blanks-low', scheme: 'easycard', free: 2 },
      { kind: 'blanks-low', scheme: 'ipass', free: 1 },
    ]);
    expect(await kiosk.controller.command({ type: 'open-session', site: 'market', mode: 'market', blanks: { easycard: 1, ipass: 1 } })).toMatchObject({ accepted: false, code: 'session-open' });
    expect((await kiosk.store.readAudit({ eventIds: ['session-opened'] })).map((row) => row.operatorId)).toEqual([expect.any(String)]);
  });

});
