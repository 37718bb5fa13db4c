import { bitsPerDot, panelBytes } from './protocol';
import { cardHeightDots, cardWidthDots, type Panel, type PanelLevels, type PanelName } from './types';

/**
 * Conversion between a card face (a 1016 × 648 RGB image, row-major) and printer panels
 * (1016 lines × 648 dots, line n = column x = n, dot d = row y = d).
 *
 * Y, M, C carry the colour at `colourLevels`; K (1 bit) takes near-black neutral pixels — text and
 * barcodes — which a resin K panel prints sharper than a CMY mix; O (1 bit) is the overlay varnish,
 * everywhere except the chip area.
 */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  /** 3 (RGB) or 4 (RGBA, alpha ignored). */
  readonly channels: number;
  readonly data: Uint8Array;
}

export interface DotArea {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/** The ISO 7816-2 contact area with a margin (≈ 9–21 mm from the left, 18–30 mm from the top). */
export const iso7816ChipArea: DotArea = { left: 106, top: 213, width: 142, height: 142 };

export interface PanelOptions {
  readonly colourLevels?: Exclude<PanelLevels, 2>;
  /** A pixel goes to K when every channel is at or below this and it is nearly grey. */
  readonly blackThreshold?: number;
  /** Left clear of overlay; null for an overlay over the whole card; default the ISO 7816 area. */
  readonly overlayHole?: DotArea | null;
  /**
   * The Y, M, C, K panels (same levels and threshold) of an image that equals this one outside
   * lines (columns) [from, to): those lines are copied instead of computed, the same bytes since
   * every line is packed on its own. Used at 32 levels; ignored otherwise.
   */
  readonly sameOutside?: { readonly panels: readonly Panel[]; readonly from: number; readonly to: number };
}

export const defaultBlackThreshold = 72;
const neutralSpread = 48;

/** Y, M, C, K and O panels for one side of a card. */
export function imageToYmckoPanels(image: RgbImage, options: PanelOptions = {}): Panel[] {
  checkSize(image);
  const levels = options.colourLevels ?? 32;
  const threshold = options.blackThreshold ?? defaultBlackThreshold;
  const overlay = overlayPanel(options.overlayHole === undefined ? iso7816ChipArea : options.overlayHole);
  // The usual 32 levels from a whole image: packed straight from the pixels (no dot arrays to fill and pack).
  if (levels === 32 && image.data.length >= cardWidthDots * cardHeightDots * image.channels) return [...packedYmck32(image, threshold, options.sameOutside), overlay];
  return [...ymckPanels(image, levels, threshold), overlay];
}

/** Y, M, C (32 levels) and K packed as they are computed, line by line: 8 dots make 5 bytes of Y, M, C and 1 of K. */
function packedYmck32(image: RgbImage, threshold: number, sameOutside?: PanelOptions['sameOutside']): Panel[] {
  const quant = quantisation(32);
  const base = (name: PanelName, levels: PanelLevels) => sameOutside?.panels.find((panel) => panel.name === name && panel.levels === levels && panel.data.length === panelBytes(levels));
  const bases = [base('y', 32), base('m', 32), base('c', 32), base('k', 2)] as const;
  const copied = bases.every((panel) => panel !== undefined) ? sameOutside : undefined;
  const fresh = (levels: PanelLevels, panel: Panel | undefined) => (copied && panel ? Buffer.from(panel.data) : Buffer.alloc(panelBytes(levels)));
  const y = fresh(32, bases[0]);
  const m = fresh(32, bases[1]);
  const c = fresh(32, bases[2]);
  const k = fresh(2, bases[3]);
  const { data, channels } = image;
  const rowStride = cardWidthDots * channels;
  const from = copied ? Math.max(0, copied.from) : 0;
  const to = copied ? Math.min(cardWidthDots, copied.to) : cardWidthDots;
  const bytesPerLine5 = (cardHeightDots / 8) * 5;
  const bytesPerLine1 = cardHeightDots / 8;
  // A line is 648 dots, a multiple of 8: no group of 8 dots straddles two lines.
  for (let line = from, at5 = from * bytesPerLine5, at1 = from * bytesPerLine1; line < to; line++) {
    let p = line * channels;
    for (let dot = 0; dot < cardHeightDots; dot += 8, at5 += 5, at1++) {
      let cHi = 0, cLo = 0, mHi = 0, mLo = 0, yHi = 0, yLo = 0, kByte = 0;
      for (let j = 0; j < 8; j++, p += rowStride) {
        const r = data[p]!;
        const g = data[p + 1]!;
        const b = data[p + 2]!;
        const hi = r > g ? (r > b ? r : b) : g > b ? g : b;
        const lo = r < g ? (r < b ? r : b) : g < b ? g : b;
        let cv = 0, mv = 0, yv = 0;
        if (hi <= threshold && hi - lo <= neutralSpread) {
          kByte |= 0x80 >> j;
        } else {
          cv = quant[255 - r]!;
          mv = quant[255 - g]!;
          yv = quant[255 - b]!;
        }
        if (j < 4) {
          cHi = (cHi << 5) | cv;
          mHi = (mHi << 5) | mv;
          yHi = (yHi << 5) | yv;
        } else {
          cLo = (cLo << 5) | cv;
          mLo = (mLo << 5) | mv;
          yLo = (yLo << 5) | yv;
        }
      }
      put5(c, at5, cHi, cLo);
      put5(m, at5, mHi, mLo);
      put5(y, at5, yHi, yLo);
      k[at1] = kByte;
    }
  }
  return [
    { name: 'y', levels: 32, data: y },
    { name: 'm', levels: 32, data: m },
    { name: 'c', levels: 32, data: c },
    { name: 'k', levels: 2, data: k },
  ];
}

/** Two 20-bit halves (4 dots of 5 bits each) as 5 bytes, MSB first. */
function put5(out: Buffer, at: number, hi: number, lo: number): void {
  out[at] = hi >>> 12;
  out[at + 1] = (hi >>> 4) & 0xff;
  out[at + 2] = ((hi & 0x0f) << 4) | (lo >>> 16);
  out[at + 3] = (lo >>> 8) & 0xff;
  out[at + 4] = lo & 0xff;
}

/** Ink value for 0–255 of "missing" light at `levels`. */
function quantisation(levels: number): Uint8Array {
  const max = levels - 1;
  const quant = new Uint8Array(256);
  for (let v = 0; v < 256; v++) quant[v] = Math.round((v * max) / 255);
  return quant;
}

/** Any number of colour levels, and images shorter than a card (the missing pixels white): dot arrays, then packed. */
function ymckPanels(image: RgbImage, levels: Exclude<PanelLevels, 2>, threshold: number): Panel[] {
  const dots = cardWidthDots * cardHeightDots;
  const y = new Uint8Array(dots);
  const m = new Uint8Array(dots);
  const c = new Uint8Array(dots);
  const k = new Uint8Array(dots);
  const { data, channels } = image;
  const quant = quantisation(levels);
  for (let row = 0; row < cardHeightDots; row++) {
    let p = row * cardWidthDots * channels;
    for (let col = 0; col < cardWidthDots; col++, p += channels) {
      const r = data[p] ?? 255;
      const g = data[p + 1] ?? 255;
      const b = data[p + 2] ?? 255;
      const dot = col * cardHeightDots + row;
      const hi = r > g ? (r > b ? r : b) : g > b ? g : b;
      const lo = r < g ? (r < b ? r : b) : g < b ? g : b;
      if (hi <= threshold && hi - lo <= neutralSpread) {
        k[dot] = 1;
      } else {
        c[dot] = quant[255 - r] ?? 0;
        m[dot] = quant[255 - g] ?? 0;
        y[dot] = quant[255 - b] ?? 0;
      }
    }
  }
  return [packPanel('y', levels, y), packPanel('m', levels, m), packPanel('c', levels, c), packPanel('k', 2, k)];
}

/** A K-only panel (for a K ribbon): every pixel darker than mid-grey is ink. */
export function imageToKPanel(image: RgbImage, threshold = 128): Panel {
  checkSize(image);
  const k = new Uint8Array(cardWidthDots * cardHeightDots);
  const { data, channels } = image;
  for (let row = 0; row < cardHeightDots; row++) {
    for (let col = 0; col < cardWidthDots; col++) {
      const p = (row * cardWidthDots + col) * channels;
      const luma = ((data[p] ?? 255) * 299 + (data[p + 1] ?? 255) * 587 + (data[p + 2] ?? 255) * 114) / 1000;
      if (luma < threshold) k[col * cardHeightDots + row] = 1;
    }
  }
  return packPanel('k', 2, k);
}

const overlayCache = new Map<string, Panel>();

/** Overlay everywhere except `hole` (the same few holes recur: cached, and the panel is never mutated). */
export function overlayPanel(hole: DotArea | null): Panel {
  const key = JSON.stringify(hole);
  const cached = overlayCache.get(key);
  if (cached) return cached;
  const panel = makeOverlayPanel(hole);
  if (overlayCache.size < 16) overlayCache.set(key, panel);
  return panel;
}

function makeOverlayPanel(hole: DotArea | null): Panel {
  const o = new Uint8Array(cardWidthDots * cardHeightDots).fill(1);
  if (hole) {
    for (let col = Math.max(0, hole.left); col < Math.min(cardWidthDots, hole.left + hole.width); col++) {
      const start = col * cardHeightDots + Math.max(0, hole.top);
      o.fill(0, start, col * cardHeightDots + Math.min(cardHeightDots, hole.top + hole.height));
    }
  }
  return packPanel('o', 2, o);
}

/** Packs dot values (line-major: index = line × 648 + dot) MSB first, end to end. */
export function packPanel(name: PanelName, levels: PanelLevels, values: Uint8Array): Panel {
  const bits = bitsPerDot(levels);
  const out = Buffer.alloc(panelBytes(levels));
  if (bits === 1) pack1(values, out);
  else if (bits === 5) pack5(values, out);
  else packAny(values, out, bits);
  return { name, levels, data: out };
}

/** 8 dots a byte (the common K and O case, kept fast). */
function pack1(values: Uint8Array, out: Buffer): void {
  for (let o = 0, i = 0; o < out.length; o++, i += 8) {
    out[o] =
      ((values[i]! & 1) << 7) | ((values[i + 1]! & 1) << 6) | ((values[i + 2]! & 1) << 5) | ((values[i + 3]! & 1) << 4) |
      ((values[i + 4]! & 1) << 3) | ((values[i + 5]! & 1) << 2) | ((values[i + 6]! & 1) << 1) | (values[i + 7]! & 1);
  }
}

/** 8 dots in 5 bytes (32 levels, the common Y/M/C case, kept fast). */
function pack5(values: Uint8Array, out: Buffer): void {
  for (let o = 0, i = 0; o < out.length; o += 5, i += 8) {
    const hi = ((values[i]! & 31) << 15) | ((values[i + 1]! & 31) << 10) | ((values[i + 2]! & 31) << 5) | (values[i + 3]! & 31);
    const lo = ((values[i + 4]! & 31) << 15) | ((values[i + 5]! & 31) << 10) | ((values[i + 6]! & 31) << 5) | (values[i + 7]! & 31);
    out[o] = hi >>> 12;
    out[o + 1] = (hi >>> 4) & 0xff;
    out[o + 2] = ((hi & 0x0f) << 4) | (lo >>> 16);
    out[o + 3] = (lo >>> 8) & 0xff;
    out[o + 4] = lo & 0xff;
  }
}

function packAny(values: Uint8Array, out: Buffer, bits: number): void {
  const mask = (1 << bits) - 1;
  let acc = 0;
  let held = 0;
  let at = 0;
  for (let i = 0; i < values.length; i++) {
    acc = (acc << bits) | ((values[i] ?? 0) & mask);
    held += bits;
    if (held >= 8) {
      held -= 8;
      out[at++] = (acc >>> held) & 0xff;
      acc &= (1 << held) - 1;
    }
  }
  if (held > 0) out[at] = (acc << (8 - held)) & 0xff;
}

/** The dot values of a panel, line-major. */
export function unpackPanel(panel: Panel): Uint8Array {
  const bits = bitsPerDot(panel.levels);
  const values = new Uint8Array(cardWidthDots * cardHeightDots);
  const data = panel.data;
  if (bits === 1) {
    for (let o = 0, i = 0; o < data.length; o++, i += 8) {
      const byte = data[o]!;
      if (byte === 0) continue;
      for (let b = 0; b < 8; b++) values[i + b] = (byte >> (7 - b)) & 1;
    }
    return values;
  }
  if (bits === 5) {
    for (let o = 0, i = 0; o < data.length; o += 5, i += 8) {
      const hi = (data[o]! << 12) | (data[o + 1]! << 4) | (data[o + 2]! >> 4);
      const lo = ((data[o + 2]! & 0x0f) << 16) | (data[o + 3]! << 8) | data[o + 4]!;
      values[i] = hi >> 15;
      values[i + 1] = (hi >> 10) & 31;
      values[i + 2] = (hi >> 5) & 31;
      values[i + 3] = hi & 31;
      values[i + 4] = lo >> 15;
      values[i + 5] = (lo >> 10) & 31;
      values[i + 6] = (lo >> 5) & 31;
      values[i + 7] = lo & 31;
    }
    return values;
  }
  const mask = (1 << bits) - 1;
  let acc = 0;
  let held = 0;
  let at = 0;
  for (let i = 0; i < values.length; i++) {
    while (held < bits) {
      acc = ((acc << 8) | (data[at++] ?? 0)) & 0xffff;
      held += 8;
    }
    held -= bits;
    values[i] = (acc >>> held) & mask;
  }
  return values;
}

export interface DecodedSide {
  /** RGB, row-major, 1016 × 648: what the card looks like. */
  readonly rgb: Buffer;
  /** Share of the card covered by overlay (0–1), and whether the chip area was left clear. */
  readonly overlayCoverage: number;
  readonly chipAreaClear: boolean;
}

/**
 * The overlay's share of the card and whether the chip area was left clear, from the O panels alone
 * (what `panelsToImage` reports, without decoding the inks).
 */
export function overlayFacts(panels: readonly Panel[], chipArea: DotArea = iso7816ChipArea): Omit<DecodedSide, 'rgb'> {
  let overlay = 0;
  let chipOverlay = 0;
  const inChip = (line: number, dot: number): boolean =>
    line >= chipArea.left && line < chipArea.left + chipArea.width && dot >= chipArea.top && dot < chipArea.top + chipArea.height;
  for (const panel of panels) {
    if (panel.name !== 'o') continue;
    if (bitsPerDot(panel.levels) === 1) {
      // 8 dots a byte, MSB first, lines end to end.
      for (const byte of panel.data) overlay += bitCount[byte]!;
      for (let line = Math.max(0, chipArea.left); line < Math.min(cardWidthDots, chipArea.left + chipArea.width); line++) {
        for (let dot = Math.max(0, chipArea.top); dot < Math.min(cardHeightDots, chipArea.top + chipArea.height); dot++) {
          const at = line * cardHeightDots + dot;
          if ((panel.data[at >> 3]! >> (7 - (at & 7))) & 1) chipOverlay++;
        }
      }
      continue;
    }
    const values = unpackPanel(panel);
    for (let at = 0; at < values.length; at++) {
      if (values[at] === 0) continue;
      overlay++;
      if (inChip(Math.floor(at / cardHeightDots), at % cardHeightDots)) chipOverlay++;
    }
  }
  return { overlayCoverage: overlay / (cardWidthDots * cardHeightDots), chipAreaClear: chipOverlay === 0 };
}

const bitCount = Uint8Array.from({ length: 256 }, (_, byte) => {
  let n = 0;
  for (let b = byte; b > 0; b >>= 1) n += b & 1;
  return n;
});

/** What the printer lays down from these panels: white card, then Y, M, C inks, then K resin. */
export function panelsToImage(panels: readonly Panel[], chipArea: DotArea = iso7816ChipArea): DecodedSide {
  const width = cardWidthDots;
  const height = cardHeightDots;
  const rgb = Buffer.alloc(width * height * 3, 255);
  let overlay = 0;
  let chipOverlay = 0;
  for (const panel of panels) {
    const values = unpackPanel(panel);
    const max = panel.levels - 1;
    const channel = panel.name === 'c' ? 0 : panel.name === 'm' ? 1 : panel.name === 'y' ? 2 : -1;
    for (let col = 0; col < width; col++) {
      for (let row = 0; row < height; row++) {
        const v = values[col * height + row] ?? 0;
        if (v === 0) continue;
        const p = (row * width + col) * 3;
        switch (panel.name) {
          case 'c':
          case 'm':
          case 'y': {
            const light = rgb[p + channel] ?? 255;
            rgb[p + channel] = Math.round(light * (1 - v / max));
            break;
          }
          case 'k':
            rgb[p] = 0;
            rgb[p + 1] = 0;
            rgb[p + 2] = 0;
            break;
          case 'o':
            overlay++;
            if (col >= chipArea.left && col < chipArea.left + chipArea.width && row >= chipArea.top && row < chipArea.top + chipArea.height) chipOverlay++;
            break;
        }
      }
    }
  }
  return { rgb, overlayCoverage: overlay / (width * height), chipAreaClear: chipOverlay === 0 };
}

function checkSize(image: RgbImage): void {
  if (image.width !== cardWidthDots || image.height !== cardHeightDots || image.channels < 3) {
    throw new Error(`a card face is ${cardWidthDots} × ${cardHeightDots} RGB, got ${image.width} × ${image.height} × ${image.channels}`);
  }
}
