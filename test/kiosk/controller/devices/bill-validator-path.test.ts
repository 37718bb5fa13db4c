import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../kiosk/controller/config';
import { billValidatorPath } from '../../../../kiosk/controller/devices/bill-validator-path';
import type { SimulatedWorldLink } from '../../../../kiosk/controller/devices/simulated-world';

const real = { KIOSK_PRINTER: '/dev/ttyACM0', KIOSK_SCANNER: '/dev/ttyUSB0', KIOSK_NFC: 'R 00 00', KIOSK_COUNTER_READER: 'R 01 00', KIOSK_BOARD: '/dev/ttyACM1', KIOSK_NUMBER: '3' };
const link = (billValidator?: string): SimulatedWorldLink => ({ paths: billValidator ? { billValidator } : {}, readers: null, pcscdSocketPath: null, setStaffCard: () => {} });

describe('billValidatorPath: where the kiosk opens its validator', () => {
  it('is the configured device, the simulated pty, or none when cash goes elsewhere', () => {
    const dir = mkdtempSync(join(tmpdir(), 'validator-path-'));
    expect(billValidatorPath(loadConfig({ KIOSK_DATA_DIR: dir, ...real, KIOSK_BILL_VALIDATOR: '/dev/ttyUSB7' }), null)).toBe('/dev/ttyUSB7');
    expect(billValidatorPath(loadConfig({ KIOSK_DATA_DIR: dir, ...real }), null)).toBeNull();
    expect(billValidatorPath(loadConfig({ KIOSK_DATA_DIR: dir, ...real, KIOSK_CASH_DEVICE: 'pulse' }), null)).toBeNull();
    const simulated = loadConfig({ KIOSK_DATA_DIR: dir, KIOSK_SIMULATE: '1' });
    expect(billValidatorPath(simulated, link('/run/validator-host'))).toBe('/run/validator-host');
    expect(() => billValidatorPath(simulated, link())).toThrow(/did not start/);
  });
});
