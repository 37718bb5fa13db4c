import type { KioskBoard } from '../../../firmware/board';
import type { IdScanner } from '../../../hardware/id-scanner/types';
import type { CardPrinter, PrinterStatus } from '../../../hardware/printer/types';
import type { DeviceState } from '../../../shared/contract/kiosk-api';
import { message, type Message } from '../../../shared/contract/messages';
import type { DeviceStatusBoard } from '../device-status';

/**
 * The serial devices' lines on the status board: connected, disconnected, faulted by the device
 * (printer cover open...) or faulted by line noise (a line that keeps sending bad frames, until it
 * is quiet again).
 */

/** What staff and `kioskctl doctor` read while a device's line keeps sending bad frames. */
export const lineNoiseDetail = 'line noise: the line keeps sending bad frames (check the cable and the baud rate)';

export function showScannerStatus(scanner: IdScanner, devices: DeviceStatusBoard): void {
  const connected = (): void => devices.set('scanner', scanner.lineNoisy ? 'fault' : 'connected', scanner.lineNoisy ? lineNoiseDetail : '');
  scanner.on('connected', connected);
  scanner.on('disconnected', (reason) => devices.set('scanner', 'disconnected', reason));
  scanner.on('lineNoise', connected);
  void scanner.whenConnected().then((open) => (open ? connected() : devices.set('scanner', 'disconnected')));
}

export function showPrinterStatus(printer: CardPrinter, devices: DeviceStatusBoard): void {
  let noisy = false;
  const show = (status: PrinterStatus): void => {
    const { state, detail, message } = noisy ? { state: 'fault' as const, detail: lineNoiseDetail, message: null } : printerState(status);
    devices.set('printer', state, detail, message);
  };
  printer.on('connected', () => (noisy ? show(printer.lastStatus()) : devices.set('printer', 'connected')));
  printer.on('disconnected', (reason) => {
    noisy = false;
    devices.set('printer', 'disconnected', reason);
  });
  printer.on('status', show);
  printer.on('lineNoise', (now) => {
    noisy = now;
    show(printer.lastStatus());
  });
  devices.set('printer', printer.isConnected ? 'connected' : 'disconnected');
}

function printerState(status: PrinterStatus): { state: DeviceState; detail: string; message: Message | null } {
  const problems = [
    status.cover === 'open' ? 'cover open' : '',
    status.feeder === 'empty' ? 'feeder empty' : '',
    status.ribbonAtEnd ? 'ribbon at its end' : '',
  ].filter(Boolean);
  const detail = `${status.printsLeft ?? '?'} prints left on the ribbon${problems.length ? `; ${problems.join(', ')}` : ''}`;
  // The first problem in the words a failed job would use for it (issue 16: the bar and the queue agree).
  const words = status.cover === 'open' ? message('printer.cover-open') : status.feeder === 'empty' ? message('printer.feeder-empty') : status.ribbonAtEnd ? message('printer.ribbon-out') : null;
  return { state: problems.length ? 'fault' : 'connected', detail, message: words };
}

/**
 * The I/O board's line noise on the status board; its other states (connected, tamper) are set where
 * the board is opened. Once quiet, the board shows what it shows without the noise.
 */
export function showBoardLineNoise(board: KioskBoard, devices: DeviceStatusBoard, tamperDetail: string): void {
  board.on('lineNoise', (noisy) => {
    if (noisy) devices.set('board', 'fault', lineNoiseDetail);
    else if (!board.isConnected) devices.set('board', 'disconnected');
    else devices.set('board', board.tamperLatched ? 'fault' : 'connected', board.tamperLatched ? tamperDetail : '');
  });
}
