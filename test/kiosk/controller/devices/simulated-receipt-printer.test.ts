import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receiptQrCodes } from '../../../../hardware/receipt-printer/simulator';
import type { ReceiptPrinter } from '../../../../hardware/receipt-printer/types';
import { loadConfig, type KioskConfig } from '../../../../kiosk/controller/config';
import { openConfiguredReceiptPrinter } from '../../../../kiosk/controller/devices/receipt-printer';
import { createSimulatedWorld, type SimulatedWorld } from '../../../../kiosk/controller/devices/simulated-world';
import { printTopUpReceipt } from '../../../../kiosk/controller/top-up/receipt-print';
import { silentLog } from '../../../../shared/log';

/**
 * The simulated world's receipt printer: started when `devices.receiptPrinter` is `simulated` (as in a
 * fully simulated kiosk; here only the board is simulated besides, so that no pcscd is needed), found by
 * the configured driver, and run out of paper by the dev command.
 */
describe('simulated world: the receipt printer', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-world-receipt-'));
  let world: SimulatedWorld;
  let printer: ReceiptPrinter | null;

  beforeAll(async () => {
    const loaded = loadConfig({ KIOSK_DATA_DIR: dataDir, KIOSK_SIMULATE: 'board', KIOSK_NUMBER: '2', KIOSK_PRINTER: '/dev/null', KIOSK_SCANNER: '/dev/null', KIOSK_NFC: 'Real Reader 00 00', KIOSK_COUNTER_READER: 'Real Reader 01 00' });
    expect(loaded.devices.receiptPrinter).toBe('none');
    const config: KioskConfig = { ...loaded, devices: { ...loaded.devices, receiptPrinter: 'simulated' } };
    world = await createSimulatedWorld(config, silentLog);
    printer = await openConfiguredReceiptPrinter(config, world.paths, silentLog);
  }, 30_000);
  afterAll(async () => {
    await printer?.close();
    await world?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const fields = { kioskId: 'TY-BUS-03', last4: '0042', amount: 500, balance: 500, time: '2026-12-07T01:00:00Z', journalId: '7', qr: 'TCR1.a.b' };

  it('prints on the simulated receipt printer, which runs out of paper and gets a new roll from the dev command', async () => {
    expect(world.receiptPrinter).not.toBeNull();
    expect(printer).not.toBeNull();
    expect(await printTopUpReceipt(printer!, fields)).toBe('printed');
    expect(receiptQrCodes(world.receiptPrinter!.receipts()[0]!)).toEqual(['TCR1.a.b']);

    expect(await world.dev({ type: 'receipt-printer-fault', fault: 'paper-out' })).toEqual({ accepted: true });
    expect(await printTopUpReceipt(printer!, fields)).toBe('failed');
    expect(await printer!.status()).toMatchObject({ ok: true, value: { paper: 'out' } });
    expect(await world.dev({ type: 'receipt-printer-fault', fault: 'paper-loaded' })).toEqual({ accepted: true });
    expect(await printTopUpReceipt(printer!, fields)).toBe('printed');
    expect(world.receiptPrinter!.receipts()).toHaveLength(2);
  });

  it('has no receipt printer where the setting is none', async () => {
    const loaded = loadConfig({ KIOSK_DATA_DIR: dataDir, KIOSK_SIMULATE: 'board', KIOSK_NUMBER: '2', KIOSK_PRINTER: '/dev/null', KIOSK_SCANNER: '/dev/null', KIOSK_NFC: 'Real Reader 00 00', KIOSK_COUNTER_READER: 'Real Reader 01 00' });
    expect(await openConfiguredReceiptPrinter(loaded, world.paths, silentLog)).toBeNull();
  });
});
