import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateCapture } from '../../../../kiosk/controller/photo/capture';
import { createPhotoGate, type PhotoGate } from '../../../../kiosk/controller/photo/gate';
import type { PhotoVerdict } from '../../../../kiosk/controller/photo/verdict';
import { goodPhoto, looselyFramed, noFace, readFixture, twoFaces } from './derived-photos';

let gate: PhotoGate;
beforeAll(() => {
  gate = createPhotoGate();
});
afterAll(() => gate.close());

const failing = (verdict: PhotoVerdict) => verdict.checks.filter((check) => !check.passed).map((check) => check.id);

describe('grading a capture by its source', () => {
  it('an imported, loosely framed photo is graded on its ID-photo crop and passes; as a camera frame it fails head-height', async () => {
    const file = await looselyFramed();
    const asCamera = await evaluateCapture(gate, file, 'camera');
    expect(failing(asCamera.verdict)).toEqual(['head-height']);
    expect(asCamera.image).toBe(file);

    const asImport = await evaluateCapture(gate, file, 'import');
    expect(failing(asImport.verdict)).toEqual([]);
    expect(asImport.verdict.passed).toBe(true);
    // The verdict's geometry refers to the crop it graded (35 × 45 at 600 dpi), to crop from again.
    expect(await sharp(asImport.image).metadata()).toMatchObject({ width: 827, height: 1063 });
    expect(asImport.verdict.face?.imageWidth).toBe(827);
  });

  it('a real loosely framed portrait (astronaut.png) passes only as an import', async () => {
    const file = await readFixture('astronaut.png');
    expect(failing((await evaluateCapture(gate, file, 'camera')).verdict)).toContain('head-height');
    expect(failing((await evaluateCapture(gate, file, 'import')).verdict)).toEqual([]);
  });

  it('the camera is the default source', async () => {
    expect(failing((await evaluateCapture(gate, await looselyFramed())).verdict)).toEqual(['head-height']);
  });

  it('an import with two faces is not cropped down to one', async () => {
    const file = await twoFaces();
    const result = await evaluateCapture(gate, file, 'import');
    expect(result.verdict.faceCount).toBe(2);
    expect(failing(result.verdict)).toContain('one-face');
    expect(result.image).toBe(file);
  });

  it('an import without a face still fails one-face', async () => {
    const result = await evaluateCapture(gate, await noFace(), 'import');
    expect(result.verdict.faceCount).toBe(0);
    expect(failing(result.verdict)[0]).toBe('one-face');
  });

  it('a well-framed import still passes after its crop', async () => {
    expect((await evaluateCapture(gate, await goodPhoto(), 'import')).verdict.passed).toBe(true);
  });
});
