import { describe, expect, it } from 'vitest';
import { runKioskctl } from './run-kioskctl';

describe('kioskctl id check', () => {
  it('prints a valid number as JSON and exits 0', async () => {
    const run = await runKioskctl(['id', 'check', 'A123456789']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ valid: true, kind: 'national', sex: 'M', error: null });
  });

  it('exits 1 for a bad check digit, naming the rule and the expected digit', async () => {
    const run = await runKioskctl(['id', 'check', 'A800000015']);
    expect(run.code).toBe(1);
    const output = JSON.parse(run.stdout) as { valid: boolean; error: string };
    expect(output).toMatchObject({ valid: false, sex: null });
    expect(output.error).toMatch(/^checksum: .*should be 4/);
  });

  it('exits 2 without a number', async () => {
    const run = await runKioskctl(['id', 'check']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('usage');
  });
});
