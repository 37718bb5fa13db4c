import type { Rect } from './geometry';
import { percentile, type Plane, sample, stdOf } from './pixel-stats';
import type { Point } from './verdict';

/**
 * Whether an eye is open, read from the pixels rather than from the landmark outline (the 68-point
 * net draws an open-looking outline over a closed eye: eye aspect 0.22–0.28 on closed eyes).
 * An open eye shows the iris and pupil: a patch about a fifth of the eye's width across that is
 * among the darkest on the face. A closed lid is skin crossed by a lash line: dark but thin, so a
 * grey closing fills it in before the darkest iris-sized patch is looked for. Pure: no I/O, no models.
 */

/** Samples per eye width when the eye is resampled along its own axis (scale and roll drop out). */
const samplesPerEyeWidth = 40;
/** The dark window's side, in eye widths: about the height of a narrow eye's visible iris. */
const irisWindow = 0.2;
/**
 * Dark details thinner than this (eye widths) are filled in first, by a grey closing with a square:
 * a lash line, lashes and eyeliner go, an iris (≥ 0.15 of the eye's width even in a narrow eye) stays.
 */
const thinDetail = 0.125;
/** Where the window's centre may sit, in eye widths from the eye centre: along the eye, and across it. */
const searchAlong = 0.35;
const searchAcross = 0.15;

export interface EyeOpenness {
  /** Per eye (image left = landmarks 36–41, image right = 42–47): how far the darkest iris-sized patch lies below the face's median, in face luminance standard deviations. */
  readonly imageLeft: number;
  readonly imageRight: number;
}

/** Face luminance statistics the eye figures are normalised by: median and spread, so exposure and contrast drop out. */
interface FaceTone {
  readonly median: number;
  readonly std: number;
}

/**
 * The darkest mean luminance of an iris-sized square inside one eye (6 landmarks from the outer corner),
 * on the eye resampled (bilinear) along its corner-to-corner axis, after thin dark details are closed.
 */
export function darkestIrisPatch(plane: Plane, eye: readonly Point[]): number {
  const corner = eye[0];
  const otherCorner = eye[3];
  if (corner === undefined || otherCorner === undefined || eye.length !== 6) throw new Error('an eye has 6 landmarks');
  const eyeWidth = Math.hypot(otherCorner.x - corner.x, otherCorner.y - corner.y);
  const cos = (otherCorner.x - corner.x) / (eyeWidth || 1);
  const sin = (otherCorner.y - corner.y) / (eyeWidth || 1);
  const centre = { x: eye.reduce((s, p) => s + p.x, 0) / 6, y: eye.reduce((s, p) => s + p.y, 0) / 6 };
  const side = Math.round(irisWindow * samplesPerEyeWidth);
  const columns = Math.round(2 * searchAlong * samplesPerEyeWidth) + side;
  const rows = Math.round(2 * searchAcross * samplesPerEyeWidth) + side;
  const step = eyeWidth / samplesPerEyeWidth;
  const at = (x: number, y: number) =>
    plane.luminance[Math.min(plane.height - 1, Math.max(0, y)) * plane.width + Math.min(plane.width - 1, Math.max(0, x))]!;
  const grid = new Float32Array(columns * rows);
  for (let j = 0; j < rows; j += 1) {
    const v = (j + 0.5 - rows / 2) * step;
    for (let i = 0; i < columns; i += 1) {
      const u = (i + 0.5 - columns / 2) * step;
      const sx = centre.x + u * cos - v * sin - 0.5;
      const sy = centre.y + u * sin + v * cos - 0.5;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      grid[j * columns + i] = (at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx) * (1 - fy) + (at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx) * fy;
    }
  }
  const closed = closing(grid, columns, rows, Math.round(thinDetail * samplesPerEyeWidth));
  // Summed-area table, one row and column of zeros in front.
  const stride = columns + 1;
  const sums = new Float64Array(stride * (rows + 1));
  for (let j = 0; j < rows; j += 1) {
    for (let i = 0; i < columns; i += 1) {
      sums[(j + 1) * stride + i + 1] = closed[j * columns + i]! + sums[j * stride + i + 1]! + sums[(j + 1) * stride + i]! - sums[j * stride + i]!;
    }
  }
  let darkest = Infinity;
  for (let j = 0; j + side <= rows; j += 1) {
    for (let i = 0; i + side <= columns; i += 1) {
      const total = sums[(j + side) * stride + i + side]! - sums[j * stride + i + side]! - sums[(j + side) * stride + i]! + sums[j * stride + i]!;
      darkest = Math.min(darkest, total / (side * side));
    }
  }
  return darkest;
}

/** Running max (`pick` = Math.max) or min over `size` samples along rows (`dx` 1) or columns (`dx` = width). */
function slide(values: Float32Array, width: number, height: number, size: number, horizontal: boolean, pick: (a: number, b: number) => number): Float32Array {
  const out = new Float32Array(values.length);
  const before = Math.floor((size - 1) / 2);
  for (let j = 0; j < height; j += 1) {
    for (let i = 0; i < width; i += 1) {
      let best = values[j * width + i]!;
      for (let k = -before; k < size - before; k += 1) {
        const x = horizontal ? Math.min(width - 1, Math.max(0, i + k)) : i;
        const y = horizontal ? j : Math.min(height - 1, Math.max(0, j + k));
        best = pick(best, values[y * width + x]!);
      }
      out[j * width + i] = best;
    }
  }
  return out;
}

/** Grey closing by a `size` × `size` square (dilate, then erode; separable): removes dark details thinner than the square. */
export function closing(values: Float32Array, width: number, height: number, size: number): Float32Array {
  if (size <= 1) return values;
  const dilated = slide(slide(values, width, height, size, true, Math.max), width, height, size, false, Math.max);
  return slide(slide(dilated, width, height, size, true, Math.min), width, height, size, false, Math.min);
}

/** Iris darkness of both eyes of a 68-landmark face, normalised by the luminance of `faceRegion` (the inner face). */
export function eyeOpenness(plane: Plane, landmarks: readonly Point[], faceRegion: Rect): EyeOpenness {
  const values = sample(plane, faceRegion);
  const tone: FaceTone = { median: percentile(values, 0.5), std: stdOf(values) };
  const darkness = (first: number) =>
    tone.std > 0 ? (tone.median - darkestIrisPatch(plane, landmarks.slice(first, first + 6))) / tone.std : 0;
  return { imageLeft: darkness(36), imageRight: darkness(42) };
}
