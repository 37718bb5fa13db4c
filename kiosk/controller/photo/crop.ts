import sharp from 'sharp';
import { err, ok, type Result } from '../../../shared/result';
import { type PhotoGateConfig, type PhotoGateConfigOverrides, resolvePhotoGateConfig } from './config';
import { acquireFaceModels } from './detector';
import { largestFace } from './gate';
import { faceGeometry, photoBox } from './geometry';
import { decodeWorkingImage } from './image';
import type { FaceGeometry } from './verdict';

/**
 * Crops an accepted photo around the face to the ID-photo framing (head mid-range of 71–80 % of
 * the height, crown margin from the config) and encodes it as JPEG. Where the crop reaches past the
 * frame, the edge pixels are repeated (a plain backdrop stays plain).
 */
export type PhotoCropError = { readonly kind: 'unreadable_image' } | { readonly kind: 'no_face' };

export interface CropOptions {
  /** The face from the gate's verdict (`verdict.face`), to skip detecting again. */
  readonly face?: FaceGeometry;
  readonly config?: PhotoGateConfigOverrides;
  readonly quality?: number;
}

/** 35 × 45 mm at 600 dpi. */
export const archivePhotoSize = { width: 827, height: 1063 } as const;
/** JPEG qualities: the card face is printed from this copy; the archive is kept small for a day's photos. */
const cardQuality = 90;
const archiveQuality = 80;

async function findFace(image: Buffer, config: PhotoGateConfig): Promise<Result<FaceGeometry, PhotoCropError>> {
  const working = await decodeWorkingImage(image, config.detector.workingSize);
  if (working === null) return err({ kind: 'unreadable_image' });
  const models = await acquireFaceModels();
  try {
    const faces = await models.detect(working, { inputSize: config.detector.inputSize, minScore: config.detector.minScore });
    const face = largestFace(faces);
    if (face === undefined) return err({ kind: 'no_face' });
    return ok(faceGeometry(face, working.scale, { width: working.originalWidth, height: working.originalHeight }, config));
  } finally {
    models.release();
  }
}

/** Where a crop to `box`'s shape lies in the image (it may reach past the frame). */
interface CropRect {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

function cropRect(face: FaceGeometry, config: PhotoGateConfig, box: { readonly width: number; readonly height: number }): CropRect {
  const rect = photoBox(face, config, box.width / box.height);
  return { left: Math.round(rect.x), top: Math.round(rect.y), width: Math.max(1, Math.round(rect.width)), height: Math.max(1, Math.round(rect.height)) };
}

interface Padding {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

/** The image decoded once (upright, no alpha), its edge pixels repeated by `pad` on each side. */
interface PaddedImage {
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 2 | 3 | 4;
  readonly pad: Padding;
}

/** The padding that brings every rect inside the image. */
function paddingFor(rects: readonly CropRect[], face: FaceGeometry): Padding {
  return {
    left: Math.max(0, ...rects.map((r) => -r.left)),
    top: Math.max(0, ...rects.map((r) => -r.top)),
    right: Math.max(0, ...rects.map((r) => r.left + r.width - face.imageWidth)),
    bottom: Math.max(0, ...rects.map((r) => r.top + r.height - face.imageHeight)),
  };
}

async function decodePadded(image: Buffer, pad: Padding): Promise<PaddedImage> {
  const { data, info } = await sharp(image)
    .rotate()
    .removeAlpha()
    .extend({ ...pad, extendWith: 'copy' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels, pad };
}

function encodeCrop(padded: PaddedImage, rect: CropRect, box: { readonly width: number; readonly height: number }, quality: number): Promise<Buffer> {
  return sharp(padded.data, { raw: { width: padded.width, height: padded.height, channels: padded.channels } })
    .extract({ left: rect.left + padded.pad.left, top: rect.top + padded.pad.top, width: rect.width, height: rect.height })
    .resize(box.width, box.height, { fit: 'fill', kernel: 'lanczos3' })
    .jpeg({ quality, mozjpeg: false })
    .toBuffer();
}

export async function cropToBox(
  image: Buffer,
  box: { readonly width: number; readonly height: number },
  options: CropOptions = {},
  defaultQuality = cardQuality,
): Promise<Result<Buffer, PhotoCropError>> {
  const config = resolvePhotoGateConfig(options.config);
  const found = options.face !== undefined ? ok(options.face) : await findFace(image, config);
  if (!found.ok) return found;
  const rect = cropRect(found.value, config, box);
  try {
    const padded = await decodePadded(image, paddingFor([rect], found.value));
    return ok(await encodeCrop(padded, rect, box, options.quality ?? defaultQuality));
  } catch {
    return err({ kind: 'unreadable_image' });
  }
}

/** The photo for the card face; `box` is the renderer's photo box in pixels (≈ 230 × 295 at 300 dpi). */
export function cropToCardPhoto(
  image: Buffer,
  box: { readonly width: number; readonly height: number },
  options: CropOptions = {},
): Promise<Result<Buffer, PhotoCropError>> {
  return cropToBox(image, box, options, cardQuality);
}

/** The archive copy: 35 × 45 mm at 600 dpi (827 × 1063), JPEG. */
export function cropToArchive(image: Buffer, options: CropOptions = {}): Promise<Result<Buffer, PhotoCropError>> {
  return cropToBox(image, archivePhotoSize, options, archiveQuality);
}

export interface CardAndArchivePhotos {
  readonly card: Buffer;
  readonly archive: Buffer;
}

/**
 * Both crops of an accepted photo from one decode: the same bytes as `cropToCardPhoto` and
 * `cropToArchive` (the edge repeated as far as either crop needs is the same edge).
 */
export async function cropToCardAndArchive(
  image: Buffer,
  cardBox: { readonly width: number; readonly height: number },
  options: Omit<CropOptions, 'quality'> = {},
): Promise<Result<CardAndArchivePhotos, PhotoCropError>> {
  const config = resolvePhotoGateConfig(options.config);
  const found = options.face !== undefined ? ok(options.face) : await findFace(image, config);
  if (!found.ok) return found;
  const cardRect = cropRect(found.value, config, cardBox);
  const archiveRect = cropRect(found.value, config, archivePhotoSize);
  try {
    const padded = await decodePadded(image, paddingFor([cardRect, archiveRect], found.value));
    const [card, archive] = await Promise.all([
      encodeCrop(padded, cardRect, cardBox, cardQuality),
      encodeCrop(padded, archiveRect, archivePhotoSize, archiveQuality),
    ]);
    return ok({ card, archive });
  } catch {
    return err({ kind: 'unreadable_image' });
  }
}
