import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createActor, fromPromise, waitFor } from 'xstate';
import type { CardPrinter } from '../../../../hardware/printer/types';
import { fixedClock } from '../../../../shared/clock';
import type { ApplicationForm } from '../../../../shared/contract/kiosk-api';
import { englishOf } from '../../../../shared/i18n/message-catalogue';
import { ok } from '../../../../shared/result';
import { DeviceStatusBoard } from '../../../../kiosk/controller/device-status';
import { cardJobMachine, type CardJobSnapshot } from '../../../../kiosk/controller/issuance/card-job-machine';
import { issuanceActors, issuanceSteps, type IssuanceDevices } from '../../../../kiosk/controller/issuance/issuance-services';
import { issuanceMachine, type Assessment, type PhotoVerdict } from '../../../../kiosk/controller/issuance/issuance-machine';
import { createKioskController } from '../../../../kiosk/controller/kiosk-controller';
import { diskReserve, type StatFs } from '../../../../kiosk/controller/store/disk-space';
import { openStore, type Store } from '../../../../kiosk/controller/store/store';
import { mountSmallDisk, type SmallDisk } from '../../../helpers/tmpfs';
import { person } from '../store/temp-store';
import { testSession } from '../store/session-fixture';

/**
 * The data disk fills up: no card goes to the printer below the reserve, and a card whose record
 * cannot be committed for a full disk is never silently lost. The store is a real SQLite file on a
 * real, small tmpfs that the tests fill; the printer and the encoder are fakes that count cards.
 */
const mb = 1024 * 1024;
const reserveMb = 64;
const eligible: Assessment = { eligibility: { cards: [], guardianConsentRequired: false, recommended: null }, problems: [], fee: 0, action: 'new' };
const passed: PhotoVerdict = { passed: true, checks: [], cardPhoto: null, archivePhoto: new Uint8Array(2048).fill(7), faceMatch: null };
const form: Partial<ApplicationForm> = { idNumber: person.idNumber, name: person.name, nameZh: person.nameZh, birthDate: person.birthDate, cardType: 'general', district: '中壢區' };

let disk: SmallDisk;
beforeAll(() => {
  disk = mountSmallDisk('disk-reserve', 24);
});
afterAll(() => disk?.unmount());

interface Kiosk {
  readonly store: Store;
  /** What the printer was asked to do, in order. */
  readonly printer: string[];
  /** The free space statfs reports to the reserve check (stubbed), in bytes. */
  free: number;
  close(): Promise<void>;
}

const opened: Kiosk[] = [];
afterEach(async () => {
  for (const kiosk of opened.splice(0)) await kiosk.close();
  disk.unfill();
});

/**
 * A store in its own directory on the small disk, a fake printer, and the reserve check over either
 * a stubbed statfs (`free`) or, with `realStatfs`, the tmpfs itself.
 */
async function kioskOnDisk(name: string, options: { realStatfs?: boolean; store?: (store: Store) => Store } = {}) {
  const dir = join(disk.dir, name);
  mkdirSync(dir, { recursive: true });
  const clock = fixedClock(new Date('2026-03-01T09:00:00Z'));
  const result = await openStore({ path: join(dir, 'kiosk.sqlite'), keyFile: join(dir, 'store.key'), kioskId: 'TY-K01', clock });
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  const store = result.value;
  await testSession(store);
  const calls: string[] = [];
  const kiosk: Kiosk = {
    store,
    printer: calls,
    free: 1024 * mb,
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  opened.push(kiosk);
  const printer = {
    printCard: async () => (calls.push('print'), ok({ sides: 1, panels: 1, bytesSent: 1, position: 'contactless-station' })),
    rejectCard: async () => (calls.push('reject'), ok(undefined)),
    ejectCard: async () => (calls.push('eject'), ok(undefined)),
  } as unknown as CardPrinter;
  const stubbed: StatFs = async () => ({ bavail: Math.floor(kiosk.free / 4096), bsize: 4096 });
  const devices: IssuanceDevices = {
    printer,
    encoder: {} as IssuanceDevices['encoder'],
    store: options.store ? options.store(store) : store,
    photoGate: {} as IssuanceDevices['photoGate'],
    rules: {} as IssuanceDevices['rules'],
    clock,
    chipMasterKey: new Uint8Array(32).fill(7),
    kioskId: 'TY-K01',
    log: () => {},
    operatorId: () => 'OP-1',
    diskReserve: options.realStatfs ? diskReserve(dir, 0) : diskReserve(dir, reserveMb, stubbed),
  };
  const { printCard, commitIssuance, ejectCard, abandonJob, parkJob, resumeJob } = issuanceSteps(devices);
  const machine = issuanceMachine.provide({
    actors: {
      ...issuanceActors(devices),
      assessApplication: fromPromise(async () => eligible),
      evaluatePhoto: fromPromise(async () => passed),
      cardJob: cardJobMachine.provide({
        actors: {
          printCard, commitIssuance, ejectCard, abandonJob, parkJob, resumeJob,
          // The chip is another test's business: the card "arrives" encoded.
          encodeCard: fromPromise(async () => ({ uid: '04A1B2C3D4E5F6' })),
        },
      }),
    },
  });
  return { ...kiosk, kiosk, machine, reserve: devices.diskReserve! };
}

type Machine = Awaited<ReturnType<typeof kioskOnDisk>>['machine'];

/** An application up to the review screen, its card number allocated and journaled. */
async function toReview(machine: Machine) {
  const actor = createActor(machine, { input: {} }).start();
  actor.send({ type: 'start-application' });
  actor.send({ type: 'update-application', fields: form });
  await waitFor(actor, (s) => s.matches({ applicant: { application: 'editing' } }), { timeout: 10_000 });
  actor.send({ type: 'submit-application' });
  actor.send({ type: 'capture-photo', image: new Uint8Array([0xff, 0xd8]) });
  await waitFor(actor, (s) => s.matches({ applicant: { review: 'ready' } }) || s.matches({ applicant: { review: 'failed' } }), { timeout: 20_000 });
  expect(actor.getSnapshot().context.error).toBeNull();
  return actor;
}

type IssuanceActor = Awaited<ReturnType<typeof toReview>>;

/** The one card job in the queue, once it stands where `until` says. */
async function theJob(actor: IssuanceActor, until: (job: CardJobSnapshot) => boolean) {
  await waitFor(actor, (s) => s.context.jobs.length === 1, { timeout: 10_000 });
  const ref = actor.getSnapshot().context.jobs[0]!.ref;
  return waitFor(ref, until, { timeout: 10_000 }).then(() => ref);
}
const failed = (job: CardJobSnapshot) => job.matches('failed');
const ready = (job: CardJobSnapshot) => job.matches('ready');
/** The queue is empty again: its last job closed. */
const queueEmpty = (actor: IssuanceActor) => waitFor(actor, (s) => s.context.jobs.length === 0, { timeout: 10_000 });

const spoils = async (store: Store) => (await store.readAudit()).filter((entry) => entry.eventId === 'issuance-spoil');

describe('the disk reserve, before a card reaches the printer', () => {
  it('refuses "print" through the controller below the reserve, with the disk in words: the printer gets nothing', async () => {
    const { kiosk, machine, reserve } = await kioskOnDisk('refuse-print');
    const controller = createKioskController(machine, new DeviceStatusBoard({ printer: true, scanner: true, nfc: true, board: true }), () => {}, { diskReserve: reserve });
    try {
      expect(await controller.command({ type: 'start-application' })).toEqual({ accepted: true });
      expect(await controller.command({ type: 'update-application', fields: form })).toEqual({ accepted: true });
      await expect.poll(() => controller.snapshot().application.problems.length === 0 && controller.snapshot().application.eligibility !== null, { timeout: 10_000 }).toBe(true);
      expect(await controller.command({ type: 'submit-application' })).toEqual({ accepted: true });
      expect(await controller.command({ type: 'capture-photo', jpegBase64: Buffer.alloc(32, 1).toString('base64') })).toEqual({ accepted: true });
      await expect.poll(() => controller.snapshot().previewUrl, { timeout: 20_000 }).not.toBeNull();

      kiosk.free = 10 * mb;
      const reply = await controller.command({ type: 'confirm-print' });
      expect(reply).toMatchObject({ accepted: false, code: 'disk-full' });
      expect(reply.accepted ? '' : reply.reason).toMatch(/disk is full: .* has 10\.0 MB free, below the 64\.0 MB/);
      expect(controller.screen()).toBe('review');
      expect(kiosk.printer).toEqual([]);
      // No new application either, while the disk stays this full.
      // Cancel after a photo asks first: the second tap discards.
      expect(await controller.command({ type: 'cancel' })).toEqual({ accepted: true });
      expect(await controller.command({ type: 'confirm-discard' })).toEqual({ accepted: true });
      await expect.poll(() => controller.screen(), { timeout: 10_000 }).toBe('home');
      expect(await controller.command({ type: 'start-application' })).toMatchObject({ accepted: false, code: 'disk-full' });
      expect(kiosk.printer).toEqual([]);
    } finally {
      controller.stop();
    }
  });

  it('stops the job itself at the printer when the disk fills up during the review; Cancel spoils nothing', async () => {
    const { kiosk, machine } = await kioskOnDisk('stop-job');
    const actor = await toReview(machine);
    kiosk.free = 10 * mb;
    actor.send({ type: 'confirm-print' });
    const job = await theJob(actor, failed);
    const { error } = job.getSnapshot().context;
    expect(error).toMatchObject({ kind: 'disk_full', canRetry: true });
    expect(error?.advice).toMatchObject({
      code: 'step.disk-full',
      params: { detail: expect.stringMatching(/has 10\.0 MB free, below the [\d.]+ MB the kiosk keeps for its records/) },
    });
    expect(englishOf(error!.advice)).toMatch(/data disk is full.* free space on the disk, then press Retry/);
    expect(kiosk.printer).toEqual([]);

    // No card was fed: cancelling rejects nothing and records no spoiled card, only the abandoned job.
    job.send({ type: 'cancel' });
    await queueEmpty(actor);
    expect(kiosk.printer).toEqual([]);
    expect(await spoils(kiosk.store)).toEqual([]);
    expect(await kiosk.store.pendingJobs()).toEqual([]);
    actor.stop();
  });

  it('prints the same job on Retry once space is freed', async () => {
    const { kiosk, machine } = await kioskOnDisk('retry-print');
    const actor = await toReview(machine);
    kiosk.free = 10 * mb;
    actor.send({ type: 'confirm-print' });
    const job = await theJob(actor, failed);
    kiosk.free = 100 * mb;
    job.send({ type: 'retry' });
    await waitFor(job, ready, { timeout: 10_000 });
    expect(kiosk.printer).toEqual(['print', 'eject']);
    expect(await kiosk.store.heldCards(person.idNumber)).toHaveLength(1);
    actor.stop();
  });

  it('begins no job below the reserve', async () => {
    const { kiosk, machine } = await kioskOnDisk('no-job');
    kiosk.free = 1 * mb;
    const actor = createActor(machine, { input: {} }).start();
    actor.send({ type: 'start-application' });
    actor.send({ type: 'update-application', fields: form });
    await waitFor(actor, (s) => s.matches({ applicant: { application: 'editing' } }), { timeout: 10_000 });
    actor.send({ type: 'submit-application' });
    actor.send({ type: 'capture-photo', image: new Uint8Array([0xff, 0xd8]) });
    await waitFor(actor, (s) => s.matches({ applicant: { review: 'failed' } }), { timeout: 10_000 });
    expect(actor.getSnapshot().context.error?.kind).toBe('disk_full');
    expect(await kiosk.store.pendingJobs()).toEqual([]);
    actor.stop();
  });
});

describe('a commit that fails for a full disk after the card was printed and encoded', () => {
  /** The disk fills up (for real: the tmpfs) the moment the issuance is to be recorded: every time, or the first time only. */
  const fillingAtCommit = (times: number) => (store: Store): Store => {
    let fills = 0;
    return {
      ...store,
      recordIssuance: (input) => {
        if (fills++ < times) disk.fill();
        return store.recordIssuance(input);
      },
    };
  };

  it('says the disk is full, keeps the card in the printer, and records it on Retry once space is freed', async () => {
    const { kiosk, machine } = await kioskOnDisk('commit-retry', { realStatfs: true, store: fillingAtCommit(1) });
    const actor = await toReview(machine);
    actor.send({ type: 'confirm-print' });
    const job = await theJob(actor, failed);
    const { error, failedStep } = job.getSnapshot().context;
    expect(failedStep).toBe('committing');
    expect(error).toMatchObject({ kind: 'disk_full', canRetry: true });
    expect(error?.advice).toMatchObject({ code: 'step.disk-full', params: { detail: expect.stringMatching(/SQLITE_FULL/) } });
    expect(englishOf(error!.advice)).toMatch(/data disk is full.*\(.*SQLITE_FULL/);
    expect(kiosk.printer).toEqual(['print']);
    expect(await kiosk.store.heldCards(person.idNumber)).toEqual([]);

    disk.unfill();
    job.send({ type: 'retry' });
    await waitFor(job, ready, { timeout: 10_000 });
    expect(kiosk.printer).toEqual(['print', 'eject']);
    expect(await kiosk.store.heldCards(person.idNumber)).toMatchObject([{ status: 'active' }]);
    actor.stop();
  });

  it('sends the card to the reject box on Cancel, journaled as spoiled for the full disk', async () => {
    const { kiosk, machine } = await kioskOnDisk('commit-cancel', { realStatfs: true, store: fillingAtCommit(1) });
    const actor = await toReview(machine);
    actor.send({ type: 'confirm-print' });
    const job = await theJob(actor, failed);
    expect(job.getSnapshot().context.error?.kind).toBe('disk_full');

    // A technician frees some space; the operator gives up on this card.
    disk.unfill();
    job.send({ type: 'cancel' });
    await queueEmpty(actor);
    expect(kiosk.printer).toEqual(['print', 'reject']);
    const spoiled = await spoils(kiosk.store);
    expect(spoiled).toHaveLength(1);
    expect(spoiled[0]?.details).toMatchObject({ step: 'spoiled', reason: 'disk_full' });
    expect(await kiosk.store.pendingJobs()).toEqual([]);
    actor.stop();
  });

  it('still rejects the card when the disk stays full; the open job is left for the next start to spoil', async () => {
    const { kiosk, machine } = await kioskOnDisk('commit-full', { realStatfs: true, store: fillingAtCommit(Infinity) });
    const actor = await toReview(machine);
    actor.send({ type: 'confirm-print' });
    const job = await theJob(actor, failed);
    job.send({ type: 'cancel' });
    await queueEmpty(actor);
    expect(kiosk.printer).toEqual(['print', 'reject']);
    expect((await kiosk.store.pendingJobs()).map((job) => job.step)).toEqual(['printed']);
    actor.stop();
  });
});
