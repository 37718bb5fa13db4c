import sharp from 'sharp';
import { imageToYmckoPanels } from '../../../hardware/printer/panels';
import type { PrintJob } from '../../../hardware/printer/types';
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
  const [frontPng, backPng] = await Promise.all([toPng(front), toPng(back)]);
  return ok({ front: { png: frontPng, rgb: front }, back: { png: backPng, rgb: back } });
}

/** Both faces' RGB pixels (1016 × 648 × 3). */
async function renderCardFacePixels(input: CardFaceInput): Promise<Result<{ readonly front: Buffer; readonly back: Buffer }, CardFaceError>> {
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
    (async () => {
      const rgb =
        (await drawBlackOver(await cachedPixels(frontBackground(frontFields)), frontValues(frontFields), frontValuesArea)) ??
        (await rasterise(frontSvg(frontFields)));
      if (photo) pasteRgb(rgb, photo, photoBox);
      return rgb;
    })(),
    (async () =>
      (await drawBlackOver(await cachedPixels(backBackground(backFields)), backValues(backFields), backValuesArea)) ??
      (await rasterise(backSvg(backFields))))(),
  ]);
  return ok({ front, back });
}

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
  const images = await renderCardFaceImages(input);
  if (!images.ok) return images;
  const { front, back } = images.value;
  return ok({ frontPng: front.png, backPng: back.png, job: printJob(input, front.rgb, back.rgb) });
}

/** What printing a card needs: the job, and the front's PNG for the preview (the back's is never shown). */
export async function renderCardToPrint(input: CardFaceInput): Promise<Result<Omit<CardFace, 'backPng'>, CardFaceError>> {
  const pixels = await renderCardFacePixels(input);
  if (!pixels.ok) return pixels;
  const { front, back } = pixels.value;
  return ok({ frontPng: await toPng(front), job: printJob(input, front, back) });
}

function printJob(input: CardFaceInput, front: Buffer, back: Buffer): PrintJob {
  const image = (data: Buffer) => ({ width: cardFaceSize.width, height: cardFaceSize.height, channels: 3, data });
  return {
    ribbon: 'ymcko',
    front: { panels: imageToYmckoPanels(image(front), { overlayHole: chipArea }) },
    ...(input.printBack === false ? {} : { back: { panels: imageToYmckoPanels(image(back), { overlayHole: null }) } }),
  };
}
