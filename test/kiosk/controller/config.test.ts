import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isFullySimulated, loadConfig, loadStoreSettings } from '../../../kiosk/controller/config';

const realDevices = {
  KIOSK_PRINTER: '/dev/ttyACM0',
  KIOSK_SCANNER: '/dev/ttyUSB0',
  KIOSK_NFC: 'ACS ACR122U PICC Interface 00 00',
  KIOSK_COUNTER_READER: 'ACS ACR122U PICC Interface 01 00',
  KIOSK_BOARD: '/dev/ttyACM1',
  KIOSK_NUMBER: '17',
};
const freshDir = (): string => mkdtempSync(join(tmpdir(), 'config-'));

describe('kiosk configuration', () => {
  it('simulates every device when asked (KIOSK_SIMULATE=1, as npm start does), with kiosk number 1', () => {
    const dir = freshDir();
    const config = loadConfig({ KIOSK_DATA_DIR: dir, KIOSK_SIMULATE: '1' });
    expect(config.devices).toEqual({ printer: 'simulated', scanner: 'simulated', nfc: 'simulated', board: 'simulated', billValidator: 'simulated', receiptPrinter: 'simulated' });
    expect(config.cashDevice).toBe('cctalk');
    expect(config.counterReader).toBe('simulated');
    expect(config.kioskNumber).toBe(1);
    expect(config.dataDir).toBe(dir);
    expect(isFullySimulated(config)).toBe(true);
    expect(loadConfig({ KIOSK_DATA_DIR: dir, KIOSK_SIMULATE: 'all' }).devices.nfc).toBe('simulated');
    writeFileSync(join(dir, 'kiosk.config.json'), JSON.stringify({ simulate: true }));
    expect(isFullySimulated(loadConfig({ KIOSK_DATA_DIR: dir }))).toBe(true);
  });

  it('refuses an unconfigured kiosk instead of simulating it, naming every missing setting', () => {
    const dir = freshDir();
    const attempt = () => loadConfig({ KIOSK_DATA_DIR: dir });
    expect(attempt).toThrow(/not configured: devices\.printer \(KIOSK_PRINTER\), devices\.scanner \(KIOSK_SCANNER\), devices\.nfc \(KIOSK_NFC\), devices\.board \(KIOSK_BOARD\), counterReader \(KIOSK_COUNTER_READER\), kioskNumber \(KIOSK_NUMBER\)/);
    expect(attempt).toThrow(/simulate every device \(npm start, or KIOSK_SIMULATE=1\)/);
    expect(() => loadConfig({ KIOSK_DATA_DIR: dir, KIOSK_SIMULATE: '0' })).toThrow(/not configured/);
  });

  it('refuses a kiosk with real devices that leaves out nfc, or kioskNumber', () => {
    const dir = freshDir();
    const { KIOSK_NFC: _nfc, ...withoutNfc } = realDevices;
    expect(() => loadConfig({ KIOSK_DATA_DIR: dir, ...withoutNfc })).toThrow(/not configured: devices\.nfc \(KIOSK_NFC\);/);
    const { KIOSK_NUMBER: _number, ...withoutNumber } = realDevices;
    expect(() => loadConfig({ KIOSK_DATA_DIR: dir, ...withoutNumber })).toThrow(/not configured: kioskNumber \(KIOSK_NUMBER\) \(the registry's number/);
    const config = loadConfig({ KIOSK_DATA_DIR: dir, ...realDevices });
    expect(config).toMatchObject({ kioskNumber: 17, counterReader: 'ACS ACR122U PICC Interface 01 00', devices: { printer: '/dev/ttyACM0', nfc: 'ACS ACR122U PICC Interface 00 00' } });
    expect(isFullySimulated(config)).toBe(false);
  });

  it('has no receipt printer unless one is configured; a fully simulated kiosk simulates one', () => {
    const dir = freshDir();
    expect(loadConfig({ KIOSK_DATA_DIR: dir, ...realDevices }).devices.receiptPrinter).toBe('none');
    expect(loadConfig({ KIOSK_DATA_DIR: dir, ...realDevices, KIOSK_RECEIPT_PRINTER: '/dev/kiosk-receipt-printer' }).devices.receiptPrinter).toBe('/dev/kiosk-receipt-printer');
    expect(() => loadConfig({ KIOSK_DATA_DIR: dir, ...realDevices, KIOSK_RECEIPT_PRINTER: 'simulated' })).toThrow(
      /devices\.receiptPrinter \(KIOSK_RECEIPT_PRINTER\): 'simulated' only in a fully simulated kiosk/,
    );
    expect(loadConfig({ KIOSK_DATA_DIR: dir, KIOSK_SIMULATE: '1' }).devices.receiptPrinter).toBe('simulated');
    expect(loadConfig({ KIOSK_DATA_DIR: dir, KIOSK_SIMULATE: '1', KIOSK_RECEIPT_PRINTER: 'none' }).devices.receiptPrinter).toBe('none');
    writeFileSync(join(dir, 'kiosk.config.json'), JSON.stringify({ devices: { receiptPrinter: '/dev/ttyS0' } }));
    expect(loadConfig({ KIOSK_DATA_DIR: dir, ...realDevices }).devices.receiptPrinter).toBe('/dev/ttyS0');
    writeFileSync(join(dir, 'kiosk.config.json'), JSON.stringify({ devices: { receiptprinter: '/dev/ttyS0' } }));
    expect(() => loadConfig({ KIOSK_DATA_DIR: dir, ...realDevices })).toThrow(/did you mean 'devices\.receiptPrinter'\?/);
  });

  it('simulates part of a kiosk only when the devices are asked for by name', () => {
    const dir = freshDir();
    const { KIOSK_BOARD: _board, ...withoutBoard } = realDevices;
    expect(() => loadConfig({ KIOSK_DATA_DIR: dir, ...withoutBoard })).toThrow(/not configured: devices\.board \(KIOSK_BOARD\); .*simulate them by name \(KIOSK_SIMULATE=board,/);
    const partial = loadConfig({ KIOSK_DATA_DIR: dir, ...withoutBoard, KIOSK_SIMULATE: 'board' });
    expect(partial.devices).toEqual({ printer: '/dev/ttyACM0', scanner: '/dev/ttyUSB0', nfc: 'ACS ACR122U PICC Interface 00 00', board: 'simulated', billValidator: 'none', receiptPrinter: 'none' });
    expect(partial.cashDevice).toBe('none');
    expect(isFullySimulated(partial)).toBe(false);
    // The same from the file; the counter reader goes with the NFC reader.
    writeFileSync(join(dir, 'kiosk.config.json'), JSON.stringify({ kioskNumber: 17, simulate: ['nfc', 'board'], devices: { printer: '/dev/ttyACM0', scanner: '/dev/ttyUSB0' } }));
    expect(loadConfig({ KIOSK_DATA_DIR: dir })).toMatchObject({ counterReader: 'simulated', devices: { nfc: 'simulated', board: 'simulated', printer: '/dev/ttyACM0' } });
    // A device both given and asked to be simulated, `simulated` as a device's value, a device that is not one.
    expect(() => loadConfig({ KIOSK_DATA_DIR: dir, KIOSK_SIMULATE: 'printer,nfc,board' })).toThrow(/devices\.printer \(KIOSK_PRINTER\) is '\/dev\/ttyACM0' but the printer is to be simulated/);
    expect(() => loadConfig({ KIOSK_DATA_DIR: dir, KIOSK_SIMULATE: '0', KIOSK_NFC: 'simulated' })).toThrow(/devices\.nfc \(KIOSK_NFC\): 'simulated' is not a device; to simulate it, ask by name: KIOSK_SIMULATE=nfc/);
    expect(() => loadConfig({ KIOSK_DATA_DIR: dir, KIOSK_SIMULATE: 'bord' })).toThrow(/KIOSK_SIMULATE: 'bord' is not a device \(did you mean 'board'\?\)/);
  });

  it('takes cash only through a device it is told of: cctalk with a validator, pulse by name, none otherwise', () => {
    const dir = freshDir();
    // A real kiosk without a validator takes no cash unless the pulse acceptor is named.
    expect(loadConfig({ KIOSK_DATA_DIR: dir, ...realDevices })).toMatchObject({ cashDevice: 'none', devices: { billValidator: 'none' } });
    expect(loadConfig({ KIOSK_DATA_DIR: dir, ...realDevices, KIOSK_CASH_DEVICE: 'pulse' }).cashDevice).toBe('pulse');
    // A validator's path makes it the cash device.
    const withValidator = loadConfig({ KIOSK_DATA_DIR: dir, ...realDevices, KIOSK_BILL_VALIDATOR: '/dev/serial/by-id/usb-ccTalk-if00' });
    expect(withValidator).toMatchObject({ cashDevice: 'cctalk', devices: { billValidator: '/dev/serial/by-id/usb-ccTalk-if00' } });
    expect(() => loadConfig({ KIOSK_DATA_DIR: dir, ...realDevices, KIOSK_CASH_DEVICE: 'cctalk' })).toThrow(/cashDevice \(KIOSK_CASH_DEVICE\) is 'cctalk' but there is no bill validator: set devices\.billValidator \(KIOSK_BILL_VALIDATOR\)/);
    expect(() => loadConfig({ KIOSK_DATA_DIR: dir, ...realDevices, KIOSK_CASH_DEVICE: 'pulse', KIOSK_BILL_VALIDATOR: '/dev/ttyUSB3' })).toThrow(/takes cash through one device/);
    expect(() => loadConfig({ KIOSK_DATA_DIR: dir, ...realDevices, KIOSK_CASH_DEVICE: 'coins' })).toThrow(/cashDevice/);
    // Simulated: the validator by name alone, and a simulated kiosk that names the pulse acceptor has no validator.
    expect(loadConfig({ KIOSK_DATA_DIR: dir, ...realDevices, KIOSK_SIMULATE: 'billValidator' })).toMatchObject({ cashDevice: 'cctalk', devices: { billValidator: 'simulated', board: '/dev/ttyACM1' } });
    expect(loadConfig({ KIOSK_DATA_DIR: dir, KIOSK_SIMULATE: '1', KIOSK_CASH_DEVICE: 'pulse' })).toMatchObject({ cashDevice: 'pulse', devices: { billValidator: 'none' } });
    expect(() => loadConfig({ KIOSK_DATA_DIR: dir, ...realDevices, KIOSK_BILL_VALIDATOR: 'simulated' })).toThrow(/KIOSK_SIMULATE=billValidator/);
    writeFileSync(join(dir, 'kiosk.config.json'), JSON.stringify({ cashDevice: 'cctalk', devices: { billValidator: '/dev/ttyUSB3' } }));
    expect(loadConfig({ KIOSK_DATA_DIR: dir, ...realDevices })).toMatchObject({ cashDevice: 'cctalk', devices: { billValidator: '/dev/ttyUSB3' } });
  });

  it('takes devices from the config file, and environment variables over it', () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'kiosk.config.json'), JSON.stringify({ kioskId: 'TY-NURSING-07', kioskNumber: 7, devices: { printer: '/dev/ttyACM0', scanner: '/dev/ttyUSB0', nfc: 'ACR122', board: '/dev/ttyACM1' }, counterReader: 'ACR122 01' }));
    const config = loadConfig({ KIOSK_DATA_DIR: dir, KIOSK_NFC: 'ACR1252', KIOSK_PORT: '8123', KIOSK_NUMBER: '8' });
    expect(config.kioskId).toBe('TY-NURSING-07');
    expect(config.kioskNumber).toBe(8);
    expect(config.devices.printer).toBe('/dev/ttyACM0');
    expect(config.devices.nfc).toBe('ACR1252');
    expect(config.port).toBe(8123);
  });

  it('refuses an unknown setting with its name and the closest known one', () => {
    const dir = freshDir();
    const file = join(dir, 'kiosk.config.json');
    writeFileSync(file, JSON.stringify({ kioskNumber: 7, Devices: { printer: '/dev/ttyACM0' } }));
    expect(() => loadConfig({ KIOSK_DATA_DIR: dir, ...realDevices })).toThrow(`unknown setting 'Devices' in ${file}: did you mean 'devices'?`);
    writeFileSync(file, JSON.stringify({ kioskNumbr: 7 }));
    expect(() => loadConfig({ KIOSK_DATA_DIR: dir, ...realDevices })).toThrow(`unknown setting 'kioskNumbr' in ${file}: did you mean 'kioskNumber'?`);
    writeFileSync(file, JSON.stringify({ devices: { NFC: 'ACR122' } }));
    expect(() => loadConfig({ KIOSK_DATA_DIR: dir, ...realDevices })).toThrow(`unknown setting 'devices.NFC' in ${file}: did you mean 'devices.nfc'?`);
    writeFileSync(file, JSON.stringify({ colour: 'blue' }));
    expect(() => loadConfig({ KIOSK_DATA_DIR: dir, ...realDevices })).toThrow(/unknown setting 'colour' in .*: known settings are simulate, kioskId, kioskNumber/);
    // kioskctl reads the same file: a typo is refused there too.
    expect(() => loadStoreSettings({ KIOSK_DATA_DIR: dir })).toThrow(/unknown setting 'colour'/);
  });

  it('names the file and the field that is wrong', () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'kiosk.config.json'), JSON.stringify({ kioskId: 'bad id!' }));
    expect(() => loadConfig({ KIOSK_DATA_DIR: dir, KIOSK_SIMULATE: '1' })).toThrow(/kiosk\.config\.json.*kioskId: letters, digits and dashes/);
    writeFileSync(join(dir, 'kiosk.config.json'), '{ not json');
    expect(() => loadConfig({ KIOSK_DATA_DIR: dir, KIOSK_SIMULATE: '1' })).toThrow(/is not valid JSON/);
  });

  it('takes the mode, the key file (relative to the data directory), retention and photo thresholds', () => {
    const dir = freshDir();
    const simulate = { KIOSK_DATA_DIR: dir, KIOSK_SIMULATE: '1' };
    const defaults = loadConfig(simulate);
    expect(defaults).toMatchObject({ mode: 'staffed', keyFile: join(dir, 'keys', 'store.key'), retentionDays: 90, photo: {} });
    writeFileSync(join(dir, 'kiosk.config.json'), JSON.stringify({ mode: 'self-service', keyFile: '/media/key/store.key', retentionDays: 30, photo: { headHeight: { min: 0.7 } } }));
    expect(loadConfig(simulate)).toMatchObject({ mode: 'self-service', keyFile: '/media/key/store.key', retentionDays: 30, photo: { headHeight: { min: 0.7 } } });
    expect(loadConfig({ ...simulate, KIOSK_KEY_FILE: 'other.key', KIOSK_MODE: 'staffed' })).toMatchObject({ mode: 'staffed', keyFile: join(dir, 'other.key') });
    expect(() => loadConfig({ ...simulate, KIOSK_MODE: 'unattended' })).toThrow(/mode: /);
    // The technicians' CLI needs no device to find the store.
    expect(loadStoreSettings({ KIOSK_DATA_DIR: dir })).toEqual({ dataDir: dir, keyFile: '/media/key/store.key', kioskId: 'TY-MOBILE-01', retentionDays: 30, counterReader: null });
  });

  it('keeps a disk reserve for the store: 64 MB unless the file or KIOSK_DISK_RESERVE_MB says otherwise', () => {
    const dir = mkdtempSync(join(tmpdir(), 'config-'));
    const simulated = { KIOSK_DATA_DIR: dir, KIOSK_SIMULATE: '1' };
    expect(loadConfig(simulated).diskReserveMb).toBe(64);
    writeFileSync(join(dir, 'kiosk.config.json'), JSON.stringify({ diskReserveMb: 256 }));
    expect(loadConfig(simulated).diskReserveMb).toBe(256);
    expect(loadConfig({ ...simulated, KIOSK_DISK_RESERVE_MB: '16' }).diskReserveMb).toBe(16);
    expect(() => loadConfig({ ...simulated, KIOSK_DISK_RESERVE_MB: 'lots' })).toThrow(/diskReserveMb: /);
  });

  it("takes the timers that are policy from the file's timings section, each defaulting to the machines' own", () => {
    const dir = freshDir();
    const simulated = { KIOSK_DATA_DIR: dir, KIOSK_SIMULATE: '1' };
    expect(loadConfig(simulated).timings).toEqual({ idleLockSeconds: 180, idleWarningSeconds: 30, ownCardShownSeconds: 30, problemShownSeconds: 30, handOverSeconds: 60, topUpIdleSeconds: 60, topUpDoneShownSeconds: 30 });
    writeFileSync(join(dir, 'kiosk.config.json'), JSON.stringify({ timings: { idleLockSeconds: 60, handOverSeconds: 20 } }));
    expect(loadConfig(simulated).timings).toEqual({ idleLockSeconds: 60, idleWarningSeconds: 30, ownCardShownSeconds: 30, problemShownSeconds: 30, handOverSeconds: 20, topUpIdleSeconds: 60, topUpDoneShownSeconds: 30 });
  });

  it("takes the spoken guidance's volume from the file (0 to 1, 0.8 by default), and refuses one out of range or misspelt", () => {
    const dir = freshDir();
    const file = join(dir, 'kiosk.config.json');
    const simulated = { KIOSK_DATA_DIR: dir, KIOSK_SIMULATE: '1' };
    expect(loadConfig(simulated).speech).toEqual({ volume: 0.8 });
    writeFileSync(file, JSON.stringify({ speech: { volume: 0.35 } }));
    expect(loadConfig(simulated).speech).toEqual({ volume: 0.35 });
    writeFileSync(file, JSON.stringify({ speech: { volume: 1.5 } }));
    expect(() => loadConfig(simulated)).toThrow(/speech\.volume: /);
    writeFileSync(file, JSON.stringify({ speech: { volum: 0.5 } }));
    expect(() => loadConfig(simulated)).toThrow(`unknown setting 'speech.volum' in ${file}: did you mean 'speech.volume'?`);
  });

  it('refuses timings that cannot work: a warning not before the lock, a zero, a fraction, an unknown timing', () => {
    const dir = freshDir();
    const file = join(dir, 'kiosk.config.json');
    const simulated = { KIOSK_DATA_DIR: dir, KIOSK_SIMULATE: '1' };
    writeFileSync(file, JSON.stringify({ timings: { idleLockSeconds: 60, idleWarningSeconds: 60 } }));
    expect(() => loadConfig(simulated)).toThrow(/kiosk\.config\.json.*timings\.idleWarningSeconds: the idle warning must start before the lock: idleWarningSeconds must be shorter than idleLockSeconds/);
    writeFileSync(file, JSON.stringify({ timings: { ownCardShownSeconds: 0 } }));
    expect(() => loadConfig(simulated)).toThrow(/timings\.ownCardShownSeconds: /);
    writeFileSync(file, JSON.stringify({ timings: { handOverSeconds: 12.5 } }));
    expect(() => loadConfig(simulated)).toThrow(/timings\.handOverSeconds: /);
    writeFileSync(file, JSON.stringify({ timings: { idleLockSeconds: 24 * 3600 } }));
    expect(() => loadConfig(simulated)).toThrow(/timings\.idleLockSeconds: /);
    writeFileSync(file, JSON.stringify({ timings: { idleLockSecs: 60 } }));
    expect(() => loadConfig(simulated)).toThrow(`unknown setting 'timings.idleLockSecs' in ${file}: did you mean 'timings.idleLockSeconds'?`);
    writeFileSync(file, JSON.stringify({ timing: { idleLockSeconds: 60 } }));
    expect(() => loadConfig(simulated)).toThrow(`unknown setting 'timing' in ${file}: did you mean 'timings'?`);
  });
});

describe('kiosk configuration under hostile values (found by npm run fuzz -- --target config-file)', () => {
  const simulatedIn = (dir: string) => ({ KIOSK_DATA_DIR: dir, KIOSK_SIMULATE: '1' });

  it('refuses a key file that is not text, naming keyFile, instead of turning it into a path', () => {
    const dir = freshDir();
    for (const keyFile of [0, {}, ['store.key'], true]) {
      writeFileSync(join(dir, 'kiosk.config.json'), JSON.stringify({ keyFile }));
      // It was taken as `<dataDir>/0` or `<dataDir>/[object Object]`: a key file nobody configured.
      expect(() => loadConfig(simulatedIn(dir))).toThrow(/invalid kiosk configuration .*keyFile: /);
    }
  });

  it('names a device setting that cannot be printed, rather than failing on printing it', () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'kiosk.config.json'), JSON.stringify({ simulate: ['printer'], devices: { printer: { toString: 1, valueOf: 2 } } }));
    // It was a TypeError: Cannot convert object to primitive value.
    expect(() => loadConfig({ KIOSK_DATA_DIR: dir })).toThrow(/devices\.printer \(KIOSK_PRINTER\) is '\{"toString":1,"valueOf":2\}' but the printer is to be simulated/);
  });

  it('takes an empty numeric variable as unset, and refuses one that is not a decimal number', () => {
    const dir = freshDir();
    // An empty variable was the number 0: port 0 (a random port), no disk reserve at all.
    const empty = loadConfig({ ...simulatedIn(dir), KIOSK_PORT: '', KIOSK_DISK_RESERVE_MB: ' ', KIOSK_RETENTION_DAYS: '' });
    expect(empty).toMatchObject({ port: 7130, diskReserveMb: 64, retentionDays: 90 });
    expect(loadConfig({ ...simulatedIn(dir), KIOSK_PORT: ' 8080 ' }).port).toBe(8080);
    for (const [name, value, key] of [['KIOSK_PORT', '0x10', 'port'], ['KIOSK_DISK_RESERVE_MB', '1e3', 'diskReserveMb'], ['KIOSK_NUMBER', '１７', 'kioskNumber']] as const) {
      expect(() => loadConfig({ ...simulatedIn(dir), [name]: value })).toThrow(new RegExp(`${key}: `));
    }
  });

  it('names the photo threshold that is wrong, not only its group', () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'kiosk.config.json'), JSON.stringify({ photo: { headHeight: { min: '0.5' } } }));
    // It said only "photo.headHeight: Invalid input".
    expect(() => loadConfig(simulatedIn(dir))).toThrow(/invalid kiosk configuration .*photo setting headHeight\.min = "0\.5"/);
    writeFileSync(join(dir, 'kiosk.config.json'), JSON.stringify({ photo: { headHeight: { minimum: 0.5 } } }));
    expect(() => loadConfig(simulatedIn(dir))).toThrow(/unknown photo setting headHeight\.minimum/);
  });
});
