import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startPcscd, type PrivatePcscd } from '../../../hardware/nfc/pcscd';

const run = promisify(execFile);

/** `kioskctl doctor` with the kiosk NOT running: it checks the configured devices itself. */
describe('kioskctl doctor, kiosk not running', () => {
  let dataDir: string;
  let pcscd: PrivatePcscd | undefined;

  beforeAll(async () => {
    pcscd = await startPcscd();
  }, 30_000);
  afterAll(async () => {
    await pcscd?.stop();
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function doctor(env: Record<string, string>, config?: object, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    dataDir = mkdtempSync(join(tmpdir(), 'kiosk-doctor-'));
    if (config) writeFileSync(join(dataDir, 'kiosk.config.json'), JSON.stringify(config));
    try {
      const { stdout, stderr } = await run(process.execPath, ['scripts/kioskctl.mjs', 'doctor', ...args], {
        env: { ...process.env, KIOSK_DATA_DIR: dataDir, PCSCLITE_CSOCK_NAME: pcscd!.socketPath, ...env },
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  }

  it('lists every device, the counter reader included, and exits 0 when all are simulated', async () => {
    const result = await doctor({ KIOSK_SIMULATE: '1' });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('not running');
    for (const label of ['card printer', 'ID scanner', 'NFC reader', 'counter reader', 'I/O board']) {
      expect(result.stdout).toMatch(new RegExp(`ok\\s+${label}\\s+simulated`));
    }
  });

  it('exits 1 naming a configured serial device that does not exist', async () => {
    const result = await doctor({}, { devices: { printer: '/dev/ttyKIOSK-no-such-printer', board: '/dev/null' } });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/MISSING\s+card printer\s+\/dev\/ttyKIOSK-no-such-printer missing/);
    expect(result.stdout).toMatch(/ok\s+I\/O board\s+\/dev\/null present/);
    // A device neither configured nor asked to be simulated is missing, not quietly simulated.
    expect(result.stdout).toMatch(/MISSING\s+ID scanner\s+not configured: set it in kiosk\.config\.json, or ask for it simulated \(KIOSK_SIMULATE\)/);
  });

  it('finds real NFC readers by their exact names in pcscd, and names a counter reader that is not there', async () => {
    const present = await doctor({ KIOSK_SIMULATE: 'printer,scanner,board', KIOSK_NFC: 'Virtual PCD 00 00', KIOSK_COUNTER_READER: 'Virtual PCD 00 01' });
    expect(present.stdout).toMatch(/ok\s+NFC reader\s+reader 'Virtual PCD 00 00' present/);
    expect(present.stdout).toMatch(/ok\s+counter reader\s+reader 'Virtual PCD 00 01' present/);
    expect(present.code).toBe(0);

    const absent = await doctor({ KIOSK_SIMULATE: 'printer,scanner,board', KIOSK_NFC: 'Virtual PCD 00 00', KIOSK_COUNTER_READER: 'ACS ACR122U PICC Interface 00 00' }, undefined, '--json');
    expect(absent.code).toBe(1);
    const report = JSON.parse(absent.stdout) as { devices: Array<{ device: string; ok: boolean; text: string }> };
    const counter = report.devices.find((line) => line.device === 'counterReader');
    expect(counter?.ok).toBe(false);
    expect(counter?.text).toContain("reader 'ACS ACR122U PICC Interface 00 00' not found");
    expect(counter?.text).toContain("'Virtual PCD 00 01'");
    expect(report.devices.find((line) => line.device === 'nfc')?.ok).toBe(true);
  });

  it('says pcscd is not running when no daemon answers for a real reader', async () => {
    const result = await doctor({
      KIOSK_NFC: 'ACS ACR122U PICC Interface 00 00',
      KIOSK_COUNTER_READER: 'ACS ACR122U PICC Interface 00 01',
      PCSCLITE_CSOCK_NAME: join(tmpdir(), 'kiosk-doctor-no-pcscd', 'pcscd.comm'),
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/MISSING\s+NFC reader\s+pcscd is not running/);
    expect(result.stdout).toMatch(/MISSING\s+counter reader\s+pcscd is not running: .*'ACS ACR122U PICC Interface 00 01'/);
  });
});
