import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPinMap, fillLightDuty } from '../../firmware/pin-map';
import { waitFor } from '../../hardware/host/child-processes';
import type { RunningKiosk } from '../../kiosk/controller/main';
import { expectAbsentFor, timed } from '../helpers/absence';
import { devOk, signInAt, startTestKiosk, type TestKiosk } from '../helpers/kiosk';

/**
 * Signing out (or the idle lock) leaves nothing for the next person at the counter: the card last
 * tapped is gone from the screen and the camera's fill light is off. A technician, who may not see
 * cardholders' cards, gets no card check at all.
 */
describe('signing out clears the counter', () => {
  let running: TestKiosk;
  let kiosk: RunningKiosk;

  beforeAll(async () => {
    running = await startTestKiosk('sign-out');
    kiosk = running.kiosk;
    await waitFor(() => kiosk.controller.snapshot().devices.board.state === 'connected', 15_000, 'the I/O board did not connect');
  }, 60_000);
  afterAll(async () => {
    await running?.stop();
  });

  const signIn = (kind: 'staff' | 'technician', pin: string): Promise<void> => signInAt(kiosk, kind, pin);
  const fillLight = (): number => kiosk.world!.board!.pinValue(defaultPinMap.fillLight);

  it('drops the card check and turns the fill light off on sign-out; shows a technician no card', async () => {
    await signIn('staff', '271828');
    expect(await kiosk.controller.command({ type: 'camera', live: true })).toEqual({ accepted: true });
    await waitFor(() => fillLight() === fillLightDuty, 5_000, 'the fill light did not come on');
    const checkMs = await timed(async () => {
      await devOk(kiosk, { type: 'place-card', kind: 'phone' });
      await waitFor(() => kiosk.controller.snapshot().cardCheck !== null, 10_000, 'the phone was not checked');
    });
    expect(kiosk.controller.snapshot().cardCheck).toMatchObject({ verified: false });

    expect(await kiosk.controller.command({ type: 'sign-out' })).toEqual({ accepted: true });
    expect(kiosk.controller.snapshot().cardCheck).toBeNull();
    await waitFor(() => fillLight() === 0, 5_000, 'the fill light stayed on');

    await signIn('technician', '161803');
    await devOk(kiosk, { type: 'place-card', kind: 'phone' });
    // Three times as long as the operator's check took (at least 2 s): a check for the technician would have shown.
    await expectAbsentFor(() => kiosk.controller.snapshot().cardCheck !== null, checkMs, { factor: 3, floorMs: 2_000, what: "a card check shown to a technician" });
    expect(kiosk.world!.state().counterReader).toBe('card');
    expect(kiosk.controller.snapshot().cardCheck).toBeNull();
  });
});
