import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KioskCommand, KioskSnapshot, SelfServiceView } from '../../../../shared/contract/kiosk-api';
import type { OperatorService } from '../../../../kiosk/controller/auth/operator-service';
import { createCardCheck, type CardCheck } from '../../../../kiosk/controller/card-check';
import { DeviceStatusBoard } from '../../../../kiosk/controller/device-status';
import { issuanceMachine } from '../../../../kiosk/controller/issuance/issuance-machine';
import { createKioskController, type KioskController } from '../../../../kiosk/controller/kiosk-controller';
import { createSelfService } from '../../../../kiosk/controller/self-service/own-card';
import { createStaffSession, type StaffSession } from '../../../../kiosk/controller/staff-session';
import { expectAbsentFor, timed } from '../../../helpers/absence';
import { fakeCounter, until, type FakeCounter } from '../fake-counter';
import { masterKey, operatorsWith, signIn } from '../staff-fixture';
import { issuance, openTempStore, person, type TempStore } from '../store/temp-store';

const mine = '3300011300000015';
const neighbours = '3300011300000023';
const lostOne = '3300011300000031';
const fromElsewhere = '3300021300000013';

describe('the unattended (self-service) kiosk', () => {
  let t: TempStore;
  let operators: OperatorService;
  let staff: StaffSession;
  let cardCheck: CardCheck;
  let selfService: ReturnType<typeof createSelfService>;
  let controller: KioskController;
  let counter: FakeCounter;
  let devices: DeviceStatusBoard;

  const start = (showMs?: number): void => {
    counter = fakeCounter({ masterKey });
    staff = createStaffSession({ operators, counter: counter.station, chipMasterKey: masterKey, log: () => {} });
    cardCheck = createCardCheck({ counter: counter.station, store: t.store, chipMasterKey: masterKey, active: () => operators.current() !== null && staff.view().approval === null });
    devices = new DeviceStatusBoard({ printer: true, scanner: true, nfc: true, board: true });
    devices.set('board', 'connected');
    // The counter region alone: the test tells it what the staff and service regions would (see machine/kiosk-machine.test.ts).
    selfService = createSelfService({
      counter: counter.station, chipMasterKey: masterKey, clock: t.clock, log: () => {},
      cardStatus: async (cardNumber) => (await t.store.cardByNumber(cardNumber))?.status ?? null,
      ...(showMs ? { delays: { ownCardShown: showMs, problemShown: showMs } } : {}),
    });
    controller = createKioskController(issuanceMachine, devices, () => {}, { session: { staff, operators }, cardCheck, selfService });
  };

  beforeEach(async () => {
    t = await openTempStore();
    operators = await operatorsWith(t, ['operator', 'technician']);
    await t.store.recordIssuance(issuance({ cardNumber: mine }));
    await t.store.recordIssuance(issuance({ cardNumber: neighbours, applicant: { ...person, idNumber: 'B223456780', name: 'WANG XIAO-MEI', nameZh: '王小美' } }));
    await t.store.recordIssuance(issuance({ cardNumber: lostOne, applicant: { ...person, idNumber: 'C123456781', name: 'LIN DA-WEI', nameZh: '林大偉' } }));
    expect(await t.store.setCardStatus({ cardNumber: lostOne, status: 'hot-listed', reason: 'lost', operatorId: null })).toMatchObject({ ok: true });
  });
  afterEach(async () => {
    controller.stop();
    selfService.stop();
    cardCheck.stop();
    staff.stop();
    await t.cleanup();
  });

  const view = (): SelfServiceView | null => controller.snapshot().selfService;
  const shownCard = async (cardNumber: string) => {
    await until(() => { const v = view(); return v?.state === 'card' && v.card.last4 === cardNumber.slice(-4); });
    const v = view();
    if (v?.state !== 'card') throw new Error('no card on show');
    return v.card;
  };
  /** Nothing anybody could read off the screen (or the page's memory) that is not on the card in front of them. */
  const expectNothingPersonal = (snapshot: KioskSnapshot, except: string | null = null): void => {
    const text = JSON.stringify(snapshot);
    for (const secret of [person.idNumber, person.name, person.nameZh, 'B223456780', '王小美', 'C123456781', '林大偉', mine, neighbours, lostOne, 'ab'.repeat(16)]) {
      expect(text).not.toContain(secret);
    }
    for (const number of [mine, neighbours, lostOne].filter((n) => n !== except)) expect(text).not.toContain(`"${number.slice(-4)}"`);
  };

  it('says which mode it is in and invites a citizen to tap their card', () => {
    start();
    expect(controller.snapshot()).toMatchObject({ mode: 'self-service', selfService: { state: 'ready' }, session: { state: 'signed-out' } });
  });

  it("shows the tapped card's own chip data and status: number masked, never a name or an ID number", async () => {
    start();
    counter.tap({ cardNumber: mine, balance: 420 });
    expect(await shownCard(mine)).toEqual({ last4: '0015', cardType: 'senior', scheme: 'easycard', status: 'active', expiresOn: '2031-01-04', expired: false, balance: 420, wallet: null });
    expectNothingPersonal(controller.snapshot(), mine);
  });

  it('a hot-listed card: no balance (the UI sends them to the service desk); a card from another kiosk shows its chip balance', async () => {
    start();
    counter.tap({ cardNumber: lostOne, balance: 900 });
    expect(await shownCard(lostOne)).toMatchObject({ status: 'hot-listed', balance: null });
    counter.tap({ cardNumber: fromElsewhere, balance: 75, expiresOn: '2026-02-01' });
    expect(await shownCard(fromElsewhere)).toMatchObject({ status: 'unknown', balance: 75, expired: true });
  });

  it('clears when the card is taken away, when the citizen presses Done, and by itself after a while', async () => {
    start(200);
    counter.tap({ cardNumber: mine });
    await shownCard(mine);
    counter.remove();
    expect(view()).toEqual({ state: 'ready' });

    counter.tap({ cardNumber: mine });
    await shownCard(mine);
    expect(await controller.command({ type: 'dismiss-card' })).toEqual({ accepted: true });
    expect(view()).toEqual({ state: 'ready' });

    counter.tap({ cardNumber: mine });
    await shownCard(mine);
    await until(() => view()?.state === 'ready');
  });

  it('the next person sees nothing of the previous one, even when a slow read finishes after the card left', async () => {
    start();
    counter.tap({ cardNumber: neighbours, balance: 3000 });
    await shownCard(neighbours);
    const lookUpMs = await timed(async () => {
      counter.tap({ cardNumber: mine, balance: 10 });
      expect(view()).toEqual({ state: 'reading' });
      await shownCard(mine);
    });
    expectNothingPersonal(controller.snapshot(), mine);

    const release = counter.slowReads();
    counter.tap({ cardNumber: neighbours, balance: 3000 });
    counter.remove();
    release();
    await expectAbsentFor(() => view()?.state !== 'ready', lookUpMs, { what: 'a card shown after it left the reader' });
    expect(view()).toEqual({ state: 'ready' });
    expectNothingPersonal(controller.snapshot());
  });

  it('a phone, a forged card and two cards at once each get a kind message, not a look-up', async () => {
    start();
    counter.tapPhone();
    await until(() => view()?.state === 'problem');
    expect(view()).toEqual({ state: 'problem', problem: 'not-a-citizen-card' });
    counter.tapForged();
    await until(() => { const v = view(); return v?.state === 'problem' && v.problem === 'unreadable'; });
    counter.twoCards();
    expect(view()).toEqual({ state: 'problem', problem: 'several-cards' });
    counter.twoCardsGone();
    expect(view()).toEqual({ state: 'ready' });
  });

  it("a citizen's own card with one byte changed on the chip, or made under other keys, is unreadable: nothing of it shown", async () => {
    start();
    // The expiry date moved a year on the chip (block 53, byte 0): the record decodes, its MAC does not verify.
    for (const making of [{ flip: { block: 53, byte: 0, bits: 0x01 } }, { masterKey: new Uint8Array(32).fill(9) }]) {
      counter.tap({ cardNumber: mine, balance: 420 });
      await shownCard(mine);
      counter.tap({ cardNumber: mine, balance: 420 }, making);
      await until(() => view()?.state === 'problem');
      expect(view()).toEqual({ state: 'problem', problem: 'unreadable' });
      expectNothingPersonal(controller.snapshot());
    }
  });

  it('refuses every staff command while nobody is signed in, and changes nothing', async () => {
    start();
    counter.tap({ cardNumber: mine });
    await shownCard(mine);
    const staffCommands: KioskCommand[] = [
      { type: 'start-application' },
      { type: 'update-application', fields: { name: 'X' } },
      { type: 'submit-application' },
      { type: 'capture-photo', jpegBase64: 'A'.repeat(32) },
      { type: 'preview-photo', jpegBase64: 'A'.repeat(32) },
      { type: 'override-photo', reason: 'bedridden' },
      { type: 'retake-photo' },
      { type: 'confirm-print' },
      { type: 'retry' },
      { type: 'back' },
      { type: 'cancel' },
      { type: 'confirm-discard' },
      { type: 'keep-application' },
      { type: 'use-photo' },
      { type: 'finish', jobId: 'job-1' },
      { type: 'cancel-job', jobId: 'job-1' },
      { type: 'retry', jobId: 'job-1' },
      { type: 'camera', live: true },
      { type: 'keep-alive' },
      { type: 'close-card-check' },
      { type: 'void-card', cardNumber: mine, reason: 'misprint' },
      { type: 'clear-tamper' },
    ];
    for (const command of staffCommands) {
      expect(await controller.command(command), command.type).toMatchObject({ accepted: false, code: 'ask-staff', reason: expect.stringMatching(/ask the staff/) });
    }
    expect(controller.screen()).toBe('home');
    expect((await t.store.cardByNumber(mine))?.status).toBe('active');
    expect(controller.documentRead({ idNumber: 'A123456789' }, [])).toBe(false);
    expect(controller.snapshot().cardCheck).toBeNull();
  });

  it('audits a passer-by\'s refusals without flooding the log: one row per kind a minute, the rest counted in the next', async () => {
    start();
    const refusals = async () => (await t.store.readAudit()).filter((entry) => entry.eventId === 'auth-permission-refused');
    for (let tap = 0; tap < 30; tap += 1) {
      expect(await controller.command({ type: 'start-application' })).toMatchObject({ accepted: false, code: 'ask-staff' });
      expect(await controller.command({ type: 'clear-tamper' })).toMatchObject({ accepted: false, code: 'ask-staff' });
    }
    expect((await refusals()).map((entry) => [entry.operatorId, entry.details])).toEqual([
      [null, { command: 'start-application', code: 'ask-staff', actor: 'self-service', action: 'issue-card', reason: 'not-offered', folded: 0 }],
    ]);
    t.clock.advance(60_000);
    expect(await controller.command({ type: 'void-card', cardNumber: mine, reason: 'misprint' })).toMatchObject({ accepted: false, code: 'ask-staff' });
    expect((await refusals()).map((entry) => entry.details)).toEqual([
      expect.objectContaining({ command: 'start-application', folded: 0 }),
      { command: 'void-card', code: 'ask-staff', actor: 'self-service', action: 'void-card', reason: 'forbidden', folded: 59 },
    ]);
  });

  it('staff sign in to serve (the unattended screen steps aside) and signing out returns to self-service with nothing left on it', async () => {
    start();
    counter.tap({ cardNumber: mine });
    await shownCard(mine);
    // What the staff region tells the counter region when a staff card is tapped.
    selfService.tell({ type: 'staff.present' });
    await signIn(counter, controller, 'operator');
    expect(controller.snapshot()).toMatchObject({ mode: 'self-service', selfService: null, session: { state: 'signed-in' } });

    // Serving someone: an application with their name, and a card checked on the counter reader.
    expect(await controller.command({ type: 'start-application' })).toEqual({ accepted: true });
    expect(await controller.command({ type: 'update-application', fields: { name: person.name, idNumber: person.idNumber } })).toEqual({ accepted: true });
    counter.tap({ cardNumber: neighbours });
    await until(() => controller.snapshot().cardCheck?.verified === true);
    expect(controller.snapshot().selfService).toBeNull();

    expect(await controller.command({ type: 'sign-out' })).toEqual({ accepted: true });
    selfService.tell({ type: 'staff.away' });
    expect(controller.snapshot().selfService).toEqual({ state: 'ready' });
    expectNothingPersonal(controller.snapshot());
  });

  it('is out of service while the I/O board is disconnected (no look-ups), back by itself when it returns', async () => {
    start();
    const lookUpMs = await timed(async () => {
      counter.tap({ cardNumber: mine });
      await shownCard(mine);
    });
    devices.set('board', 'disconnected', 'cable pulled');
    selfService.tell({ type: 'service.out', reason: 'board-disconnected' });
    expect(view()).toEqual({ state: 'out-of-service', reason: 'board-disconnected' });
    counter.tap({ cardNumber: neighbours });
    const outOfService = JSON.stringify({ state: 'out-of-service', reason: 'board-disconnected' });
    await expectAbsentFor(() => JSON.stringify(view()) !== outOfService, lookUpMs, { what: 'a look-up while out of service' });
    expectNothingPersonal(controller.snapshot());

    devices.set('board', 'connected');
    selfService.tell({ type: 'service.in' });
    // What was on show before does not come back, nor does the card tapped meanwhile.
    expect(view()).toEqual({ state: 'ready' });
    await expectAbsentFor(() => view()?.state !== 'ready', lookUpMs, { what: 'a card from before or during the outage shown' });
    counter.tap({ cardNumber: mine });
    await shownCard(mine);
  });

  it('is out of service once the door was opened, until a technician clears the latch', async () => {
    start();
    const lookUpMs = await timed(async () => {
      counter.tap({ cardNumber: mine });
      await shownCard(mine);
    });
    counter.remove();
    devices.set('board', 'fault', 'door closed: a technician must clear it');
    selfService.tell({ type: 'service.out', reason: 'tamper' });
    expect(view()).toEqual({ state: 'out-of-service', reason: 'tamper' });
    counter.tap({ cardNumber: mine });
    await expectAbsentFor(() => view()?.state !== 'out-of-service', lookUpMs, { what: 'a look-up while the door alarm is latched' });
    expect(view()).toEqual({ state: 'out-of-service', reason: 'tamper' });
    expectNothingPersonal(controller.snapshot());
  });
});

describe('a staffed kiosk', () => {
  it('says so and has no self-service view', () => {
    const devices = new DeviceStatusBoard({ printer: true, scanner: true, nfc: true, board: true });
    const controller = createKioskController(issuanceMachine, devices, () => {});
    expect(controller.snapshot()).toMatchObject({ mode: 'staffed', selfService: null });
    controller.stop();
  });
});
