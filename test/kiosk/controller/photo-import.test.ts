import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fromPromise, SimulatedClock } from 'xstate';
import type { OperatorService } from '../../../kiosk/controller/auth/operator-service';
import { DeviceStatusBoard } from '../../../kiosk/controller/device-status';
import { issuanceMachine, type Assessment, type PhotoVerdict } from '../../../kiosk/controller/issuance/issuance-machine';
import { createKioskController, type KioskController } from '../../../kiosk/controller/kiosk-controller';
import { createStaffSession, type StaffSession } from '../../../kiosk/controller/staff-session';
import { kioskCommandSchema, type PhotoSource } from '../../../shared/contract/kiosk-api';
import { message } from '../../../shared/contract/messages';
import { fakeCounter, until, type FakeCounter } from './fake-counter';
import { masterKey, operatorsWith, signIn, staffMembers } from './staff-fixture';
import { openTempStore, type TempStore } from './store/temp-store';

/**
 * "Import a photo file" replaces the camera: an exception like a photo override, so it needs a reason
 * and a supervisor's approval, and it is audited; a plain capture may not claim to be an import.
 */

/** Every attempt the gate was given, by source. */
const judged: PhotoSource[] = [];

const flow = issuanceMachine.provide({
  actors: {
    assessApplication: fromPromise(async (): Promise<Assessment> => ({ eligibility: { cards: [], guardianConsentRequired: false }, problems: [], fee: 0, action: 'new' })),
    evaluatePhoto: fromPromise(async ({ input }): Promise<PhotoVerdict> => {
      judged.push(input.source);
      return {
        passed: false,
        checks: [{ id: 'one-face', passed: false, value: 0, threshold: '= 1', message: message('photo.no-face') }],
        cardPhoto: null,
        archivePhoto: null,
        faceMatch: null,
      };
    }),
  },
});

const file = Buffer.from('a photo file from the applicant').toString('base64');

describe('importing a photo file', () => {
  let t: TempStore;
  let operators: OperatorService;
  let staff: StaffSession;
  let controller: KioskController;
  let counter: FakeCounter;

  beforeEach(async () => {
    judged.length = 0;
    t = await openTempStore();
    operators = await operatorsWith(t);
    counter = fakeCounter({ masterKey });
    staff = createStaffSession({ operators, counter: counter.station, chipMasterKey: masterKey, log: () => {}, timers: new SimulatedClock(), onSignedOut: () => controller.sessionEnded() });
    const devices = new DeviceStatusBoard({ printer: true, scanner: true, nfc: true, board: true });
    controller = createKioskController(flow, devices, () => {}, { session: { staff, operators }, audit: (input) => t.store.appendAudit(input) });
  });
  afterEach(async () => {
    controller.stop();
    staff.stop();
    await t.cleanup();
  });

  const toPhoto = async (role: 'operator' | 'supervisor'): Promise<void> => {
    await signIn(counter, controller, role);
    await controller.command({ type: 'start-application' });
    await controller.command({ type: 'submit-application' });
    expect(controller.screen()).toBe('photo');
  };
  const imports = async () => (await t.store.readAudit()).filter((entry) => entry.eventId === 'issuance-photo-import');
  const idOf = async (role: 'operator' | 'supervisor') => (await t.store.operators.byStaffCard(staffMembers[role].card))?.id;

  it('refuses a capture that calls itself an import: no attempt is counted', async () => {
    await toPhoto('operator');
    expect(await controller.command({ type: 'capture-photo', jpegBase64: file, source: 'import' })).toMatchObject({ accepted: false, code: 'invalid-input' });
    expect(controller.snapshot().photo.attempts).toBe(0);
    expect(judged).toEqual([]);
    // The camera's own capture is no exception.
    expect(await controller.command({ type: 'capture-photo', jpegBase64: file, source: 'camera' })).toEqual({ accepted: true });
    await until(() => judged.length === 1);
    expect(judged).toEqual(['camera']);
  });

  it('takes an operator\'s import only once a supervisor approves it with card and PIN, and audits its reason and approver', async () => {
    await toPhoto('operator');
    expect(await controller.command({ type: 'import-photo', jpegBase64: file, reason: 'camera broken, applicant brought a photo' })).toEqual({ accepted: true });
    expect(controller.snapshot().session.approval).toEqual({ action: 'override-photo', state: 'waiting-card' });
    expect(controller.snapshot().photo.attempts).toBe(0);

    // The operator's own card is no approval: still nothing judged, nothing audited.
    counter.tap({ cardType: 'employee', cardNumber: staffMembers.operator.card });
    await until(() => controller.snapshot().session.approval?.state === 'pin');
    await controller.command({ type: 'enter-pin', pin: staffMembers.operator.pin });
    expect(controller.snapshot().session.message).toEqual({ code: 'staff.not-a-supervisor', params: {} });
    expect(judged).toEqual([]);
    expect(await imports()).toEqual([]);

    counter.tap({ cardType: 'employee', cardNumber: staffMembers.supervisor.card });
    await until(() => controller.snapshot().session.approval?.state === 'pin');
    expect(await controller.command({ type: 'enter-pin', pin: staffMembers.supervisor.pin })).toEqual({ accepted: true });
    await until(() => judged.length === 1 && !controller.snapshot().photo.evaluating);
    expect(judged).toEqual(['import']);
    expect(controller.snapshot().photo.attempts).toBe(1);
    const [row, ...more] = await imports();
    expect(more).toEqual([]);
    expect(row).toMatchObject({
      operatorId: await idOf('operator'),
      disposition: 'success',
      details: { reason: 'camera broken, applicant brought a photo', approvedBy: await idOf('supervisor') },
    });
  });

  it('lets a supervisor import at once, audited under their own id', async () => {
    await toPhoto('supervisor');
    expect(await controller.command({ type: 'import-photo', jpegBase64: file, reason: 'no camera at the bedside' })).toEqual({ accepted: true });
    expect(controller.snapshot().session.approval).toBeNull();
    await until(() => judged.length === 1);
    expect(await imports()).toMatchObject([{ operatorId: await idOf('supervisor'), details: { reason: 'no camera at the bedside', approvedBy: null } }]);
  });

  it('asks nobody to approve an import the flow would refuse (not on the photo screen)', async () => {
    await signIn(counter, controller, 'operator');
    expect(await controller.command({ type: 'import-photo', jpegBase64: file, reason: 'camera broken' })).toMatchObject({ accepted: false, code: 'wrong-screen' });
    expect(controller.snapshot().session.approval).toBeNull();
  });

  it('has no import without a reason (the contract)', () => {
    expect(kioskCommandSchema.safeParse({ type: 'import-photo', jpegBase64: file, reason: '  ' }).success).toBe(false);
    expect(kioskCommandSchema.safeParse({ type: 'import-photo', jpegBase64: file }).success).toBe(false);
    expect(kioskCommandSchema.safeParse({ type: 'import-photo', jpegBase64: file, reason: 'camera broken' }).success).toBe(true);
  });
});
