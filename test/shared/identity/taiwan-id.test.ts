import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkTaiwanId, taiwanIdCheckDigit } from '../../../shared/identity';

describe('checkTaiwanId', () => {
  it.each([
    ['A123456789', 'national', 'M'],
    ['F131104093', 'national', 'M'],
    ['I234567895', 'national', 'F'],
    ['O123456782', 'national', 'M'],
    ['Z299999992', 'national', 'F'],
    ['A800000014', 'resident-new', 'M'],
    ['B923456786', 'resident-new', 'F'],
    ['AA00000009', 'resident-old', 'M'],
    ['BD12345672', 'resident-old', 'F'],
    ['FC12345674', 'resident-old', 'M'],
  ] as const)('accepts %s as %s, sex %s', (id, kind, sex) => {
    expect(checkTaiwanId(id)).toEqual({ valid: true, id, kind, sex });
  });

  it('normalises case, surrounding spaces and full-width characters', () => {
    expect(checkTaiwanId('  a123456789\r\n')).toMatchObject({ valid: true, id: 'A123456789' });
    expect(checkTaiwanId('Ａ１２３４５６７８９')).toMatchObject({ valid: true, id: 'A123456789' });
  });

  it('names the checksum rule with the expected check digit', () => {
    const result = checkTaiwanId('A123456788');
    expect(result.valid).toBe(false);
    if (result.valid) return;
    expect(result.error).toMatchObject({ kind: 'checksum', expectedCheckDigit: 9, actualCheckDigit: 8 });
    expect(result.error.message).toContain('9');
    expect(result.kind).toBe('national');
  });

  it('names the length rule', () => {
    const result = checkTaiwanId('A12345678');
    expect(result.valid === false && result.error).toMatchObject({ kind: 'length', expected: 10, actual: 9 });
    expect(checkTaiwanId('').valid).toBe(false);
  });

  it('names the pattern rule with the position', () => {
    expect(checkTaiwanId('1123456789')).toMatchObject({ valid: false, error: { kind: 'pattern', position: 1 } });
    expect(checkTaiwanId('A323456789')).toMatchObject({ valid: false, error: { kind: 'pattern', position: 2 } });
    expect(checkTaiwanId('A12345678X')).toMatchObject({ valid: false, error: { kind: 'pattern', position: 10 } });
    expect(checkTaiwanId('AA0000000B')).toMatchObject({ valid: false, error: { kind: 'pattern', position: 10 } });
  });

  it('names the letter rule for a second letter never issued in old resident numbers', () => {
    const result = checkTaiwanId('AE12345673');
    expect(result).toMatchObject({ valid: false, error: { kind: 'letter', position: 2, letter: 'E' } });
  });

  it('gives the check digit for fixtures', () => {
    expect(taiwanIdCheckDigit('A12345678')).toBe(9);
    expect(taiwanIdCheckDigit('AA0000000')).toBe(9);
    expect(taiwanIdCheckDigit('12')).toBeNull();
  });

  it('accepts exactly one check digit for every well-formed prefix', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Z][1289]\d{7}$/), (prefix) => {
        const passing = [...'0123456789'].filter((digit) => checkTaiwanId(prefix + digit).valid);
        expect(passing).toEqual([String(taiwanIdCheckDigit(prefix))]);
      }),
    );
  });

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.stringMatching(/^[A-Za-z]{1,2}\d{7,9}$/)), (input) => {
        const result = checkTaiwanId(input);
        expect(typeof result.valid).toBe('boolean');
      }),
    );
  });
});
