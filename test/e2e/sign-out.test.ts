import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPinMap, fillLightDuty } from '../../firmware/pin-map';
import { waitFor } from '../../hardware/host/child-processes';
import { loadConfig } from '../../kiosk/controller/config';
import { startKiosk, type RunningKiosk } from '../../kiosk/controller/main';

/**
 * Signing out (or the idle lock) leaves nothing for the next person at the counter: the card last
 * tapped is gone from the screen and the camera's fill light is off. A technician, who may not see
 * cardholders' cards, gets no card check at all.
 */
describe('signing out clears the counter', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-sign-out-'));
  let kiosk: RunningKiosk;

  beforeAll(async () => {
    kiosk = await startKiosk(loadConfig({ KIOSK_DATA_DIR: dataDir, KIOSK_PORT: '0' }));
    await waitFor(() => kiosk.controller.snapshot().devices.board.state === 'connected', 15_000, 'the I/O board did not connect');
  }, 60_000);
  afterAll(async () => {
    await kiosk.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const signIn = async (kind: 'staff' | 'technician', pin: string): Promise<void> => {
    expect(await kiosk.world!.dev({ type: 'place-card', kind })).toEqual({ accepted: true });
    await waitFor(() => kiosk.controller.snapshot().session.state === 'pin', 10_000, `the ${kind} card was not read`);
    expect(await kiosk.controller.command({ type: 'enter-pin', pin })).toEqual({ accepted: true });
  };
  const fillLight = (): number => kiosk.world!.board!.pinValue(defaultPinMap.fillLight);

  it('drops the card check and turns the fill light off on sign-out; shows a technician no card', async () => {
    await signIn('staff', '271828');
    expect(await kiosk.controller.command({ type: 'camera', live: true })).toEqual({ accepted: true });
    await waitFor(() => fillLight() === fillLightDuty, 5_000, 'the fill light did not come on');
    const tapped = Date.now();
    await kiosk.world!.dev({ type: 'place-card', kind: 'phone' });
    await waitFor(() => kiosk.controller.snapshot().cardCheck !== null, 10_000, 'the phone was not checked');
    const checkMs = Date.now() - tapped;
    expect(kiosk.controller.snapshot().cardCheck).toMatchObject({ verified: false });

    expect(await kiosk.controller.command({ type: 'sign-out' })).toEqual({ accepted: true });
    expect(kiosk.controller.snapshot().cardCheck).toBeNull();
    await waitFor(() => fillLight() === 0, 5_000, 'the fill light stayed on');

    await signIn('technician', '161803');
    await kiosk.world!.dev({ type: 'place-card', kind: 'phone' });
    // Three times as long as the operator's check took (at least 2 s): a check for the technician would have shown.
    await new Promise((resolve) => setTimeout(resolve, Math.max(2_000, 3 * checkMs)));
    expect(kiosk.world!.state().counterReader).toBe('card');
    expect(kiosk.controller.snapshot().cardCheck).toBeNull();
  });
});
