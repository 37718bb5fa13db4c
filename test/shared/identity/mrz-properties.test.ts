import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addYears, dateFromDaysSinceEpoch, daysInMonth, daysSinceEpoch, formatIsoDate, isLeapYear, type CalendarDate } from '../../../shared/domain/calendar-date';
import { buildMrz, MAX_VALIDITY_YEARS, parseMrz, type MrzBuildFields, type MrzFormat } from '../../../shared/identity';

const reference = { year: 2026, month: 11, day: 29 };
const widths: Record<MrzFormat, { name: number; optional: number }> = {
  TD1: { name: 30, optional: 15 },
  TD2: { name: 31, optional: 7 },
  TD3: { name: 39, optional: 14 },
};

const two = (n: number) => String(n).padStart(2, '0');
const isoDate = (year: number, month: number, day: number) => `${year}-${two(month)}-${two(day)}`;
// Days 1–28 exist in every month; 29 February has its own example test.
const birthDate = fc.tuple(fc.integer({ min: reference.year - 99, max: reference.year - 1 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }));
const expiryDate = fc.tuple(fc.integer({ min: reference.year + MAX_VALIDITY_YEARS - 99, max: reference.year + MAX_VALIDITY_YEARS }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }));
const word = (max: number) => fc.stringMatching(new RegExp(`^[A-Z]{1,${max}}$`));
const optionalText = (max: number) =>
  fc.stringMatching(/^([A-Z0-9]{1,5}(<[A-Z0-9]{1,5}){0,2})?$/).filter((text) => text.length <= max);

const fieldsFor = (format: MrzFormat, numberLength: { min: number; max: number }) =>
  fc.record({
    documentCode: format === 'TD3' ? fc.constantFrom('P', 'PO') : fc.constantFrom('I', 'ID', 'AC', 'C'),
    issuingState: fc.stringMatching(/^[A-Z]{3}$/),
    documentNumber: fc.stringMatching(new RegExp(`^[A-Z0-9]{${numberLength.min},${numberLength.max}}$`)),
    birthDate: fc.option(birthDate.map(([y, m, d]) => isoDate(y, m, d)), { nil: null }),
    sex: fc.constantFrom<'M' | 'F' | null>('M', 'F', null),
    expiryDate: fc.option(expiryDate.map(([y, m, d]) => isoDate(y, m, d)), { nil: null }),
    nationality: fc.stringMatching(/^[A-Z]{3}$/),
    surname: fc.tuple(word(8), fc.option(word(5), { nil: undefined })).map(([a, b]) => (b === undefined ? a : `${a} ${b}`)),
    givenNames: fc.option(fc.tuple(word(6), fc.option(word(5), { nil: undefined })).map(([a, b]) => (b === undefined ? a : `${a} ${b}`)), { nil: '' }),
    optionalData: optionalText(widths[format].optional),
    optionalData2: format === 'TD1' ? optionalText(11) : fc.constant(''),
  })
    // A document expiring before its holder's birth is refused (its own test); keep to real documents here.
    .filter((fields) => fields.birthDate === null || fields.expiryDate === null || fields.birthDate <= fields.expiryDate);

function expectRoundTrip(fields: MrzBuildFields, format: MrzFormat): void {
  const built = buildMrz(fields, format);
  if (!built.ok) throw new Error(`build failed: ${JSON.stringify(built.error)}`);
  const result = parseMrz(built.value.join('\n'), { referenceDate: reference });
  expect(result.errors).toEqual([]);
  expect(result).toMatchObject({ valid: true, format, suggestions: [] });
  expect(result.fields).toEqual({ ...fields, optionalData2: fields.optionalData2 ?? '' });
  expect(Object.values(result.checks).every((passed) => passed)).toBe(true);
}

describe('MRZ properties', () => {
  for (const format of ['TD1', 'TD2', 'TD3'] as const) {
    it(`build → parse gives back every field (${format})`, () => {
      fc.assert(fc.property(fieldsFor(format, { min: 1, max: 9 }), (fields) => expectRoundTrip(fields, format)), { numRuns: 300 });
    });
  }

  it('build → parse keeps long document numbers that overflow into the optional data (TD1, TD2)', () => {
    const longFields = (format: 'TD1' | 'TD2') =>
      fieldsFor(format, { min: 10, max: format === 'TD1' ? 23 : 15 })
        .map((fields) => ({ ...fields, optionalData: '' }))
        .map((fields) => ({ fields, format }));
    fc.assert(fc.property(fc.oneof(longFields('TD1'), longFields('TD2')), ({ fields, format }) => expectRoundTrip(fields, format)), { numRuns: 200 });
  });

  it('a different digit in a date always fails that date’s check', () => {
    fc.assert(
      fc.property(fieldsFor('TD3', { min: 9, max: 9 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 9 }), (fields, offset, delta) => {
        const built = buildMrz({ ...fields, birthDate: fields.birthDate ?? '1980-01-01' }, 'TD3');
        if (!built.ok) throw new Error('build failed');
        const line = built.value[1] ?? '';
        const column = 13 + offset;
        const changed = line.slice(0, column) + String((Number(line[column]) + delta) % 10) + line.slice(column + 1);
        const result = parseMrz(`${built.value[0]}\n${changed}`, { referenceDate: reference });
        expect(result.valid).toBe(false);
        expect(result.checks.birthDate).toBe(false);
      }),
    );
  });

  const mrzish = fc
    .array(fc.stringMatching(/^[A-Za-z0-9< \t«é]{0,46}$/), { maxLength: 5 })
    .map((lines) => lines.join(fc.sample(fc.constantFrom('\n', '\r\n', '\r'), 1)[0] ?? '\n'));

  const mutatedSpecimen = fc
    .tuple(
      fc.constantFrom(
        'I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<',
        'I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6',
        'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10',
        'I<UTOD23145890<7349<<<<<<<<<<<\n3407127M9507122UTO<<<<<<<<<<<2\nSTEVENSON<<PETER<JOHN<<<<<<<<<',
      ),
      fc.array(fc.tuple(fc.nat(), fc.constantFrom(...'<0123456789ABOISXMF8 \n'.split(''))), { minLength: 1, maxLength: 4 }),
    )
    .map(([text, edits]) => edits.reduce<string>((acc, [at, char]) => {
      const i = at % acc.length;
      return acc.slice(0, i) + char + acc.slice(i + 1);
    }, text));

  it('never throws, and a valid result has no errors and only passing checks', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), mrzish, mutatedSpecimen), fc.boolean(), (text, withReference) => {
        const result = parseMrz(text, withReference ? { referenceDate: reference } : {});
        expect(Array.isArray(result.errors)).toBe(true);
        if (result.valid) {
          expect(result.errors).toEqual([]);
          expect(Object.values(result.checks).every((passed) => passed)).toBe(true);
        } else {
          expect(result.errors.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('MRZ two-digit years on every reference day from 2024-01-01 to 2100-12-31', () => {
  const base: MrzBuildFields = {
    documentCode: 'I', issuingState: 'UTO', documentNumber: 'D23145890', birthDate: null, sex: 'F',
    expiryDate: null, nationality: 'UTO', surname: 'ERIKSSON', givenNames: 'ANNA',
  };
  /** The zone a document with these dates carries: only YYMMDD of each reaches it. */
  const zone = (birth: CalendarDate, expiry: CalendarDate): string => {
    const built = buildMrz({ ...base, birthDate: formatIsoDate(birth), expiryDate: formatIsoDate(expiry) }, 'TD1');
    if (!built.ok) throw new Error(`build failed: ${JSON.stringify(built.error)}`);
    return built.value.join('\n');
  };
  const read = (text: string, reference: CalendarDate) => {
    const result = parseMrz(text, { referenceDate: reference });
    return { birthDate: result.fields.birthDate, expiryDate: result.fields.expiryDate, errors: result.errors.map((e) => `${e.field ?? ''}: ${e.message}`) };
  };
  const iso = (date: CalendarDate | null) => (date === null ? null : formatIsoDate(date));
  const first = daysSinceEpoch({ year: 2024, month: 1, day: 1 });
  const last = daysSinceEpoch({ year: 2100, month: 12, day: 31 });

  it('resolves birth dates into the past hundred years and expiries into the window ending 20 years on', () => {
    // expect() per day would take seconds: gather what is wrong and expect none of it.
    const wrong: string[] = [];
    const check = (reference: CalendarDate, text: string, expected: ReturnType<typeof read>) => {
      const actual = read(text, reference);
      if (JSON.stringify(actual) !== JSON.stringify(expected)) wrong.push(`${iso(reference)}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(expected)}`);
    };
    for (let days = first; days <= last; days++) {
      const today = dateFromDaysSinceEpoch(days);
      const tomorrow = addDays(today, 1);
      // The top of both windows: born today, expiring on the last year the window holds.
      const latestExpiry = addYears(today, MAX_VALIDITY_YEARS);
      check(today, zone(today, latestExpiry), { birthDate: iso(today), expiryDate: iso(latestExpiry), errors: [] });
      // One step past each: born tomorrow is a century ago, a year past the window is 100 years earlier.
      const pastWindow = { year: today.year + MAX_VALIDITY_YEARS + 1, month: today.month, day: Math.min(today.day, daysInMonth(today.year + MAX_VALIDITY_YEARS + 1, today.month)) };
      check(today, zone(tomorrow, pastWindow), { birthDate: iso({ ...tomorrow, year: tomorrow.year - 100 }), expiryDate: iso({ ...pastWindow, year: pastWindow.year - 100 }), errors: [] });
    }
    expect(wrong).toEqual([]);
  });

  it('reads YY0229 as 29 February only in a year that has one: an expiry outside that is an error, a birth date the century before', () => {
    const wrong: string[] = [];
    for (let days = first; days <= last; days++) {
      const today = dateFromDaysSinceEpoch(days);
      const top = today.year + MAX_VALIDITY_YEARS;
      if (top % 4 !== 0) continue; // no YY0229 at all for such a YY
      // Built from a leap year with the same two digits (2000 for 2100): the zone is the same.
      const leapDay = { year: isLeapYear(top) ? top : top - 100, month: 2, day: 29 };
      const born = { year: today.year - 30, month: 1, day: 1 };
      const actual = read(zone(born, leapDay), today);
      const expected = isLeapYear(top)
        ? { birthDate: iso(born), expiryDate: `${top}-02-29`, errors: [] }
        : { birthDate: iso(born), expiryDate: null, errors: [`expiryDate: expiry date: ${top}-02-29 does not exist (${top} is not a leap year)`] };
      if (JSON.stringify(actual) !== JSON.stringify(expected)) wrong.push(`${iso(today)}: ${JSON.stringify(actual)}`);
    }
    expect(wrong).toEqual([]);
    // A birth YY0229 is the latest 29 February with those digits not after the reference day.
    for (let days = first; days <= last; days++) {
      const today = dateFromDaysSinceEpoch(days);
      if (today.year % 4 !== 0) continue;
      let year = today.year;
      while (!isLeapYear(year) || daysSinceEpoch({ year, month: 2, day: 29 }) > days) year -= 100;
      const leapDay = { year: isLeapYear(today.year) ? today.year : today.year - 100, month: 2, day: 29 };
      const expiry = { year: today.year + 1, month: 1, day: 1 };
      const actual = read(zone(leapDay, expiry), today);
      const expected = { birthDate: `${year}-02-29`, expiryDate: iso(expiry), errors: [] };
      if (JSON.stringify(actual) !== JSON.stringify(expected)) wrong.push(`${iso(today)}: ${JSON.stringify(actual)}`);
    }
    expect(wrong).toEqual([]);
    expect(read(zone({ year: 2000, month: 2, day: 29 }, { year: 2101, month: 1, day: 1 }), { year: 2100, month: 3, day: 1 })).toMatchObject({ birthDate: '2000-02-29' });
    // The reference days whose window tops out in 2100: 2080 and the first days reading 2100-02-29.
    expect(read(zone({ year: 1960, month: 1, day: 1 }, { year: 2000, month: 2, day: 29 }), { year: 2080, month: 6, day: 1 })).toMatchObject({ expiryDate: null });
  });
});
