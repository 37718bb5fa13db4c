import { describe, expect, it } from 'vitest';
import { buildMrz, mrzCheckDigit, parseMrz } from '../../../shared/identity';

// The specimens printed in ICAO Doc 9303 (Parts 4, 5 and 6).
const td1 = ['I<UTOD231458907<<<<<<<<<<<<<<<', '7408122F1204159UTO<<<<<<<<<<<6', 'ERIKSSON<<ANNA<MARIA<<<<<<<<<<'] as const;
const td2 = ['I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<', 'D231458907UTO7408122F1204159<<<<<<<6'] as const;
const td3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'] as const;
// Doc 9303 Part 5's long document number example: D23145890734 overflows into the optional data.
const td1Long = ['I<UTOD23145890<7349<<<<<<<<<<<', '3407127M9507122UTO<<<<<<<<<<<2', 'STEVENSON<<PETER<JOHN<<<<<<<<<'] as const;

const referenceDate = '2026-11-29';
const parse = (lines: readonly string[] | string) => parseMrz(typeof lines === 'string' ? lines : lines.join('\n'), { referenceDate });

const erikssonFields = {
  issuingState: 'UTO',
  documentNumber: 'D23145890',
  birthDate: '1974-08-12',
  sex: 'F' as const,
  expiryDate: '2012-04-15',
  nationality: 'UTO',
  surname: 'ERIKSSON',
  givenNames: 'ANNA MARIA',
};

describe('mrzCheckDigit', () => {
  it('computes the check digits printed in the Doc 9303 specimens', () => {
    expect(mrzCheckDigit('L898902C3')).toBe(6);
    expect(mrzCheckDigit('D23145890')).toBe(7);
    expect(mrzCheckDigit('740812')).toBe(2);
    expect(mrzCheckDigit('120415')).toBe(9);
    expect(mrzCheckDigit('ZE184226B<<<<<')).toBe(1);
    expect(mrzCheckDigit('D23145890734')).toBe(9);
    // Composite of the TD3 specimen: line 2 positions 1–10, 14–20, 22–43.
    expect(mrzCheckDigit('L898902C36' + '7408122' + '1204159ZE184226B<<<<<1')).toBe(0);
  });
});

describe('parseMrz: the ICAO specimens', () => {
  it('reads the TD1 specimen', () => {
    const result = parse(td1);
    expect(result).toMatchObject({ valid: true, format: 'TD1', errors: [], suggestions: [] });
    expect(result.fields).toEqual({ ...erikssonFields, documentCode: 'I', optionalData: '', optionalData2: '' });
    expect(result.checks).toEqual({ documentNumber: true, birthDate: true, expiryDate: true, composite: true });
  });

  it('reads the TD2 specimen', () => {
    const result = parse(td2);
    expect(result).toMatchObject({ valid: true, format: 'TD2', errors: [] });
    expect(result.fields).toEqual({ ...erikssonFields, documentCode: 'I', optionalData: '', optionalData2: '' });
  });

  it('reads the TD3 specimen, with the personal number and its check digit', () => {
    const result = parse(td3);
    expect(result).toMatchObject({ valid: true, format: 'TD3', errors: [] });
    expect(result.fields).toEqual({
      ...erikssonFields,
      documentCode: 'P',
      documentNumber: 'L898902C3',
      optionalData: 'ZE184226B',
      optionalData2: '',
    });
    expect(result.checks).toEqual({ documentNumber: true, birthDate: true, expiryDate: true, optionalData: true, composite: true });
  });

  it("reads a TD1 long document number from its overflow into the optional data", () => {
    const result = parse(td1Long);
    expect(result.valid).toBe(true);
    expect(result.fields).toMatchObject({ documentNumber: 'D23145890734', optionalData: '', sex: 'M', birthDate: '1934-07-12', expiryDate: '1995-07-12' });
  });

  it('rejects a TD2 whose first line is 44 characters long, naming the line', () => {
    const result = parse(['I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', td2[1] ?? '']);
    expect(result).toMatchObject({ valid: false, format: null });
    expect(result.errors).toEqual([expect.objectContaining({ line: 2, message: expect.stringContaining('36 characters') })]);
  });
});

describe('parseMrz: normalising input', () => {
  it('accepts CR/LF, stray spaces, blank lines and lower case', () => {
    const messy = `\r\n  ${td1[0]?.toLowerCase()}  \r\n\r\n${td1[1]?.slice(0, 10)} ${td1[1]?.slice(10)}\r${td1[2]}\n\n`;
    const result = parse(messy);
    expect(result).toMatchObject({ valid: true, format: 'TD1', lines: td1 });
  });

  it('splits a zone pasted as one line when its length is exact', () => {
    expect(parse(td3.join(''))).toMatchObject({ valid: true, format: 'TD3' });
    expect(parse(td1.join(''))).toMatchObject({ valid: true, format: 'TD1' });
  });

  it('rejects a character outside the MRZ alphabet with its line and column as typed', () => {
    const result = parse([td1[0], td1[1], 'ERIKSSON<<ANNA<MARIé<<<<<<<<<<']);
    expect(result.valid).toBe(false);
    expect(result.errors).toContainEqual(expect.objectContaining({ line: 3, column: 20 }));
  });

  it('reports no lines and too many lines', () => {
    expect(parse('   \n\n').errors[0]?.message).toContain('no MRZ lines');
    expect(parse([...td1, td1[0] ?? '']).valid).toBe(false);
  });

  it('names the format a short zone was meant to be', () => {
    expect(parse(td1.slice(0, 2)).errors[0]?.message).toContain('TD1 has 3 lines of 30');
    expect(parse([td3[0], (td3[1] ?? '').slice(0, 40)]).errors).toEqual([expect.objectContaining({ line: 2, message: expect.stringContaining('TD3 lines have 44') })]);
  });

  it('names a line of the wrong length', () => {
    const result = parse([td1[0], td1[1], (td1[2] ?? '').slice(0, 29)]);
    expect(result).toMatchObject({ valid: false, format: null });
    expect(result.errors).toEqual([expect.objectContaining({ line: 3, message: expect.stringContaining('29 characters') })]);
  });
});

describe('parseMrz: check digits fail per field and are never corrected', () => {
  it('reports a wrong document-number check digit and the composite, and keeps the data as read', () => {
    const result = parse([td3[0] ?? '', 'L898902C37UTO7408122F1204159ZE184226B<<<<<10']);
    expect(result.valid).toBe(false);
    expect(result.checks).toEqual({ documentNumber: false, birthDate: true, expiryDate: true, optionalData: true, composite: false });
    expect(result.errors).toContainEqual(expect.objectContaining({ field: 'documentNumber', line: 2, column: 10 }));
    expect(result.errors.find((e) => e.field === 'documentNumber')?.message).toContain('calls for 6');
    expect(result.fields.documentNumber).toBe('L898902C3');
  });

  it('suggests B→8 when that makes the document number and composite pass', () => {
    const result = parse([td3[0] ?? '', 'L89B902C36UTO7408122F1204159ZE184226B<<<<<10']);
    expect(result.valid).toBe(false);
    expect(result.fields.documentNumber).toBe('L89B902C3');
    // Reading the 8 at column 2 as B happens to pass too: both are offered, for the operator to compare.
    expect(result.suggestions).toContainEqual(
      expect.objectContaining({ field: 'documentNumber', line: 2, column: 4, from: 'B', to: '8', fixes: ['documentNumber', 'composite'] }),
    );
    expect(result.suggestions.every((s) => s.field === 'documentNumber')).toBe(true);
  });

  it('suggests O→0 in a date, and reports the date as unreadable meanwhile', () => {
    const result = parse([td1[0] ?? '', '74O8122F1204159UTO<<<<<<<<<<<6', td1[2] ?? '']);
    expect(result.fields.birthDate).toBeNull();
    expect(result.checks.birthDate).toBe(false);
    expect(result.errors).toContainEqual(expect.objectContaining({ field: 'birthDate', line: 2, column: 3 }));
    expect(result.suggestions).toContainEqual(expect.objectContaining({ line: 2, column: 3, from: 'O', to: '0', fixes: ['birthDate', 'composite'] }));
  });

  it('suggests I→1 and S→5 in check digits themselves', () => {
    const result = parse([td1[0] ?? '', '7408122FI204159UTO<<<<<<<<<<<6', td1[2] ?? '']);
    expect(result.suggestions).toEqual([expect.objectContaining({ field: 'expiryDate', line: 2, column: 9, from: 'I', to: '1' })]);
    const digit = parse(['I<UTOD23145890S<<<<<<<<<<<<<<<', td1[1] ?? '', td1[2] ?? '']);
    expect(digit.checks.documentNumber).toBe(false);
    expect(digit.suggestions).toEqual([]); // 5 is not the digit the data calls for (7)
  });

  it('offers no suggestion when no single confusion makes the check pass', () => {
    const result = parse([td3[0] ?? '', 'L898902C34UTO7408122F1204159ZE184226B<<<<<10']);
    expect(result.valid).toBe(false);
    expect(result.suggestions).toEqual([]);
  });

  it('flags digits in letter fields with the letter they may be', () => {
    const result = parse([td1[0] ?? '', '7408122F1204159UT0<<<<<<<<<<<6', td1[2] ?? '']);
    expect(result.errors).toContainEqual(expect.objectContaining({ field: 'nationality', line: 2, column: 18 }));
    expect(result.suggestions).toContainEqual(expect.objectContaining({ field: 'nationality', from: '0', to: 'O' }));
  });

  it('refuses an unknown sex character but reads < as unspecified', () => {
    expect(parse([td1[0] ?? '', '7408122Q1204159UTO<<<<<<<<<<<6', td1[2] ?? '']).errors).toContainEqual(
      expect.objectContaining({ field: 'sex', line: 2, column: 8 }),
    );
    const lines = buildMrz({ ...erikssonFields, documentCode: 'I', sex: null }, 'TD1');
    expect(lines.ok && parse(lines.value)).toMatchObject({ valid: true, fields: { sex: null } });
  });
});

describe('parseMrz: two-digit years', () => {
  const withYears = (birth: string, expiry: string) =>
    buildMrz({ ...erikssonFields, documentCode: 'P', birthDate: birth, expiryDate: expiry }, 'TD3');

  it('puts a birth date in the past and an expiry within 50 years of the reference', () => {
    const built = withYears('2019-03-01', '2031-03-01');
    expect(built.ok).toBe(true);
    if (!built.ok) return;
    expect(parse(built.value).fields).toMatchObject({ birthDate: '2019-03-01', expiryDate: '2031-03-01' });
    expect(parseMrz(built.value.join('\n'), { referenceDate: '2018-01-01' }).fields.birthDate).toBe('1919-03-01');
  });

  it('reads a birthday on the reference day as this century, the next day as the last', () => {
    const today = withYears('2026-11-29', '2030-01-01');
    const tomorrow = withYears('1926-11-30', '2030-01-01');
    expect(today.ok && parse(today.value).fields.birthDate).toBe('2026-11-29');
    expect(tomorrow.ok && parse(tomorrow.value).fields.birthDate).toBe('1926-11-30');
  });

  it('reads unknown dates (fillers) as null without an error', () => {
    const built = withYears('1974-08-12', '2012-04-15');
    if (!built.ok) throw new Error('build failed');
    const line2 = (built.value[1] ?? '').slice(0, 13) + '<<<<<<' + (built.value[1] ?? '').slice(19);
    const result = parse([built.value[0] ?? '', line2]);
    expect(result.fields.birthDate).toBeNull();
    expect(result.errors.filter((e) => e.field === 'birthDate' && !e.message.includes('check digit'))).toEqual([]);
  });

  it('rejects an impossible date and a bad reference date', () => {
    const result = parse([td1[0] ?? '', '7413322F1204159UTO<<<<<<<<<<<6', td1[2] ?? '']);
    expect(result.errors).toContainEqual(expect.objectContaining({ field: 'birthDate', message: expect.stringContaining('not a date') }));
    expect(parseMrz(td1.join('\n'), { referenceDate: '2026-13-01' }).valid).toBe(false);
  });

  it('refuses an expiry before the birth date', () => {
    const built = withYears('1990-05-05', '1985-01-01');
    expect(built.ok && parse(built.value).errors).toEqual([expect.objectContaining({ field: 'expiryDate', message: expect.stringContaining('before the birth date') })]);
  });

  it('reads 29 February', () => {
    const built = withYears('2000-02-29', '2028-02-29');
    expect(built.ok && parse(built.value)).toMatchObject({ valid: true, fields: { birthDate: '2000-02-29', expiryDate: '2028-02-29' } });
  });

  it('without a reference date, keeps the birth date before the expiry', () => {
    expect(parseMrz(td1.join('\n')).fields).toMatchObject({ birthDate: '1974-08-12', expiryDate: '2012-04-15' });
  });
});

describe('buildMrz', () => {
  it('rebuilds the Doc 9303 specimens exactly', () => {
    for (const [lines, format] of [[td1, 'TD1'], [td2, 'TD2'], [td3, 'TD3'], [td1Long, 'TD1']] as const) {
      const built = buildMrz(parse(lines).fields, format);
      expect(built).toEqual({ ok: true, value: lines });
    }
  });

  it('transliterates names and truncates a long one to its field', () => {
    const built = buildMrz({ ...erikssonFields, documentCode: 'P', surname: "van der Berg-O'Neil", givenNames: 'Zoë Anne Marie Elisabeth Catharina' }, 'TD3');
    expect(built.ok && built.value[0]).toBe('P<UTOVAN<DER<BERG<ONEIL<<ZOE<ANNE<MARIE<ELIS');
  });

  it('transliterates the letters NFKD leaves whole, Vietnamese Đ first (ICAO 9303 Part 3)', () => {
    // Found by npm run fuzz -- --target mrz: "Trần Đức Anh" could not be built at all.
    const built = buildMrz({ ...erikssonFields, documentCode: 'P', surname: 'Đặng', givenNames: 'Đức Søren Łukasz' }, 'TD3');
    expect(built.ok && built.value[0]).toBe('P<UTODANG<<DUC<SOEREN<LUKASZ<<<<<<<<<<<<<<<<');
  });

  it('refuses fields that do not fit or are not MRZ characters', () => {
    expect(buildMrz({ ...erikssonFields, documentCode: 'P', documentNumber: 'L898902C36' }, 'TD3')).toMatchObject({ ok: false, error: { kind: 'too_long', field: 'documentNumber' } });
    expect(buildMrz({ ...erikssonFields, documentCode: 'P', nationality: 'U1O' }, 'TD3')).toMatchObject({ ok: false, error: { kind: 'invalid_character', character: '1' } });
    expect(buildMrz({ ...erikssonFields, documentCode: 'P', birthDate: '1974-02-30' }, 'TD3')).toMatchObject({ ok: false, error: { kind: 'invalid_date' } });
    expect(buildMrz({ ...erikssonFields, documentCode: 'P', surname: '' }, 'TD3')).toMatchObject({ ok: false, error: { kind: 'empty', field: 'surname' } });
    expect(buildMrz({ ...erikssonFields, documentCode: 'I', optionalData: 'ABCDEFGH' }, 'TD2')).toMatchObject({ ok: false, error: { kind: 'too_long', field: 'optionalData' } });
  });
});
