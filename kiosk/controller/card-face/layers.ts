import sharp from 'sharp';
import { cardFaceSize, type PixelBox } from './layout';

/**
 * A card face drawn as a cached background plus its per-card values. The background (everything
 * but name, number, date and barcode) is the same for every card of a design, so it is rendered
 * once; the values are pure black, so drawing them is darkening the background by their coverage,
 * as librsvg/cairo does when it draws them over it: `dst − dst·α/255`, rounded.
 */
const channels = 3;
/** Backgrounds by their SVG: a handful of designs × schemes × photo or not. */
const backgrounds = new Map<string, Promise<Buffer>>();
const maxCachedBackgrounds = 64;

/** A background's RGB pixels (1016 × 648 × 3), rendered once per distinct SVG. Callers must not write into it. */
export function cachedPixels(svg: string): Promise<Buffer> {
  let pixels = backgrounds.get(svg);
  if (pixels === undefined) {
    if (backgrounds.size >= maxCachedBackgrounds) backgrounds.clear();
    pixels = rasterise(svg);
    backgrounds.set(svg, pixels);
    pixels.catch(() => backgrounds.delete(svg));
  }
  return pixels;
}

/** An SVG face's RGB pixels. */
export async function rasterise(svg: string): Promise<Buffer> {
  const { data, info } = await sharp(Buffer.from(svg)).flatten({ background: '#ffffff' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  if (info.width !== cardFaceSize.width || info.height !== cardFaceSize.height || info.channels !== channels) {
    throw new Error(`card face rendered at ${info.width} × ${info.height} × ${info.channels}`);
  }
  return data;
}

/** The coverage (alpha, one byte a pixel) of `elements` over `region` of the card. */
async function coverage(elements: string, region: PixelBox): Promise<Buffer> {
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${region.width}" height="${region.height}" ` +
    `viewBox="${region.left} ${region.top} ${region.width} ${region.height}">${elements}</svg>`;
  return sharp(Buffer.from(svg)).ensureAlpha().extractChannel(3).raw().toBuffer();
}

/** Whether anything was drawn on the region's edge (it may reach past it). */
function touchesEdge(alpha: Buffer, region: PixelBox): boolean {
  const { width, height } = region;
  for (let x = 0; x < width; x++) if (alpha[x] !== 0 || alpha[(height - 1) * width + x] !== 0) return true;
  for (let y = 0; y < height; y++) if (alpha[y * width] !== 0 || alpha[y * width + width - 1] !== 0) return true;
  return false;
}

/**
 * `background` with the black `elements` drawn over it, when they stay inside `region` (where
 * nothing of the background is drawn over them); undefined when they reach its edge (a name too
 * long for its column runs under the photo frame): the caller then renders the whole face.
 */
export async function drawBlackOver(background: Buffer, elements: string, region: PixelBox): Promise<Buffer | undefined> {
  const area = region;
  const alpha = await coverage(elements, area);
  if (touchesEdge(alpha, area)) return undefined;
  const out = Buffer.from(background);
  const stride = cardFaceSize.width * channels;
  for (let y = 0; y < area.height; y++) {
    const row = y * area.width;
    const outRow = (y + area.top) * stride + area.left * channels;
    for (let x = 0; x < area.width; x++) {
      const a = alpha[row + x] ?? 0;
      if (a === 0) continue;
      const at = outRow + x * channels;
      for (let c = 0; c < channels; c++) {
        const value = out[at + c] ?? 0;
        out[at + c] = value - div255(value * a);
      }
    }
  }
  return out;
}

/** x / 255 rounded, exactly as pixman does it. */
function div255(x: number): number {
  const t = x + 128;
  return ((t >> 8) + t) >> 8;
}

/** Copies an RGB image of `box`'s size into `face` at `box`. */
export function pasteRgb(face: Buffer, image: Buffer, box: PixelBox): void {
  const stride = cardFaceSize.width * channels;
  const rowBytes = box.width * channels;
  for (let y = 0; y < box.height; y++) {
    image.copy(face, (box.top + y) * stride + box.left * channels, y * rowBytes, (y + 1) * rowBytes);
  }
}
