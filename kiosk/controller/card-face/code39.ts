/**
 * Code 39 barcodes: 9 elements a character (bar, space, … bar), three of them wide, with a narrow
 * space between characters and `*` at both ends. Chosen for the card number because every
 * hand-held scanner reads it and it needs no checksum.
 */
const patterns: Record<string, string> = {
  '0': '000110100', '1': '100100001', '2': '001100001', '3': '101100000', '4': '000110001',
  '5': '100110000', '6': '001110000', '7': '000100101', '8': '100100100', '9': '001100100',
  A: '100001001', B: '001001001', C: '101001000', D: '000011001', E: '100011000', F: '001011000',
  G: '000001101', H: '100001100', I: '001001100', J: '000011100', K: '100000011', L: '001000011',
  M: '101000010', N: '000010011', O: '100010010', P: '001010010', Q: '000000111', R: '100000110',
  S: '001000110', T: '000010110', U: '110000001', V: '011000001', W: '111000000', X: '010010001',
  Y: '110010000', Z: '011010000', '-': '010000101', '.': '110000100', ' ': '011000100', '*': '010010100',
};

export interface Bar {
  /** Offset from the start, in narrow-module units. */
  readonly at: number;
  readonly width: number;
}

export interface Code39 {
  readonly bars: readonly Bar[];
  /** Total width in narrow-module units. */
  readonly modules: number;
}

/** The bars of `text`, or undefined when it has characters Code 39 cannot carry. */
export function code39(text: string, wideRatio = 3): Code39 | undefined {
  const upper = text.toUpperCase();
  if ([...upper].some((c) => c === '*' || patterns[c] === undefined)) return undefined;
  const bars: Bar[] = [];
  let at = 0;
  for (const char of `*${upper}*`) {
    const pattern = patterns[char] ?? '';
    for (let i = 0; i < pattern.length; i++) {
      const width = pattern[i] === '1' ? wideRatio : 1;
      if (i % 2 === 0) bars.push({ at, width });
      at += width;
    }
    at += 1; // gap between characters
  }
  return { bars, modules: at - 1 };
}
