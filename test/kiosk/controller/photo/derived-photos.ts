import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import sharp, { type Sharp } from 'sharp';

/**
 * The failing cases, derived in code from the good camera frame (applicant.jpg, made from the
 * public-domain astronaut.png by test/fixtures/photos/make-fixtures.ts) so no personal photo is needed.
 */
export const fixturePath = (name: string): string => fileURLToPath(new URL(`../../../fixtures/photos/${name}`, import.meta.url));
export const readFixture = (name: string): Promise<Buffer> => readFile(fixturePath(name));

export const width = 640;
export const height = 480;
/** The studio backdrop's colour in applicant.jpg, for filling around a moved or shrunk frame. */
const backdrop = { r: 200, g: 196, b: 196 };

const jpeg = (image: Sharp) => image.jpeg({ quality: 92 }).toBuffer();

export const goodPhoto = (): Promise<Buffer> => readFixture('applicant.jpg');

/** The applicant stepped back: the frame shrunk to `factor`, centred, on the backdrop colour. */
export async function tooFar(factor = 0.55): Promise<Buffer> {
  const w = Math.round(width * factor);
  const h = Math.round(height * factor);
  const small = await sharp(await goodPhoto()).resize(w, h).toBuffer();
  return jpeg(sharp({ create: { width, height, channels: 3, background: backdrop } })
    .composite([{ input: small, left: Math.round((width - w) / 2), top: Math.round((height - h) / 2) }]));
}

/** The applicant sat `dx` pixels to the image's right (their own left). */
export async function shifted(dx = 160): Promise<Buffer> {
  const wide = await sharp(await goodPhoto()).extend({ left: dx, extendWith: 'copy' }).toBuffer();
  return jpeg(sharp(wide).extract({ left: 0, top: 0, width, height }));
}

/** The applicant leaned in: the middle of the frame enlarged by `factor`. */
export async function tooClose(factor = 1.25): Promise<Buffer> {
  const w = Math.round(width / factor);
  const h = Math.round(height / factor);
  return jpeg(sharp(await goodPhoto()).extract({ left: Math.round((width - w) / 2), top: Math.round((height - h) / 2), width: w, height: h }).resize(width, height));
}

/** The head tilted sideways by `degrees` (the whole frame rotated about its centre). */
export async function tilted(degrees = 20): Promise<Buffer> {
  const rotated = await sharp(await goodPhoto()).rotate(degrees, { background: backdrop }).toBuffer({ resolveWithObject: true });
  const { width: w, height: h } = rotated.info;
  return jpeg(sharp(rotated.data).extract({ left: Math.round((w - width) / 2), top: Math.round((h - height) / 2), width, height }));
}

export async function darkened(factor = 0.3): Promise<Buffer> {
  return jpeg(sharp(await goodPhoto()).linear(factor, 0));
}

export async function blurred(sigma = 4): Promise<Buffer> {
  return jpeg(sharp(await goodPhoto()).blur(sigma));
}

/** A second, smaller face (the same frame scaled down) pasted into the top-left corner. */
export async function twoFaces(): Promise<Buffer> {
  const second = await sharp(await goodPhoto()).resize(Math.round(width * 0.32)).toBuffer();
  return jpeg(sharp(await goodPhoto()).composite([{ input: second, left: 8, top: 8 }]));
}

/** The flag from astronaut.png hung behind the applicant, beside and above the head. */
export async function busyBackground(): Promise<Buffer> {
  const flag = await sharp(fixturePath('astronaut.png')).extract({ left: 0, top: 0, width: 90, height: 300 }).resize(150, 240, { fit: 'fill' }).toBuffer();
  const band = await sharp(fixturePath('astronaut.png')).extract({ left: 0, top: 0, width: 90, height: 60 }).resize(width, 40, { fit: 'fill' }).toBuffer();
  return jpeg(sharp(await goodPhoto()).composite([
    { input: flag, left: 0, top: 0 },
    { input: flag, left: width - 150, top: 0 },
    { input: band, left: 0, top: 0 },
  ]));
}

/** A photo with no face at all (a coffee cup, CC0). */
export const noFace = (): Promise<Buffer> => readFixture('coffee.png');
/** An animal face (Chelsea the cat, CC0): not an applicant. */
export const cat = (): Promise<Buffer> => readFixture('chelsea.png');
/** A face in profile (the cameraman, CC0). */
export const profile = (): Promise<Buffer> => readFixture('camera.png');

/** A loosely framed phone photo to import: the good frame on a wide stretch of its own backdrop. */
export async function looselyFramed(): Promise<Buffer> {
  return jpeg(sharp(await goodPhoto()).extend({ left: 400, right: 400, top: 300, bottom: 300, extendWith: 'copy' }));
}
