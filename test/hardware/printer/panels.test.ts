import { describe, expect, it } from 'vitest';
import { defaultBlackThreshold, imageToYmckoPanels, overlayFacts, panelsToImage, unpackPanel, type RgbImage } from '../../../hardware/printer/panels';
import { cardHeightDots, cardWidthDots } from '../../../hardware/printer/types';

/** A card face of every colour: a deterministic pseudo-random RGB(A) image, with some near-black neutral pixels. */
function noisyCard(channels: 3 | 4, seed: number): RgbImage {
  const data = new Uint8Array(cardWidthDots * cardHeightDots * channels);
  let state = seed;
  const next = (): number => {
    state = (state * 1103515245 + 12345) >>> 0;
    return state >>> 24;
  };
  for (let p = 0; p < data.length; p += channels) {
    if (next() < 40) {
      const grey = next() % 80;
      data[p] = grey;
      data[p + 1] = grey + (next() % 8);
      data[p + 2] = grey;
    } else {
      data[p] = next();
      data[p + 1] = next();
      data[p + 2] = next();
    }
    if (channels === 4) data[p + 3] = next();
  }
  return { width: cardWidthDots, height: cardHeightDots, channels, data };
}

/** What one pixel should print, straight from the rule: near-black neutral → K, else C, M, Y from the missing light. */
function expectedDot(image: RgbImage, dot: number, levels: number): { c: number; m: number; y: number; k: number } {
  const line = Math.floor(dot / cardHeightDots);
  const row = dot % cardHeightDots;
  const p = (row * cardWidthDots + line) * image.channels;
  const [r, g, b] = [image.data[p]!, image.data[p + 1]!, image.data[p + 2]!];
  const hi = Math.max(r, g, b);
  if (hi <= defaultBlackThreshold && hi - Math.min(r, g, b) <= 48) return { c: 0, m: 0, y: 0, k: 1 };
  const ink = (v: number): number => Math.round(((255 - v) * (levels - 1)) / 255);
  return { c: ink(r), m: ink(g), y: ink(b), k: 0 };
}

describe('imageToYmckoPanels', () => {
  for (const [channels, levels] of [[3, 32], [4, 32], [3, 64]] as const) {
    it(`puts every pixel on the right panel and line (${channels} channels, ${levels} levels)`, () => {
      const image = noisyCard(channels, channels * 100 + levels);
      const [y, m, c, k, o] = imageToYmckoPanels(image, { colourLevels: levels });
      expect([y, m, c, k, o].map((panel) => `${panel!.name}${panel!.levels}`)).toEqual([`y${levels}`, `m${levels}`, `c${levels}`, 'k2', 'o2']);
      const values = { y: unpackPanel(y!), m: unpackPanel(m!), c: unpackPanel(c!), k: unpackPanel(k!) };
      const wrong: string[] = [];
      for (let dot = 0; dot < cardWidthDots * cardHeightDots && wrong.length < 5; dot++) {
        const want = expectedDot(image, dot, levels);
        const got = { c: values.c[dot]!, m: values.m[dot]!, y: values.y[dot]!, k: values.k[dot]! };
        if (got.c !== want.c || got.m !== want.m || got.y !== want.y || got.k !== want.k) wrong.push(`dot ${dot}: ${JSON.stringify(got)} ≠ ${JSON.stringify(want)}`);
      }
      expect(wrong).toEqual([]);
    });
  }

  it('prints the pixels an image lacks as white', () => {
    const short = { width: cardWidthDots, height: cardHeightDots, channels: 3, data: new Uint8Array(cardWidthDots * 3).fill(0) };
    const [, , c, k] = imageToYmckoPanels(short);
    // The first row (dot 0 of every line) is black, the rest missing: no ink.
    expect(unpackPanel(k!)[0]).toBe(1);
    expect(unpackPanel(k!)[1]).toBe(0);
    expect(unpackPanel(c!).every((v) => v === 0)).toBe(true);
  });
});

describe('overlayFacts', () => {
  it('reports the overlay coverage and chip area as decoding the panels does', () => {
    const image = noisyCard(3, 7);
    const holes = [undefined, null, { left: 0, top: 0, width: 40, height: 30 }, { left: 120, top: 220, width: 60, height: 60 }] as const;
    for (const hole of holes) {
      const panels = imageToYmckoPanels(image, hole === undefined ? {} : { overlayHole: hole });
      const { overlayCoverage, chipAreaClear } = panelsToImage(panels);
      expect(overlayFacts(panels), JSON.stringify(hole)).toEqual({ overlayCoverage, chipAreaClear });
    }
  });
});
