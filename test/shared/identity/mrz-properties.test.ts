import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
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
