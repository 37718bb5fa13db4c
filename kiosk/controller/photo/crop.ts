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

export async function cropToBox(
  image: Buffer,
  box: { readonly width: number; readonly height: number },
  options: CropOptions = {},
  defaultQuality = cardQuality,
): Promise<Result<Buffer, PhotoCropError>> {
  const config = resolvePhotoGateConfig(options.config);
  const found = options.face !== undefined ? ok(options.face) : await findFace(image, config);
  if (!found.ok) return found;
  const face = found.value;
  const rect = photoBox(face, config, box.width / box.height);
  const left = Math.round(rect.x);
  const top = Math.round(rect.y);
  const width = Math.max(1, Math.round(rect.width));
  const height = Math.max(1, Math.round(rect.height));
  const pad = {
    left: Math.max(0, -left),
    top: Math.max(0, -top),
    right: Math.max(0, left + width - face.imageWidth),
    bottom: Math.max(0, top + height - face.imageHeight),
  };
  try {
    const { data, info } = await sharp(image)
      .rotate()
      .removeAlpha()
      .extend({ ...pad, extendWith: 'copy' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    return ok(
      await sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
        .extract({ left: left + pad.left, top: top + pad.top, width, height })
        .resize(box.width, box.height, { fit: 'fill', kernel: 'lanczos3' })
        .jpeg({ quality: options.quality ?? defaultQuality, mozjpeg: false })
        .toBuffer(),
    );
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
