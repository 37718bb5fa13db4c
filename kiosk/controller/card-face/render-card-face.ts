import sharp from 'sharp';
import { imageToYmckoPanels, type DotArea } from '../../../hardware/printer/panels';
import type { Panel, PrintJob } from '../../../hardware/printer/types';
import { parseIsoDate } from '../../../shared/domain/calendar-date';
import type { CardType, SchoolLevel, TransitScheme } from '../../../shared/domain/card-types';
import { err, ok, type Result } from '../../../shared/result';
import { cardDesign } from './design';
import { cachedPixels, drawBlackOver, pasteRgb, rasterise } from './layers';
import { cardFaceSize, chipArea, photoBox, type PixelBox } from './layout';
import { backBackground, backSvg, backValues, frontBackground, frontSvg, frontValues } from './svg';

/**
 * Renders both faces of a citizen card: PNGs for the preview the UI shows before printing, and the
 * printer job (Y, M, C, K, O panels for each side) made from the very same pixels.
 */
export interface CardFaceInput {
  readonly cardType: CardType;
  /** Required for student cards (it picks the design). */
  readonly schoolLevel?: SchoolLevel;
  readonly scheme: TransitScheme;
  /** Chinese or Latin; never logged. */
  readonly holderName: string;
  readonly cardNumber: string;
  /** `YYYY-MM-DD`. */
  readonly issueDate: string;
  /** A JPEG already cropped to `photoBox` proportions (35 : 45); scaled to fit. */
  readonly photoJpeg?: Buffer;
  /** Print the back too (default true). */
  readonly printBack?: boolean;
}

export interface CardFace {
  readonly frontPng: Buffer;
  readonly backPng: Buffer;
  readonly job: PrintJob;
}

export type CardFaceError =
  | { readonly kind: 'invalid_input'; readonly field: 'schoolLevel' | 'holderName' | 'cardNumber' | 'issueDate' }
  | { readonly kind: 'unreadable_photo' };

export interface Side {
  readonly png: Buffer;
  /** RGB, row-major, 1016 × 648. */
  readonly rgb: Buffer;
}

export interface CardFaceImages {
  readonly front: Side;
  readonly back: Side;
}

/** Renders both faces to pixels and PNGs (no panels): the preview alone. */
export async function renderCardFaceImages(input: CardFaceInput): Promise<Result<CardFaceImages, CardFaceError>> {
  const pixels = await renderCardFacePixels(input);
  if (!pixels.ok) return pixels;
  const { front, back } = pixels.value;
  const [frontPng, backPng] = await Promise.all([toPng(front.rgb), toPng(back.rgb)]);
  return ok({ front: { png: frontPng, rgb: front.rgb }, back: { png: backPng, rgb: back.rgb } });
}

/** A face's RGB pixels (1016 × 648 × 3), and the background it was drawn on when it was. */
interface FacePixels {
  readonly rgb: Buffer;
  /** The cached background, equal to `rgb` outside lines (columns) [from, to). */
  readonly drawnOn?: { readonly svg: string; readonly pixels: Buffer; readonly from: number; readonly to: number };
}

/** Both faces' pixels. */
async function renderCardFacePixels(input: CardFaceInput): Promise<Result<{ readonly front: FacePixels; readonly back: FacePixels }, CardFaceError>> {
  const design = cardDesign(input.cardType, input.schoolLevel);
  if (!design) return err({ kind: 'invalid_input', field: 'schoolLevel' });
  const holderName = input.holderName.trim();
  if (holderName.length === 0 || holderName.length > 64) return err({ kind: 'invalid_input', field: 'holderName' });
  if (!/^[0-9A-Za-z-]{4,24}$/.test(input.cardNumber)) return err({ kind: 'invalid_input', field: 'cardNumber' });
  if (parseIsoDate(input.issueDate) === null) return err({ kind: 'invalid_input', field: 'issueDate' });

  let photo: Buffer | undefined;
  if (input.photoJpeg) {
    try {
      photo = await photoPixels(input.photoJpeg);
    } catch {
      return err({ kind: 'unreadable_photo' });
    }
  }
  const frontFields = { design, scheme: input.scheme, holderName, cardNumber: input.cardNumber, issueDate: input.issueDate, hasPhoto: photo !== undefined };
  const backFields = { design, scheme: input.scheme, cardNumber: input.cardNumber };
  const [front, back] = await Promise.all([
    (async (): Promise<FacePixels> => {
      const svg = frontBackground(frontFields);
      const pixels = await cachedPixels(svg);
      const drawn = await drawBlackOver(pixels, frontValues(frontFields), frontValuesArea);
      const rgb = drawn ?? (await rasterise(frontSvg(frontFields)));
      if (photo) pasteRgb(rgb, photo, photoBox);
      const to = photo ? Math.max(areaEnd(frontValuesArea), areaEnd(photoBox)) : areaEnd(frontValuesArea);
      return drawn ? { rgb, drawnOn: { svg, pixels, from: Math.min(frontValuesArea.left, photo ? photoBox.left : Infinity), to } } : { rgb };
    })(),
    (async (): Promise<FacePixels> => {
      const svg = backBackground(backFields);
      const pixels = await cachedPixels(svg);
      const drawn = await drawBlackOver(pixels, backValues(backFields), backValuesArea);
      return drawn ? { rgb: drawn, drawnOn: { svg, pixels, from: backValuesArea.left, to: areaEnd(backValuesArea) } } : { rgb: await rasterise(backSvg(backFields)) };
    })(),
  ]);
  return ok({ front, back });
}

const areaEnd = (area: PixelBox): number => area.left + area.width;

/** Where the front's values (name, number, date) are drawn: the text column, up to the photo. */
const frontValuesArea: PixelBox = { left: 280, top: 140, width: photoBox.left - 280, height: 400 };
/** Where the back's values (barcode, number) are drawn. */
const backValuesArea: PixelBox = { left: 40, top: 410, width: 600, height: 160 };

/**
 * The photo scaled to fill the photo box, as the face shows it: re-encoded in the photo's own
 * format first, then decoded (the pixels printed since the first card faces).
 */
async function photoPixels(photoJpeg: Buffer): Promise<Buffer> {
  const scaled = await sharp(photoJpeg).rotate().resize(photoBox.width, photoBox.height, { fit: 'cover' }).removeAlpha().toBuffer();
  const { data, info } = await sharp(scaled).toColourspace('srgb').removeAlpha().raw().toBuffer({ resolveWithObject: true });
  if (info.width !== photoBox.width || info.height !== photoBox.height || info.channels !== 3) throw new Error('photo not scaled to the box');
  return data;
}

function toPng(rgb: Buffer): Promise<Buffer> {
  return sharp(rgb, { raw: { width: cardFaceSize.width, height: cardFaceSize.height, channels: 3 } }).png({ compressionLevel: 6 }).toBuffer();
}

export async function renderCardFace(input: CardFaceInput): Promise<Result<CardFace, CardFaceError>> {
  const pixels = await renderCardFacePixels(input);
  if (!pixels.ok) return pixels;
  const { front, back } = pixels.value;
  const [frontPng, backPng] = await Promise.all([toPng(front.rgb), toPng(back.rgb)]);
  return ok({ frontPng, backPng, job: printJob(input, front, back) });
}

/** What printing a card needs: the job, and the front's PNG for the preview (the back's is never shown). */
export async function renderCardToPrint(input: CardFaceInput): Promise<Result<Omit<CardFace, 'backPng'>, CardFaceError>> {
  const pixels = await renderCardFacePixels(input);
  if (!pixels.ok) return pixels;
  const { front, back } = pixels.value;
  return ok({ frontPng: await toPng(front.rgb), job: printJob(input, front, back) });
}

function printJob(input: CardFaceInput, front: FacePixels, back: FacePixels): PrintJob {
  return {
    ribbon: 'ymcko',
    front: { panels: facePanels(front, chipArea) },
    ...(input.printBack === false ? {} : { back: { panels: facePanels(back, null) } }),
  };
}

const image = (data: Buffer) => ({ width: cardFaceSize.width, height: cardFaceSize.height, channels: 3, data });

/** Panels of the cached backgrounds, by hole and SVG: a face drawn on one is packed only where it differs. */
const backgroundPanels = new Map<string, Panel[]>();
const maxCachedPanels = 64;

function facePanels(face: FacePixels, overlayHole: DotArea | null): Panel[] {
  if (!face.drawnOn) return imageToYmckoPanels(image(face.rgb), { overlayHole });
  const key = `${JSON.stringify(overlayHole)}\n${face.drawnOn.svg}`;
  let panels = backgroundPanels.get(key);
  if (panels === undefined) {
    if (backgroundPanels.size >= maxCachedPanels) backgroundPanels.clear();
    panels = imageToYmckoPanels(image(face.drawnOn.pixels), { overlayHole });
    backgroundPanels.set(key, panels);
  }
  return imageToYmckoPanels(image(face.rgb), { overlayHole, sameOutside: { panels, from: face.drawnOn.from, to: face.drawnOn.to } });
}
