import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKioskctl } from './run-kioskctl';

/**
 * `kioskctl dev` usage errors exit 2 with the usage, whether or not a kiosk is running: here none
 * runs (an empty data directory), so a command that got past the argument check would exit 1.
 * doctor-dev.test.ts covers dev against a running kiosk.
 */
describe('kioskctl dev usage errors', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-dev-usage-'));
  const previous = process.env['KIOSK_DATA_DIR'];
  beforeAll(() => {
    process.env['KIOSK_DATA_DIR'] = dataDir; // inherited by the kioskctl child
  });
  afterAll(() => {
    if (previous === undefined) delete process.env['KIOSK_DATA_DIR'];
    else process.env['KIOSK_DATA_DIR'] = previous;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('exits 2 with the usage when given nothing', async () => {
    const run = await runKioskctl(['dev']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^usage: kioskctl dev state \|/);
    expect(run.stdout).toBe('');
  });

  it.each([
    [['bogus'], /type:/],
    [['place-card'], /kind:/],
    [['place-card', 'dragon'], /kind:/],
    [['door', 'ajar'], /door takes open or closed/],
    [['cable', 'printer'], /cable takes a device and unplug or plug/],
    [['state', 'now'], /state takes no arguments/],
    [['chip-fault', 'now'], /chip-fault takes no arguments/],
    [['card-fault', 'melt'], /fault:/],
  ])('exits 2 with what is wrong and the usage for dev %j, before looking for a kiosk', async (args, problem) => {
    const run = await runKioskctl(['dev', ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(problem);
    expect(run.stderr).toContain('usage: kioskctl dev');
    expect(run.stderr).not.toContain('no kiosk is running');
  });

  it.each([[['place-card', 'staff']], [['chip-fault']], [['card-fault', 'tear-wallet-write']]])('exits 1 for the well-formed %j when no kiosk is running', async (args) => {
    const run = await runKioskctl(['dev', ...args]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('no kiosk is running');
  });
});
