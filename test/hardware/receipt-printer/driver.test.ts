import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openReceiptPrinter, type ReceiptPrinterOptions } from '../../../hardware/receipt-printer/driver';
import {
  receiptQrCodes,
  receiptText,
  startReceiptPrinterSimulatorOnPty,
  type PluggableReceiptPrinterSimulator,
  type ReceiptPrinterSimulatorOptions,
} from '../../../hardware/receipt-printer/simulator';
import type { Receipt, ReceiptPrinter } from '../../../hardware/receipt-printer/types';
import type { LogEvent } from '../../../shared/log';

/** The driver on the host end of a real socat pty pair, the simulated printer on the device end. */
interface Rig {
  readonly simulator: PluggableReceiptPrinterSimulator;
  readonly printer: ReceiptPrinter;
  readonly logs: LogEvent[];
}

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function rig(simulatorOptions: Omit<ReceiptPrinterSimulatorOptions, 'devicePath'> = {}, driverOptions: Partial<ReceiptPrinterOptions> = {}): Promise<Rig> {
  const dir = mkdtempSync(join(tmpdir(), 'receipt-printer-'));
  cleanup.push(async () => rmSync(dir, { recursive: true, force: true }));
  const simulator = await startReceiptPrinterSimulatorOnPty({ ...simulatorOptions, dir });
  cleanup.push(() => simulator.close());
  const logs: LogEvent[] = [];
  const printer = await openReceiptPrinter({ path: simulator.hostPath, log: (event) => logs.push(event), reopenIntervalMs: 50, ...driverOptions });
  cleanup.push(() => printer.close());
  expect(printer.isConnected).toBe(true);
  return { simulator, printer, logs };
}

const receipt: Receipt = {
  lines: [
    { kind: 'text', text: 'E-WALLET TOP-UP', align: 'center', bold: true, width: 2, height: 2 },
    { kind: 'text', text: 'KIOSK               TY-MOBILE-01' },
    { kind: 'text', text: 'CARD                    **** 4821' },
    { kind: 'text', text: 'AMOUNT                  NT$ 1,000' },
    { kind: 'qr', data: 'TCR1.eyJrIjoiVFktTU9CSUxFLTAxIn0.c2lnbmF0dXJl' },
  ],
};

describe('receipt printer driver over a real pty', () => {
  it('prints a receipt that the printer reads back line by line, with its QR code, and cuts it', async () => {
    const r = await rig();
    const result = await r.printer.print(receipt);
    expect(result).toEqual({ ok: true, value: { bytesSent: expect.any(Number), paperNearEnd: false } });
    expect(r.simulator.protocolErrors()).toEqual([]);
    const printed = r.simulator.receipts();
    expect(printed).toHaveLength(1);
    expect(printed[0]!.cut).toBe('partial');
    expect(receiptText(printed[0]!).slice(0, 4)).toEqual(['E-WALLET TOP-UP', 'KIOSK               TY-MOBILE-01', 'CARD                    **** 4821', 'AMOUNT                  NT$ 1,000']);
    expect(printed[0]!.lines[0]).toMatchObject({ align: 'center', bold: true, width: 2, height: 2 });
    expect(receiptQrCodes(printed[0]!)).toEqual(['TCR1.eyJrIjoiVFktTU9CSUxFLTAxIn0.c2lnbmF0dXJl']);
    expect(r.logs).toContainEqual(expect.objectContaining({ eventId: 'receipt-printer-print-complete', disposition: 'success' }));
  });

  it('prints receipts one after another when asked at once (one command at a time)', async () => {
    const r = await rig();
    const results = await Promise.all([r.printer.print(receipt), r.printer.status(), r.printer.print(receipt), r.printer.print(receipt)]);
    expect(results.every((result) => result.ok)).toBe(true);
    expect(r.simulator.receipts().map((printed) => printed.cut)).toEqual(['partial', 'partial', 'partial']);
    expect(r.simulator.protocolErrors()).toEqual([]);
  });

  it('reads the status: ready, paper near end, paper out, cover open', async () => {
    const r = await rig();
    expect(await r.printer.status()).toEqual({ ok: true, value: { online: true, coverOpen: false, paper: 'ok', stoppedByPaperEnd: false, error: false } });
    r.simulator.injectFault({ kind: 'paper-near-end' });
    expect(await r.printer.status()).toMatchObject({ ok: true, value: { online: true, paper: 'near-end' } });
    r.simulator.injectFault({ kind: 'paper-out' });
    expect(await r.printer.status()).toMatchObject({ ok: true, value: { online: false, paper: 'out', stoppedByPaperEnd: true } });
    r.simulator.injectFault({ kind: 'paper-loaded' });
    r.simulator.injectFault({ kind: 'cover-open' });
    expect(await r.printer.status()).toMatchObject({ ok: true, value: { online: false, coverOpen: true, paper: 'ok' } });
  });

  it('refuses to print with the paper out, sending nothing, and prints again once paper is loaded', async () => {
    const r = await rig();
    r.simulator.injectFault({ kind: 'paper-out' });
    const result = await r.printer.print(receipt);
    expect(result).toMatchObject({ ok: false, error: { kind: 'paper_out', status: { paper: 'out' } } });
    expect(!result.ok && 'partial' in result.error ? result.error.partial : undefined).toBeUndefined(); // nothing started
    expect(r.simulator.receipts()).toEqual([]);
    expect(r.simulator.state().bytesDropped).toBe(0); // refused before a byte of the receipt was sent
    r.simulator.injectFault({ kind: 'paper-loaded' });
    expect((await r.printer.print(receipt)).ok).toBe(true);
    expect(r.simulator.receipts()).toHaveLength(1);
  });

  it('refuses to print with the cover open, and reports a cutter jam as a printer error', async () => {
    const r = await rig();
    r.simulator.injectFault({ kind: 'cover-open' });
    expect(await r.printer.print(receipt)).toMatchObject({ ok: false, error: { kind: 'cover_open', status: { coverOpen: true } } });
    r.simulator.injectFault({ kind: 'cover-close' });
    r.simulator.injectFault({ kind: 'cutter-jam' });
    expect(await r.printer.print(receipt)).toMatchObject({ ok: false, error: { kind: 'printer_error', status: { error: true } } });
    expect(r.simulator.receipts()).toEqual([]);
  });

  it('says the paper ran out in the middle of a receipt (partial), without waiting for the print timeout', async () => {
    const r = await rig({ paperLines: 3 }, { timeouts: { print: 10_000 } });
    const started = Date.now();
    const result = await r.printer.print(receipt);
    expect(result).toMatchObject({ ok: false, error: { kind: 'paper_out', partial: true } });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(r.simulator.receipts()[0]?.cut).toBeNull();
  });

  it('prints with the paper near its end and says so, so that staff can change the roll', async () => {
    const r = await rig();
    r.simulator.injectFault({ kind: 'paper-near-end' });
    expect(await r.printer.print(receipt)).toMatchObject({ ok: true, value: { paperNearEnd: true } });
    expect(r.simulator.receipts()).toHaveLength(1);
  });

  it('times out on a printer that has gone silent, and refuses a receipt it cannot encode without sending anything', async () => {
    const r = await rig({}, { timeouts: { status: 200 } });
    r.simulator.injectFault({ kind: 'power-off' });
    expect(await r.printer.status()).toEqual({ ok: false, error: { kind: 'timeout', command: 'DLE EOT 1' } });
    r.simulator.injectFault({ kind: 'power-on' });
    expect(await r.printer.print({ lines: [{ kind: 'text', text: 'NT$ 500 元' }] })).toEqual({ ok: false, error: { kind: 'invalid_receipt', cause: { kind: 'unprintable_text', line: 0, char: '元' } } });
    expect((await r.printer.status()).ok).toBe(true);
  });

  it('ignores bytes that answer nothing (XOFF, XON, a late GS r answer) and logs them', async () => {
    const r = await rig();
    // Sent while the status read waits for its answer, and before it on the line.
    const status = r.printer.status();
    r.simulator.injectFault({ kind: 'garbage', bytes: [0x13, 0x11, 0x00, 0x0f] });
    expect(await status).toMatchObject({ ok: true, value: { online: true, paper: 'ok' } });
    expect((await r.printer.print(receipt)).ok).toBe(true);
    expect(r.logs).toContainEqual(expect.objectContaining({ eventId: 'receipt-printer-stray-byte' }));
  });

  it('reports a pulled cable as disconnected and works again once it is plugged back', async () => {
    const r = await rig({}, { timeouts: { status: 300 } });
    await r.simulator.unplug();
    const whileUnplugged = await r.printer.print(receipt);
    expect(whileUnplugged.ok).toBe(false);
    expect(['disconnected', 'timeout']).toContain(whileUnplugged.ok ? null : whileUnplugged.error.kind);
    await r.simulator.replug();
    for (let i = 0; i < 100 && !r.printer.isConnected; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await r.printer.print(receipt)).ok).toBe(true);
    expect(r.simulator.receipts()).toHaveLength(1);
  });
});
