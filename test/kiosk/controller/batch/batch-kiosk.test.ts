import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromPromise } from 'xstate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CardPrinter } from '../../../../hardware/printer/types';
import { createBatchDesk } from '../../../../kiosk/controller/batch/batch-desk';
import { DeviceStatusBoard } from '../../../../kiosk/controller/device-status';
import { cardJobMachine } from '../../../../kiosk/controller/issuance/card-job-machine';
import { issuanceActors, issuanceSteps, type IssuanceDevices } from '../../../../kiosk/controller/issuance/issuance-services';
import { issuanceMachine, type PhotoVerdict } from '../../../../kiosk/controller/issuance/issuance-machine';
import { createKioskController, type KioskController } from '../../../../kiosk/controller/kiosk-controller';
import { createStaffSession, type StaffSession } from '../../../../kiosk/controller/staff-session';
import type { BatchRowView } from '../../../../shared/contract/batch';
import { defaultCityRules } from '../../../../shared/domain/rules';
import { ok } from '../../../../shared/result';
import { fakeCounter, until, type FakeCounter } from '../fake-counter';
import { masterKey, operatorsWith, signIn, staffMembers } from '../staff-fixture';
import { figuresOfSession } from '../../../../kiosk/controller/reports/from-store';
import { testSession } from '../store/session-fixture';
import { issuance, openTempStore, person, type TempStore } from '../store/temp-store';

/**
 * A staffed kiosk with a real store and the counter's real assessment, a fake printer and chip: a
 * nursing-home list is imported, and a resident picked from it goes through the flow to an issued card.
 */
const sample = readFileSync(join(__dirname, '../../../../docs/samples/nursing-home-batch.csv'), 'utf8');
const oneFace = { id: 'one-face', passed: true, value: 1, threshold: '1', message: { code: 'photo.passed.one-face' as const, params: {} } };
/** A real JPEG for the card face (the crops are the gate's business, not this test's). */
const photo = new Uint8Array(readFileSync(join(__dirname, '../../../fixtures/photos/applicant.jpg')));
const passed: PhotoVerdict = { passed: true, checks: [oneFace], cardPhoto: photo, archivePhoto: photo, faceMatch: null };
/** A bedridden resident against a sheet: one face, but the gate fails it. */
const failedWithFace: PhotoVerdict = { ...passed, passed: false, checks: [oneFace, { ...oneFace, id: 'frontal', passed: false, message: { code: 'photo.face-camera', params: {} } }] };

interface Kiosk {
  readonly t: TempStore;
  readonly controller: KioskController;
  readonly counter: FakeCounter;
  readonly staff: StaffSession;
  readonly printed: string[];
  photos: PhotoVerdict[];
}

async function batchKiosk(): Promise<Kiosk> {
  const t = await openTempStore();
  t.clock.set(new Date('2026-12-07T02:00:00Z'));
  // No card is made without an open service session.
  await testSession(t.store);
  // Two residents of the sample hold a senior card from an earlier visit.
  await t.store.recordIssuance(issuance({ applicant: { ...person, idNumber: 'H220513973' }, cardNumber: '3300011100000010' }));
  await t.store.recordIssuance(issuance({ applicant: { ...person, idNumber: 'H220877150' }, cardNumber: '3300011100000028' }));
  const operators = await operatorsWith(t);
  const counter = fakeCounter({ masterKey });
  const staff = createStaffSession({ operators, counter: counter.station, chipMasterKey: masterKey, log: () => {} });
  const printed: string[] = [];
  const printer = {
    printCard: async () => (printed.push('print'), ok({ sides: 1, panels: 1, bytesSent: 1, position: 'contactless-station' })),
    rejectCard: async () => ok(undefined),
    ejectCard: async () => ok(undefined),
  } as unknown as CardPrinter;
  const devices: IssuanceDevices = {
    printer,
    encoder: {} as IssuanceDevices['encoder'],
    store: t.store,
    photoGate: {} as IssuanceDevices['photoGate'],
    rules: defaultCityRules,
    clock: t.clock,
    chipMasterKey: masterKey,
    kioskId: 'TY-K01',
    log: () => {},
    operatorId: () => operators.current()?.operatorId ?? null,
  };
  const kiosk: Kiosk = { t, counter, staff, printed, photos: [], controller: undefined as unknown as KioskController };
  const { printCard, commitIssuance, ejectCard, abandonJob, parkJob, resumeJob } = issuanceSteps(devices);
  const machine = issuanceMachine.provide({
    actors: {
      ...issuanceActors(devices),
      evaluatePhoto: fromPromise(async () => kiosk.photos.shift() ?? passed),
      cardJob: cardJobMachine.provide({ actors: { printCard, commitIssuance, ejectCard, abandonJob, parkJob, resumeJob, encodeCard: fromPromise(async () => ({ uid: '04A1B2C3D4E5F6' })) } }),
    },
  });
  const batches = createBatchDesk({ batches: t.store.batches, assessment: { rules: defaultCityRules, today: () => '2026-12-07', heldCards: (id) => t.store.heldCards(id) }, log: () => {} });
  const controller = createKioskController(machine, new DeviceStatusBoard({ printer: true, scanner: true, nfc: true, board: true }), () => {}, { session: { staff, operators }, batches });
  return Object.assign(kiosk, { controller });
}

const rows = (k: Kiosk): readonly BatchRowView[] => k.controller.snapshot().batch?.current?.rows ?? [];
const rowIn = (k: Kiosk, room: string): BatchRowView => {
  const row = rows(k).find((r) => r.room === room);
  if (!row) throw new Error(`no row for room ${room}`);
  return row;
};
const capture = (k: Kiosk) => k.controller.command({ type: 'capture-photo', jpegBase64: Buffer.alloc(32, 1).toString('base64') });

describe('a nursing-home batch at the kiosk', () => {
  let k: Kiosk;
  beforeEach(async () => {
    k = await batchKiosk();
  });
  afterEach(async () => {
    k.controller.stop();
    k.staff.stop();
    await k.t.cleanup();
  });

  it('lists the sample\'s problems and imports nothing until a supervisor imports the 17 clean rows', async () => {
    await signIn(k.counter, k.controller, 'operator');
    const importSample = { type: 'import-batch', label: '康寧長照中心', source: 'nursing-home', format: 'csv', content: sample } as const;
    expect(await k.controller.command(importSample)).toEqual({ accepted: true });
    const shown = k.controller.snapshot().batch;
    expect(shown?.import).toMatchObject({ rows: 20, cleanRows: 17, rejectedRows: [7, 13, 18], importedBatchId: null });
    expect(shown?.current).toBeNull();
    expect(await k.t.store.batches.list()).toEqual([]);
    // The operator's say-so is not enough: it waits for a supervisor's card and PIN.
    expect(await k.controller.command({ type: 'import-batch-clean-rows' })).toEqual({ accepted: true });
    expect(k.controller.snapshot().session.approval).toMatchObject({ action: 'accept-batch-problems' });
    expect(await k.t.store.batches.list()).toEqual([]);
    k.counter.tap({ cardType: 'employee', cardNumber: staffMembers.supervisor.card });
    await until(() => k.controller.snapshot().session.approval?.state === 'pin');
    expect(await k.controller.command({ type: 'enter-pin', pin: staffMembers.supervisor.pin })).toEqual({ accepted: true });
    await until(() => k.controller.snapshot().batch?.import?.importedBatchId != null);
    const approved = (await k.t.store.readAudit({ limit: 10_000 })).find((entry) => entry.eventId === 'batch-imported');
    expect(approved?.details).toMatchObject({ rowsImported: 17, rowsLeftOut: 3 });
    // The list and its problems are nobody's business once the operator has gone.
    k.controller.sessionEnded();
    expect(k.controller.snapshot().batch?.import).toBeNull();
    expect(rows(k)).toHaveLength(17);
    expect(rows(k).map((r) => r.room).slice(0, 3)).toEqual(['201-1', '201-2', '202-1']);
    expect(rows(k).every((r) => r.status === 'waiting')).toBe(true);
    expect(rowIn(k, '206-1')).toMatchObject({ nameZh: '蔡秀琴', replacement: true });
  });

  it('picks a resident into the flow with the row filled in, and the row follows its card to issued', async () => {
    await signIn(k.counter, k.controller, 'supervisor');
    const clean = sample.split('\n').filter((_, i) => ![6, 12, 17].includes(i)).join('\n');
    expect(await k.controller.command({ type: 'import-batch', label: '康寧長照中心', source: 'nursing-home', format: 'csv', content: clean })).toEqual({ accepted: true });
    expect(rows(k)).toHaveLength(17);
    const resident = rowIn(k, '202-1');

    expect(await k.controller.command({ type: 'pick-batch-row', rowId: resident.rowId })).toEqual({ accepted: true });
    expect(k.controller.screen()).toBe('application');
    await until(() => k.controller.snapshot().application.eligibility !== null);
    const { application } = k.controller.snapshot();
    expect(application.form).toMatchObject({ idNumber: 'A103852623', nameZh: '黃金水', birthDate: '1941-06-21', district: '平鎮區', cardType: 'senior', scheme: 'ipass' });
    expect(application.problems).toEqual([]);
    expect(application.eligibility?.cards.find((c) => c.type === 'senior')).toMatchObject({ eligible: true, action: 'new' });
    expect(rowIn(k, '202-1').status).toBe('in-progress');

    expect(await k.controller.command({ type: 'submit-application' })).toEqual({ accepted: true });
    expect(await capture(k)).toEqual({ accepted: true });
    await until(() => k.controller.snapshot().previewUrl !== null);
    expect(await k.controller.command({ type: 'confirm-print' })).toEqual({ accepted: true });
    await until(() => rowIn(k, '202-1').status === 'issued', 10_000);
    expect(k.printed).toEqual(['print']);
    expect((await k.t.store.heldCards('A103852623')).map((c) => [c.type, c.status])).toEqual([['senior', 'active']]);
    // Its card is made: it is not picked twice.
    expect(await k.controller.command({ type: 'pick-batch-row', rowId: resident.rowId })).toMatchObject({ accepted: false, code: 'wrong-screen' });
  });

  it('marks a second visit, and takes the bedridden resident\'s photo exception from the fixed list only', async () => {
    await signIn(k.counter, k.controller, 'supervisor');
    const clean = sample.split('\n').filter((_, i) => ![6, 12, 17].includes(i)).join('\n');
    await k.controller.command({ type: 'import-batch', label: '康寧長照中心', source: 'pre-registered', format: 'csv', content: clean });
    expect(await k.controller.command({ type: 'mark-second-visit', rowId: rowIn(k, '203-1').rowId, reason: 'in-hospital' })).toEqual({ accepted: true });
    expect(rowIn(k, '203-1')).toMatchObject({ status: 'second-visit', secondVisitReason: 'in-hospital' });

    // 林秀英 in 201-2 is bedridden: three photos with her face, none passing.
    await k.controller.command({ type: 'pick-batch-row', rowId: rowIn(k, '201-2').rowId });
    await until(() => k.controller.snapshot().application.eligibility !== null);
    expect(k.controller.snapshot().batch?.photoException).toBe(true);
    await k.controller.command({ type: 'submit-application' });
    k.photos = [failedWithFace, failedWithFace, failedWithFace];
    for (let i = 0; i < 3; i++) {
      expect(await capture(k)).toEqual({ accepted: true });
      await until(() => !k.controller.snapshot().photo.evaluating && k.controller.snapshot().photo.attempts === i + 1);
    }
    expect(k.controller.snapshot().photo.overrideAllowed).toBe(true);
    expect(await k.controller.command({ type: 'override-photo', reason: 'she cannot sit up' })).toMatchObject({ accepted: false, code: 'invalid-input' });
    expect(await k.controller.command({ type: 'override-photo-nursing-home', reason: 'bedridden' })).toEqual({ accepted: true });
    await until(() => k.controller.snapshot().previewUrl !== null);
    expect(await k.controller.command({ type: 'confirm-print' })).toEqual({ accepted: true });
    await until(() => rowIn(k, '201-2').status === 'issued', 10_000);
    const override = (await k.t.store.readAudit()).find((entry) => entry.eventId === 'issuance-photo-override');
    expect(override?.details).toMatchObject({ reason: 'nursing-home:bedridden' });
  });

  it('works the 17 clean rows of the sample through, room by room, to 17 issued cards (one a replacement)', async () => {
    await signIn(k.counter, k.controller, 'supervisor');
    await k.controller.command({ type: 'import-batch', label: '康寧長照中心', source: 'nursing-home', format: 'csv', content: sample });
    expect(await k.controller.command({ type: 'import-batch-clean-rows' })).toEqual({ accepted: true });
    // The counter serves the next resident while the printer works through the queue.
    for (const { rowId } of rows(k)) {
      expect(await k.controller.command({ type: 'pick-batch-row', rowId })).toEqual({ accepted: true });
      await until(() => k.controller.snapshot().application.eligibility !== null);
      expect(k.controller.snapshot().application.problems).toEqual([]);
      expect(await k.controller.command({ type: 'submit-application' })).toEqual({ accepted: true });
      expect(await capture(k)).toEqual({ accepted: true });
      await until(() => k.controller.snapshot().previewUrl !== null);
      // The replacement's fee is recorded before its print (issue 16): paid in cash.
      if (k.controller.snapshot().fee) expect(await k.controller.command({ type: 'settle-fee', method: 'cash' })).toEqual({ accepted: true });
      expect(await k.controller.command({ type: 'confirm-print' })).toEqual({ accepted: true });
    }
    await until(() => rows(k).every((row) => row.status === 'issued'), 30_000);
    expect(k.printed).toHaveLength(17);
    const audit = await k.t.store.readAudit({ limit: 10_000 });
    expect(audit.filter((entry) => entry.eventId === 'issuance-recorded')).toHaveLength(17 + 2); // + the two cards of the earlier visit
    expect(audit.filter((entry) => entry.eventId === 'issuance-replacement')).toHaveLength(1);
    expect((await k.t.store.heldCards('H220513973')).map((card) => card.status)).toEqual(['hot-listed', 'active']);
    // The session's report counts them: 17 cards (the list's senior, disability and general cards), one a replacement, none spoiled.
    const session = await k.t.store.sessions.current();
    const figures = session ? await figuresOfSession(k.t.store, session.id) : null;
    expect(figures?.cards).toMatchObject({ issued: 17, replacements: 1, voided: 0 });
    expect(figures?.spoilage.total).toBe(0);
    expect((figures?.ledger.easycard.issued ?? 0) + (figures?.ledger.ipass.issued ?? 0)).toBe(17);
  }, 60_000);

  it('checks the document scanned at the bedside against the resident and their guardian', async () => {
    await signIn(k.counter, k.controller, 'supervisor');
    const clean = sample.split('\n').filter((_, i) => ![6, 12, 17].includes(i)).join('\n');
    await k.controller.command({ type: 'import-batch', label: '康寧長照中心', source: 'nursing-home', format: 'csv', content: clean });
    // 林秀英 in 201-2, her son 王志明 (H121055834) is her guardian.
    await k.controller.command({ type: 'pick-batch-row', rowId: rowIn(k, '201-2').rowId });
    await until(() => k.controller.snapshot().application.eligibility !== null);
    const application = () => k.controller.snapshot().application;

    expect(k.controller.documentRead({ idNumber: 'H121055834', nameZh: '王志明', birthDate: '1965-02-01' }, [])).toBe(true);
    await until(() => application().source === 'scanner');
    expect(application().form).toMatchObject({ idNumber: 'H222177859', nameZh: '林秀英' });
    expect(application().documentProblems).toEqual([]);

    expect(k.controller.documentRead({ idNumber: 'A123456789', nameZh: '陳美玲' }, [])).toBe(true);
    await until(() => application().documentProblems.length === 1);
    expect(application().documentProblems[0]?.code).toBe('batch.document-not-resident');
    expect(application().form).toMatchObject({ idNumber: 'H222177859', nameZh: '林秀英' });

    expect(k.controller.documentRead({ idNumber: 'h222177859', documentNumber: '0123456789' }, [])).toBe(true);
    await until(() => application().form.documentNumber === '0123456789');
    expect(application().documentProblems).toEqual([]);
  });

  it('keeps every list imported and works the one chosen (the second visit to a home)', async () => {
    await signIn(k.counter, k.controller, 'supervisor');
    const clean = sample.split('\n').filter((_, i) => ![6, 12, 17].includes(i)).join('\n');
    await k.controller.command({ type: 'import-batch', label: '康寧長照中心', source: 'nursing-home', format: 'csv', content: clean });
    const first = k.controller.snapshot().batch?.current?.batchId ?? '';
    await k.controller.command({ type: 'mark-second-visit', rowId: rowIn(k, '203-1').rowId, reason: 'asleep' });
    k.t.clock.advance(7 * 86_400_000);
    const online = JSON.stringify([{ room: 'A1', name_zh: '陳阿金', id_number: 'H120345615', birth_date: '1934-03-12', district: '中壢區', card_type: 'senior', scheme: 'ipass' }]);
    await k.controller.command({ type: 'import-batch', label: '線上預約 12月', source: 'pre-registered', format: 'json', content: online });
    expect(k.controller.snapshot().batch?.lists.map((list) => [list.label, list.rows])).toEqual([['線上預約 12月', 1], ['康寧長照中心', 17]]);
    expect(rows(k).map((row) => row.room)).toEqual(['A1']);
    expect(await k.controller.command({ type: 'show-batch', batchId: first })).toEqual({ accepted: true });
    expect(rowIn(k, '203-1')).toMatchObject({ status: 'second-visit', secondVisitReason: 'asleep' });
    expect(await k.controller.command({ type: 'show-batch', batchId: 'no-such-list' })).toMatchObject({ accepted: false, code: 'invalid-input' });
  });

  it('refuses the nursing-home exception to an applicant at the counter outside a nursing home', async () => {
    await signIn(k.counter, k.controller, 'supervisor');
    await k.controller.command({ type: 'start-application' });
    expect(k.controller.snapshot().batch?.photoException).toBe(false);
    expect(await k.controller.command({ type: 'override-photo-nursing-home', reason: 'wheelchair' })).toMatchObject({ accepted: false, code: 'wrong-screen' });
  });
});
