import type { MrzError } from './mrz-types';

/**
 * Scanner and keyboard input arrives with CR/LF, stray spaces, lower case or full-width characters. Folding
 * those is safe; anything else that is not `A`–`Z`, `0`–`9` or `<` is rejected with its line and column, and
 * kept in place (so the other columns still line up and no check over it can pass).
 */
export interface NormalisedMrz {
  readonly lines: string[];
  readonly errors: MrzError[];
}

const cleanLine = /^[A-Z0-9<]+$/;
const whitespace = /^\s$/u;

export function normaliseMrzText(text: string): NormalisedMrz {
  const rawLines = text.indexOf('\r') === -1 ? text.split('\n') : text.split(/\r\n?|\n/);
  const lines: string[] = [];
  const errors: MrzError[] = [];
  for (const raw of rawLines) {
    if (cleanLine.test(raw)) {
      lines.push(raw);
      continue;
    }
    const lineNumber = lines.length + 1;
    let line = '';
    let column = 0;
    for (const char of raw) {
      column++;
      if (whitespace.test(char)) continue;
      const folded = foldChar(char);
      if (folded !== null) {
        line += folded;
        continue;
      }
      errors.push({
        line: lineNumber,
        column,
        message: `line ${lineNumber}, column ${column}: '${char}' is not an MRZ character (A–Z, 0–9, <)`,
      });
      // Keep one character in its place; a lone surrogate or astral character becomes '?'.
      line += char.length === 1 ? char : '?';
    }
    if (line.length > 0) lines.push(line);
  }
  return { lines, errors };
}

function foldChar(char: string): string | null {
  const folded = char.normalize('NFKC').toUpperCase();
  return folded.length === 1 && cleanLine.test(folded) ? folded : null;
}
