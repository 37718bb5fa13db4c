import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../../shared/clock';
import { startApiServer, type ApiServer } from '../../../../kiosk/controller/api/server';
import { createOperatorService } from '../../../../kiosk/controller/auth/operator-service';
import { DeviceStatusBoard } from '../../../../kiosk/controller/device-status';
import { issuanceMachine } from '../../../../kiosk/controller/issuance/issuance-machine';
import { createKioskController, type KioskController } from '../../../../kiosk/controller/kiosk-controller';
import { createStaffSession, type StaffSession } from '../../../../kiosk/controller/staff-session';
import { openStore, type Store } from '../../../../kiosk/controller/store/store';
import { mountSmallDisk, type SmallDisk } from '../../../helpers/tmpfs';
import { fakeCounter, until, type FakeCounter } from '../fake-counter';
import { masterKey, staffMembers, testPinCost } from '../staff-fixture';

/**
 * Signing in writes audit rows: on a full data disk (a real tmpfs, filled) the PIN is answered with
 * a refusal that names the disk, through the real API, not with HTTP 500.
 */
describe('enter-pin on a full data disk', () => {
  const token = 'launch-token-0123456789';
  let disk: SmallDisk;
  let store: Store;
  let staff: StaffSession;
  let controller: KioskController;
  let counter: FakeCounter;
  let api: ApiServer;
  const uiDir = mkdtempSync(join(tmpdir(), 'ui-'));

  beforeAll(async () => {
    disk = mountSmallDisk('disk-full-pin', 8);
    mkdirSync(join(disk.dir, 'data'));
    const clock = fixedClock(new Date('2026-03-01T09:00:00Z'));
    const opened = await openStore({ path: join(disk.dir, 'data', 'kiosk.sqlite'), keyFile: join(disk.dir, 'data', 'store.key'), kioskId: 'TY-K01', clock });
    if (!opened.ok) throw new Error(JSON.stringify(opened.error));
    store = opened.value;
    const operators = createOperatorService(store, { clock, pinCost: testPinCost });
    const { card, name, pin } = staffMembers.operator;
    await operators.addOperator({ staffCardNumber: card, name, role: 'operator', pin, actorId: null });
    counter = fakeCounter({ masterKey });
    staff = createStaffSession({ operators, counter: counter.station, chipMasterKey: masterKey, log: () => {}, onSignedOut: () => controller.sessionEnded() });
    controller = createKioskController(issuanceMachine, new DeviceStatusBoard({ printer: true, scanner: true, nfc: true, board: true }), () => {}, { session: { staff, operators } });
    api = await startApiServer({
      port: 0,
      token,
      uiDir,
      log: () => {},
      handlers: { snapshot: () => controller.snapshot(), command: (command) => controller.command(command), preview: () => null, health: () => ({}) },
    });
  });
  afterAll(async () => {
    await api?.close();
    controller?.stop();
    staff?.stop();
    await store?.close();
    disk?.unmount();
    rmSync(uiDir, { recursive: true, force: true });
  });

  const command = async (body: unknown) => {
    const response = await fetch(`${api.url}api/command`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const enterPin = (pin: string) => command({ type: 'enter-pin', pin });

  it('refuses with the disk code and words, for the right PIN and a wrong one alike', async () => {
    disk.fill();
    counter.tap({ cardType: 'employee', cardNumber: staffMembers.operator.card });
    await until(() => controller.snapshot().session.state === 'pin');

    for (const pin of [staffMembers.operator.pin, '000000']) {
      const reply = await enterPin(pin);
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      expect(reply.body).toMatchObject({ accepted: false, code: 'disk-full', reason: expect.stringMatching(/data disk is full/) });
    }
    expect(controller.snapshot().session.state).toBe('pin');

    // Space freed: the same card and PIN sign in.
    disk.unfill();
    expect((await enterPin(staffMembers.operator.pin)).body).toEqual({ accepted: true });
    expect(controller.snapshot().session.state).toBe('signed-in');
  });

  it('still ends the session and clears the screen when the sign-out cannot be recorded, and says why', async () => {
    expect(controller.snapshot().session.state).toBe('signed-in');
    expect((await command({ type: 'start-application' })).body).toEqual({ accepted: true });
    expect(controller.screen()).toBe('application');
    disk.fill();
    const reply = await command({ type: 'sign-out' });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ accepted: false, code: 'disk-full' });
    expect(controller.snapshot().session.state).toBe('signed-out');
    expect(controller.screen()).toBe('home');
    disk.unfill();
  });
});
