import sharp from 'sharp';
import type { RawImage } from './detector';

/** Decoding an untrusted JPEG/PNG into the small working copy the gate measures. */

/** Refuse absurd inputs before decoding (a camera frame or a scanned photo is far below this). */
const maxInputPixels = 40_000_000;

export interface WorkingImage extends RawImage {
  /** Luminance (Rec. 601), one byte per pixel. */
  readonly luminance: Uint8Array;
  /** Original pixels per working pixel. */
  readonly scale: number;
  readonly originalWidth: number;
  readonly originalHeight: number;
}

/** EXIF orientation 5–8 means the stored image is transposed. */
const transposed = (orientation: number | undefined): boolean => orientation !== undefined && orientation >= 5;

export async function decodeWorkingImage(input: Buffer, workingSize: number): Promise<WorkingImage | null> {
  try {
    const meta = await sharp(input, { limitInputPixels: maxInputPixels }).metadata();
    if (meta.width === undefined || meta.height === undefined) return null;
    const originalWidth = transposed(meta.orientation) ? meta.height : meta.width;
    const originalHeight = transposed(meta.orientation) ? meta.width : meta.height;
    const { data, info } = await sharp(input, { limitInputPixels: maxInputPixels })
      .rotate()
      .resize({ width: workingSize, height: workingSize, fit: 'inside', withoutEnlargement: true })
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    const pixels = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    return {
      data: pixels,
      width: info.width,
      height: info.height,
      luminance: luminanceOf(pixels),
      scale: originalWidth / info.width,
      originalWidth,
      originalHeight,
    };
  } catch {
    return null; // not an image sharp can read
  }
}

export function luminanceOf(rgb: Uint8Array): Uint8Array {
  const out = new Uint8Array(rgb.length / 3);
  for (let i = 0, j = 0; i < out.length; i += 1, j += 3) {
    out[i] = Math.round(0.299 * rgb[j]! + 0.587 * rgb[j + 1]! + 0.114 * rgb[j + 2]!);
  }
  return out;
}
