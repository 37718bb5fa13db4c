import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareFaces, defaultMatchThreshold } from '../../../../kiosk/controller/photo/compare';
import { archivePhotoSize, cropToArchive, cropToCardAndArchive, cropToCardPhoto } from '../../../../kiosk/controller/photo/crop';
import { createPhotoGate, type PhotoGate } from '../../../../kiosk/controller/photo/gate';
import type { PhotoVerdict } from '../../../../kiosk/controller/photo/verdict';
import { goodPhoto, noFace, profile, readFixture, shifted, tooFar } from './derived-photos';

// One open gate keeps the shared models loaded for the free functions too.
let gate: PhotoGate;
beforeAll(() => {
  gate = createPhotoGate();
});
afterAll(() => gate.close());

const cardBox = { width: 230, height: 295 };
const value = (verdict: PhotoVerdict, id: string) => verdict.checks.find((c) => c.id === id)?.value;
const passed = (verdict: PhotoVerdict, id: string) => verdict.checks.find((c) => c.id === id)?.passed;

describe('cropping to the card and the archive', () => {
  it('crops the card photo to the renderer box with the head framed as an ID photo', async () => {
    const photo = await goodPhoto();
    const verdict = await gate.evaluate(photo);
    if (verdict.face === null) throw new Error('fixture has no face');
    const card = await cropToCardPhoto(photo, cardBox, { face: verdict.face });
    if (!card.ok) throw new Error(card.error.kind);
    const meta = await sharp(card.value).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 230, 295]);
    // Measured on the crop itself, the head takes the middle of the 71–80 % range, centred.
    const cropped = await gate.evaluate(card.value);
    expect(value(cropped, 'head-height')).toBeGreaterThan(0.72);
    expect(value(cropped, 'head-height')).toBeLessThan(0.79);
    expect(passed(cropped, 'centred')).toBe(true);
  });

  it('makes a small 35 × 45 mm, 600 dpi archive copy', async () => {
    const archive = await cropToArchive(await goodPhoto());
    if (!archive.ok) throw new Error(archive.error.kind);
    const meta = await sharp(archive.value).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', archivePhotoSize.width, archivePhotoSize.height]);
    expect([archivePhotoSize.width, archivePhotoSize.height]).toEqual([827, 1063]);
    expect(archive.value.length).toBeLessThan(120_000);
  });

  it.each([
    ['off-centre', () => shifted()],
    ['far', () => tooFar(0.7)],
  ])('recentres and rescales a %s frame', async (_name, make) => {
    const archive = await cropToArchive(await make());
    if (!archive.ok) throw new Error(archive.error.kind);
    const verdict = await gate.evaluate(archive.value);
    expect(passed(verdict, 'head-height')).toBe(true);
    expect(passed(verdict, 'centred')).toBe(true);
  });

  it.each([
    ['centred', () => goodPhoto()],
    ['off-centre (the crop reaches past the frame)', () => shifted()],
    ['far', () => tooFar(0.7)],
  ])('makes both crops of a %s photo from one decode, byte for byte as each alone', async (_name, make) => {
    const photo = await make();
    const verdict = await gate.evaluate(photo);
    if (verdict.face === null) throw new Error('fixture has no face');
    const both = await cropToCardAndArchive(photo, cardBox, { face: verdict.face });
    const card = await cropToCardPhoto(photo, cardBox, { face: verdict.face });
    const archive = await cropToArchive(photo, { face: verdict.face });
    if (!both.ok || !card.ok || !archive.ok) throw new Error('a crop failed');
    expect(both.value.card.equals(card.value)).toBe(true);
    expect(both.value.archive.equals(archive.value)).toBe(true);
  });

  it('reports a photo without a face or bytes that are no image', async () => {
    expect(await cropToCardAndArchive(await noFace(), cardBox)).toEqual({ ok: false, error: { kind: 'no_face' } });
    expect(await cropToCardAndArchive(Buffer.from('nope'), cardBox)).toEqual({ ok: false, error: { kind: 'unreadable_image' } });
    expect(await cropToCardPhoto(await noFace(), cardBox)).toEqual({ ok: false, error: { kind: 'no_face' } });
    expect(await cropToArchive(Buffer.from('nope'))).toEqual({ ok: false, error: { kind: 'unreadable_image' } });
  });
});

describe('comparing faces', () => {
  it('matches the same person in a differently framed photo', async () => {
    const result = await compareFaces(await goodPhoto(), await readFixture('astronaut.png'));
    if (!result.ok) throw new Error(result.error.kind);
    expect(result.value.threshold).toBe(defaultMatchThreshold);
    expect(result.value.distance).toBeLessThan(result.value.threshold);
    expect(result.value.match).toBe(true);
  });

  it('does not match a different person', async () => {
    const result = await compareFaces(await goodPhoto(), await profile());
    if (!result.ok) throw new Error(result.error.kind);
    expect(result.value.distance).toBeGreaterThan(result.value.threshold);
    expect(result.value.match).toBe(false);
  });

  it('says which photo has no face', async () => {
    expect(await compareFaces(await goodPhoto(), await noFace())).toEqual({ ok: false, error: { kind: 'no_face', image: 'b' } });
    expect(await compareFaces(Buffer.from('x'), await goodPhoto())).toEqual({ ok: false, error: { kind: 'unreadable_image', image: 'a' } });
  });
});
