import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { imageToYmckoPanels } from '../../../../hardware/printer/panels';
import { cardDesign } from '../../../../kiosk/controller/card-face/design';
import { chipArea, photoBox } from '../../../../kiosk/controller/card-face/layout';
import { renderCardFace, renderCardFaceImages, renderCardToPrint, type CardFaceInput } from '../../../../kiosk/controller/card-face/render-card-face';
import { backSvg, frontSvg } from '../../../../kiosk/controller/card-face/svg';
import { digestBuffers } from '../../../helpers/digest-buffers';

/**
 * The renderer draws a cached background per design and only the per-card values over it; the
 * result must be what rendering each whole face in one go gives (as the renderer once did):
 * librsvg/cairo over the whole SVG, the photo composited by libvips.
 */
async function wholeFace(svg: string, photo?: Buffer): Promise<Buffer> {
  const photoLayer = photo ? [{ input: await sharp(photo).rotate().resize(photoBox.width, photoBox.height, { fit: 'cover' }).removeAlpha().toBuffer(), left: photoBox.left, top: photoBox.top }] : [];
  return sharp(Buffer.from(svg)).composite(photoLayer).flatten({ background: '#ffffff' }).removeAlpha().raw().toBuffer();
}

/** Channel values that differ, and by how much at most. */
function compare(a: Buffer, b: Buffer): { differing: number; maxDifference: number } {
  let differing = 0;
  let maxDifference = 0;
  for (let i = 0; i < a.length; i++) {
    const difference = Math.abs((a[i] ?? 0) - (b[i] ?? 0));
    if (difference > 0) differing++;
    maxDifference = Math.max(maxDifference, difference);
  }
  return { differing, maxDifference };
}

const photo = readFileSync(join(process.cwd(), 'test/fixtures/photos/applicant.jpg'));
const cases: readonly CardFaceInput[] = [
  { cardType: 'general', scheme: 'easycard', holderName: '林怡君', cardNumber: '8800123456789012', issueDate: '2025-03-14', photoJpeg: photo },
  { cardType: 'student', schoolLevel: 'junior-high', scheme: 'ipass', holderName: 'Nguyễn Thị Minh Khai Phương Thảo Hoàng', cardNumber: '3312346000000428', issueDate: '2026-12-06' },
  { cardType: 'senior', scheme: 'ipass', holderName: 'SITI NURHALIZA BINTI TARUDDIN', cardNumber: 'A1-B2', issueDate: '2024-02-29', photoJpeg: photo },
  { cardType: 'general', scheme: 'easycard', holderName: 'Wwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww', cardNumber: '880012345678901234567890', issueDate: '2025-01-01' },
];

describe('the layered card face', () => {
  it.each(cases.map((input, i) => [i, input] as const))('case %i: the same pixels and the same printed panels as the whole face rendered at once', async (_, input) => {
    const rendered = await renderCardFaceImages(input);
    if (!rendered.ok) throw new Error(JSON.stringify(rendered.error));
    const design = cardDesign(input.cardType, input.schoolLevel);
    if (!design) throw new Error('no design');
    const holderName = input.holderName.trim();
    const front = await wholeFace(frontSvg({ design, scheme: input.scheme, holderName, cardNumber: input.cardNumber, issueDate: input.issueDate, hasPhoto: input.photoJpeg !== undefined }), input.photoJpeg);
    const back = await wholeFace(backSvg({ design, scheme: input.scheme, cardNumber: input.cardNumber }));
    for (const [layered, whole, hole] of [[rendered.value.front.rgb, front, chipArea], [rendered.value.back.rgb, back, null]] as const) {
      // cairo rounds a few edge pixels of a glyph one way in a whole face and the other in its coverage: ±1 at most, on a handful.
      const { differing, maxDifference } = compare(layered, whole);
      expect(maxDifference).toBeLessThanOrEqual(1);
      expect(differing).toBeLessThan(whole.length / 10_000);
      const image = (data: Buffer) => ({ width: 1016, height: 648, channels: 3, data });
      const panelsOf = (data: Buffer) => imageToYmckoPanels(image(data), { overlayHole: hole });
      const differingBytes = panelsOf(layered).reduce((sum, panel, p) => sum + compare(panel.data, panelsOf(whole)[p]?.data ?? Buffer.alloc(0)).differing, 0);
      expect(differingBytes).toBeLessThan(16);
    }
  });

  it('prints what the full render prints, with the same front preview (and no back preview, which nobody shows)', async () => {
    const input = cases[0];
    if (!input) throw new Error('no case');
    const [full, toPrint] = await Promise.all([renderCardFace(input), renderCardToPrint(input)]);
    if (!full.ok || !toPrint.ok) throw new Error('render failed');
    expect(toPrint.value.frontPng.equals(full.value.frontPng)).toBe(true);
    expect(digestBuffers(toPrint.value.job)).toEqual(digestBuffers(full.value.job));
    expect(toPrint.value).not.toHaveProperty('backPng');
  });

  it.each(cases.map((input, i) => [i, input] as const))('case %i: packs only the lines the values and photo changed, the same panels as packed whole', async (_, input) => {
    for (let round = 0; round < 2; round++) {
      const [face, images] = await Promise.all([renderCardToPrint(input), renderCardFaceImages(input)]);
      if (!face.ok || !images.ok) throw new Error('render failed');
      const whole = (rgb: Buffer, overlayHole: typeof chipArea | null) => imageToYmckoPanels({ width: 1016, height: 648, channels: 3, data: rgb }, { overlayHole });
      // Compared by digest: the same bytes, without vitest's element-by-element walk over 1.4 MB of panels.
      expect(digestBuffers(face.value.job.front.panels)).toEqual(digestBuffers(whole(images.value.front.rgb, chipArea)));
      expect(digestBuffers(face.value.job.back?.panels)).toEqual(digestBuffers(whole(images.value.back.rgb, null)));
    }
  });
});
