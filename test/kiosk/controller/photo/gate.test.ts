import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPhotoGate, type PhotoGate } from '../../../../kiosk/controller/photo/gate';
import type { PhotoCheckId, PhotoVerdict } from '../../../../kiosk/controller/photo/verdict';
import type { MessageCode } from '../../../../shared/contract/messages';
import { englishOf } from '../../../../shared/i18n/message-catalogue';
import {
  blurred, busyBackground, cat, type ClosedEyes, darkened, eyesClosed, goodPhoto, noFace, overexposed, profile, shifted, tilted, tooClose, tooFar, twoFaces, washedOut,
} from './derived-photos';

let gate: PhotoGate;
beforeAll(() => {
  gate = createPhotoGate();
});
afterAll(() => gate.close());

const checkOf = (verdict: PhotoVerdict, id: PhotoCheckId) => {
  const found = verdict.checks.find((c) => c.id === id);
  if (found === undefined) throw new Error(`no ${id} check`);
  return found;
};

describe('photo gate', () => {
  it('passes a well-framed frontal photo on a plain light background, reporting every figure', async () => {
    const verdict = await gate.evaluate(await goodPhoto());
    expect(verdict.checks.filter((c) => !c.passed).map((c) => c.id)).toEqual([]);
    expect(verdict.passed).toBe(true);
    expect(verdict.advice).toBeNull();
    expect(verdict.checks.map((c) => c.id)).toEqual([
      'one-face', 'head-height', 'centred', 'frontal', 'eyes-open', 'brightness', 'contrast', 'sharpness', 'background',
    ]);
    for (const c of verdict.checks) {
      expect(c.value).not.toBeNull();
      expect(c.threshold).not.toBe('');
      expect(c.message).toEqual({ code: `photo.passed.${c.id}`, params: {} });
    }
    const head = checkOf(verdict, 'head-height');
    expect(head.value).toBeGreaterThanOrEqual(0.71);
    expect(head.value).toBeLessThanOrEqual(0.8);
    expect(verdict.face?.imageWidth).toBe(640);
    expect(verdict.score).toBe(1);
  });

  const failing: ReadonlyArray<[string, PhotoCheckId, MessageCode, () => Promise<Buffer>]> = [
    ['no face (a coffee cup)', 'one-face', 'photo.no-face', noFace],
    ['a cat', 'one-face', 'photo.no-face', cat],
    ['two faces', 'one-face', 'photo.many-faces', twoFaces],
    ['too far from the camera', 'head-height', 'photo.come-closer', () => tooFar()],
    ['off-centre (sitting to their own left)', 'centred', 'photo.move-to-your-right', () => shifted()],
    ['too close to the camera', 'head-height', 'photo.move-back', () => tooClose()],
    ['a tilted head', 'frontal', 'photo.head-straight', () => tilted()],
    ['dark', 'brightness', 'photo.too-dark', () => darkened()],
    ['overexposed', 'brightness', 'photo.too-bright', () => overexposed()],
    ['washed out', 'contrast', 'photo.low-contrast', () => washedOut()],
    ['blurred', 'sharpness', 'photo.blurred', () => blurred()],
    ['a busy background (a flag behind the head)', 'background', 'photo.busy-background', busyBackground],
  ];
  it.each(failing)('rejects %s with the %s check and tells the applicant what to do', async (_name, id, advice, make) => {
    const verdict = await gate.evaluate(await make());
    expect(verdict.passed).toBe(false);
    expect(checkOf(verdict, id).passed).toBe(false);
    expect(checkOf(verdict, id).message).toEqual({ code: advice, params: {} });
    expect(verdict.advice).toEqual({ code: advice, params: {} });
    expect(verdict.score).toBeLessThan(1);
  });

  it('counts the faces it sees', async () => {
    expect((await gate.evaluate(await twoFaces())).faceCount).toBe(2);
    const none = await gate.evaluate(await noFace());
    expect(none.faceCount).toBe(0);
    expect(none.face).toBeNull();
    for (const c of none.checks.filter((c) => c.id !== 'one-face')) {
      expect(c.status).toBe('not-measured');
      expect(c.threshold).not.toBe('');
    }
  });

  it('rejects a face in profile as not frontal', async () => {
    const frontal = checkOf(await gate.evaluate(await profile()), 'frontal');
    expect(frontal.passed).toBe(false);
    expect(frontal.message).toEqual({ code: 'photo.face-camera', params: {} });
    expect(frontal.value).toBeGreaterThan(15);
  });

  it('reads a phone photo stored sideways with an EXIF orientation', async () => {
    // Stored turned a quarter anticlockwise; orientation 6 tells viewers to turn it back.
    const sideways = await sharp(await goodPhoto()).rotate(270).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    const verdict = await gate.evaluate(sideways);
    expect(verdict.passed).toBe(true);
    expect([verdict.face?.imageWidth, verdict.face?.imageHeight]).toEqual([640, 480]);
  });

  it('takes its thresholds from the config', async () => {
    const lenient = createPhotoGate({ config: { headHeight: { min: 0.3 } } });
    try {
      const head = checkOf(await lenient.evaluate(await tooFar()), 'head-height');
      expect(head.passed).toBe(true);
      expect(head.threshold).toBe('head height / frame height 0.3–0.8');
    } finally {
      lenient.close();
    }
  });

  it('answers bytes that are not an image with a failing verdict, not an exception', async () => {
    const verdict = await gate.evaluate(Buffer.from('definitely not a jpeg'));
    expect(verdict.readable).toBe(false);
    expect(verdict.passed).toBe(false);
    expect(verdict.advice).toEqual({ code: 'photo.unreadable', params: {} });
  });

  it('refuses to evaluate after close', async () => {
    const short = createPhotoGate();
    short.close();
    await expect(short.evaluate(await goodPhoto())).rejects.toThrow(/closed/);
  });
});

const failingIds = (verdict: PhotoVerdict): PhotoCheckId[] => verdict.checks.filter((c) => !c.passed).map((c) => c.id);

describe('photo gate: exposure and contrast', () => {
  it('rejects an overexposed face as too bright, failing nothing it should not', async () => {
    const verdict = await gate.evaluate(await overexposed());
    const brightness = checkOf(verdict, 'brightness');
    expect(brightness.value).toBeGreaterThan(gate.config.brightness.max);
    expect(brightness.message).toEqual({ code: 'photo.too-bright', params: {} });
    // Clipped highlights may also cost contrast (≈ 0.26 here, at the limit); anything else failing would be the derivation's fault.
    expect(failingIds(verdict).filter((id) => id !== 'contrast')).toEqual(['brightness']);
    expect(verdict.advice).toEqual({ code: 'photo.too-bright', params: {} });
  });

  it('rejects a washed-out face for contrast alone: its exposure is still right', async () => {
    const verdict = await gate.evaluate(await washedOut());
    expect(failingIds(verdict)).toEqual(['contrast']);
    const contrast = checkOf(verdict, 'contrast');
    expect(contrast.value).toBeLessThan(gate.config.contrast.min);
    expect(contrast.message).toEqual({ code: 'photo.low-contrast', params: {} });
    const good = await gate.evaluate(await goodPhoto());
    expect(Math.abs((checkOf(verdict, 'brightness').value ?? 0) - (checkOf(good, 'brightness').value ?? 0))).toBeLessThan(5);
    expect(verdict.advice).toEqual({ code: 'photo.low-contrast', params: {} });
  });
});

describe('photo gate: eyes closed', () => {
  let open: PhotoVerdict;
  const closed = new Map<string, PhotoVerdict>();
  const cases: ReadonlyArray<[string, ClosedEyes]> = [
    ['both eyes painted shut (flat lid colour)', { eyes: 'both', style: 'painted' }],
    ['both eyes closed with skin texture and lashes', { eyes: 'both', style: 'textured' }],
    ['one eye painted shut', { eyes: 'image-left', style: 'painted' }],
    ['one eye closed with skin texture and lashes', { eyes: 'image-left', style: 'textured' }],
  ];
  const minimum = () => gate.config.eyesOpen.minIrisDarkness;
  const darkness = (verdict: PhotoVerdict) => checkOf(verdict, 'eyes-open').measurements.map((m) => m.value);
  beforeAll(async () => {
    open = await gate.evaluate(await goodPhoto()); // first, so eyesClosed() borrows the models the gate holds
    for (const [name, how] of cases) closed.set(name, await gate.evaluate(await eyesClosed(how)));
  });
  const verdictOf = (name: string): PhotoVerdict => {
    const verdict = closed.get(name);
    if (verdict === undefined) throw new Error(`no verdict for ${name}`);
    return verdict;
  };

  it('passes open eyes with margin: each iris well darker than the limit asks', () => {
    const check = checkOf(open, 'eyes-open');
    expect(check.passed).toBe(true);
    const [lessOpen, moreOpen] = darkness(open);
    expect(lessOpen).toBeGreaterThan(minimum() + 1);
    expect(moreOpen).toBeGreaterThanOrEqual(lessOpen ?? Infinity);
    expect(check.threshold).toMatch(/iris darkness, less open eye ≥ 1.6/);
  });

  it.each(cases.filter(([, how]) => how.eyes === 'both'))('rejects %s for eyes-open alone, saying the eyes look closed', (name) => {
    const verdict = verdictOf(name);
    expect(verdict.faceCount).toBe(1);
    expect(failingIds(verdict)).toEqual(['eyes-open']);
    const [lessOpen, moreOpen] = darkness(verdict);
    expect(moreOpen).toBeLessThan(minimum() - 0.4);
    expect(lessOpen).toBeLessThan(minimum() - 0.4);
    expect(verdict.advice).toEqual({ code: 'photo.open-eyes', params: {} });
    expect(englishOf(verdict.advice ?? { code: 'photo.passed.eyes-open', params: {} })).toMatch(/eyes look closed/);
  });

  it.each(cases.filter(([, how]) => how.eyes === 'image-left'))('rejects %s: both eyes must be open, and says one looks closed', (name) => {
    const verdict = verdictOf(name);
    expect(failingIds(verdict)).toEqual(['eyes-open']);
    const [lessOpen, moreOpen] = darkness(verdict);
    expect(lessOpen).toBeLessThan(minimum() - 0.4);
    expect(moreOpen).toBeGreaterThan(minimum() + 1);
    expect(verdict.advice).toEqual({ code: 'photo.open-both-eyes', params: {} });
    expect(englishOf(verdict.advice ?? { code: 'photo.passed.eyes-open', params: {} })).toMatch(/One of your eyes looks closed/);
  });

  it('keeps open eyes open under the exposure derivations (the figure is relative to the face)', async () => {
    for (const make of [() => darkened(), () => overexposed(), () => washedOut(), () => blurred()]) {
      const [lessOpen] = darkness(await gate.evaluate(await make()));
      expect(lessOpen).toBeGreaterThan(minimum() + 1);
    }
  });

  it('still reports the landmark outline, which stays open-looking on closed eyes', () => {
    const aspect = (verdict: PhotoVerdict) => checkOf(verdict, 'eyes-open').measurements.find((m) => m.name === 'eye aspect ratio')?.value;
    expect(aspect(open)).toBeGreaterThan(gate.config.eyesOpen.minAspect);
    expect(aspect(verdictOf(cases[0]![0]))).toBeGreaterThan(gate.config.eyesOpen.minAspect);
  });

  it('takes the iris limit from the config', async () => {
    const lenient = createPhotoGate({ config: { eyesOpen: { minIrisDarkness: 0 } } });
    try {
      expect(checkOf(await lenient.evaluate(await eyesClosed({ style: 'textured' })), 'eyes-open').passed).toBe(true);
    } finally {
      lenient.close();
    }
  });
});
