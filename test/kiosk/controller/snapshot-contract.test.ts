import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fromPromise, SimulatedClock } from 'xstate';
import type { OperatorService } from '../../../kiosk/controller/auth/operator-service';
import { createCardCheck, type CardCheck } from '../../../kiosk/controller/card-check';
import { DeviceStatusBoard } from '../../../kiosk/controller/device-status';
import { assessApplication } from '../../../kiosk/controller/issuance/assess-application';
import { cardJobMachine, type EncodedCard } from '../../../kiosk/controller/issuance/card-job-machine';
import { IssuanceStepError } from '../../../kiosk/controller/issuance/issuance-errors';
import { issuanceMachine, type CardPreview, type PhotoVerdict } from '../../../kiosk/controller/issuance/issuance-machine';
import { createKioskController, type KioskController } from '../../../kiosk/controller/kiosk-controller';
import { createSelfService } from '../../../kiosk/controller/self-service/own-card';
import { createStaffSession, type StaffSession } from '../../../kiosk/controller/staff-session';
import { commandReplySchema, kioskSnapshotSchema, type CommandReply, type KioskCommand, type LogHealthView } from '../../../shared/contract/kiosk-api';
import { message } from '../../../shared/contract/messages';
import { defaultCityRules } from '../../../shared/domain/rules';
import { fakeCounter, until, type FakeCounter } from './fake-counter';
import { masterKey, operatorsWith, signIn, staffMembers } from './staff-fixture';
import { issuance, openTempStore, type TempStore } from './store/temp-store';
import { testSession } from './store/session-fixture';
import { parkingInStore } from './parking-in-store';

/**
 * The contract's schemas against what the controller really sends: every snapshot it pushes on a
 * journey through its states (signed out, PIN, an application with eligibility, a scanned document
 * with problems, a photo with checks and a face comparison, review, a card job printing, failed,
 * parked and ready in the print queue, a card check, self-service) goes through `kioskSnapshotSchema` as the UI receives it, as
 * JSON. The schemas are strict: a field the controller adds without the contract fails here.
 */

let jobStore: TempStore['store'];
let feederEmpty = false;
let printing: Promise<void> | null = null;

const flow = issuanceMachine.provide({
  actors: {
    cardJob: cardJobMachine.provide({
      actors: {
        printCard: fromPromise(async () => {
          if (printing) await printing;
          if (feederEmpty) throw new IssuanceStepError('feeder_empty', message('printer.feeder-empty'), true);
        }),
        encodeCard: fromPromise(async (): Promise<EncodedCard> => ({ uid: '04A1B2C3', expiresOn: '2036-12-06' })),
        commitIssuance: fromPromise(async () => {}),
        ejectCard: fromPromise(async () => {}),
        abandonJob: fromPromise(async () => {}),
        ...parkingInStore(() => jobStore),
      },
    }),
    abandonJob: fromPromise(async () => {}),
    // The real rules: the snapshot carries the real eligibility decision, reasons in four languages.
    assessApplication: fromPromise(async ({ input }: { input: { form: Parameters<typeof assessApplication>[0] } }) =>
      assessApplication(input.form, { rules: defaultCityRules, today: () => '2026-12-06', heldCards: async () => [] })),
    evaluatePhoto: fromPromise(async (): Promise<PhotoVerdict> => ({
      passed: false,
      checks: [
        { id: 'one-face', passed: true, value: 1, threshold: '= 1', message: message('photo.passed.one-face') },
        { id: 'head-height', passed: false, value: 0.5, threshold: '0.71–0.80', message: message('photo.come-closer') },
        { id: 'sharpness', passed: false, value: null, threshold: '≥ 0.2', message: message('photo.not-measured') },
      ],
      cardPhoto: new Uint8Array([1]),
      archivePhoto: new Uint8Array([2]),
      faceMatch: { verdict: 'mismatch', match: false, distance: 0.71, threshold: 0.55 },
    })),
    beginJob: fromPromise(async () => jobStore.beginIssuanceJob({ ...(await testSession(jobStore)), cardType: 'senior', operatorId: null })),
    renderCard: fromPromise(async (): Promise<CardPreview> => ({ cardNumber: '3300011000000014', frontPng: new Uint8Array([0x89]), job: null })),
  },
});

const citizenCard = '3300011300000015';
const photo = Buffer.from('not really a photo').toString('base64');

/** Every snapshot pushed, and every reply, as the UI receives them: through JSON. */
function recorder(controller: KioskController) {
  const snapshots: unknown[] = [JSON.parse(JSON.stringify(controller.snapshot()))];
  const replies: unknown[] = [];
  controller.onChange((snapshot) => snapshots.push(JSON.parse(JSON.stringify(snapshot))));
  /** The snapshot as the UI would fetch it now (GET /api/snapshot), pushed or not. */
  const look = (): void => {
    snapshots.push(JSON.parse(JSON.stringify(controller.snapshot())));
  };
  return {
    snapshots,
    replies,
    look,
    async send(command: KioskCommand): Promise<CommandReply> {
      const reply = await controller.command(command);
      replies.push(JSON.parse(JSON.stringify(reply)));
      look();
      return reply;
    },
  };
}

/** Each snapshot must parse; the issues (paths and messages) are in the failure when one does not. */
function expectAllValid(snapshots: readonly unknown[], replies: readonly unknown[]): void {
  const problems = snapshots.flatMap((snapshot, i) => {
    const parsed = kioskSnapshotSchema.safeParse(snapshot);
    return parsed.success ? [] : [`snapshot ${i}: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`];
  });
  const replyProblems = replies.flatMap((reply, i) => (commandReplySchema.safeParse(reply).success ? [] : [`reply ${i}: ${JSON.stringify(reply)}`]));
  expect([...problems, ...replyProblems]).toEqual([]);
}

describe("the controller's snapshots and replies match the contract's schemas", () => {
  let t: TempStore;
  /** The staff machine's timers: moved together with the store's clock. */
  let timers: SimulatedClock;
  let operators: OperatorService;
  let staff: StaffSession;
  let counter: FakeCounter;
  let cardCheck: CardCheck;
  let controller: KioskController;
  let logging: LogHealthView;
  let doorOpen: boolean;

  beforeEach(async () => {
    t = await openTempStore();
    jobStore = t.store;
    feederEmpty = false;
    printing = null;
    logging = { state: 'writing' };
    doorOpen = false;
    operators = await operatorsWith(t);
    await t.store.recordIssuance(issuance({ cardNumber: citizenCard }));
    counter = fakeCounter({ masterKey });
    timers = new SimulatedClock();
    staff = createStaffSession({ operators, counter: counter.station, chipMasterKey: masterKey, log: () => {}, timers, onSignedOut: () => controller.sessionEnded() });
    cardCheck = createCardCheck({ counter: counter.station, store: t.store, chipMasterKey: masterKey, active: () => operators.current() !== null && staff.view().approval === null });
    const devices = new DeviceStatusBoard({ printer: true, scanner: true, nfc: false, board: true });
    devices.set('printer', 'fault', 'ribbon end');
    devices.set('board', 'connected');
    controller = createKioskController(flow, devices, () => {}, {
      session: { staff, operators },
      cardCheck,
      outOfService: () => (doorOpen ? message('service.door-opened') : null),
      previewPhoto: async () => ({ passed: false, checks: [{ id: 'one-face', passed: false, value: 0, threshold: '= 1', message: message('photo.no-face') }] }),
      logHealth: { health: () => logging, onHealthChange: () => () => {} },
    });
  });
  afterEach(async () => {
    controller.stop();
    cardCheck.stop();
    staff.stop();
    await t.cleanup();
  });

  it('home, PIN, application with eligibility, photo with checks, review, a job printing, failed, parked and ready, and card check', async () => {
    const { snapshots, replies, send, look } = recorder(controller);

    // Signed out, a wrong PIN (a message), then signed in, the log in memory only.
    counter.tap({ cardType: 'employee', cardNumber: staffMembers.operator.card });
    await until(() => controller.snapshot().session.state === 'pin');
    await send({ type: 'enter-pin', pin: '000001' });
    logging = { state: 'memory-only', since: '2026-12-06T09:00:00.000Z', reason: 'ENOSPC', keptLines: 12, droppedLines: 3 };
    await send({ type: 'enter-pin', pin: staffMembers.operator.pin });
    logging = { state: 'writing' };

    // A citizen card on the counter reader: verified, then one of another kiosk (status unknown).
    counter.tap({ cardType: 'senior', cardNumber: citizenCard });
    await until(() => controller.snapshot().cardCheck?.verified === true);
    counter.tapForged();
    await until(() => controller.snapshot().cardCheck?.verified === false);
    await send({ type: 'close-card-check' });
    counter.remove();

    // An application filled in by hand and by the scanner (with a document problem): the rules' decision.
    await send({ type: 'start-application' });
    await send({
      type: 'update-application',
      fields: { idNumber: 'A123456789', name: 'CHEN MEI-LING', nameZh: '陳美玲', birthDate: '1956-04-17', sex: 'F', nationality: 'TWN', district: '桃園區' },
    });
    await until(() => controller.snapshot().application.eligibility !== null);
    controller.documentRead({ documentNumber: '123456789' }, [message('document.expired', { date: '2026-01-31' })]);
    await send({ type: 'update-application', fields: { cardType: 'senior' } });
    await until(() => controller.snapshot().application.form.cardType === 'senior' && controller.snapshot().application.eligibility !== null);
    expect(controller.snapshot().application.eligibility?.cards.length).toBeGreaterThan(0);
    doorOpen = true;
    look();
    doorOpen = false;
    await send({ type: 'submit-application' });
    await until(() => controller.screen() === 'photo');

    // Live frames, then three failed attempts and a supervisor's approval.
    await send({ type: 'preview-photo', jpegBase64: photo });
    await until(() => controller.snapshot().photo.live !== null);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await send({ type: 'capture-photo', jpegBase64: photo });
      await until(() => controller.snapshot().photo.attempts === attempt + 1 && !controller.snapshot().photo.evaluating);
    }
    await send({ type: 'override-photo', reason: 'bedridden applicant' });
    counter.tap({ cardType: 'employee', cardNumber: staffMembers.supervisor.card });
    await until(() => controller.snapshot().session.approval?.state === 'pin');
    await send({ type: 'enter-pin', pin: staffMembers.supervisor.pin });
    counter.remove();
    await until(() => controller.screen() === 'review' && controller.snapshot().previewUrl !== null);

    // Printing (held at the printer) while the flow is home again, then failed: an empty feeder.
    const stage = (): string | undefined => controller.snapshot().printQueue.jobs[0]?.stage;
    let finishPrint = (): void => {};
    printing = new Promise((resolve) => (finishPrint = resolve));
    feederEmpty = true;
    await send({ type: 'confirm-print' });
    await until(() => controller.screen() === 'home' && stage() === 'printing');
    finishPrint();
    await until(() => stage() === 'failed' && controller.snapshot().printQueue.paused);
    const jobId = controller.snapshot().printQueue.jobs[0]?.jobId ?? '';

    // Locked while it failed: the job is parked for its owner, who gets it back and finishes it.
    t.clock.advance(3 * 60_000 + 1_000);
    timers.increment(3 * 60_000 + 1_000);
    await until(() => controller.snapshot().session.state === 'signed-out' && stage() === 'parked');
    feederEmpty = false;
    printing = null;
    await signIn(counter, controller, 'operator');
    await until(() => stage() === 'failed' && controller.snapshot().printQueue.jobs[0]?.initials === '陳○玲');
    await send({ type: 'retry', jobId });
    await until(() => stage() === 'ready');
    expect(controller.snapshot().printQueue.jobs[0]?.cardNumber).toBe('3300011000000014');
    await send({ type: 'finish', jobId });
    await until(() => controller.snapshot().printQueue.jobs.length === 0);

    // A refusal with a role, and one without.
    await send({ type: 'clear-tamper' });
    await send({ type: 'start-application' });

    const seen = new Set(snapshots.map((snapshot) => (snapshot as { screen: string }).screen));
    expect([...seen].sort()).toEqual(['application', 'home', 'photo', 'review']);
    const has = (check: (snapshot: Record<string, unknown>) => boolean): boolean => snapshots.some((s) => check(s as Record<string, unknown>));
    const stages = new Set(snapshots.flatMap((snapshot) => (snapshot as { printQueue: { jobs: Array<{ stage: string }> } }).printQueue.jobs.map((job) => job.stage)));
    expect([...stages].sort()).toEqual(expect.arrayContaining(['failed', 'parked', 'printing', 'ready']));
    expect(has((s) => (s['rendering'] as boolean))).toBe(true);
    expect(has((s) => (s['cardCheck'] as { verified?: boolean } | null)?.verified === true)).toBe(true);
    expect(has((s) => (s['cardCheck'] as { verified?: boolean } | null)?.verified === false)).toBe(true);
    expect(has((s) => (s['logging'] as { state: string }).state === 'memory-only')).toBe(true);
    expect(has((s) => s['outOfService'] !== null)).toBe(true);
    expect(has((s) => (s['photo'] as { faceMatch: unknown; live: unknown }).faceMatch !== null)).toBe(true);
    expect(has((s) => (s['application'] as { source: string; documentProblems: unknown[] }).documentProblems.length > 0)).toBe(true);
    expect(replies.some((reply) => (reply as CommandReply).accepted === false)).toBe(true);
    expectAllValid(snapshots, replies);
  });
});

describe("the unattended kiosk's snapshots match the contract's schemas", () => {
  let t: TempStore;
  let controller: KioskController;
  let selfService: ReturnType<typeof createSelfService>;
  let staff: StaffSession;
  let cardCheck: CardCheck;

  afterEach(async () => {
    controller.stop();
    selfService.stop();
    cardCheck.stop();
    staff.stop();
    await t.cleanup();
  });

  it('ready, a card on show, a problem, out of service', async () => {
    t = await openTempStore();
    const operators = await operatorsWith(t, ['operator']);
    await t.store.recordIssuance(issuance({ cardNumber: citizenCard }));
    const counter = fakeCounter({ masterKey });
    staff = createStaffSession({ operators, counter: counter.station, chipMasterKey: masterKey, log: () => {} });
    cardCheck = createCardCheck({ counter: counter.station, store: t.store, chipMasterKey: masterKey, active: () => operators.current() !== null && staff.view().approval === null });
    const devices = new DeviceStatusBoard({ printer: true, scanner: true, nfc: true, board: true });
    devices.set('board', 'connected');
    selfService = createSelfService({
      counter: counter.station, chipMasterKey: masterKey, clock: t.clock, log: () => {},
      cardStatus: async (cardNumber) => (await t.store.cardByNumber(cardNumber))?.status ?? null,
    });
    controller = createKioskController(issuanceMachine, devices, () => {}, { session: { staff, operators }, cardCheck, selfService });
    const { snapshots, replies, send } = recorder(controller);
    const state = (): string | undefined => controller.snapshot().selfService?.state;

    counter.tap({ cardType: 'senior', cardNumber: citizenCard });
    await until(() => state() === 'card');
    await send({ type: 'dismiss-card' });
    counter.remove();
    await until(() => state() === 'ready');
    counter.tapPhone();
    await until(() => state() === 'problem');
    counter.remove();
    await send({ type: 'start-application' });
    devices.set('board', 'disconnected');
    // What the service region tells the counter region when the board goes away.
    selfService.tell({ type: 'service.out', reason: 'board-disconnected' });
    await until(() => state() === 'out-of-service');

    const states = new Set(snapshots.map((snapshot) => (snapshot as { selfService: { state: string } | null }).selfService?.state));
    expect([...states].sort()).toEqual(expect.arrayContaining(['card', 'out-of-service', 'problem', 'ready']));
    expectAllValid(snapshots, replies);
  });
});
