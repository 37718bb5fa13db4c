import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../../kiosk/controller/config';
import { writeControllerFile } from '../../../kiosk/controller/controller-file';
import { storeLocationFrom } from '../../../kiosk/controller/store/cli-options';
import { openStore } from '../../../kiosk/controller/store/store';
import { command as audit } from '../../../scripts/kioskctl/commands/audit';
import { command as backup } from '../../../scripts/kioskctl/commands/backup';
import { command as operator } from '../../../scripts/kioskctl/commands/operator';
import { command as purge } from '../../../scripts/kioskctl/commands/purge';
import { command as restore } from '../../../scripts/kioskctl/commands/restore';
import { issuance } from '../../kiosk/controller/store/temp-store';

/** Every variable config.ts or cli-options.ts reads: the test sets them, the machine's own stay out. */
const kioskVariables = ['KIOSK_DATA_DIR', 'KIOSK_KEY_FILE', 'KIOSK_RETENTION_DAYS', 'KIOSK_ID', 'KIOSK_DB', 'KIOSK_NUMBER', 'KIOSK_PORT', 'KIOSK_PRINTER', 'KIOSK_SCANNER', 'KIOSK_NFC', 'KIOSK_BOARD', 'KIOSK_COUNTER_READER', 'KIOSK_MODE', 'KIOSK_PRINTER_TIME_SCALE', 'KIOSK_SIMULATE'];
const kioskId = 'TY-CFG-01';

describe('kioskctl finds the store and the retention days where the controller does (loadConfig)', () => {
  let root: string;
  let dataDir: string;
  let out: string[];
  const output = () => out.join('');

  /** The controller's configuration as `npm start` reads it (simulated devices); kioskctl itself needs no device. */
  const controllerConfig = (env: NodeJS.ProcessEnv) => loadConfig({ ...env, KIOSK_SIMULATE: '1' });
  /** A store in <dataDir>/kiosk.sqlite, opened as the controller opens it: with loadConfig()'s key file. */
  async function controllerStore(env: NodeJS.ProcessEnv): Promise<void> {
    const config = controllerConfig(env);
    const opened = await openStore({ path: join(config.dataDir, 'kiosk.sqlite'), keyFile: config.keyFile, kioskId: config.kioskId });
    if (!opened.ok) throw new Error(JSON.stringify(opened.error));
    await opened.value.recordIssuance(issuance());
    await opened.value.close();
  }
  const stubEnv = (env: Record<string, string>) => {
    for (const name of kioskVariables) vi.stubEnv(name, env[name]);
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'kioskctl-config-'));
    dataDir = join(root, 'data');
    mkdirSync(join(root, 'usb-key'), { recursive: true });
    mkdirSync(dataDir);
    out = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    rmSync(root, { recursive: true, force: true });
  });

  it('a key file and retention days set in kiosk.config.json are used by every store command', async () => {
    const keyFile = join(root, 'usb-key', 'store.key');
    writeFileSync(join(dataDir, 'kiosk.config.json'), JSON.stringify({ kioskId, keyFile, retentionDays: 7 }));
    const env = { KIOSK_DATA_DIR: dataDir };
    await controllerStore(env);
    stubEnv(env);

    expect(storeLocationFrom([]).location).toEqual({ path: join(dataDir, 'kiosk.sqlite'), keyFile: controllerConfig(env).keyFile, kioskId });
    expect(await audit.run(['verify'])).toBe(0);
    expect(await operator.run(['list'])).toBe(0);
    expect(await backup.run([join(root, 'backup.db')])).toBe(0);
    expect(await purge.run(['--dry-run'])).toBe(0);
    expect(output()).toContain('(7 days)');
    expect(await purge.run(['--dry-run', '--days', '3'])).toBe(0); // the flag still wins
    expect(output()).toContain('(3 days)');
    expect(await restore.run([join(root, 'backup.db')])).toBe(0);
    expect(output()).toMatch(/restored .*audit chain of \d+ rows verified/);
    expect(output()).not.toMatch(/missing|refused/);
  });

  it('KIOSK_KEY_FILE and KIOSK_RETENTION_DAYS are read as config.ts reads them: the key relative to the data directory', async () => {
    writeFileSync(join(dataDir, 'kiosk.config.json'), JSON.stringify({ kioskId, retentionDays: 7 }));
    const env = { KIOSK_DATA_DIR: dataDir, KIOSK_KEY_FILE: join('secrets', 'store.key'), KIOSK_RETENTION_DAYS: '12' };
    await controllerStore(env);
    stubEnv(env);
    expect(controllerConfig(env).keyFile).toBe(join(dataDir, 'secrets', 'store.key'));
    expect(await audit.run(['verify'])).toBe(0); // from any working directory, not only the data directory
    expect(await purge.run(['--dry-run'])).toBe(0);
    expect(output()).toContain('(12 days)');
  });

  it('--key, --db and --kiosk still override the configuration', async () => {
    const keyFile = join(root, 'usb-key', 'store.key');
    writeFileSync(join(dataDir, 'kiosk.config.json'), JSON.stringify({ kioskId, keyFile }));
    await controllerStore({ KIOSK_DATA_DIR: dataDir });
    stubEnv({ KIOSK_DATA_DIR: dataDir });
    const wrongKey = join(root, 'nowhere.key');
    expect(await audit.run(['verify', '--key', wrongKey])).toBe(1);
    expect(output()).toContain(`the key file ${wrongKey} is missing`);
    expect(await audit.run(['verify', '--kiosk', 'TY-OTHER-02'])).toBe(1);
    expect(output()).toContain(`this data belongs to kiosk ${kioskId}: set KIOSK_ID=${kioskId}`);
    // With every flag given, a broken configuration file does not matter.
    writeFileSync(join(dataDir, 'kiosk.config.json'), '{ not json');
    expect(await audit.run(['verify', '--db', join(dataDir, 'kiosk.sqlite'), '--key', keyFile, '--kiosk', kioskId])).toBe(0);
    expect(await audit.run(['verify'])).toBe(1);
    expect(output()).toContain('is not valid JSON');
  });

  it('restore refuses while the controller runs on that data directory, and changes nothing', async () => {
    writeFileSync(join(dataDir, 'kiosk.config.json'), JSON.stringify({ kioskId }));
    await controllerStore({ KIOSK_DATA_DIR: dataDir });
    stubEnv({ KIOSK_DATA_DIR: dataDir });
    const backupFile = join(root, 'backup.db');
    expect(await backup.run([backupFile])).toBe(0);

    writeControllerFile(dataDir, { pid: process.pid, url: 'http://127.0.0.1:7130', token: 'secret' });
    out = [];
    expect(await restore.run([backupFile])).toBe(1);
    expect(output()).toContain(`kiosk controller is running on ${dataDir} (pid ${process.pid})`);
    expect(output()).toContain('stop the kiosk first');
    expect(output()).not.toContain('restored');
    expect(readdirSync(dataDir).filter((name) => name.includes('restor'))).toEqual([]);
  });

  it("restore refuses another kiosk's backup in words, and changes nothing", async () => {
    writeFileSync(join(dataDir, 'kiosk.config.json'), JSON.stringify({ kioskId }));
    await controllerStore({ KIOSK_DATA_DIR: dataDir });
    stubEnv({ KIOSK_DATA_DIR: dataDir });
    const backupFile = join(root, 'backup.db');
    expect(await backup.run([backupFile])).toBe(0);

    out = [];
    expect(await restore.run([backupFile, '--kiosk', 'TY-OTHER-02'])).toBe(1);
    expect(output()).toContain(`refused: ${backupFile} cannot be used with this kiosk's key and id: this data belongs to kiosk ${kioskId}`);
    expect(output()).toContain('(nothing was changed)');
    expect(output()).not.toContain('{');
    expect(readdirSync(dataDir).filter((name) => name.includes('restor'))).toEqual([]);
  });
});
