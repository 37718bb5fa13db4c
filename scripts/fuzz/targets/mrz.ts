import fc from 'fast-check';
import { compareDates, isValidCalendarDate, parseIsoDate, type CalendarDate } from '../../../shared/domain/calendar-date';
import { buildMrz, mrzCheckDigit, mrzLayouts, parseMrz, type MrzFormat, type MrzParseResult } from '../../../shared/identity/mrz';
import type { FuzzTarget } from '../target';

/**
 * The MRZ parser fed real zones (TD1 resident cards, TD3 passports, built with `buildMrz` for Taiwanese,
 * Vietnamese and Indonesian holders), their mutations as a scanner or a clerk would make them, and
 * arbitrary text. Its promises: an accepted zone has every check digit right (recomputed here from the
 * ICAO positions, not from the parser's own tables) and real dates in order; a refusal names what and
 * where; a changed check digit is always refused, on that digit; line-ending and case noise change nothing.
 */

interface Holder {
  readonly surname: string;
  readonly givenNames: string;
  readonly nationality: string;
}

const holders: readonly Holder[] = [
  { surname: 'CHEN', givenNames: 'MEI-LING', nationality: 'TWN' },
  { surname: 'Wang', givenNames: 'Xiao Ming', nationality: 'TWN' },
  { surname: 'LIN', givenNames: '', nationality: 'TWN' },
  { surname: 'Nguyễn', givenNames: 'Thị Minh Khai', nationality: 'VNM' },
  { surname: 'Trần', givenNames: 'Đức Anh', nationality: 'VNM' },
  { surname: 'Phạm', givenNames: 'Văn Hùng Dũng Quốc Bảo Long', nationality: 'VNM' },
  { surname: 'SUKARNO', givenNames: '', nationality: 'IDN' },
  { surname: 'Siti', givenNames: 'Nurhaliza binti Abdullah', nationality: 'IDN' },
  { surname: "Ma'ruf", givenNames: 'Dewi', nationality: 'IDN' },
];

const date = (from: number, to: number): fc.Arbitrary<string> =>
  fc
    .tuple(fc.integer({ min: from, max: to }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }))
    .filter(([y, m, d]) => isValidCalendarDate(y, m, d))
    .map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);

interface RealZone {
  readonly format: 'TD1' | 'TD3';
  readonly lines: readonly string[];
}

/** TD1: ARC / resident card (`AC`, `ID`, `I<`), long numbers too; TD3: passports. */
const realZone: fc.Arbitrary<RealZone> = fc
  .record({
    format: fc.constantFrom('TD1' as const, 'TD3' as const),
    holder: fc.constantFrom(...holders),
    code: fc.constantFrom('P', 'AC', 'ID', 'I'),
    state: fc.constantFrom('TWN', 'VNM', 'IDN', 'D'),
    number: fc.stringMatching(/^[A-Z0-9]{6,9}$/),
    longNumber: fc.stringMatching(/^[A-Z0-9]{10,14}$/),
    long: fc.boolean(),
    birth: date(1930, 2024),
    years: fc.integer({ min: 1, max: 10 }),
    sex: fc.constantFrom('M' as const, 'F' as const, null),
    optional: fc.stringMatching(/^[A-Z0-9]{0,8}$/),
  })
  .chain((r) => {
    const birthYear = Number(r.birth.slice(0, 4));
    return date(Math.max(birthYear + 1, 2015), Math.max(birthYear + 1, 2015) + r.years).map((expiry) => ({ ...r, expiry }));
  })
  .map((r) => {
    const built = buildMrz(
      {
        documentCode: r.format === 'TD3' ? 'P' : r.code === 'P' ? 'ID' : r.code,
        issuingState: r.state,
        documentNumber: r.format === 'TD1' && r.long ? r.longNumber : r.number,
        birthDate: r.birth,
        sex: r.sex,
        expiryDate: r.expiry,
        nationality: r.holder.nationality,
        surname: r.holder.surname,
        givenNames: r.holder.givenNames,
        optionalData: r.format === 'TD1' && r.long ? '' : r.optional,
      },
      r.format,
    );
    if (!built.ok) throw new Error(`fixture did not build: ${JSON.stringify(built.error)}`);
    return { format: r.format, lines: built.value };
  });

type Mutation =
  | { readonly kind: 'check-digit'; readonly which: number; readonly by: number }
  | { readonly kind: 'ocr'; readonly line: number; readonly column: number }
  | { readonly kind: 'filler-as-space'; readonly line: number; readonly column: number }
  | { readonly kind: 'line-endings'; readonly ending: string; readonly trailing: boolean; readonly lower: boolean; readonly padding: string }
  | { readonly kind: 'truncate'; readonly line: number; readonly keep: number }
  | { readonly kind: 'extra-line'; readonly text: string }
  | { readonly kind: 'drop-line'; readonly line: number }
  | { readonly kind: 'splice'; readonly line: number; readonly column: number; readonly remove: number; readonly text: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('check-digit' as const), which: fc.nat(), by: fc.integer({ min: 1, max: 9 }) }),
  fc.record({ kind: fc.constant('ocr' as const), line: fc.nat(2), column: fc.nat(43) }),
  fc.record({ kind: fc.constant('filler-as-space' as const), line: fc.nat(2), column: fc.nat(43) }),
  fc.record({
    kind: fc.constant('line-endings' as const),
    ending: fc.constantFrom('\n', '\r\n', '\r', '\n\n', '\r\n\r\n'),
    trailing: fc.boolean(),
    lower: fc.boolean(),
    padding: fc.constantFrom('', ' ', '\t', '  ', '\u3000'),
  }),
  fc.record({ kind: fc.constant('truncate' as const), line: fc.nat(2), keep: fc.nat(44) }),
  fc.record({ kind: fc.constant('extra-line' as const), text: fc.oneof(fc.stringMatching(/^[A-Z0-9<]{0,44}$/), fc.string({ maxLength: 44 })) }),
  fc.record({ kind: fc.constant('drop-line' as const), line: fc.nat(2) }),
  fc.record({ kind: fc.constant('splice' as const), line: fc.nat(2), column: fc.nat(44), remove: fc.nat(3), text: fc.string({ maxLength: 3, unit: fc.constantFrom(...'<0O1I8B5S ÀàA\u0000\uD800\u{1F600}'.split('')) }) }),
);

const confusions: Readonly<Record<string, string>> = { '0': 'O', O: '0', '1': 'I', I: '1', '8': 'B', B: '8', '5': 'S', S: '5', '<': 'K' };

/** The ICAO check-digit positions, zero-based: [line, column, segments covered]. Written out here on purpose. */
type Check = { readonly name: string; readonly line: number; readonly column: number; readonly covers: readonly (readonly [number, number, number])[] };
const icaoChecks: Readonly<Record<MrzFormat, readonly Check[]>> = {
  TD1: [
    { name: 'documentNumber', line: 0, column: 14, covers: [[0, 5, 14]] },
    { name: 'birthDate', line: 1, column: 6, covers: [[1, 0, 6]] },
    { name: 'expiryDate', line: 1, column: 14, covers: [[1, 8, 14]] },
    { name: 'composite', line: 1, column: 29, covers: [[0, 5, 30], [1, 0, 7], [1, 8, 15], [1, 18, 29]] },
  ],
  TD2: [
    { name: 'documentNumber', line: 1, column: 9, covers: [[1, 0, 9]] },
    { name: 'birthDate', line: 1, column: 19, covers: [[1, 13, 19]] },
    { name: 'expiryDate', line: 1, column: 27, covers: [[1, 21, 27]] },
    { name: 'composite', line: 1, column: 35, covers: [[1, 0, 10], [1, 13, 20], [1, 21, 35]] },
  ],
  TD3: [
    { name: 'documentNumber', line: 1, column: 9, covers: [[1, 0, 9]] },
    { name: 'birthDate', line: 1, column: 19, covers: [[1, 13, 19]] },
    { name: 'expiryDate', line: 1, column: 27, covers: [[1, 21, 27]] },
    { name: 'optionalData', line: 1, column: 42, covers: [[1, 28, 42]] },
    { name: 'composite', line: 1, column: 43, covers: [[1, 0, 10], [1, 13, 20], [1, 21, 43]] },
  ],
};

const covered = (lines: readonly string[], check: Check): string => check.covers.map(([line, from, to]) => (lines[line] ?? '').slice(from, to)).join('');
const dateStart: Readonly<Record<MrzFormat, { line: number; birth: number; expiry: number }>> = {
  TD1: { line: 1, birth: 0, expiry: 8 },
  TD2: { line: 1, birth: 13, expiry: 21 },
  TD3: { line: 1, birth: 13, expiry: 21 },
};

function mutate(zone: RealZone, m: Mutation): { text: string; expect: 'same' | { field: string; line: number; column: number } | 'any' } {
  const lines = [...zone.lines];
  const replaceAt = (line: number, column: number, to: string): void => {
    const text = lines[line] ?? '';
    lines[line] = text.slice(0, column) + to + text.slice(column + 1);
  };
  switch (m.kind) {
    case 'check-digit': {
      const checks = icaoChecks[zone.format];
      const check = checks[m.which % checks.length] as Check;
      const was = (lines[check.line] ?? '').charAt(check.column);
      // A long TD1 number keeps its digit in the optional data: the `<` here is not a digit to change.
      if (was === '<') return { text: lines.join('\n'), expect: 'same' };
      replaceAt(check.line, check.column, String((Number(was) + m.by) % 10));
      return { text: lines.join('\n'), expect: { field: check.name, line: check.line + 1, column: check.column + 1 } };
    }
    case 'ocr': {
      const line = m.line % lines.length;
      const column = m.column % (lines[line] ?? '').length;
      const to = confusions[(lines[line] ?? '').charAt(column)];
      if (to !== undefined) replaceAt(line, column, to);
      return { text: lines.join('\n'), expect: 'any' };
    }
    case 'filler-as-space': {
      const line = m.line % lines.length;
      const text = lines[line] ?? '';
      const at = text.indexOf('<', m.column % text.length);
      if (at !== -1) replaceAt(line, at, ' ');
      return { text: lines.join('\n'), expect: 'any' };
    }
    case 'line-endings': {
      const shown = lines.map((line) => m.padding + (m.lower ? line.toLowerCase() : line) + m.padding);
      return { text: shown.join(m.ending) + (m.trailing ? m.ending : ''), expect: 'same' };
    }
    case 'truncate': {
      const line = m.line % lines.length;
      lines[line] = (lines[line] ?? '').slice(0, m.keep);
      return { text: lines.join('\n'), expect: 'any' };
    }
    case 'extra-line':
      return { text: [...lines, m.text].join('\n'), expect: 'any' };
    case 'drop-line':
      lines.splice(m.line % lines.length, 1);
      return { text: lines.join('\n'), expect: 'any' };
    case 'splice': {
      const line = m.line % lines.length;
      const text = lines[line] ?? '';
      lines[line] = text.slice(0, m.column) + m.text + text.slice(m.column + m.remove);
      return { text: lines.join('\n'), expect: 'any' };
    }
  }
}

interface Input {
  readonly text: string;
  readonly reference: string | undefined;
  readonly expect: 'same' | { field: string; line: number; column: number } | 'any';
  readonly original: string | null;
}

const reference = fc.option(date(1990, 2060), { nil: undefined });
const mrzAlphabet = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<<<<<<'.split(''));

export const target: FuzzTarget<Input> = {
  name: 'mrz',
  subject: 'shared/identity/mrz-parse.ts parseMrz',
  input: fc.oneof(
    { weight: 4, arbitrary: fc.tuple(realZone, mutation, reference).map(([zone, m, ref]): Input => ({ ...mutate(zone, m), reference: ref, original: zone.lines.join('\n') })) },
    { weight: 1, arbitrary: fc.tuple(realZone, reference).map(([zone, ref]): Input => ({ text: zone.lines.join('\n'), reference: ref, expect: 'same', original: zone.lines.join('\n') })) },
    { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 140 }), reference).map(([text, ref]): Input => ({ text, reference: ref, expect: 'any', original: null })) },
    { weight: 1, arbitrary: fc.tuple(fc.string({ unit: 'binary', maxLength: 140 }), reference).map(([text, ref]): Input => ({ text, reference: ref, expect: 'any', original: null })) },
    {
      weight: 2,
      // Zone-shaped noise: the right lengths in the MRZ alphabet, so the checks and dates are reached.
      arbitrary: fc
        .tuple(fc.constantFrom<MrzFormat>('TD1', 'TD2', 'TD3'), fc.array(fc.string({ unit: mrzAlphabet, minLength: 44, maxLength: 44 }), { minLength: 3, maxLength: 3 }), reference)
        .map(([format, raw, ref]): Input => {
          const layout = mrzLayouts[format];
          return { text: raw.slice(0, layout.lines).map((line) => line.slice(0, layout.length)).join('\n'), reference: ref, expect: 'any', original: null };
        }),
    },
  ),
  feed(input) {
    const options = input.reference === undefined ? {} : { referenceDate: input.reference };
    const result = parseMrz(input.text, options);
    if (result.valid) keepsPromises(result, input.reference);
    else refusesClearly(result, input.text);
    if (input.expect === 'same' && input.original !== null) {
      const original = parseMrz(input.original, options);
      if (result.valid !== original.valid || JSON.stringify(result.fields) !== JSON.stringify(original.fields)) {
        throw new Error(`line endings, case or padding changed the reading of ${JSON.stringify(input.original)}`);
      }
    } else if (typeof input.expect === 'object') {
      const { field, line, column } = input.expect;
      if (result.valid) throw new Error(`a wrong ${field} check digit (line ${line}, column ${column}) was accepted`);
      if (!result.errors.some((e) => e.field === field && e.line === line && e.column === column)) {
        throw new Error(`a wrong ${field} check digit (line ${line}, column ${column}) was refused without naming it: ${JSON.stringify(result.errors)}`);
      }
    }
  },
};

function keepsPromises(result: MrzParseResult, referenceText: string | undefined): void {
  const format = result.format;
  if (format === null) throw new Error('accepted with no format');
  const layout = mrzLayouts[format];
  const { lines } = result;
  if (lines.length !== layout.lines || lines.some((line) => line.length !== layout.length || !/^[A-Z0-9<]+$/.test(line))) {
    throw new Error(`accepted ${format} whose lines are not ${layout.lines}×${layout.length} MRZ characters: ${JSON.stringify(lines)}`);
  }
  for (const check of icaoChecks[format]) {
    const digit = (lines[check.line] ?? '').charAt(check.column);
    if (check.name === 'documentNumber' && digit === '<' && format !== 'TD3') continue; // a long number: its digit follows the overflow
    if (check.name === 'optionalData' && digit === '<' && /^<*$/.test(covered(lines, check))) continue;
    const expected = mrzCheckDigit(covered(lines, check));
    if (String(expected) !== digit) throw new Error(`accepted with a wrong ${check.name} check digit: ${JSON.stringify(lines)}`);
  }
  const at = dateStart[format];
  const birth = result.fields.birthDate === null ? null : parseIsoDate(result.fields.birthDate);
  const expiry = result.fields.expiryDate === null ? null : parseIsoDate(result.fields.expiryDate);
  const sameDigits = (value: CalendarDate | null, start: number, text: string | null): void => {
    if (text !== null && value === null) throw new Error(`accepted with the impossible date ${text}`);
    if (value === null) return;
    const yymmdd = (lines[at.line] ?? '').slice(start, start + 6);
    const shown = String(value.year % 100).padStart(2, '0') + String(value.month).padStart(2, '0') + String(value.day).padStart(2, '0');
    if (yymmdd !== shown) throw new Error(`the zone says ${yymmdd}, the fields ${text ?? ''}`);
  };
  sameDigits(birth, at.birth, result.fields.birthDate);
  sameDigits(expiry, at.expiry, result.fields.expiryDate);
  if (birth !== null && expiry !== null && compareDates(birth, expiry) > 0) throw new Error('accepted a document that expires before its holder was born');
  const referenceDate = referenceText === undefined ? null : parseIsoDate(referenceText);
  if (birth !== null && referenceDate !== null && compareDates(birth, referenceDate) > 0) throw new Error(`accepted a birth date ${result.fields.birthDate ?? ''} after the reading day ${referenceText ?? ''}`);
}

function refusesClearly(result: MrzParseResult, text: string): void {
  if (result.errors.length === 0) throw new Error(`refused ${JSON.stringify(text)} without a reason`);
  for (const error of result.errors) {
    if (error.message.trim() === '') throw new Error(`an error with no message for ${JSON.stringify(text)}`);
    if (error.field !== undefined && (error.line === undefined || error.column === undefined)) {
      throw new Error(`an error on ${error.field} says not where: ${error.message}`);
    }
    if ((error.line !== undefined && error.line < 1) || (error.column !== undefined && error.column < 1)) throw new Error(`an error points before the zone: ${JSON.stringify(error)}`);
  }
  const names = ['documentNumber', 'birthDate', 'expiryDate', 'optionalData', 'composite'] as const;
  if (result.format !== null) {
    for (const name of names) {
      if (result.checks[name] === false && !result.errors.some((e) => e.field === name)) throw new Error(`the ${name} check failed without an error naming it`);
    }
  }
}
