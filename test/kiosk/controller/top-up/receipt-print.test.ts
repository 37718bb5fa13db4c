import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openReceiptPrinter } from '../../../../hardware/receipt-printer/driver';
import { receiptQrCodes, receiptText, startReceiptPrinterSimulatorOnPty, type PluggableReceiptPrinterSimulator } from '../../../../hardware/receipt-printer/simulator';
import type { ReceiptPrinter } from '../../../../hardware/receipt-printer/types';
import { dollars, formatTopUpReceipt, printReceiptView, printTopUpReceipt, taiwanTime, type TopUpReceiptFields } from '../../../../kiosk/controller/top-up/receipt-print';
import type { LogEvent } from '../../../../shared/log';

const fields: TopUpReceiptFields = {
  kioskId: 'TY-MOBILE-01',
  last4: '4821',
  amount: 1000,
  balance: 9500,
  time: '2026-12-07T01:38:44.123Z',
  journalId: '418',
  qr: 'TCR1.eyJrIjoiVFktTU9CSUxFLTAxIiwiYyI6IjQ4MjEiLCJhIjoxMDAwfQ.c2lnbmF0dXJl',
};

describe('top-up receipt text', () => {
  it('formats whole dollars with thousands separators and the instant as Taiwan time', () => {
    expect([0, 100, 1000, 9500, 10_000, 1_234_567].map(dollars)).toEqual(['0', '100', '1,000', '9,500', '10,000', '1,234,567']);
    expect(taiwanTime('2026-12-07T01:38:44.123Z')).toBe('2026-12-07 09:38:44 +08:00');
    expect(taiwanTime('2026-12-31T20:00:00Z')).toBe('2027-01-01 04:00:00 +08:00');
    expect(taiwanTime('2026-12-07T09:38:44+08:00')).toBe('2026-12-07 09:38:44 +08:00');
    expect(taiwanTime('2026-12-07')).toBeNull();
    expect(taiwanTime('yesterday')).toBeNull();
  });

  it('refuses fields it cannot print truthfully', () => {
    expect(formatTopUpReceipt({ ...fields, last4: '482' })).toBeNull();
    expect(formatTopUpReceipt({ ...fields, amount: 10.5 })).toBeNull();
    expect(formatTopUpReceipt({ ...fields, balance: -1 })).toBeNull();
    expect(formatTopUpReceipt({ ...fields, time: 'now' })).toBeNull();
  });
});

describe('printing a top-up receipt on the receipt printer (driver ⇄ simulator over a pty)', () => {
  let dir: string;
  let simulator: PluggableReceiptPrinterSimulator;
  let printer: ReceiptPrinter;
  const logs: LogEvent[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'top-up-receipt-'));
    simulator = await startReceiptPrinterSimulatorOnPty({ dir });
    printer = await openReceiptPrinter({ path: simulator.hostPath, log: (event) => logs.push(event) });
  });
  afterAll(async () => {
    await printer?.close();
    await simulator?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    logs.length = 0;
    simulator.injectFault({ kind: 'paper-loaded' });
    simulator.injectFault({ kind: 'cover-close' });
  });

  it('prints the kiosk, the card’s last four digits, amount, balance, Taiwan time and journal id, the QR code of the signed receipt, and cuts', async () => {
    const before = simulator.receipts().length;
    expect(await printTopUpReceipt(printer, fields, (event) => logs.push(event))).toBe('printed');
    const printed = simulator.receipts()[before]!;
    expect(simulator.protocolErrors()).toEqual([]);
    expect(printed.cut).toBe('partial');
    expect(receiptText(printed)).toEqual([
      'E-WALLET TOP-UP',
      'TAOYUAN CITIZEN CARD',
      '-'.repeat(42),
      'KIOSK                         TY-MOBILE-01',
      'CARD                             **** 4821',
      'AMOUNT                           NT$ 1,000',
      'BALANCE                          NT$ 9,500',
      'TIME            2026-12-07 09:38:44 +08:00',
      'JOURNAL                                418',
      '-'.repeat(42),
      'SIGNED RECEIPT - SCAN TO VERIFY',
      '',
      '',
      '',
    ]);
    expect(receiptText(printed).every((line) => line.length <= 42)).toBe(true);
    expect(receiptQrCodes(printed)).toEqual([fields.qr]);
    expect(logs).toContainEqual(expect.objectContaining({ eventId: 'top-up-receipt-printed', journalId: '418' }));
    // The card's digits stay off the log.
    expect(JSON.stringify(logs)).not.toContain('4821');
  });

  it('puts a value too long for its line under its label, never past the 42nd column', async () => {
    const before = simulator.receipts().length;
    const journalId = '0193a6c2-7d41-7c3e-9f0a-5b2e8d4c1a77';
    expect(await printTopUpReceipt(printer, { ...fields, journalId })).toBe('printed');
    const text = receiptText(simulator.receipts()[before]!);
    expect(text).toContain('JOURNAL');
    expect(text).toContain(journalId);
    expect(simulator.receipts()[before]!.lines.find((line) => line.kind === 'text' && line.text === journalId)).toMatchObject({ align: 'right' });
    expect(Math.max(...text.map((line) => line.length))).toBeLessThanOrEqual(42);
  });

  it('prints the screen’s receipt view where there is a printer, and says no-printer where there is none', async () => {
    const before = simulator.receipts().length;
    const view = { journalId: '419', last4: '4821', amount: 500, balance: 10_000, at: '2026-12-07T02:00:00Z', qr: 'TCR1.view.sig' };
    expect(await printReceiptView(null, 'TY-MOBILE-01', view)).toBe('no-printer');
    expect(simulator.receipts()).toHaveLength(before);
    expect(await printReceiptView(printer, 'TY-MOBILE-01', view)).toBe('printed');
    const printed = simulator.receipts()[before]!;
    expect(receiptText(printed)).toContain('BALANCE                         NT$ 10,000');
    expect(receiptText(printed)).toContain('TIME            2026-12-07 10:00:00 +08:00');
    expect(receiptQrCodes(printed)).toEqual(['TCR1.view.sig']);
  });

  it('answers failed, printing nothing, when the paper is out or the cover open, and logs why', async () => {
    const before = simulator.receipts().length;
    simulator.injectFault({ kind: 'paper-out' });
    expect(await printTopUpReceipt(printer, fields, (event) => logs.push(event))).toBe('failed');
    expect(logs).toContainEqual(expect.objectContaining({ eventId: 'top-up-receipt-failed', reason: 'paper_out' }));
    simulator.injectFault({ kind: 'paper-loaded' });
    simulator.injectFault({ kind: 'cover-open' });
    expect(await printTopUpReceipt(printer, fields, (event) => logs.push(event))).toBe('failed');
    expect(logs).toContainEqual(expect.objectContaining({ eventId: 'top-up-receipt-failed', reason: 'cover_open' }));
    expect(await printTopUpReceipt(printer, { ...fields, journalId: 'journal 儲值' }, (event) => logs.push(event))).toBe('failed');
    expect(simulator.receipts()).toHaveLength(before);
  });
});
