import { printedWords } from '../../../shared/card-design/printed-words';
import { cardNumberInGroups } from '../../../shared/domain/card-number-groups';
import { code39 } from './code39';
import { conditionsOfUse, schemeBadges, type CardDesign } from './design';
import { cardFaceSize, chipArea, footerTop, headerHeight, margin, photoBox, textColumn } from './layout';
import type { TransitScheme } from '../../../shared/domain/card-types';

/**
 * The two faces as SVG (rendered by sharp/librsvg, text through fontconfig with Noto Sans CJK).
 * Text meant to be crisp (name, number, conditions, barcode) is pure black so that it goes to the
 * printer's resin K panel; everything coloured goes to Y, M and C.
 */
const sans = `'Noto Sans CJK TC', 'Noto Sans CJK', sans-serif`;
const mono = `'DejaVu Sans Mono', monospace`;
const black = '#000000';
const labelGrey = '#5c5f66';

export interface FrontFields {
  readonly design: CardDesign;
  readonly scheme: TransitScheme;
  readonly holderName: string;
  readonly cardNumber: string;
  readonly issueDate: string;
  readonly hasPhoto: boolean;
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c);
}

/** Rough advance width in em: CJK full width, Latin narrower (good enough to choose a font size). */
export function textWidthEm(text: string): number {
  let em = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code >= 0x2e80) em += 1;
    else if (char === ' ') em += 0.3;
    else if (/[A-Z0-9]/.test(char)) em += 0.68;
    else if (/[a-z]/.test(char)) em += 0.56;
    else em += 0.4;
  }
  return em;
}

/** A `<text>` that fits `maxWidth`: smaller font first, squeezed only below `minSize`. */
function fittedText(text: string, x: number, y: number, maxWidth: number, size: number, minSize: number, attrs: string): string {
  const em = Math.max(textWidthEm(text), 0.01);
  const fitted = Math.max(minSize, Math.min(size, Math.floor(maxWidth / em)));
  const squeeze = em * fitted > maxWidth ? ` textLength="${maxWidth}" lengthAdjust="spacingAndGlyphs"` : '';
  return `<text x="${x}" y="${y}" font-size="${fitted}"${squeeze} ${attrs}>${escapeXml(text)}</text>`;
}

/** Digits in groups of four; anything else as given (the screens show it the same way). */
export const formatCardNumber = cardNumberInGroups;

function header(design: CardDesign, scheme: TransitScheme, title: string, subtitle: string, height: number): string {
  const badge = schemeBadges[scheme];
  const badgeWidth = Math.round(textWidthEm(badge.text) * 24) + 36;
  const badgeLeft = cardFaceSize.width - margin - badgeWidth;
  return [
    `<rect width="${cardFaceSize.width}" height="${height}" fill="${design.colour}"/>`,
    `<text x="${margin}" y="${Math.round(height * 0.6)}" font-size="${Math.round(height * 0.45)}" font-weight="bold" fill="#ffffff" font-family="${sans}">${escapeXml(title)}</text>`,
    subtitle ? `<text x="${margin}" y="${height - 14}" font-size="22" fill="#ffffff" font-family="${sans}">${escapeXml(subtitle)}</text>` : '',
    `<rect x="${badgeLeft}" y="${Math.round(height / 2) - 24}" width="${badgeWidth}" height="48" rx="24" fill="#ffffff"/>`,
    `<text x="${badgeLeft + badgeWidth / 2}" y="${Math.round(height / 2) + 9}" font-size="24" font-weight="bold" text-anchor="middle" fill="${badge.colour}" font-family="${sans}">${escapeXml(badge.text)}</text>`,
  ].join('');
}

function field(label: string, value: string, y: number, size: number, font: string): string {
  return fieldLabel(label, y) + fieldValue(value, y, size, font);
}

function fieldLabel(label: string, y: number): string {
  return `<text x="${textColumn.left}" y="${y}" font-size="21" fill="${labelGrey}" font-family="${sans}">${escapeXml(label)}</text>`;
}

/** The value under a label: pure black (resin K), so that it can be drawn over a cached background. */
function fieldValue(value: string, y: number, size: number, font: string): string {
  const width = textColumn.right - textColumn.left;
  const attrs = `font-weight="bold" fill="${black}" font-family="${font}"`;
  const lines = splitLongName(value, width, size);
  if (lines === undefined) return fittedText(value, textColumn.left, y + size + 6, width, size, 18, attrs);
  const lineSize = Math.min(Math.floor(size * 0.6), ...lines.map((line) => Math.floor(width / Math.max(textWidthEm(line), 0.01))));
  return lines.map((line, i) => fittedText(line, textColumn.left, y + 8 + lineSize * (i + 1) * 1.1, width, lineSize, 18, attrs)).join('');
}

/** A long Latin name (that would shrink below 60 % of `size`) in two lines at the space nearest the middle. */
function splitLongName(value: string, width: number, size: number): [string, string] | undefined {
  if (textWidthEm(value) * size * 0.6 <= width) return undefined;
  const spaces = [...value.matchAll(/ /g)].map((m) => m.index);
  if (spaces.length === 0) return undefined;
  const middle = value.length / 2;
  const at = spaces.reduce((best, i) => (Math.abs(i - middle) < Math.abs(best - middle) ? i : best));
  return [value.slice(0, at), value.slice(at + 1)];
}

/**
 * A face in two layers: `background` depends only on the design (cached per design by the
 * renderer), `values` holds the per-card text, all pure black and drawn after everything it
 * overlaps; nothing in the background is drawn over the values' area. Together they are the face.
 */
export interface SvgLayers {
  readonly background: string;
  /** The per-card elements, without the `<svg>` wrapper. */
  readonly values: string;
}

/** The per-card values of the front: name, card number and issue date. */
export function frontValues(fields: Pick<FrontFields, 'holderName' | 'cardNumber' | 'issueDate'>): string {
  return [
    fieldValue(fields.holderName, 168, 62, sans),
    fieldValue(formatCardNumber(fields.cardNumber), 384, 34, mono),
    fieldValue(fields.issueDate, 474, 32, mono),
  ].join('');
}

/** The front without its per-card values. */
export function frontBackground(fields: Pick<FrontFields, 'design' | 'scheme' | 'hasPhoto'>): string {
  return frontSvgWith(fields, { name: '', cardNumber: '', issueDate: '' });
}

export function frontSvg(fields: FrontFields): string {
  return frontSvgWith(fields, {
    name: fieldValue(fields.holderName, 168, 62, sans),
    cardNumber: fieldValue(formatCardNumber(fields.cardNumber), 384, 34, mono),
    issueDate: fieldValue(fields.issueDate, 474, 32, mono),
  });
}

function frontSvgWith(fields: Pick<FrontFields, 'design' | 'scheme' | 'hasPhoto'>, values: { name: string; cardNumber: string; issueDate: string }): string {
  const { design } = fields;
  const { width, height } = cardFaceSize;
  const photo = photoBox;
  const noPhoto = fields.hasPhoto
    ? ''
    : `<rect x="${photo.left}" y="${photo.top}" width="${photo.width}" height="${photo.height}" fill="${design.tint}"/>` +
      `<circle cx="${photo.left + photo.width / 2}" cy="${photo.top + photo.height / 2}" r="${photo.width * 0.36}" fill="${design.colour}" fill-opacity="0.2"/>` +
      `<text x="${photo.left + photo.width / 2}" y="${photo.top + photo.height / 2 + 34}" font-size="96" text-anchor="middle" fill="${design.colour}" font-family="${sans}">${printedWords.emblem}</text>`;
  const badgeTop = chipArea.top + chipArea.height + 40;
  const badgeWidth = textColumn.left - margin - 30;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="${design.tint}"/>`,
    // peach-blossom hills of Taoyuan, in the type's colour
    `<path d="M0 ${footerTop - 40} C 220 ${footerTop - 110}, 420 ${footerTop + 10}, 640 ${footerTop - 50} S 900 ${footerTop - 90}, ${width} ${footerTop - 60} L ${width} ${height} L 0 ${height} Z" fill="${design.colour}" fill-opacity="0.16"/>`,
    header(design, fields.scheme, printedWords.title.zh, printedWords.title.en, headerHeight),
    fieldLabel(printedWords.labels.name, 168) + values.name,
    field(printedWords.labels.cardType, `${design.label}`, 292, 34, sans),
    fieldLabel(printedWords.labels.cardNumber, 384) + values.cardNumber,
    fieldLabel(printedWords.labels.issued, 474) + values.issueDate,
    `<rect x="${margin}" y="${badgeTop}" width="${badgeWidth}" height="60" rx="12" fill="${design.colour}"/>`,
    fittedText(design.label.split('・')[0] ?? design.label, margin + badgeWidth / 2, badgeTop + 42, badgeWidth - 20, 34, 20, `text-anchor="middle" font-weight="bold" fill="#ffffff" font-family="${sans}"`),
    fittedText(design.labelEnglish, margin + badgeWidth / 2, badgeTop + 92, badgeWidth, 20, 14, `text-anchor="middle" fill="${design.colour}" font-family="${sans}"`),
    noPhoto,
    `<rect x="${photo.left - 3}" y="${photo.top - 3}" width="${photo.width + 6}" height="${photo.height + 6}" fill="none" stroke="${design.colour}" stroke-width="3"/>`,
    `<rect y="${footerTop + 12}" width="${width}" height="${height - footerTop - 12}" fill="${design.colour}"/>`,
    `<text x="${margin}" y="${height - 26}" font-size="26" fill="#ffffff" font-family="${sans}">${printedWords.issuer}</text>`,
    `</svg>`,
  ].join('');
}

export interface BackFields {
  readonly design: CardDesign;
  readonly scheme: TransitScheme;
  readonly cardNumber: string;
}

/** The per-card values of the back: the card number's barcode and digits. */
export function backValues(fields: Pick<BackFields, 'cardNumber'>): string {
  const barcodeText = fields.cardNumber.toUpperCase().replace(/[^0-9A-Z\-. ]/g, '');
  const barcode = code39(barcodeText);
  const narrow = barcode ? Math.max(1, Math.min(3, Math.floor(560 / barcode.modules))) : 0;
  const bars = barcode
    ? barcode.bars.map((bar) => `<rect x="${margin + bar.at * narrow}" y="${barsTop}" width="${bar.width * narrow}" height="${barsHeight}" fill="${black}"/>`).join('')
    : '';
  return bars + `<text x="${margin}" y="${barsTop + barsHeight + 34}" font-size="26" fill="${black}" font-family="${mono}">${escapeXml(formatCardNumber(fields.cardNumber))}</text>`;
}

const barsTop = 420;
const barsHeight = 90;

/** The back without its per-card values. */
export function backBackground(fields: Pick<BackFields, 'design' | 'scheme'>): string {
  return backSvgWith(fields, '');
}

export function backSvg(fields: BackFields): string {
  return backSvgWith(fields, backValues(fields));
}

function backSvgWith(fields: Pick<BackFields, 'design' | 'scheme'>, values: string): string {
  const { design } = fields;
  const { width, height } = cardFaceSize;
  const lines = conditionsOfUse.map(
    (line, i) => fittedText(line, margin, 128 + i * 46, width - 2 * margin, 27, 18, `fill="${black}" font-family="${sans}"`),
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    header(design, fields.scheme, printedWords.conditionsTitle, '', 76),
    ...lines,
    values,
    `<text x="${width - margin}" y="${barsTop + 30}" font-size="24" text-anchor="end" fill="${black}" font-family="${sans}">${printedWords.issuedBy}</text>`,
    `<text x="${width - margin}" y="${barsTop + 68}" font-size="22" text-anchor="end" fill="${labelGrey}" font-family="${sans}">${printedWords.hotline}</text>`,
    `<rect y="${height - 22}" width="${width}" height="22" fill="${design.colour}"/>`,
    `</svg>`,
  ].join('');
}
