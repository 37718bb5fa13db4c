import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import sharp from 'sharp';
import { decodeWorkingImage } from '../../../kiosk/controller/photo/image';
import type { FuzzTarget } from '../target';

/**
 * The photo a command carries (`capture-photo`, `import-photo`, `preview-photo`: base64 from the UI, or a
 * file the operator imports) as the controller decodes it (`decodeWorkingImage`, sharp/libvips): small real
 * JPEGs and PNGs (cut down from the applicant fixture, so each input costs little) and the fixture itself,
 * with bits flipped, bytes cut, inserted or overwritten, their dimensions rewritten to gigapixels (a
 * decompression bomb), EXIF orientations, and arbitrary bytes. Its promises: never a throw (in JS or in
 * libvips); an image that is not one is null; a decoded one fits the working size, with consistent buffers.
 */

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const applicant = readFileSync(join(root, 'test', 'fixtures', 'photos', 'applicant.jpg'));
const workingSize = 64;

const small = await sharp(applicant).resize({ width: 48 }).jpeg({ quality: 70 }).toBuffer();
const smallProgressive = await sharp(applicant).resize({ width: 40 }).jpeg({ quality: 60, progressive: true }).toBuffer();
const smallPng = await sharp(applicant).resize({ width: 32 }).png().toBuffer();
const smallRotated = await sharp(applicant).resize({ width: 36 }).withMetadata({ orientation: 6 }).jpeg().toBuffer();
const samples: readonly Buffer[] = [small, smallProgressive, smallPng, smallRotated];

/** Where a JPEG's frame header (SOF0/SOF2) keeps its height and width, to rewrite them. */
function jpegDimensionsAt(jpeg: Buffer): number | null {
  for (let i = 2; i + 9 < jpeg.length; i++) {
    if (jpeg[i] === 0xff && (jpeg[i + 1] === 0xc0 || jpeg[i + 1] === 0xc2)) return i + 5;
  }
  return null;
}

type Change =
  | { readonly kind: 'flip'; readonly at: number; readonly bit: number }
  | { readonly kind: 'cut'; readonly at: number }
  | { readonly kind: 'splice'; readonly at: number; readonly remove: number; readonly bytes: Uint8Array }
  | { readonly kind: 'dimensions'; readonly height: number; readonly width: number };

const change: fc.Arbitrary<Change> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat(7) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('splice' as const), at: fc.nat(), remove: fc.nat(16), bytes: fc.uint8Array({ maxLength: 16 }) }),
  fc.record({ kind: fc.constant('dimensions' as const), height: fc.constantFrom(0, 1, 65_535, 40_000, 7_000), width: fc.constantFrom(0, 1, 65_535, 40_000, 7_000) }),
);

function applied(image: Buffer, changes: readonly Change[]): Buffer {
  let bytes = Buffer.from(image);
  for (const c of changes) {
    const at = bytes.length === 0 ? 0 : 'at' in c ? c.at % bytes.length : 0;
    if (c.kind === 'flip' && bytes.length > 0) bytes[at] = (bytes[at] ?? 0) ^ (1 << c.bit);
    else if (c.kind === 'cut') bytes = bytes.subarray(0, at);
    else if (c.kind === 'splice') bytes = Buffer.concat([bytes.subarray(0, at), c.bytes, bytes.subarray(at + c.remove)]);
    else if (c.kind === 'dimensions') {
      const where = jpegDimensionsAt(bytes);
      if (where !== null) {
        bytes.writeUInt16BE(c.height, where);
        bytes.writeUInt16BE(c.width, where + 2);
      }
    }
  }
  return bytes;
}

type Input = { readonly image: Buffer };

export const target: FuzzTarget<Input> = {
  name: 'photo',
  subject: 'kiosk/controller/photo/image.ts decodeWorkingImage (sharp)',
  input: fc.oneof(
    { weight: 8, arbitrary: fc.tuple(fc.constantFrom(...samples), fc.array(change, { minLength: 1, maxLength: 3 })).map(([image, changes]) => ({ image: applied(image, changes) })) },
    { weight: 1, arbitrary: fc.constantFrom(...samples).map((image) => ({ image })) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 256 }).map((bytes) => ({ image: Buffer.from(bytes) })) },
    {
      weight: 1,
      // A real file's header and start, then noise: what a half-written or corrupted import looks like.
      arbitrary: fc.tuple(fc.constantFrom(...samples), fc.nat(400), fc.uint8Array({ maxLength: 200 })).map(([image, keep, noise]) => ({ image: Buffer.concat([image.subarray(0, keep), noise]) })),
    },
  ),
  async feed({ image }) {
    const working = await decodeWorkingImage(image, workingSize);
    if (working === null) return;
    const { width, height, data, luminance, scale } = working;
    if (!(width >= 1 && height >= 1 && width <= workingSize && height <= workingSize)) throw new Error(`decoded to ${width}×${height}, beyond the working size ${workingSize}`);
    if (data.length !== width * height * 3 || luminance.length !== width * height) throw new Error(`buffers of ${data.length} and ${luminance.length} bytes for ${width}×${height}`);
    if (!(Number.isFinite(scale) && scale > 0)) throw new Error(`scale ${scale}`);
  },
};
