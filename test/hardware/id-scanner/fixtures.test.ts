import { describe, expect, it } from 'vitest';
import { fixtureDocuments } from '../../../hardware/id-scanner/fixtures';
import { parseMrz } from '../../../shared/identity/mrz';
import { checkTaiwanId } from '../../../shared/identity/taiwan-id';

describe('fixture documents', () => {
  it.each(Object.entries(fixtureDocuments))('%s is exactly as valid as it claims', (_name, fixture) => {
    if (fixture.kind === 'mrz') {
      const result = parseMrz(fixture.lines.join('\n'), { referenceDate: '2026-03-02' });
      expect(result.valid).toBe(fixture.valid);
      if (fixture.valid) expect(result.format).toBe(fixture.format);
    } else {
      expect(checkTaiwanId(fixture.id).valid).toBe(fixture.valid);
    }
  });

  it('covers what the kiosk meets: TD3 passports of new-immigrant spouses, TD1 resident permits with a valid resident number, TD2', () => {
    expect(fixtureDocuments.passportVietnam.lines[1]).toMatch(/^.{10}VNM/);
    expect(fixtureDocuments.passportIndonesia.lines[1]).toMatch(/^.{10}IDN/);
    for (const permit of [fixtureDocuments.residentPermitTaiwan, fixtureDocuments.residentPermitMale]) {
      const fields = parseMrz(permit.lines.join('\n')).fields;
      expect(permit.format).toBe('TD1');
      expect(checkTaiwanId(fields.optionalData)).toMatchObject({ valid: true, kind: 'resident-new' });
    }
    expect(fixtureDocuments.idCardTd2.lines.map((line) => line.length)).toEqual([36, 36]);
  });

  it('damages each damaged fixture in the way its name says', () => {
    const confused = parseMrz(fixtureDocuments.passportOcrConfusion.lines.join('\n'));
    expect(confused.suggestions).toContainEqual(expect.objectContaining({ from: 'O', to: '0' }));
    expect(parseMrz(fixtureDocuments.passportWrongCheckDigit.lines.join('\n')).checks.documentNumber).toBe(false);
    expect(parseMrz(fixtureDocuments.residentPermitWrongCheckDigit.lines.join('\n')).checks.birthDate).toBe(false);
    expect(fixtureDocuments.passportTruncated.lines[1]).toHaveLength(31);
  });
});
