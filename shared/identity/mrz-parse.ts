import { compareDates, formatIsoDate, isValidCalendarDate, parseIsoDate, type CalendarDate } from '../domain/calendar-date';
import { checkPasses, checkSpecs, expectedDigit, fieldAt, geometry, placeDocumentNumber, type CheckSpec } from './mrz-layout';
import { normaliseMrzText } from './mrz-normalise';
import {
  mrzLayouts,
  type MrzCheckName,
  type MrzChecks,
  type MrzError,
  type MrzFieldName,
  type MrzFields,
  type MrzFormat,
  type MrzParseOptions,
  type MrzParseResult,
  type MrzSuggestion,
} from './mrz-types';

/**
 * Parses an ICAO 9303 MRZ. Never throws, never "corrects": every failed check digit is reported on its
 * own, and a likely OCR confusion that would make it pass is offered as a suggestion.
 */
export function parseMrz(text: string, options: MrzParseOptions = {}): MrzParseResult {
  const { lines, errors } = normaliseMrzText(typeof text === 'string' ? text : '');
  const reference = resolveReference(options.referenceDate, errors);
  const shape = detectFormat(lines, errors);
  if (shape === null) {
    return { valid: false, format: null, fields: emptyFields, checks: failedChecks, errors, suggestions: [], lines };
  }
  const { format } = shape;
  const zone = shape.lines;
  const g = geometry[format];
  const first = zone[0] ?? '';
  const numberPlacement = placeDocumentNumber(format, zone);
  if (numberPlacement.malformedOverflow) {
    errors.push({
      field: 'documentNumber',
      line: g.optionalLine + 1,
      column: g.optionalStart + 1,
      message: 'document number: the check-digit position holds < (a long number) but no overflow follows',
    });
  }

  let documentNumber = '';
  for (const s of numberPlacement.segments) documentNumber += (zone[s.line] ?? '').slice(s.start, s.end);
  const dataLine = zone[g.birthLine] ?? '';
  const optionalLine = zone[g.optionalLine] ?? '';
  const nameLine = format === 'TD1' ? (zone[2] ?? '') : first.slice(5);
  const nameSplit = nameLine.indexOf('<<');

  checkLetters(format, zone, 0, 0, 2, 'documentCode', errors);
  checkLetters(format, zone, 0, 2, 5, 'issuingState', errors);
  checkLetters(format, zone, g.birthLine, g.nationalityStart, g.nationalityStart + 3, 'nationality', errors);
  checkLetters(format, zone, format === 'TD1' ? 2 : 0, format === 'TD1' ? 0 : 5, mrzLayouts[format].length, 'surname', errors);

  const birth = readDate(dataLine, g.birthStart, g.birthLine, 'birthDate', errors);
  const expiry = readDate(dataLine, g.expiryStart, g.birthLine, 'expiryDate', errors);
  const dateAt = (field: 'birthDate' | 'expiryDate', start: number) => ({ field, line: g.birthLine + 1, column: start + 1 });
  const expiryDate = expiry === null ? null : existing(resolveExpiry(expiry, reference), dateAt('expiryDate', g.expiryStart), errors);
  const birthDate = birth === null ? null : existing(resolveBirth(birth, reference ?? expiryDate), dateAt('birthDate', g.birthStart), errors);
  if (birthDate !== null && expiryDate !== null && compareDates(birthDate, expiryDate) > 0) {
    errors.push({ field: 'expiryDate', line: g.birthLine + 1, column: g.expiryStart + 1, message: 'expiry date: before the birth date' });
  }

  const fields: MrzFields = {
    documentCode: trimFillers(first.slice(0, 2)),
    issuingState: trimFillers(first.slice(2, 5)),
    documentNumber: trimFillers(documentNumber),
    birthDate: birthDate === null ? null : formatIsoDate(birthDate),
    sex: readSex(dataLine, g.sexColumn, g.birthLine, errors),
    expiryDate: expiryDate === null ? null : formatIsoDate(expiryDate),
    nationality: trimFillers(dataLine.slice(g.nationalityStart, g.nationalityStart + 3)),
    surname: nameText(nameSplit === -1 ? nameLine : nameLine.slice(0, nameSplit)),
    givenNames: nameSplit === -1 ? '' : nameText(nameLine.slice(nameSplit + 2)),
    optionalData: trimFillers(optionalLine.slice(numberPlacement.optionalStart, g.optionalEnd)),
    optionalData2: format === 'TD1' ? trimFillers(dataLine.slice(18, 29)) : '',
  };

  const specs = checkSpecs(format, numberPlacement);
  const passed = specs.map((spec) => checkPasses(spec, zone));
  let allPassed = true;
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i];
    if (spec !== undefined && passed[i] !== true) {
      allPassed = false;
      errors.push(checkError(spec, zone));
    }
  }
  const checks = checksObject(format, passed);
  const suggestions: MrzSuggestion[] = allPassed && errors.length === 0 ? [] : suggest(format, zone, specs, passed);
  return { valid: errors.length === 0, format, fields, checks, errors, suggestions, lines: zone };
}

const emptyFields: MrzFields = {
  documentCode: '',
  issuingState: '',
  documentNumber: '',
  birthDate: null,
  sex: null,
  expiryDate: null,
  nationality: '',
  surname: '',
  givenNames: '',
  optionalData: '',
  optionalData2: '',
};

const failedChecks: MrzChecks = { documentNumber: false, birthDate: false, expiryDate: false, composite: false };

const checkLabels: Readonly<Record<MrzCheckName, string>> = {
  documentNumber: 'document number',
  birthDate: 'birth date',
  expiryDate: 'expiry date',
  optionalData: 'optional data',
  composite: 'composite',
};

/** Line counts and lengths decide the format; a zone pasted as one line is split when its length is exact. */
function detectFormat(lines: readonly string[], errors: MrzError[]): { format: MrzFormat; lines: readonly string[] } | null {
  const [a = '', b = '', c = ''] = lines;
  if (lines.length === 2 && a.length === 44 && b.length === 44) return { format: 'TD3', lines };
  if (lines.length === 2 && a.length === 36 && b.length === 36) return { format: 'TD2', lines };
  if (lines.length === 3 && a.length === 30 && b.length === 30 && c.length === 30) return { format: 'TD1', lines };
  if (lines.length === 1) {
    for (const format of ['TD1', 'TD2', 'TD3'] as const) {
      const layout = mrzLayouts[format];
      if (a.length === layout.lines * layout.length) {
        const split: string[] = [];
        for (let i = 0; i < layout.lines; i++) split.push(a.slice(i * layout.length, (i + 1) * layout.length));
        return { format, lines: split };
      }
    }
  }
  if (lines.length === 0) {
    errors.push({ message: 'no MRZ lines: expected 3×30 (TD1), 2×36 (TD2) or 2×44 (TD3) characters' });
    return null;
  }
  if (lines.length > 3) {
    errors.push({ line: 4, message: `${lines.length} lines: an MRZ has 2 (TD2, TD3) or 3 (TD1)` });
    return null;
  }
  const intended = intendedFormat(lines);
  const expected = mrzLayouts[intended];
  if (lines.length !== expected.lines) {
    errors.push({ message: `${lines.length} line(s): ${intended} has ${expected.lines} lines of ${expected.length} characters` });
  }
  lines.forEach((line, index) => {
    if (line.length !== expected.length) {
      errors.push({
        line: index + 1,
        column: Math.min(line.length, expected.length) + 1,
        message: `line ${index + 1} has ${line.length} characters; ${intended} lines have ${expected.length}`,
      });
    }
  });
  return null;
}

/** The format a malformed zone was most likely meant to be, for naming what is wrong with it. */
function intendedFormat(lines: readonly string[]): MrzFormat {
  if (lines.length === 3) return 'TD1';
  const longest = Math.max(...lines.map((line) => line.length));
  const formats = ['TD3', 'TD2', 'TD1'] as const; // ties go to the passport
  const size = (format: MrzFormat) => (lines.length === 1 ? mrzLayouts[format].lines : 1) * mrzLayouts[format].length;
  let best: MrzFormat = lines[0]?.startsWith('P') === true ? 'TD3' : 'TD2';
  for (const format of formats) {
    if (Math.abs(longest - size(format)) < Math.abs(longest - size(best))) best = format;
  }
  return best;
}

function resolveReference(value: CalendarDate | string | undefined, errors: MrzError[]): CalendarDate | null {
  if (value === undefined) return null;
  if (typeof value === 'string') {
    const parsed = parseIsoDate(value);
    if (parsed === null) errors.push({ message: `reference date '${value}' is not a YYYY-MM-DD date` });
    return parsed;
  }
  if (!isValidCalendarDate(value.year, value.month, value.day)) {
    errors.push({ message: 'reference date is not a valid calendar date' });
    return null;
  }
  return value;
}

interface TwoDigitDate {
  readonly yy: number;
  readonly month: number;
  readonly day: number;
}

const DIGIT_0 = 48;
const FILLER = 60;

/** YYMMDD; null for unknown (`<` fillers, no error) or unreadable (error). */
function readDate(line: string, start: number, lineIndex: number, field: 'birthDate' | 'expiryDate', errors: MrzError[]): TwoDigitDate | null {
  let unknown = false;
  const digits = [0, 0, 0, 0, 0, 0];
  for (let i = 0; i < 6; i++) {
    const code = line.charCodeAt(start + i);
    if (code === FILLER) {
      unknown = true;
    } else if (code >= DIGIT_0 && code <= DIGIT_0 + 9) {
      digits[i] = code - DIGIT_0;
    } else {
      errors.push({
        field,
        line: lineIndex + 1,
        column: start + i + 1,
        message: `${checkLabels[field]}: '${line[start + i] ?? ''}' at line ${lineIndex + 1}, column ${start + i + 1} is not a digit`,
      });
      return null;
    }
  }
  if (unknown) return null;
  const [y1 = 0, y2 = 0, m1 = 0, m2 = 0, d1 = 0, d2 = 0] = digits;
  const date = { yy: y1 * 10 + y2, month: m1 * 10 + m2, day: d1 * 10 + d2 };
  // 29 February is valid in a leap year of either century (2000 was leap); the century check follows.
  if (!isValidCalendarDate(2000 + date.yy, date.month, date.day) && !isValidCalendarDate(1900 + date.yy, date.month, date.day)) {
    errors.push({
      field,
      line: lineIndex + 1,
      column: start + 1,
      message: `${checkLabels[field]}: ${line.slice(start, start + 6)} is not a date (YYMMDD)`,
    });
    return null;
  }
  return date;
}

/**
 * A birth date lies in the past: the latest real day with these digits not after the reference (000229 read
 * on 2100-03-01 is 2000-02-29: 2100 has no 29 February). Without a reference, 19yy.
 */
function resolveBirth(date: TwoDigitDate, reference: CalendarDate | null): CalendarDate {
  if (reference === null) return { year: 1900 + date.yy, month: date.month, day: date.day };
  const latest = { year: latestYearEndingIn(date.yy, reference.year), month: date.month, day: date.day };
  // Four centuries hold every leap day; a reference in the first centuries may leave none (reported).
  for (let back = 0; back < 4; back++) {
    const candidate = { ...latest, year: latest.year - 100 * back };
    if (compareDates(candidate, reference) <= 0 && isValidCalendarDate(candidate.year, candidate.month, candidate.day)) return candidate;
  }
  return { ...latest, year: latest.year - 100 };
}

/** The latest year ≤ `atMost` whose last two digits are `yy`. */
function latestYearEndingIn(yy: number, atMost: number): number {
  return atMost - ((((atMost - yy) % 100) + 100) % 100);
}

/**
 * An expiry lies within a document's validity window: no travel or residence document runs longer than
 * 10 years (20 leaves room for extensions and odd issuers), so a later date is the previous century's
 * (an old, long-expired document); everything else reaches back the remaining 80 years.
 */
export const MAX_VALIDITY_YEARS = 20;

function resolveExpiry(date: TwoDigitDate, reference: CalendarDate | null): CalendarDate {
  const year = reference === null ? 2000 + date.yy : latestYearEndingIn(date.yy, reference.year + MAX_VALIDITY_YEARS);
  return { year, month: date.month, day: date.day };
}

/**
 * The year an expiry's window gives (or 19yy for a birth date read without a reference) may lack the day:
 * 29 February 1900 and 2100 never were. The window is not bent to fit (that would be a guess): the date is
 * reported and left empty.
 */
function existing(date: CalendarDate, at: { field: 'birthDate' | 'expiryDate'; line: number; column: number }, errors: MrzError[]): CalendarDate | null {
  if (isValidCalendarDate(date.year, date.month, date.day)) return date;
  errors.push({ ...at, message: `${checkLabels[at.field]}: ${formatIsoDate(date)} does not exist (${date.year} is not a leap year)` });
  return null;
}

function readSex(line: string, column: number, lineIndex: number, errors: MrzError[]): 'M' | 'F' | null {
  const char = line[column] ?? '';
  if (char === 'M' || char === 'F') return char;
  if (char === '<' || char === 'X') return null;
  errors.push({
    field: 'sex',
    line: lineIndex + 1,
    column: column + 1,
    message: `sex: '${char}' at line ${lineIndex + 1}, column ${column + 1} is not M, F, X or <`,
  });
  return null;
}

/** Letter-only fields: a digit there is an error (OCR confusions are offered as suggestions). */
function checkLetters(format: MrzFormat, zone: readonly string[], lineIndex: number, start: number, end: number, field: MrzFieldName, errors: MrzError[]): void {
  const line = zone[lineIndex] ?? '';
  for (let i = start; i < end; i++) {
    const code = line.charCodeAt(i);
    if (code >= DIGIT_0 && code <= DIGIT_0 + 9) {
      const actual = field === 'surname' ? fieldAt(format, zone, lineIndex, i) : field;
      errors.push({
        field: actual,
        line: lineIndex + 1,
        column: i + 1,
        message: `${actual}: '${line[i] ?? ''}' at line ${lineIndex + 1}, column ${i + 1} is not a letter`,
      });
    }
  }
}

function checkError(spec: CheckSpec, zone: readonly string[]): MrzError {
  const expected = expectedDigit(spec, zone);
  const actual = (zone[spec.digitLine] ?? '')[spec.digitColumn] ?? '';
  const label = checkLabels[spec.name];
  const where = `line ${spec.digitLine + 1}, column ${spec.digitColumn + 1}`;
  return {
    field: spec.name,
    line: spec.digitLine + 1,
    column: spec.digitColumn + 1,
    message: Number.isNaN(expected)
      ? `${label} check digit (${where}) cannot be computed: the data holds an unreadable character`
      : `${label} check digit (${where}) is '${actual}', the data calls for ${expected}`,
  };
}

function checksObject(format: MrzFormat, passed: readonly boolean[]): MrzChecks {
  const [documentNumber = false, birthDate = false, expiryDate = false] = passed;
  if (format === 'TD3') {
    return { documentNumber, birthDate, expiryDate, optionalData: passed[3] === true, composite: passed[4] === true };
  }
  return { documentNumber, birthDate, expiryDate, composite: passed[3] === true };
}

/** Characters that OCR confuses in MRZ fonts (OCR-B). */
const confusions: Readonly<Record<string, string>> = { O: '0', '0': 'O', I: '1', '1': 'I', B: '8', '8': 'B', S: '5', '5': 'S' };

/**
 * Tries each single confusion on the positions of the failing checks and of letter fields holding digits,
 * and suggests those that make a failing check pass without breaking a passing one.
 */
function suggest(format: MrzFormat, zone: readonly string[], specs: readonly CheckSpec[], passed: readonly boolean[]): MrzSuggestion[] {
  const suggestions: MrzSuggestion[] = [];
  const seen = new Set<string>();
  const g = geometry[format];
  const numeric = new Set<number>();
  for (let i = 0; i < 6; i++) numeric.add(g.birthLine * 100 + g.birthStart + i).add(g.birthLine * 100 + g.expiryStart + i);
  for (const spec of specs) numeric.add(spec.digitLine * 100 + spec.digitColumn);
  const consider = (line: number, column: number): void => {
    const key = `${line}:${column}`;
    if (seen.has(key)) return;
    seen.add(key);
    const from = zone[line]?.[column] ?? '';
    const to = confusions[from];
    if (to === undefined) return;
    const field = fieldAt(format, zone, line, column);
    const letterField = isLetterField(field);
    const toDigit = to >= '0' && to <= '9';
    // A date or check digit is never a letter, a name or country code never a digit.
    if ((!toDigit && numeric.has(line * 100 + column)) || (toDigit && letterField)) return;
    const changed = zone.map((text, index) => (index === line ? text.slice(0, column) + to + text.slice(column + 1) : text));
    const changedSpecs = checkSpecs(format, placeDocumentNumber(format, changed));
    const fixes: MrzCheckName[] = [];
    for (let i = 0; i < changedSpecs.length; i++) {
      const spec = changedSpecs[i];
      if (spec === undefined) continue;
      const nowPasses = checkPasses(spec, changed);
      // Every check over the position must agree with the new reading, and none may break.
      if (!nowPasses && (passed[i] === true || covers(spec, line, column))) return;
      if (passed[i] !== true && nowPasses) fixes.push(spec.name);
    }
    if (fixes.length === 0 && !letterField) return;
    const effect =
      fixes.length > 0 ? `the ${fixes.map((name) => checkLabels[name]).join(' and ')} check${fixes.length > 1 ? 's pass' : ' passes'}` : `${field} reads as letters`;
    suggestions.push({
      field,
      line: line + 1,
      column: column + 1,
      from,
      to,
      fixes,
      message: `line ${line + 1}, column ${column + 1}: if '${from}' is read as '${to}', ${effect}`,
    });
  };
  specs.forEach((spec, index) => {
    if (passed[index] === true) return;
    for (const s of spec.segments) for (let c = s.start; c < s.end; c++) consider(s.line, c);
    consider(spec.digitLine, spec.digitColumn);
  });
  zone.forEach((text, line) => {
    for (let column = 0; column < text.length; column++) {
      const code = text.charCodeAt(column);
      if (code >= DIGIT_0 && code <= DIGIT_0 + 9) {
        if (isLetterField(fieldAt(format, zone, line, column))) consider(line, column);
      }
    }
  });
  // The likeliest first: a reading that satisfies more checks.
  return suggestions.sort((a, b) => b.fixes.length - a.fixes.length);
}

function covers(spec: CheckSpec, line: number, column: number): boolean {
  if (spec.digitLine === line && spec.digitColumn === column) return true;
  return spec.segments.some((s) => s.line === line && column >= s.start && column < s.end);
}

function isLetterField(field: MrzFieldName): boolean {
  return field === 'documentCode' || field === 'issuingState' || field === 'nationality' || field === 'surname' || field === 'givenNames';
}

function trimFillers(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === FILLER) end--;
  return end === text.length ? text : text.slice(0, end);
}

/** `<` separates name parts (one space however many fillers); trailing fillers go. */
function nameText(text: string): string {
  let out = '';
  let pendingSpace = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charAt(i);
    if (char === '<') {
      pendingSpace = out.length > 0;
      continue;
    }
    if (pendingSpace) out += ' ';
    pendingSpace = false;
    out += char;
  }
  return out;
}
