import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createActor, fromPromise, toPromise } from 'xstate';
import { emptyApplicationForm, type ApplicationForm } from '../../../../shared/contract/kiosk-api';
import { message } from '../../../../shared/contract/messages';
import { fixedClock } from '../../../../shared/clock';
import { DeviceStatusBoard } from '../../../../kiosk/controller/device-status';
import { issuanceActors, issuanceSteps, type IssuanceDevices } from '../../../../kiosk/controller/issuance/issuance-services';
import { issuanceMachine, type Assessment, type CardPreview, type IssuanceJob, type PhotoVerdict } from '../../../../kiosk/controller/issuance/issuance-machine';
import { createKioskController, type KioskController } from '../../../../kiosk/controller/kiosk-controller';
import { createPhotoGate, type PhotoGate } from '../../../../kiosk/controller/photo';
import { until as untilHolds } from '../fake-counter';
import { cat, goodPhoto, noFace, profile, tooFar } from '../photo/derived-photos';
import { issuance, openTempStore, person, type TempStore } from '../store/temp-store';
import { testSession } from '../store/session-fixture';

/**
 * The issuance actors' photo steps over the real gate and a real store: the override audit inside
 * the issuance transaction, crops only around one face, and the replacement face comparison.
 */
let gate: PhotoGate;
beforeAll(() => {
  gate = createPhotoGate();
});
afterAll(() => gate.close());

let t: TempStore;
beforeEach(async () => {
  t = await openTempStore();
});
afterEach(async () => {
  await t.cleanup();
});

const form: ApplicationForm = { ...emptyApplicationForm, idNumber: person.idNumber, name: person.name, birthDate: person.birthDate, cardType: 'senior' };
const replacement: Assessment = { eligibility: { cards: [], guardianConsentRequired: false, recommended: null }, problems: [], fee: 100, action: 'replacement' };

function actors() {
  const devices: IssuanceDevices = {
    printer: {} as IssuanceDevices['printer'],
    encoder: {} as IssuanceDevices['encoder'],
    store: t.store,
    photoGate: gate,
    rules: {} as IssuanceDevices['rules'],
    clock: fixedClock(new Date('2026-03-01T09:00:00Z')),
    chipMasterKey: new Uint8Array(32).fill(7),
    kioskId: 'TY-K01',
    log: () => {},
    operatorId: () => 'OP-1',
  };
  const all = { ...issuanceSteps(devices), ...issuanceActors(devices) };
  return { evaluatePhoto: all.evaluatePhoto!, commitIssuance: all.commitIssuance!, all };
}

async function evaluate(image: Buffer, options: { source?: 'camera' | 'import'; replacement?: boolean } = {}): Promise<PhotoVerdict> {
  const input = { image: new Uint8Array(image), source: options.source ?? 'camera', form, replacement: options.replacement ?? false };
  return toPromise(createActor(actors().evaluatePhoto, { input }).start()) as Promise<PhotoVerdict>;
}

async function commit(photoOverride: IssuanceJob['photoOverride'], cardNumber: string): Promise<void> {
  const jobId = await t.store.beginIssuanceJob({ ...(await testSession(t.store)), cardType: 'senior', operatorId: 'OP-1', context: {} });
  const input: IssuanceJob & { uid: string } = {
    jobId,
    form,
    assessment: { ...replacement, action: 'new', fee: 0 },
    photo: new Uint8Array([1]),
    archivePhoto: null,
    photoOverride,
    preview: { cardNumber, frontPng: new Uint8Array([0x89]), job: null },
    owner: 'OP-1',
    uid: '04A1B2C3D4E5F6',
  };
  await toPromise(createActor(actors().commitIssuance, { input }).start());
}

const checkPassed = (verdict: PhotoVerdict, id: string) => verdict.checks.find((check) => check.id === id)?.passed;

describe('photo override audit', () => {
  it('is one row inside the issuance transaction, naming the reason and the approving supervisor', async () => {
    await commit({ reason: 'bedridden applicant', approvedBy: 'SUP-7' }, 'TY-K01-S-0000001');
    const entries = await t.store.readAudit();
    const overrides = entries.filter((entry) => entry.eventId === 'issuance-photo-override');
    const recorded = entries.find((entry) => entry.eventId === 'issuance-recorded');
    expect(overrides).toHaveLength(1);
    expect(overrides[0]?.details).toMatchObject({ reason: 'bedridden applicant', approvedBy: 'SUP-7', issuanceId: recorded?.details['issuanceId'] });
    expect(overrides[0]?.operatorId).toBe('OP-1');
    // Same transaction: the very next row of the chain after the issuance itself.
    expect(overrides[0]?.seq).toBe((recorded?.seq ?? -10) + 1);
    expect((await t.store.verifyAudit()).ok).toBe(true);
  });

  it('is absent for an issuance whose photo passed', async () => {
    await commit(null, 'TY-K01-S-0000001');
    const entries = await t.store.readAudit();
    expect(entries.some((entry) => entry.eventId === 'issuance-recorded')).toBe(true);
    expect(entries.filter((entry) => entry.eventId === 'issuance-photo-override')).toEqual([]);
  });

  it('is not written when the issuance itself is refused (card number already taken)', async () => {
    await commit(null, 'TY-K01-S-0000001');
    await expect(commit({ reason: 'bedridden applicant', approvedBy: null }, 'TY-K01-S-0000001')).rejects.toThrow(/card_number_taken/);
    expect((await t.store.readAudit()).filter((entry) => entry.eventId === 'issuance-photo-override')).toEqual([]);
  });
});

describe('photo crops for an override', () => {
  it('crops a failed one-face photo around the face to the ID-photo framing', async () => {
    const far = await tooFar();
    const verdict = await evaluate(far);
    expect(verdict.passed).toBe(false);
    expect(checkPassed(verdict, 'one-face')).toBe(true);
    expect(checkPassed(verdict, 'head-height')).toBe(false);
    expect(verdict.cardPhoto).not.toBeNull();
    expect(verdict.archivePhoto).not.toBeNull();
    const archive = await gate.evaluate(Buffer.from(verdict.archivePhoto ?? []));
    expect((await sharp(Buffer.from(verdict.archivePhoto ?? [])).metadata()).width).toBe(827);
    expect(archive.faceCount).toBe(1);
    expect(archive.checks.find((check) => check.id === 'head-height')?.passed).toBe(true);
  });

  it('makes no crop (so no override) from a frame without a face', async () => {
    const verdict = await evaluate(await noFace());
    expect(checkPassed(verdict, 'one-face')).toBe(false);
    expect(verdict.cardPhoto).toBeNull();
    expect(verdict.archivePhoto).toBeNull();
  });
});

describe('replacement face comparison', () => {
  const onFile = async (photoJpeg: Buffer) => {
    const recorded = await t.store.recordIssuance(issuance({ photoJpeg }));
    expect(recorded.ok).toBe(true);
  };

  it('compares an overridden (failed, one-face) photo too: a different person is a mismatch', async () => {
    await onFile(await profile()); // another person (the cameraman)
    const verdict = await evaluate(await tooFar(), { replacement: true });
    expect(verdict.passed).toBe(false);
    expect(verdict.faceMatch).toMatchObject({ verdict: 'mismatch', match: false, threshold: 0.6 });
    expect(verdict.faceMatch?.distance).toBeGreaterThan(0.6);
  });

  it('the same person, overridden, matches', async () => {
    await onFile(await goodPhoto());
    const verdict = await evaluate(await tooFar(), { replacement: true });
    expect(verdict.faceMatch).toMatchObject({ verdict: 'match', match: true });
  });

  it('says why when the comparison cannot be made, instead of a silent null', async () => {
    await onFile(await cat());
    const verdict = await evaluate(await goodPhoto(), { replacement: true });
    expect(verdict.passed).toBe(true);
    expect(verdict.faceMatch?.verdict).toBe('unavailable');
    expect(verdict.faceMatch?.match).toBe(false);
    if (verdict.faceMatch?.verdict !== 'unavailable') throw new Error('expected unavailable');
    expect(verdict.faceMatch.reason).toEqual(message('face.no-face-on-file'));
  });

  it('is null with no photo on file, and for a new card', async () => {
    expect((await evaluate(await goodPhoto(), { replacement: true })).faceMatch).toBeNull();
    await onFile(await goodPhoto());
    expect((await evaluate(await goodPhoto(), { replacement: false })).faceMatch).toBeNull();
  });

  describe('in the kiosk snapshot', () => {
    let controller: KioskController | null = null;
    afterEach(() => {
      controller?.stop();
      controller = null;
    });

    it('a mismatch of an overridden photo reaches photo.faceMatch', async () => {
      await onFile(await profile()); // another person (the cameraman)
      const real = actors().all;
      const machine = issuanceMachine.provide({
        actors: {
          assessApplication: fromPromise(async (): Promise<Assessment> => replacement),
          evaluatePhoto: real.evaluatePhoto!,
          beginJob: fromPromise(async () => 'job-1'),
          renderCard: fromPromise(async (): Promise<CardPreview> => ({ cardNumber: 'TY-K01-S-0000002', frontPng: new Uint8Array([0x89]), job: null })),
        },
      });
      const devices = new DeviceStatusBoard({ printer: true, scanner: true, nfc: true, board: true });
      controller = createKioskController(machine, devices, () => {}, {});
      const kiosk = controller;
      // Up to 20 s: each photo goes through the real face models, far slower on a loaded machine.
      const until = (check: () => boolean): Promise<void> => untilHolds(check, 20_000);
      await kiosk.command({ type: 'start-application' });
      await kiosk.command({ type: 'update-application', fields: { idNumber: form.idNumber, name: form.name, birthDate: form.birthDate, cardType: 'senior' } });
      await until(() => kiosk.snapshot().application.eligibility !== null);
      await kiosk.command({ type: 'submit-application' });
      const far = (await tooFar()).toString('base64');
      for (let attempt = 1; attempt <= 3; attempt += 1) {
        await kiosk.command({ type: 'capture-photo', jpegBase64: far });
        await until(() => kiosk.snapshot().photo.attempts === attempt && !kiosk.snapshot().photo.evaluating);
      }
      expect(kiosk.snapshot().photo.faceMatch).toMatchObject({ verdict: 'mismatch', match: false });
      expect(await kiosk.command({ type: 'override-photo', reason: 'bedridden applicant' })).toEqual({ accepted: true });
      await until(() => kiosk.screen() === 'review');
      expect(kiosk.snapshot().photo.faceMatch).toMatchObject({ verdict: 'mismatch', match: false, threshold: 0.6 });
    });
  });
});
