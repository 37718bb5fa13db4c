import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fromPromise, SimulatedClock } from 'xstate';
import { cardJobMachine } from '../../../kiosk/controller/issuance/card-job-machine';
import { IssuanceStepError } from '../../../kiosk/controller/issuance/issuance-errors';
import type { OperatorService } from '../../../kiosk/controller/auth/operator-service';
import { DeviceStatusBoard } from '../../../kiosk/controller/device-status';
import { issuanceMachine, type Assessment, type CardPreview, type PhotoVerdict } from '../../../kiosk/controller/issuance/issuance-machine';
import { createKioskController, type KioskController } from '../../../kiosk/controller/kiosk-controller';
import { createStaffSession, type StaffSession } from '../../../kiosk/controller/staff-session';
import type { KioskSnapshot } from '../../../shared/contract/kiosk-api';
import { fakeCounter, until, type FakeCounter } from './fake-counter';
import { masterKey, operatorsWith, signIn, staffMembers } from './staff-fixture';
import { openTempStore, type TempStore } from './store/temp-store';
import { message } from '../../../shared/contract/messages';
import { testSession } from './store/session-fixture';
import { parkingInStore } from './parking-in-store';

/** The store the flow's job actors write to (set per test). */
let jobStore: TempStore['store'];
/** The print fails while this is set (an empty feeder). */
let feederEmpty = false;
/** While set, the print waits for it (a card half-way through the printer). */
let printing: Promise<void> | null = null;
const commitsBy: Array<string | null> = [];

const flow = issuanceMachine.provide({
  actors: {
    cardJob: cardJobMachine.provide({
      actors: {
        printCard: fromPromise(async () => {
          if (printing) await printing;
          if (feederEmpty) throw new IssuanceStepError('feeder_empty', message('printer.feeder-empty'), true);
        }),
        encodeCard: fromPromise(async () => ({ uid: '04A1B2C3' })),
        commitIssuance: fromPromise(async ({ input }) => {
          commitsBy.push(input.owner);
        }),
        ejectCard: fromPromise(async () => {}),
        abandonJob: fromPromise(async () => {}),
        ...parkingInStore(() => jobStore),
      },
    }),
    abandonJob: fromPromise(async () => {}),
    assessApplication: fromPromise(async (): Promise<Assessment> => ({ eligibility: { cards: [], guardianConsentRequired: false, recommended: null }, problems: [], fee: 0, action: 'new' })),
    evaluatePhoto: fromPromise(async (): Promise<PhotoVerdict> => ({
      passed: false,
      // One face was found (an override needs that), but the head is too small in the frame.
      checks: [
        { id: 'one-face', passed: true, value: 1, threshold: '= 1', message: message('photo.passed.one-face') },
        { id: 'head-height', passed: false, value: 0.5, threshold: '0.71–0.80', message: message('photo.come-closer') },
      ],
      cardPhoto: new Uint8Array([1]),
      archivePhoto: new Uint8Array([2]),
      faceMatch: null,
    })),
    beginJob: fromPromise(async () => jobStore.beginIssuanceJob({ ...(await testSession(jobStore)), cardType: 'general', operatorId: null })),
    renderCard: fromPromise(async (): Promise<CardPreview> => ({ cardNumber: '3300011000000014', frontPng: new Uint8Array([0x89]), job: null })),
  },
});

describe('staff sign-in and supervisor approval', () => {
  let t: TempStore;
  let operators: OperatorService;
  let staff: StaffSession;
  let controller: KioskController;
  let counter: FakeCounter;
  /** The staff machine's timers: moved together with the store's clock. */
  let timers: SimulatedClock;
  const advance = (ms: number): void => {
    t.clock.advance(ms);
    timers.increment(ms);
  };

  beforeEach(async () => {
    t = await openTempStore();
    jobStore = t.store;
    feederEmpty = false;
    printing = null;
    commitsBy.length = 0;
    operators = await operatorsWith(t);
    counter = fakeCounter({ masterKey });
    timers = new SimulatedClock();
    staff = createStaffSession({ operators, counter: counter.station, chipMasterKey: masterKey, log: () => {}, timers, onSignedOut: () => controller.sessionEnded() });
    const devices = new DeviceStatusBoard({ printer: true, scanner: true, nfc: true, board: true });
    controller = createKioskController(flow, devices, () => {}, { session: { staff, operators } });
  });
  afterEach(async () => {
    controller.stop();
    staff.stop();
    await t.cleanup();
  });


  it('refuses the flow until a staff card and its PIN are given', async () => {
    expect(await controller.command({ type: 'start-application' })).toMatchObject({ accepted: false, code: 'sign-in-first', reason: expect.stringMatching(/sign in first/) });
    counter.tap({ cardType: 'general', cardNumber: '3300011000000014' });
    await until(() => controller.snapshot().session.message?.code === 'staff.citizen-card');
    counter.twoCards();
    expect(controller.snapshot().session.message).toEqual({ code: 'staff.cards-unreadable', params: {} });
    counter.tap({ cardType: 'employee', cardNumber: '3300017990000010' });
    await until(() => controller.snapshot().session.state === 'pin');
    expect(await controller.command({ type: 'enter-pin', pin: '000001' })).toMatchObject({ accepted: false });
    expect(controller.snapshot().session.message).toEqual({ code: 'staff.wrong-pin', params: { attemptsLeft: 4 } });
    expect(await controller.command({ type: 'enter-pin', pin: '271828' })).toEqual({ accepted: true });
    expect(controller.snapshot().session).toMatchObject({ state: 'signed-in', operator: { name: 'Operator Lin', role: 'operator' }, mayStartApplication: true });
    expect(await controller.command({ type: 'start-application' })).toEqual({ accepted: true });
    // The same command again: the flow has left the home screen, and the screen is told why in a code.
    expect(await controller.command({ type: 'start-application' })).toMatchObject({ accepted: false, code: 'wrong-screen', reason: expect.stringMatching(/is not possible on the .* screen now/) });
  });

  it('does not take a staff card made under another master key (its sector keys do not open), nor a citizen card turned into a staff card on the chip', async () => {
    const otherCity = new Uint8Array(32).fill(9);
    counter.tap({ cardType: 'employee', cardNumber: staffMembers.operator.card }, { masterKey: otherCity });
    await until(() => controller.snapshot().session.message !== null);
    expect(controller.snapshot().session).toMatchObject({ state: 'signed-out', message: { code: 'staff.unverified-card', params: {} } });
    expect(await controller.command({ type: 'enter-pin', pin: staffMembers.operator.pin })).toMatchObject({ accepted: false });
    expect(operators.current()).toBeNull();

    // This city's keys, but a citizen card whose type byte was changed to 'employee' on the chip: the MAC does not verify.
    counter.twoCards(); // a message of its own, so that the next one is seen to replace it
    counter.tap({ cardType: 'general', cardNumber: staffMembers.operator.card }, { flip: { block: 52, byte: 3, bits: 1 ^ 7 } });
    await until(() => controller.snapshot().session.message?.code !== 'staff.cards-unreadable');
    expect(controller.snapshot().session).toMatchObject({ state: 'signed-out', message: { code: 'staff.unverified-card', params: {} } });

    // The same staff card as this city made it signs in.
    await signIn(counter, controller, 'operator');
    expect(controller.snapshot().session).toMatchObject({ state: 'signed-in', operator: { role: 'operator' } });
  });

  it('refuses a technician an application (the permission table), and audits the refusal', async () => {
    await signIn(counter, controller, 'technician');
    // The screen is told before anyone taps, and the controller refuses all the same.
    expect(controller.snapshot().session).toMatchObject({ operator: { role: 'technician' }, mayStartApplication: false });
    expect(await controller.command({ type: 'start-application' })).toEqual({ accepted: false, code: 'role', role: 'technician', reason: 'a technician may not issue card' });
    expect(controller.screen()).toBe('home');
    const refusals = (await t.store.readAudit()).filter((entry) => entry.eventId === 'auth-permission-refused');
    expect(refusals.map((entry) => entry.details)).toEqual([expect.objectContaining({ actor: 'technician', action: 'issue-card', reason: 'forbidden' })]);
  });

  it('locks an idle session and clears the open application from the screen', async () => {
    await signIn(counter, controller, 'operator');
    await controller.command({ type: 'start-application' });
    await controller.command({ type: 'update-application', fields: { name: 'NGUYEN THI LAN' } });
    advance(3 * 60_000 - 10_000);
    await until(() => (controller.snapshot().session.idleSecondsLeft ?? 0) > 0);
    advance(11_000);
    // The lock is written to the audit log before the screen is told why.
    await until(() => controller.snapshot().session.state === 'signed-out' && controller.snapshot().session.message !== null);
    expect(controller.snapshot().session.message).toEqual({ code: 'staff.idle-locked', params: {} });
    expect(controller.screen()).toBe('home');
    expect(controller.snapshot().application.form.name).toBe('');
  });

  it('lets an operator override a failed photo only with a supervisor card and PIN', async () => {
    await signIn(counter, controller, 'operator');
    await controller.command({ type: 'start-application' });
    await controller.command({ type: 'submit-application' });
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await controller.command({ type: 'capture-photo', jpegBase64: Buffer.from('not really a photo').toString('base64') });
      await until(() => controller.snapshot().photo.attempts === attempt + 1 && !controller.snapshot().photo.evaluating);
    }
    expect(await controller.command({ type: 'override-photo', reason: 'bedridden applicant' })).toEqual({ accepted: true });
    expect(controller.snapshot().session.approval).toEqual({ action: 'override-photo', state: 'waiting-card' });
    expect(controller.screen()).toBe('photo');

    // The operator's own card is no supervisor's approval.
    counter.tap({ cardType: 'employee', cardNumber: '3300017990000010' });
    await until(() => controller.snapshot().session.approval?.state === 'pin');
    await controller.command({ type: 'enter-pin', pin: '271828' });
    expect(controller.snapshot().session.message).toEqual({ code: 'staff.not-a-supervisor', params: {} });
    expect(controller.screen()).toBe('photo');

    counter.tap({ cardType: 'employee', cardNumber: '3300017990000028' });
    await until(() => controller.snapshot().session.approval?.state === 'pin');
    expect(await controller.command({ type: 'enter-pin', pin: '314159' })).toEqual({ accepted: true });
    await until(() => controller.screen() === 'review');
    expect(controller.snapshot().session.approval).toBeNull();
    const approvals = (await t.store.readAudit()).filter((entry) => entry.eventId === 'auth-supervisor-approval');
    expect(approvals.map((entry) => entry.disposition)).toEqual(['failure', 'success']);
  });

  /** The operator's application up to the review screen, its failed photo accepted by the supervisor. */
  const toReview = async (): Promise<void> => {
    await signIn(counter, controller, 'operator');
    await controller.command({ type: 'start-application' });
    await controller.command({ type: 'update-application', fields: { name: 'NGUYEN THI LAN', idNumber: 'A123456789' } });
    await until(() => controller.snapshot().application.eligibility !== null);
    await controller.command({ type: 'submit-application' });
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await controller.command({ type: 'capture-photo', jpegBase64: Buffer.from('not really a photo').toString('base64') });
      await until(() => controller.snapshot().photo.attempts === attempt + 1 && !controller.snapshot().photo.evaluating);
    }
    await controller.command({ type: 'override-photo', reason: 'bedridden applicant' });
    counter.tap({ cardType: 'employee', cardNumber: '3300017990000028' });
    await until(() => controller.snapshot().session.approval?.state === 'pin');
    expect(await controller.command({ type: 'enter-pin', pin: '314159' })).toEqual({ accepted: true });
    await until(() => controller.screen() === 'review' && controller.snapshot().previewUrl !== null);
  };

  /** The one card job in the print queue, as the person at the screen sees it. */
  const theJob = () => controller.snapshot().printQueue.jobs[0];

  it('finishes a card under its owner when someone else signs in while it prints, and refuses them every command on it', async () => {
    await toReview();
    const owner = operators.current()?.operatorId;
    let finishPrint = (): void => {};
    printing = new Promise((resolve) => (finishPrint = resolve));
    expect(await controller.command({ type: 'confirm-print' })).toEqual({ accepted: true });
    await until(() => controller.screen() === 'home' && theJob()?.stage === 'printing');
    const jobId = theJob()?.jobId ?? '';
    expect(await controller.command({ type: 'sign-out' })).toEqual({ accepted: true });
    await signIn(counter, controller, 'supervisor');
    expect(JSON.stringify(controller.snapshot())).not.toContain('NGUYEN');
    expect(theJob()).toMatchObject({ jobId, initials: null, cardNumber: null, mine: false });
    expect(controller.preview()).toBeNull();
    for (const command of [{ type: 'retry', jobId }, { type: 'cancel-job', jobId }, { type: 'finish', jobId }] as const) {
      expect(await controller.command(command), command.type).toMatchObject({ accepted: false, code: 'job-of-another-operator' });
    }
    finishPrint();
    // Done while its owner is away: the card is out, under its owner, and nothing of it is shown to the next person.
    await until(() => commitsBy.length === 1 && theJob()?.stage === 'ready');
    expect(commitsBy).toEqual([owner]);
    expect(theJob()).toMatchObject({ initials: null, cardNumber: null, uid: null });
    expect(await controller.command({ type: 'finish', jobId })).toMatchObject({ accepted: false, code: 'job-of-another-operator' });
    expect(await controller.command({ type: 'start-application' })).toEqual({ accepted: true });
  });

  it("judges a command naming a job against that job's owner, not the application on the screen", async () => {
    await toReview();
    feederEmpty = true;
    expect(await controller.command({ type: 'confirm-print' })).toEqual({ accepted: true });
    await until(() => theJob()?.stage === 'failed');
    const jobId = theJob()?.jobId ?? '';
    expect(await controller.command({ type: 'sign-out' })).toEqual({ accepted: true });
    await until(() => theJob()?.stage === 'parked');
    // The supervisor's own application is on the screen: the operator's job is still not theirs to retry or cancel.
    await signIn(counter, controller, 'supervisor');
    expect(await controller.command({ type: 'start-application' })).toEqual({ accepted: true });
    for (const command of [{ type: 'retry', jobId }, { type: 'cancel-job', jobId }] as const) {
      expect(await controller.command(command), command.type).toMatchObject({ accepted: false, code: 'job-of-another-operator' });
    }
    expect(theJob()).toMatchObject({ stage: 'parked', mayTakeOver: true, initials: null });
    // Taken over, it is the supervisor's: shown to them, and theirs to retry.
    expect(await controller.command({ type: 'take-over-job', jobId })).toEqual({ accepted: true });
    await until(() => theJob()?.stage === 'failed');
    expect(theJob()).toMatchObject({ mine: true, initials: 'N.T.L.', cardNumber: '3300011000000014' });
    feederEmpty = false;
    expect(await controller.command({ type: 'retry', jobId })).toEqual({ accepted: true });
    await until(() => theJob()?.stage === 'ready');
    expect(commitsBy).toEqual([operators.current()?.operatorId]);
  });

  it("shows a job's initials and card number to its owner only: not to another operator, nor to a technician", async () => {
    await toReview();
    let finishPrint = (): void => {};
    printing = new Promise((resolve) => (finishPrint = resolve));
    expect(await controller.command({ type: 'confirm-print' })).toEqual({ accepted: true });
    await until(() => theJob()?.stage === 'printing');
    expect(theJob()).toMatchObject({ initials: 'N.T.L.', cardNumber: '3300011000000014', mine: true });
    for (const role of ['supervisor', 'technician'] as const) {
      expect(await controller.command({ type: 'sign-out' })).toEqual({ accepted: true });
      await signIn(counter, controller, role);
      expect(theJob(), role).toMatchObject({ stage: 'printing', initials: null, cardNumber: null, uid: null, mine: false });
      expect(JSON.stringify(controller.snapshot()), role).not.toMatch(/N\.T\.L\.|3300011000000014|NGUYEN/);
    }
    expect(await controller.command({ type: 'sign-out' })).toEqual({ accepted: true });
    await until(() => controller.snapshot().session.state === 'signed-out');
    expect(theJob()).toMatchObject({ initials: null, cardNumber: null });
    await signIn(counter, controller, 'operator');
    expect(theJob()).toMatchObject({ initials: 'N.T.L.', cardNumber: '3300011000000014', mine: true });
    // The job's own progress reaches the screen: pushed, with no command or session change to prompt it.
    const pushed: Array<KioskSnapshot['printQueue']['jobs'][number] | undefined> = [];
    controller.onChange((snapshot) => pushed.push(snapshot.printQueue.jobs[0]));
    finishPrint();
    await until(() => pushed.at(-1)?.stage === 'ready');
    expect(pushed.map((job) => job?.stage)).toEqual(expect.arrayContaining(['encoding', 'committing', 'ready']));
    expect(pushed.at(-1)).toMatchObject({ uid: '04A1B2C3', initials: 'N.T.L.' });
    // The exit slot's sensor saw the card taken: its job closes and leaves the queue.
    controller.cardsTaken([pushed.at(-1)?.jobId ?? '']);
    await until(() => controller.snapshot().printQueue.jobs.length === 0);
  });

  it('audits each refusal on another operator\'s job once, with its code, under the one who was refused', async () => {
    await toReview();
    let finishPrint = (): void => {};
    printing = new Promise((resolve) => (finishPrint = resolve));
    expect(await controller.command({ type: 'confirm-print' })).toEqual({ accepted: true });
    await until(() => theJob()?.stage === 'printing');
    const jobId = theJob()?.jobId ?? '';
    expect(await controller.command({ type: 'sign-out' })).toEqual({ accepted: true });
    await signIn(counter, controller, 'supervisor');
    const supervisor = operators.current()?.operatorId;
    for (const command of [{ type: 'retry', jobId }, { type: 'cancel-job', jobId }] as const) {
      expect(await controller.command(command)).toMatchObject({ accepted: false, code: 'job-of-another-operator' });
    }
    const refusals = (await t.store.readAudit()).filter((entry) => entry.eventId === 'auth-permission-refused');
    expect(refusals.map((entry) => [entry.operatorId, entry.details])).toEqual([
      [supervisor, { command: 'retry', code: 'job-of-another-operator', actor: 'supervisor', reason: 'not-owner' }],
      [supervisor, { command: 'cancel-job', code: 'job-of-another-operator', actor: 'supervisor', reason: 'not-owner' }],
    ]);
    finishPrint();
    await until(() => commitsBy.length === 1 && theJob()?.stage === 'ready');
  });

  it('parks a failed card when the session locks: nothing of the applicant on show; its owner gets it back and finishes it', async () => {
    await toReview();
    feederEmpty = true;
    expect(await controller.command({ type: 'confirm-print' })).toEqual({ accepted: true });
    await until(() => theJob()?.stage === 'failed' && controller.snapshot().printQueue.paused);
    expect(theJob()).toMatchObject({ initials: 'N.T.L.', cardNumber: '3300011000000014', error: { kind: 'feeder_empty', canRetry: true } });
    const jobId = theJob()?.jobId ?? '';

    advance(3 * 60_000 + 1_000);
    await until(() => controller.snapshot().session.state === 'signed-out' && theJob()?.stage === 'parked');
    const locked = JSON.stringify(controller.snapshot());
    for (const personal of ['NGUYEN', 'A123456789', 'N.T.L.', '3300011000000014']) expect(locked).not.toContain(personal);
    expect(controller.screen()).toBe('home');
    expect(controller.preview()).toBeNull();
    expect(await controller.command({ type: 'retry', jobId })).toMatchObject({ accepted: false, code: 'sign-in-first' });

    feederEmpty = false;
    await signIn(counter, controller, 'operator');
    await until(() => theJob()?.stage === 'failed' && theJob()?.initials === 'N.T.L.');
    expect(await controller.command({ type: 'retry', jobId })).toEqual({ accepted: true });
    await until(() => theJob()?.stage === 'ready');
    const operatorId = operators.current()?.operatorId;
    expect(commitsBy).toEqual([operatorId]);
    const steps = (await t.store.readAudit({ eventIds: ['issuance-job-parked', 'issuance-job-resumed'] })).map((entry) => [entry.eventId, entry.operatorId]);
    expect(steps).toEqual([['issuance-job-parked', operatorId], ['issuance-job-resumed', operatorId]]);
  });
});
