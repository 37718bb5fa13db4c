import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fromPromise, SimulatedClock } from 'xstate';
import type { OperatorService } from '../../../../kiosk/controller/auth/operator-service';
import { DeviceStatusBoard } from '../../../../kiosk/controller/device-status';
import { cardJobMachine } from '../../../../kiosk/controller/issuance/card-job-machine';
import { issuanceMachine, type Assessment, type CardPreview, type FeeWallet, type IssuanceJob, type PhotoVerdict } from '../../../../kiosk/controller/issuance/issuance-machine';
import { createKioskController, type KioskController } from '../../../../kiosk/controller/kiosk-controller';
import { createStaffSession, type StaffSession } from '../../../../kiosk/controller/staff-session';
import { fakeCounter, until, type FakeCounter } from '../fake-counter';
import { masterKey, operatorsWith, signIn, staffMembers } from '../staff-fixture';
import { openTempStore, type TempStore } from '../store/temp-store';

/**
 * Issue 16, at the controller: the print is refused with `fee-unsettled` until the review's fee is
 * recorded; the e-wallet is refused with `fee-wallet-short` when the old card has none; a waiver by an
 * operator waits for a supervisor's card and PIN (the approval flow of a photo override) and names them.
 */

const commits: IssuanceJob[] = [];
let wallet: FeeWallet | null = null;
const lostCard: Assessment = { eligibility: { cards: [], guardianConsentRequired: false, recommended: null }, problems: [], fee: 94, action: 'replacement' };
const passed: PhotoVerdict = { passed: true, checks: [], cardPhoto: new Uint8Array([1]), archivePhoto: new Uint8Array([2]), faceMatch: null };

const flow = issuanceMachine.provide({
  actors: {
    cardJob: cardJobMachine.provide({
      actors: {
        journalQueued: fromPromise(async () => {}),
        printCard: fromPromise(async () => {}),
        encodeCard: fromPromise(async () => ({ uid: '04A1B2C3' })),
        commitIssuance: fromPromise(async ({ input }) => {
          commits.push(input);
        }),
        feeReceipt: fromPromise(async ({ input }) => ({ id: input.jobId, text: 'TCR1.x.y' })),
        ejectCard: fromPromise(async () => {}),
        abandonJob: fromPromise(async () => {}),
      },
    }),
    abandonJob: fromPromise(async () => {}),
    assessApplication: fromPromise(async (): Promise<Assessment> => lostCard),
    evaluatePhoto: fromPromise(async (): Promise<PhotoVerdict> => passed),
    feeWallet: fromPromise(async () => wallet),
    beginJob: fromPromise(async () => 'job-1'),
    renderCard: fromPromise(async (): Promise<CardPreview> => ({ cardNumber: '3300011000000022', frontPng: new Uint8Array([0x89]), job: null })),
  },
});

describe('the fee at the controller', () => {
  let t: TempStore;
  let operators: OperatorService;
  let staff: StaffSession;
  let controller: KioskController;
  let counter: FakeCounter;

  beforeEach(async () => {
    commits.length = 0;
    wallet = null;
    t = await openTempStore();
    operators = await operatorsWith(t);
    counter = fakeCounter({ masterKey });
    staff = createStaffSession({ operators, counter: counter.station, chipMasterKey: masterKey, log: () => {}, timers: new SimulatedClock(), onSignedOut: () => controller.sessionEnded() });
    controller = createKioskController(flow, new DeviceStatusBoard({ printer: true, scanner: true, nfc: true, board: true }), () => {}, { session: { staff, operators } });
  });
  afterEach(async () => {
    controller.stop();
    staff.stop();
    await t.cleanup();
  });

  const toReview = async (): Promise<void> => {
    await signIn(counter, controller, 'operator');
    await controller.command({ type: 'start-application' });
    await controller.command({ type: 'update-application', fields: { name: 'NGUYEN THI LAN', idNumber: 'A123456789', replacementCause: 'lost' } });
    await until(() => controller.snapshot().application.eligibility !== null);
    await controller.command({ type: 'submit-application' });
    await controller.command({ type: 'capture-photo', jpegBase64: Buffer.from('a photo of somebody').toString('base64') });
    await until(() => controller.screen() === 'review' && controller.snapshot().previewUrl !== null && controller.snapshot().fee?.walletLooking === false);
  };

  it('refuses the print until the fee is settled, and the e-wallet of an old card without one', async () => {
    await toReview();
    expect(controller.snapshot().fee).toEqual({ amount: 94, cause: 'lost', wallet: null, walletLooking: false, settled: null });
    expect(await controller.command({ type: 'confirm-print' })).toMatchObject({ accepted: false, code: 'fee-unsettled' });
    expect(await controller.command({ type: 'settle-fee', method: 'wallet' })).toMatchObject({ accepted: false, code: 'fee-wallet-short' });
    expect(await controller.command({ type: 'settle-fee', method: 'cash' })).toEqual({ accepted: true });
    expect(controller.snapshot().fee?.settled).toEqual({ method: 'cash', waiverReason: null, approved: false });
    expect(await controller.command({ type: 'confirm-print' })).toEqual({ accepted: true });
    await until(() => commits.length === 1);
    expect(commits[0]?.fee).toMatchObject({ method: 'cash', amount: 94 });
  });

  it('shows the old card’s e-wallet (last 4 digits and balance) and takes the fee from it when it holds enough', async () => {
    wallet = { cardNumber: '3300011000000014', balance: 300 };
    await toReview();
    expect(controller.snapshot().fee?.wallet).toEqual({ last4: '0014', balance: 300 });
    expect(await controller.command({ type: 'settle-fee', method: 'wallet' })).toEqual({ accepted: true });
    expect(await controller.command({ type: 'confirm-print' })).toEqual({ accepted: true });
    await until(() => commits.length === 1);
    expect(commits[0]?.fee).toMatchObject({ method: 'wallet', walletCardNumber: '3300011000000014' });
  });

  it('an operator’s waiver waits for a supervisor’s card and PIN, and names the supervisor', async () => {
    await toReview();
    expect(await controller.command({ type: 'waive-fee', reason: 'low-income' })).toEqual({ accepted: true });
    expect(controller.snapshot().session.approval).toEqual({ action: 'waive-fee', state: 'waiting-card' });
    expect(controller.snapshot().fee?.settled).toBeNull();
    expect(await controller.command({ type: 'confirm-print' })).toMatchObject({ accepted: false });

    counter.tap({ cardType: 'employee', cardNumber: staffMembers.supervisor.card });
    await until(() => controller.snapshot().session.approval?.state === 'pin');
    expect(await controller.command({ type: 'enter-pin', pin: staffMembers.supervisor.pin })).toEqual({ accepted: true });
    await until(() => controller.snapshot().fee?.settled !== null);
    expect(controller.snapshot().fee?.settled).toEqual({ method: 'waived', waiverReason: 'low-income', approved: true });
    expect(await controller.command({ type: 'confirm-print' })).toEqual({ accepted: true });
    await until(() => commits.length === 1);
    const approval = (await t.store.readAudit()).find((entry) => entry.eventId === 'auth-supervisor-approval' && entry.disposition === 'success');
    expect(approval?.details['action']).toBe('waive-fee');
    expect(commits[0]?.fee).toMatchObject({ method: 'waived', waiverReason: 'low-income', approvedBy: approval?.operatorId });
    expect(approval?.operatorId).toEqual(expect.any(String));
  });
});
