import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SerialPort } from 'serialport';
import { openIdScanner } from '../../../../hardware/id-scanner/driver';
import { openCardPrinter } from '../../../../hardware/printer/driver';
import { connectKioskBoard } from '../../../../firmware/board';
import type { LogEvent } from '../../../../shared/log';
import { fixtureDocuments } from '../../../../hardware/id-scanner/fixtures';
import { startIdScannerSimulator } from '../../../../hardware/id-scanner/simulator';
import type { IdDocumentRead } from '../../../../hardware/id-scanner/types';
import { lineQuietMs } from '../../../../hardware/serial/line-noise';
import { openPtyPair } from '../../../../hardware/serial/pty-pair';
import { DeviceStatusBoard } from '../../../../kiosk/controller/device-status';
import { lineNoiseDetail, showBoardLineNoise, showPrinterStatus, showScannerStatus } from '../../../../kiosk/controller/devices/serial-device-status';
import { createLogger } from '../../../../kiosk/controller/logging/logger';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 20));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

describe('a noisy ID scanner line (1 MiB of random bytes over a real pty)', { timeout: 60_000 }, () => {
  it('writes a few log lines, not one per bad frame, and shows the scanner faulted by line noise until the line is quiet', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scanner-noise-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const pair = await openPtyPair('scanner', dir);
    cleanup.push(() => pair.close());
    const simulator = await startIdScannerSimulator({ devicePath: pair.devicePath });
    cleanup.push(() => simulator.close());
    const logFile = join(dir, 'logs', 'kiosk.jsonl');
    const log = createLogger({ destination: logFile });
    const scanner = openIdScanner({ path: pair.hostPath, log, reopenIntervalMs: 50 });
    cleanup.push(() => scanner.close());
    const devices = new DeviceStatusBoard({ printer: false, scanner: false, nfc: false, board: false });
    showScannerStatus(scanner, devices);
    const documents: IdDocumentRead[] = [];
    scanner.on('document', (document) => documents.push(document));
    expect(await scanner.whenConnected()).toBe(true);
    await until(() => devices.all().scanner.state === 'connected', 'the scanner connected');

    const noiseBytes = 1024 * 1024;
    const chunk = 16 * 1024;
    for (let sent = 0; sent < noiseBytes; sent += chunk) await simulator.feedRaw(randomBytes(chunk));
    await until(() => scanner.stats.badFrames > 1000, 'the noise reached the driver');
    // Still noisy while the last bytes are being taken apart.
    expect(devices.all().scanner).toMatchObject({ state: 'fault', detail: lineNoiseDetail });
    const noiseEnded = Date.now();

    await until(() => devices.all().scanner.state === 'connected', 'the scanner back to connected', lineQuietMs + 10_000);
    expect(Date.now() - noiseEnded).toBeGreaterThanOrEqual(lineQuietMs - 100);
    expect(devices.all().scanner.detail).toBe('');
    // The line works again.
    await simulator.feed(fixtureDocuments.passportVietnam);
    await until(() => documents.length === 1, 'a document after the noise');

    await scanner.close();
    const lines = readFileSync(logFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(scanner.stats.badFrames).toBeGreaterThan(1000);
    expect(lines.length).toBeLessThan(100);
    expect(lines.map((line) => line['eventId'])).toEqual(expect.arrayContaining(['scanner-line-noise', 'scanner-bad-frame']));
    const suppressed = lines.reduce((sum, line) => sum + (typeof line['suppressed'] === 'number' ? line['suppressed'] : 0), 0);
    const written = lines.filter((line) => line['eventId'] === 'scanner-bad-frame' && line['suppressed'] === undefined).length;
    // Every bad frame is accounted for: written, or counted in a later line.
    expect(written + suppressed).toBe(scanner.stats.badFrames);
  });
});

describe('a noisy printer line', { timeout: 60_000 }, () => {
  it('shows the printer faulted by line noise while bytes that are no reply keep coming, then connected again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'printer-noise-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const pair = await openPtyPair('printer', dir);
    cleanup.push(() => pair.close());
    const device = new SerialPort({ path: pair.devicePath, baudRate: 115200 });
    await new Promise((resolve) => device.once('open', resolve));
    cleanup.push(() => new Promise<void>((resolve) => device.close(() => resolve())));
    const quietMs = 800;
    const printer = await openCardPrinter({ path: pair.hostPath, pollIntervalMs: 0, lineQuietMs: quietMs });
    cleanup.push(() => printer.close());
    const devices = new DeviceStatusBoard({ printer: false, scanner: false, nfc: false, board: false });
    showPrinterStatus(printer, devices);
    expect(devices.all().printer.state).toBe('connected');

    const states: string[] = [];
    devices.onChange(() => states.push(`${devices.all().printer.state}:${devices.all().printer.detail}`));
    for (let sent = 0; sent < 256 * 1024; sent += 4096) {
      await new Promise<void>((resolve) => device.write(randomBytes(4096), () => device.drain(() => resolve())));
    }
    await until(() => devices.all().printer.state === 'fault', 'the printer faulted by line noise');
    expect(devices.all().printer.detail).toBe(lineNoiseDetail);
    await until(() => devices.all().printer.state === 'connected', 'the printer back to connected', quietMs + 10_000);
    expect(states[0]).toBe(`fault:${lineNoiseDetail}`);
  });
});

describe('a noisy I/O board line', { timeout: 60_000 }, () => {
  it('logs a few lines and shows the board faulted by line noise while garbage keeps coming, then not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'board-noise-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const pair = await openPtyPair('board', dir);
    cleanup.push(() => pair.close());
    const device = new SerialPort({ path: pair.devicePath, baudRate: 57600 });
    await new Promise((resolve) => device.once('open', resolve));
    cleanup.push(() => new Promise<void>((resolve) => device.close(() => resolve())));
    const quietMs = 800;
    const logs: LogEvent[] = [];
    const board = connectKioskBoard({ path: pair.hostPath, log: (event) => logs.push(event), reopenIntervalMs: 100, lineQuietMs: quietMs });
    cleanup.push(() => board.close());
    const devices = new DeviceStatusBoard({ printer: false, scanner: false, nfc: false, board: false });
    showBoardLineNoise(board, devices, 'the tamper alarm is set');
    await until(() => logs.some((event) => event.eventId === 'board-handshake-init'), 'the board port to open');

    for (let sent = 0; sent < 1024 * 1024; sent += 4096) {
      await new Promise<void>((resolve) => device.write(randomBytes(4096), () => device.drain(() => resolve())));
    }
    await until(() => devices.all().board.state === 'fault', 'the board faulted by line noise');
    expect(devices.all().board.detail).toBe(lineNoiseDetail);
    expect(board.lineNoisy).toBe(true);
    // Quiet again; no board ever answered the handshake, so it is not connected.
    await until(() => !board.lineNoisy, 'the line quiet again', quietMs + 10_000);
    expect(devices.all().board.state).toBe('disconnected');
    const noisy = logs.filter((event) => event.eventId.startsWith('board-garbage') || event.eventId.startsWith('board-line-noise'));
    expect(noisy.length).toBeGreaterThan(0);
    expect(logs.length).toBeLessThan(50);
  });
});
