import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../hardware/host/child-processes';
import { loadConfig } from '../../kiosk/controller/config';
import { startKiosk, type RunningKiosk } from '../../kiosk/controller/main';
import { signInAt } from '../helpers/kiosk';

/**
 * The kiosk's door (tamper switch on the I/O board, over a real pty and Firmata) is opened: the
 * kiosk goes out of service, refuses new applications and audits it; shutting the door is not
 * enough — a technician must sign in and put it back in service.
 */
describe('tamper switch', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-tamper-'));
  let kiosk: RunningKiosk;

  beforeAll(async () => {
    kiosk = await startKiosk(loadConfig({ KIOSK_DATA_DIR: dataDir, KIOSK_PORT: '0', KIOSK_SIMULATE: '1' }));
    await waitFor(() => kiosk.controller.snapshot().devices.board.state === 'connected', 15_000, 'the I/O board did not connect');
  }, 60_000);
  afterAll(async () => {
    await kiosk.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const signIn = (kind: 'staff' | 'technician', pin: string): Promise<void> => signInAt(kiosk, kind, pin);

  it('goes out of service when the door opens, stays so across a restart, and only a technician puts it back', async () => {
    await signIn('staff', '271828');
    expect(kiosk.controller.snapshot().outOfService).toBeNull();

    await kiosk.world!.dev({ type: 'door', open: true });
    await waitFor(() => kiosk.controller.snapshot().outOfService !== null, 10_000, 'the open door was not noticed');
    expect(kiosk.controller.snapshot().devices.board).toMatchObject({ state: 'fault', detail: 'door open: out of service' });
    expect(await kiosk.controller.command({ type: 'start-application' })).toMatchObject({ accepted: false, code: 'out-of-service', reason: expect.stringMatching(/^out of service/) });

    await kiosk.world!.dev({ type: 'door', open: false });
    await waitFor(() => kiosk.controller.snapshot().devices.board.detail.startsWith('door closed'), 10_000, 'the shut door was not noticed');
    expect(kiosk.controller.snapshot().outOfService).not.toBeNull();
    expect(await kiosk.controller.command({ type: 'clear-tamper' })).toMatchObject({ accepted: false, code: 'technician-only', reason: expect.stringMatching(/only a technician/) });

    await kiosk.controller.command({ type: 'sign-out' });
    // A restart (or a power cycle) does not clear the alarm.
    await kiosk.stop();
    kiosk = await startKiosk(loadConfig({ KIOSK_DATA_DIR: dataDir, KIOSK_PORT: '0', KIOSK_SIMULATE: '1' }));
    await waitFor(() => kiosk.controller.snapshot().devices.board.state === 'fault', 15_000, 'the I/O board did not come back latched');
    expect(kiosk.controller.snapshot().outOfService).not.toBeNull();
    await signIn('technician', '161803');
    expect(await kiosk.controller.command({ type: 'clear-tamper' })).toEqual({ accepted: true });
    expect(kiosk.controller.snapshot().outOfService).toBeNull();

    const audit = (await kiosk.store.readAudit()).map((entry) => entry.eventId);
    expect(audit).toContain('tamper-detected');
    expect(audit).toContain('tamper-cleared');
    // The board's fault (the open door) and its recovery are in the audit log too.
    const boardFaults = (await kiosk.store.readAudit()).filter((entry) => entry.eventId === 'device-fault' && entry.details['device'] === 'board');
    expect(boardFaults.map((entry) => entry.disposition)).toContain('failure');
  });
});
