/**
 * ICAO 9303 Part 3 check digits: `0`–`9` count as their value, `A`–`Z` as 10–35, `<` as 0; weights 7, 3, 1
 * repeating; the sum mod 10. Any other character has no value (NaN), so a check over it can never pass.
 */
const charValues = (() => {
  const values = new Float64Array(128).fill(Number.NaN);
  for (let i = 0; i < 10; i++) values[48 + i] = i;
  for (let i = 0; i < 26; i++) values[65 + i] = 10 + i;
  values[60] = 0; // '<'
  return values;
})();

export function mrzCharValue(code: number): number {
  return code < 128 ? (charValues[code] ?? Number.NaN) : Number.NaN;
}

/** Weighted sum of `text[start, end)` with the weights (7, 3, 1) starting at `weightOffset`; NaN over a bad character. */
export function mrzWeightedSum(text: string, start: number, end: number, weightOffset = 0): number {
  let sum = 0;
  let w = weightOffset % 3;
  for (let i = start; i < end; i++) {
    const value = mrzCharValue(text.charCodeAt(i));
    sum += w === 0 ? value * 7 : w === 1 ? value * 3 : value;
    w = w === 2 ? 0 : w + 1;
  }
  return sum;
}

/** The check digit of `text` (or of `text[start, end)`); NaN when a character has no value. */
export function mrzCheckDigit(text: string, start = 0, end = text.length): number {
  return mrzWeightedSum(text, start, end) % 10;
}

/** A segment of an MRZ line, `[start, end)` zero-based, that a composite check digit covers. */
export interface MrzSegment {
  readonly line: number; // zero-based
  readonly start: number;
  readonly end: number;
}

/** The composite check digit over several segments, the weights running on across them. */
export function mrzCompositeCheckDigit(lines: readonly string[], segments: readonly MrzSegment[]): number {
  let sum = 0;
  let offset = 0;
  for (const segment of segments) {
    sum += mrzWeightedSum(lines[segment.line] ?? '', segment.start, segment.end, offset);
    offset += segment.end - segment.start;
  }
  return sum % 10;
}
