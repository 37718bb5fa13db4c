import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import sharp, { type Sharp } from 'sharp';
import { defaultPhotoGateConfig } from '../../../../kiosk/controller/photo/config';
import { acquireFaceModels } from '../../../../kiosk/controller/photo/detector';

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

/** Overexposed: every pixel × `factor`, highlights clipped (strong light or the fill light too close). */
export async function overexposed(factor = 1.5): Promise<Buffer> {
  return jpeg(sharp(await goodPhoto()).linear(factor, 0));
}

/** The good frame's face luminance (README calibration): washing out squeezes the tones towards it. */
const faceLuminance = 175;

/** Washed out (haze, light behind the applicant): tones squeezed by `factor` towards the face's mean, exposure kept. */
export async function washedOut(factor = 0.5): Promise<Buffer> {
  return jpeg(sharp(await goodPhoto()).linear(factor, faceLuminance * (1 - factor)));
}

interface Point { readonly x: number; readonly y: number }

/** How an eye is painted shut, in eye widths (corner to corner, landmarks 36–39 / 42–45). */
const lid = {
  /** Half-axes of the ellipse filled with lid skin, along and across the eye. */
  along: 0.75,
  across: 0.5,
  /** Soft edge beyond the ellipse, as a share of its radius. */
  feather: 0.5,
  /** The closed lash line sags to this share of `across` below the eye centre, at the middle. */
  lashSag: 0.8,
  /** Lash line: half-width in pixels (1 px more of soft edge) and how much it darkens the skin. */
  lashHalfWidth: 0.8,
  lashShade: 0.45,
} as const;

const smoothstep = (from: number, to: number, x: number): number => {
  const t = Math.min(1, Math.max(0, (x - from) / (to - from)));
  return t * t * (3 - 2 * t);
};

/**
 * Paints one eye shut in place: the eye (landmarks `eye`, 6 points from the outer corner) covered
 * with the median colour of the lid skin just above it, edges feathered, and a thin dark lash
 * line sagging between the corners, as a closed eye looks.
 */
function paintEyeShut(rgb: Buffer, imageWidth: number, imageHeight: number, eye: readonly Point[]): void {
  const [corner, , , otherCorner] = eye;
  if (corner === undefined || otherCorner === undefined || eye.length !== 6) throw new Error('an eye has 6 landmarks');
  const centre = { x: eye.reduce((s, p) => s + p.x, 0) / 6, y: eye.reduce((s, p) => s + p.y, 0) / 6 };
  const eyeWidth = Math.hypot(otherCorner.x - corner.x, otherCorner.y - corner.y);
  const angle = Math.atan2(otherCorner.y - corner.y, otherCorner.x - corner.x);
  const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
  const a = lid.along * eyeWidth;
  const b = lid.across * eyeWidth;
  /** (u, v): along the eye and across it (v grows downwards), from the eye centre. */
  const local = (x: number, y: number) => {
    const dx = x - centre.x;
    const dy = y - centre.y;
    return { u: dx * cos + dy * sin, v: -dx * sin + dy * cos };
  };
  const radius = Math.ceil(2 * a);
  const pixels: Array<{ i: number; u: number; v: number; d: number }> = [];
  for (let y = Math.max(0, Math.floor(centre.y - radius)); y <= Math.min(imageHeight - 1, centre.y + radius); y += 1) {
    for (let x = Math.max(0, Math.floor(centre.x - radius)); x <= Math.min(imageWidth - 1, centre.x + radius); x += 1) {
      const { u, v } = local(x, y);
      pixels.push({ i: (y * imageWidth + x) * 3, u, v, d: Math.hypot(u / a, v / b) });
    }
  }
  const lidBand = pixels.filter((p) => p.d > 1.1 && p.d < 1.5 && p.v < -0.3 * b);
  const skin = [0, 1, 2].map((k) => {
    const sorted = lidBand.map((p) => rgb[p.i + k] ?? 0).sort((x, y) => x - y);
    return sorted[sorted.length >> 1] ?? 0;
  });
  for (const { i, u, v, d } of pixels) {
    const cover = 1 - smoothstep(1, 1 + lid.feather, d);
    const lashY = lid.lashSag * b * (1 - (u / a) ** 2);
    const lash = Math.abs(u) < 0.9 * a ? 1 - smoothstep(lid.lashHalfWidth, lid.lashHalfWidth + 1, Math.abs(v - lashY)) : 0;
    for (let k = 0; k < 3; k += 1) {
      const painted = (rgb[i + k] ?? 0) * (1 - cover) + (skin[k] ?? 0) * cover;
      rgb[i + k] = Math.round(painted * (1 - lash * (1 - lid.lashShade)));
    }
  }
}

/** How an eye is closed with real skin texture, in eye widths. */
const texturedLid = {
  /** Half-axes of the ellipse covered with skin, along and across the eye; full cover inside `solid`, none beyond `edge` (ellipse radii). */
  along: 0.75,
  across: 0.45,
  solid: 0.7,
  edge: 1.2,
  /** The skin is copied from this far below (the cheek under the eye), then toned to the ring around the eye. */
  sourceBelow: 1.0,
  /** Lash line: half-length, sag at the middle (below the eye centre), and the line's core / soft half-widths in pixels. */
  lashHalfLength: 0.5,
  lashSag: 0.2,
  lashCore: 0.6,
  lashSoft: 1.6,
  /** Lashes hanging below the line: length, and how much the line and the lashes darken the skin. */
  lashLength: 0.12,
  lineShade: 0.6,
  lashShade: 0.3,
} as const;

/**
 * Closes one eye with texture, closer to a real closed eye than a flat fill: skin from the cheek just
 * below copied over the eye (freckles, pores and JPEG noise included), its mean toned to the ring of
 * skin around the eye, and a dark lash line sagging between the corners with lashes hanging from it.
 */
function closeEyeWithTexture(rgb: Buffer, imageWidth: number, imageHeight: number, eye: readonly Point[]): void {
  const [corner, , , otherCorner] = eye;
  if (corner === undefined || otherCorner === undefined || eye.length !== 6) throw new Error('an eye has 6 landmarks');
  const w = Math.hypot(otherCorner.x - corner.x, otherCorner.y - corner.y);
  const cos = (otherCorner.x - corner.x) / w;
  const sin = (otherCorner.y - corner.y) / w;
  const centre = { x: eye.reduce((s, p) => s + p.x, 0) / 6, y: eye.reduce((s, p) => s + p.y, 0) / 6 };
  const a = texturedLid.along * w;
  const b = texturedLid.across * w;
  const shift = texturedLid.sourceBelow * w;
  const source = Buffer.from(rgb);
  const channel = (x: number, y: number, k: number) =>
    source[(Math.min(imageHeight - 1, Math.max(0, Math.round(y))) * imageWidth + Math.min(imageWidth - 1, Math.max(0, Math.round(x)))) * 3 + k] ?? 0;
  /** (u, v) along and across the eye (v grows downwards) to image coordinates, `below` pixels further down. */
  const toImage = (u: number, v: number, below = 0) => ({ x: centre.x + u * cos - (v + below) * sin, y: centre.y + u * sin + (v + below) * cos });
  const meanTone = (keep: (d: number) => boolean, below: number) => {
    const sum = [0, 0, 0];
    let n = 0;
    for (let v = -1.4 * b; v <= 1.4 * b; v += 1) {
      for (let u = -1.4 * a; u <= 1.4 * a; u += 1) {
        if (!keep(Math.hypot(u / a, v / b))) continue;
        const { x, y } = toImage(u, v, below);
        for (let k = 0; k < 3; k += 1) sum[k]! += channel(x, y, k);
        n += 1;
      }
    }
    return sum.map((t) => t / n);
  };
  const ring = meanTone((d) => d >= 1 && d <= 1.3, 0);
  const patch = meanTone((d) => d < 1, shift);
  const reach = Math.ceil(texturedLid.edge * a);
  for (let y = Math.max(0, Math.floor(centre.y - reach)); y <= Math.min(imageHeight - 1, centre.y + reach); y += 1) {
    for (let x = Math.max(0, Math.floor(centre.x - reach)); x <= Math.min(imageWidth - 1, centre.x + reach); x += 1) {
      const u = (x - centre.x) * cos + (y - centre.y) * sin;
      const v = -(x - centre.x) * sin + (y - centre.y) * cos;
      const cover = 1 - smoothstep(texturedLid.solid, texturedLid.edge, Math.hypot(u / a, v / b));
      if (cover <= 0) continue;
      const half = texturedLid.lashHalfLength * w;
      const lashY = texturedLid.lashSag * w * (1 - (u / half) ** 2);
      const onLid = Math.abs(u) < half;
      const line = onLid ? 1 - smoothstep(texturedLid.lashCore, texturedLid.lashSoft, Math.abs(v - lashY)) : 0;
      // Lashes: a comb of short strokes, one every ~2 px, of varying length.
      const hanging = v - lashY;
      const length = texturedLid.lashLength * w * (0.6 + 0.4 * Math.sin(u * 2.3));
      const comb = 1 - smoothstep(0.2, 0.9, Math.abs((((u * 1.7) % 2.2) + 2.2) % 2.2 - 1.1));
      const lashes = onLid && hanging > 0 && hanging < length ? comb : 0;
      const shade = 1 - Math.max(texturedLid.lineShade * line, texturedLid.lashShade * lashes) * cover;
      const from = toImage(u, v, shift);
      for (let k = 0; k < 3; k += 1) {
        const i = (y * imageWidth + x) * 3 + k;
        const skin = channel(from.x, from.y, k) - (patch[k] ?? 0) + (ring[k] ?? 0);
        rgb[i] = Math.max(0, Math.min(255, Math.round(((source[i] ?? 0) * (1 - cover) + skin * cover) * shade)));
      }
    }
  }
}

/** Which eyes to close (image left = landmarks 36–41, the applicant's right eye) and how. */
export interface ClosedEyes {
  readonly eyes?: 'both' | 'image-left';
  /** `painted`: a flat fill of lid colour (artificial); `textured`: cheek skin copied over, lashes drawn. */
  readonly style?: 'painted' | 'textured';
}

/**
 * Eyes closed on the good frame where the detector's own 68 landmarks put them (so the face is still
 * found). Takes the shared face models; call it while a gate holds them (after its first evaluation)
 * to avoid loading them twice.
 */
export async function eyesClosed({ eyes = 'both', style = 'painted' }: ClosedEyes = {}): Promise<Buffer> {
  const { data, info } = await sharp(await goodPhoto()).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const models = await acquireFaceModels();
  let faces: Awaited<ReturnType<typeof models.detect>>;
  try {
    faces = await models.detect({ data, width: info.width, height: info.height }, defaultPhotoGateConfig.detector);
  } finally {
    models.release();
  }
  const [face] = faces;
  if (face === undefined || faces.length !== 1) throw new Error(`expected one face in applicant.jpg, found ${faces.length}`);
  const rgb = Buffer.from(data);
  const close = style === 'painted' ? paintEyeShut : closeEyeWithTexture;
  for (const first of eyes === 'both' ? [36, 42] : [36]) close(rgb, info.width, info.height, face.landmarks.slice(first, first + 6));
  return jpeg(sharp(rgb, { raw: { width: info.width, height: info.height, channels: 3 } }));
}
