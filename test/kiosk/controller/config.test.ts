import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../kiosk/controller/config';

describe('kiosk configuration', () => {
  it('simulates every device by default', () => {
    const dir = mkdtempSync(join(tmpdir(), 'config-'));
    const config = loadConfig({ KIOSK_DATA_DIR: dir });
    expect(config.devices).toEqual({ printer: 'simulated', scanner: 'simulated', nfc: 'simulated', board: 'simulated' });
    expect(config.dataDir).toBe(dir);
  });

  it('takes devices from the config file, and environment variables over it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'config-'));
    writeFileSync(join(dir, 'kiosk.config.json'), JSON.stringify({ kioskId: 'TY-NURSING-07', devices: { printer: '/dev/ttyACM0', nfc: 'ACR122' } }));
    const config = loadConfig({ KIOSK_DATA_DIR: dir, KIOSK_NFC: 'simulated', KIOSK_PORT: '8123' });
    expect(config.kioskId).toBe('TY-NURSING-07');
    expect(config.devices.printer).toBe('/dev/ttyACM0');
    expect(config.devices.nfc).toBe('simulated');
    expect(config.port).toBe(8123);
  });

  it('names the file and the field that is wrong', () => {
    const dir = mkdtempSync(join(tmpdir(), 'config-'));
    writeFileSync(join(dir, 'kiosk.config.json'), JSON.stringify({ kioskId: 'bad id!' }));
    expect(() => loadConfig({ KIOSK_DATA_DIR: dir })).toThrow(/kiosk\.config\.json.*kioskId: letters, digits and dashes/);
    writeFileSync(join(dir, 'kiosk.config.json'), '{ not json');
    expect(() => loadConfig({ KIOSK_DATA_DIR: dir })).toThrow(/is not valid JSON/);
  });

  it('takes the mode, the key file (relative to the data directory), retention and photo thresholds', () => {
    const dir = mkdtempSync(join(tmpdir(), 'config-'));
    const defaults = loadConfig({ KIOSK_DATA_DIR: dir });
    expect(defaults).toMatchObject({ mode: 'staffed', keyFile: join(dir, 'keys', 'store.key'), retentionDays: 90, photo: {} });
    writeFileSync(join(dir, 'kiosk.config.json'), JSON.stringify({ mode: 'self-service', keyFile: '/media/key/store.key', retentionDays: 30, photo: { headHeight: { min: 0.7 } } }));
    expect(loadConfig({ KIOSK_DATA_DIR: dir })).toMatchObject({ mode: 'self-service', keyFile: '/media/key/store.key', retentionDays: 30, photo: { headHeight: { min: 0.7 } } });
    expect(loadConfig({ KIOSK_DATA_DIR: dir, KIOSK_KEY_FILE: 'other.key', KIOSK_MODE: 'staffed' })).toMatchObject({ mode: 'staffed', keyFile: join(dir, 'other.key') });
    expect(() => loadConfig({ KIOSK_DATA_DIR: dir, KIOSK_MODE: 'unattended' })).toThrow(/mode: /);
  });

  it('keeps a disk reserve for the store: 64 MB unless the file or KIOSK_DISK_RESERVE_MB says otherwise', () => {
    const dir = mkdtempSync(join(tmpdir(), 'config-'));
    expect(loadConfig({ KIOSK_DATA_DIR: dir }).diskReserveMb).toBe(64);
    writeFileSync(join(dir, 'kiosk.config.json'), JSON.stringify({ diskReserveMb: 256 }));
    expect(loadConfig({ KIOSK_DATA_DIR: dir }).diskReserveMb).toBe(256);
    expect(loadConfig({ KIOSK_DATA_DIR: dir, KIOSK_DISK_RESERVE_MB: '16' }).diskReserveMb).toBe(16);
    expect(() => loadConfig({ KIOSK_DATA_DIR: dir, KIOSK_DISK_RESERVE_MB: 'lots' })).toThrow(/diskReserveMb: /);
  });
});
