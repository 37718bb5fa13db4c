import type { Rect } from './geometry';

/** Pure statistics over a luminance plane (one byte per pixel). No I/O, no models. */
export interface Plane {
  readonly luminance: Uint8Array;
  readonly width: number;
  readonly height: number;
}

function clip(plane: Plane, rect: Rect): { x0: number; y0: number; x1: number; y1: number } | null {
  const x0 = Math.max(0, Math.floor(rect.x));
  const y0 = Math.max(0, Math.floor(rect.y));
  const x1 = Math.min(plane.width, Math.ceil(rect.x + rect.width));
  const y1 = Math.min(plane.height, Math.ceil(rect.y + rect.height));
  return x1 > x0 && y1 > y0 ? { x0, y0, x1, y1 } : null;
}

/** Luminance values inside `rect` (clipped to the plane) for which `keep(x, y)` holds. */
export function sample(plane: Plane, rect: Rect, keep: (x: number, y: number) => boolean = () => true): Uint8Array {
  const r = clip(plane, rect);
  if (r === null) return new Uint8Array(0);
  const out = new Uint8Array((r.x1 - r.x0) * (r.y1 - r.y0));
  let n = 0;
  for (let y = r.y0; y < r.y1; y += 1) {
    for (let x = r.x0; x < r.x1; x += 1) if (keep(x, y)) out[n++] = plane.luminance[y * plane.width + x]!;
  }
  return out.subarray(0, n);
}

export function meanOf(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i += 1) sum += values[i]!;
  return values.length > 0 ? sum / values.length : 0;
}

export function stdOf(values: ArrayLike<number>): number {
  const m = meanOf(values);
  let sum = 0;
  for (let i = 0; i < values.length; i += 1) sum += (values[i]! - m) ** 2;
  return values.length > 0 ? Math.sqrt(sum / values.length) : 0;
}

/** The p-th percentile (0–1) of byte values, by histogram. */
export function percentile(values: Uint8Array, p: number): number {
  const histogram = new Uint32Array(256);
  for (const v of values) histogram[v]! += 1;
  const target = p * (values.length - 1);
  let seen = 0;
  for (let v = 0; v < 256; v += 1) {
    seen += histogram[v]!;
    if (seen > target) return v;
  }
  return 255;
}

/** Michelson-like spread (p95 − p5) / (p95 + p5): unchanged by exposure, low when washed out. */
export function spreadContrast(values: Uint8Array): number {
  const low = percentile(values, 0.05);
  const high = percentile(values, 0.95);
  return high + low > 0 ? (high - low) / (high + low) : 0;
}

/**
 * Sharpness: variance of the 4-neighbour Laplacian over the luminance variance, on `rect` resampled
 * (bilinear) to `sampleWidth` columns, so the figure depends neither on face size nor on exposure.
 */
export function normalisedLaplacianVariance(plane: Plane, rect: Rect, sampleWidth: number): number {
  const w = sampleWidth;
  const h = Math.max(3, Math.round((sampleWidth * rect.height) / rect.width));
  const grid = new Float32Array(w * h);
  const at = (x: number, y: number) =>
    plane.luminance[Math.min(plane.height - 1, Math.max(0, y)) * plane.width + Math.min(plane.width - 1, Math.max(0, x))]!;
  for (let j = 0; j < h; j += 1) {
    const sy = rect.y + ((j + 0.5) * rect.height) / h - 0.5;
    const y0 = Math.floor(sy);
    const fy = sy - y0;
    for (let i = 0; i < w; i += 1) {
      const sx = rect.x + ((i + 0.5) * rect.width) / w - 0.5;
      const x0 = Math.floor(sx);
      const fx = sx - x0;
      const top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx;
      const bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx;
      grid[j * w + i] = top * (1 - fy) + bottom * fy;
    }
  }
  const laplacian: number[] = [];
  for (let j = 1; j < h - 1; j += 1) {
    for (let i = 1; i < w - 1; i += 1) {
      const c = j * w + i;
      laplacian.push(grid[c - 1]! + grid[c + 1]! + grid[c - w]! + grid[c + w]! - 4 * grid[c]!);
    }
  }
  const variance = stdOf(grid) ** 2;
  return variance > 0 ? stdOf(laplacian) ** 2 / variance : 0;
}
