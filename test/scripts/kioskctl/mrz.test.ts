import { describe, expect, it } from 'vitest';
import { runKioskctl } from './run-kioskctl';

const td3 = 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\r\nL898902C36UTO7408122F1204159ZE184226B<<<<<10\r\n';

describe('kioskctl mrz parse', () => {
  it('prints the fields of a valid MRZ from stdin and exits 0', async () => {
    const run = await runKioskctl(['mrz', 'parse', '--reference-date', '2026-11-29'], td3);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      valid: true,
      format: 'TD3',
      documentCode: 'P',
      issuingState: 'UTO',
      documentNumber: 'L898902C3',
      birthDate: '1974-08-12',
      sex: 'F',
      expiryDate: '2012-04-15',
      nationality: 'UTO',
      surname: 'ERIKSSON',
      givenNames: 'ANNA MARIA',
      optionalData: 'ZE184226B',
      optionalData2: '',
      checks: { documentNumber: true, birthDate: true, expiryDate: true, optionalData: true, composite: true },
      errors: [],
      suggestions: [],
    });
  });

  it('exits 1 with the failed checks and suggestions', async () => {
    const run = await runKioskctl(['mrz', 'parse'], td3.replace('L898902C3', 'L89B902C3'));
    expect(run.code).toBe(1);
    const output = JSON.parse(run.stdout) as { valid: boolean; checks: Record<string, boolean>; errors: unknown[]; suggestions: unknown[] };
    expect(output.valid).toBe(false);
    expect(output.checks).toMatchObject({ documentNumber: false, composite: false });
    expect(output.errors).toContainEqual(expect.objectContaining({ field: 'documentNumber', line: 2, column: 10 }));
    expect(output.suggestions).toContainEqual(expect.objectContaining({ from: 'B', to: '8', line: 2, column: 4 }));
  });

  it('exits 2 with nothing on stdin or a bad option', async () => {
    expect((await runKioskctl(['mrz', 'parse'], '\n')).code).toBe(2);
    expect((await runKioskctl(['mrz', 'parse', '--reference-date', '2026-02-30'], td3)).code).toBe(2);
  });
});
