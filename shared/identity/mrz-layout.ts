import { mrzWeightedSum, type MrzSegment } from './mrz-check-digit';
import type { MrzCheckName, MrzFieldName, MrzFormat } from './mrz-types';

/**
 * Where each field and check digit sits in TD1, TD2 and TD3 (ICAO 9303 Parts 4–6), zero-based.
 * A long document number (TD1, TD2) overflows into the optional data: its check-digit position holds `<`,
 * and the rest of the number, its check digit and a `<` open the optional data.
 */
export interface CheckSpec {
  readonly name: MrzCheckName;
  readonly segments: readonly MrzSegment[];
  readonly digitLine: number;
  readonly digitColumn: number;
  /** TD3's personal-number check digit may be `<` when the number is all fillers. */
  readonly fillerAllowedWhenEmpty: boolean;
}

export interface DocumentNumberPlacement {
  /** The segments that make up the number (one, or two with an overflow). */
  readonly segments: readonly MrzSegment[];
  readonly digitLine: number;
  readonly digitColumn: number;
  /** Where the optional data begins on its line (after an overflow, its check digit and a `<`). */
  readonly optionalStart: number;
  /** An overflow without room for its check digit. */
  readonly malformedOverflow: boolean;
}

const seg = (line: number, start: number, end: number): MrzSegment => ({ line, start, end });

interface FormatGeometry {
  /** The line holding the document number, its start, and its check digit column. */
  readonly numberLine: number;
  readonly numberStart: number;
  readonly numberCheck: number;
  /** The optional data on the number's line, `[start, end)`: where an overflow goes. */
  readonly optionalLine: number;
  readonly optionalStart: number;
  readonly optionalEnd: number;
  readonly birthLine: number;
  readonly birthStart: number;
  readonly sexColumn: number;
  readonly expiryStart: number;
  readonly nationalityStart: number;
  readonly compositeLine: number;
  readonly compositeColumn: number;
  readonly compositeSegments: readonly MrzSegment[];
}

const td1Composite = [seg(0, 5, 30), seg(1, 0, 7), seg(1, 8, 15), seg(1, 18, 29)];
const td2Composite = [seg(1, 0, 10), seg(1, 13, 20), seg(1, 21, 35)];
const td3Composite = [seg(1, 0, 10), seg(1, 13, 20), seg(1, 21, 43)];

export const geometry: Readonly<Record<MrzFormat, FormatGeometry>> = {
  TD1: {
    numberLine: 0,
    numberStart: 5,
    numberCheck: 14,
    optionalLine: 0,
    optionalStart: 15,
    optionalEnd: 30,
    birthLine: 1,
    birthStart: 0,
    sexColumn: 7,
    expiryStart: 8,
    nationalityStart: 15,
    compositeLine: 1,
    compositeColumn: 29,
    compositeSegments: td1Composite,
  },
  TD2: {
    numberLine: 1,
    numberStart: 0,
    numberCheck: 9,
    optionalLine: 1,
    optionalStart: 28,
    optionalEnd: 35,
    birthLine: 1,
    birthStart: 13,
    sexColumn: 20,
    expiryStart: 21,
    nationalityStart: 10,
    compositeLine: 1,
    compositeColumn: 35,
    compositeSegments: td2Composite,
  },
  TD3: {
    numberLine: 1,
    numberStart: 0,
    numberCheck: 9,
    optionalLine: 1,
    optionalStart: 28,
    optionalEnd: 42,
    birthLine: 1,
    birthStart: 13,
    sexColumn: 20,
    expiryStart: 21,
    nationalityStart: 10,
    compositeLine: 1,
    compositeColumn: 43,
    compositeSegments: td3Composite,
  },
};


const FILLER = 60; // '<'

export function placeDocumentNumber(format: MrzFormat, lines: readonly string[]): DocumentNumberPlacement {
  const g = geometry[format];
  const line = lines[g.numberLine] ?? '';
  const overflows = format !== 'TD3' && line.charCodeAt(g.numberCheck) === FILLER;
  if (!overflows) return plainPlacements[format];
  const base = seg(g.numberLine, g.numberStart, g.numberCheck);
  let end = line.indexOf('<', g.optionalStart);
  if (end === -1 || end > g.optionalEnd) end = g.optionalEnd;
  if (end - g.optionalStart < 2) {
    // No overflow digits before a filler: the check-digit position's `<` simply fails the check.
    return { segments: [base], digitLine: g.numberLine, digitColumn: g.numberCheck, optionalStart: g.optionalStart, malformedOverflow: true };
  }
  return {
    segments: [base, seg(g.optionalLine, g.optionalStart, end - 1)],
    digitLine: g.optionalLine,
    digitColumn: end - 1,
    optionalStart: Math.min(end + 1, g.optionalEnd),
    malformedOverflow: false,
  };
}

/** The usual case, shared: a number that fits its field. */
const plainPlacements: Readonly<Record<MrzFormat, DocumentNumberPlacement>> = {
  TD1: plainPlacement('TD1'),
  TD2: plainPlacement('TD2'),
  TD3: plainPlacement('TD3'),
};

function plainPlacement(format: MrzFormat): DocumentNumberPlacement {
  const g = geometry[format];
  return {
    segments: [seg(g.numberLine, g.numberStart, g.numberCheck)],
    digitLine: g.numberLine,
    digitColumn: g.numberCheck,
    optionalStart: g.optionalStart,
    malformedOverflow: false,
  };
}

const plainSpecs: Readonly<Record<MrzFormat, readonly CheckSpec[]>> = {
  TD1: buildSpecs('TD1', plainPlacements.TD1),
  TD2: buildSpecs('TD2', plainPlacements.TD2),
  TD3: buildSpecs('TD3', plainPlacements.TD3),
};

/** The checks of one zone, in a fixed order: documentNumber, birthDate, expiryDate, [optionalData], composite. */
export function checkSpecs(format: MrzFormat, number: DocumentNumberPlacement): readonly CheckSpec[] {
  return number === plainPlacements[format] ? plainSpecs[format] : buildSpecs(format, number);
}

function buildSpecs(format: MrzFormat, number: DocumentNumberPlacement): CheckSpec[] {
  const g = geometry[format];
  const specs: CheckSpec[] = [
    spec('documentNumber', number.segments, number.digitLine, number.digitColumn),
    spec('birthDate', [seg(g.birthLine, g.birthStart, g.birthStart + 6)], g.birthLine, g.birthStart + 6),
    spec('expiryDate', [seg(g.birthLine, g.expiryStart, g.expiryStart + 6)], g.birthLine, g.expiryStart + 6),
  ];
  if (format === 'TD3') {
    specs.push({ ...spec('optionalData', [seg(1, 28, 42)], 1, 42), fillerAllowedWhenEmpty: true });
  }
  specs.push(spec('composite', g.compositeSegments, g.compositeLine, g.compositeColumn));
  return specs;
}

function spec(name: MrzCheckName, segments: readonly MrzSegment[], digitLine: number, digitColumn: number): CheckSpec {
  return { name, segments, digitLine, digitColumn, fillerAllowedWhenEmpty: false };
}

/** The check digit the data calls for (NaN over an unreadable character). */
export function expectedDigit(check: CheckSpec, lines: readonly string[]): number {
  let sum = 0;
  let offset = 0;
  for (const s of check.segments) {
    sum += mrzWeightedSum(lines[s.line] ?? '', s.start, s.end, offset);
    offset += s.end - s.start;
  }
  return sum % 10;
}

export function checkPasses(check: CheckSpec, lines: readonly string[]): boolean {
  const digit = (lines[check.digitLine] ?? '').charCodeAt(check.digitColumn);
  const expected = expectedDigit(check, lines);
  if (digit === 48 + expected) return true;
  return check.fillerAllowedWhenEmpty && digit === FILLER && allFillers(check, lines);
}

function allFillers(check: CheckSpec, lines: readonly string[]): boolean {
  for (const s of check.segments) {
    const line = lines[s.line] ?? '';
    for (let i = s.start; i < s.end; i++) if (line.charCodeAt(i) !== FILLER) return false;
  }
  return true;
}

/** Which field a position belongs to, for naming errors and suggestions. */
export function fieldAt(format: MrzFormat, lines: readonly string[], line: number, column: number): MrzFieldName {
  const g = geometry[format];
  if (format === 'TD1' && line === 2) return nameFieldAt(lines[2] ?? '', 0, column);
  if (format !== 'TD1' && line === 0) {
    if (column < 5) return column < 2 ? 'documentCode' : 'issuingState';
    return nameFieldAt(lines[0] ?? '', 5, column);
  }
  if (line === 0 && column < 5) return column < 2 ? 'documentCode' : 'issuingState';
  if (line === g.numberLine && column >= g.numberStart && column <= g.numberCheck) return 'documentNumber';
  if (line === g.optionalLine && column >= g.optionalStart && column < g.optionalEnd) {
    const number = placeDocumentNumber(format, lines);
    return number.segments.length > 1 && column <= number.digitColumn ? 'documentNumber' : 'optionalData';
  }
  if (line === g.birthLine) {
    if (column >= g.birthStart && column <= g.birthStart + 6) return 'birthDate';
    if (column === g.sexColumn) return 'sex';
    if (column >= g.expiryStart && column <= g.expiryStart + 6) return 'expiryDate';
    if (column >= g.nationalityStart && column < g.nationalityStart + 3) return 'nationality';
  }
  if (format === 'TD3' && line === 1 && column === 42) return 'optionalData';
  if (format === 'TD1' && line === 1 && column >= 18 && column < 29) return 'optionalData2';
  return 'composite';
}

function nameFieldAt(line: string, start: number, column: number): MrzFieldName {
  const split = line.indexOf('<<', start);
  return split === -1 || column < split ? 'surname' : 'givenNames';
}
