import type { IdScanner } from '../../../hardware/id-scanner/types';
import type { DeviceStatusBoard } from '../device-status';

/** What staff and `kioskctl doctor` read while the scanner's line keeps sending bad frames. */
export const lineNoiseDetail = 'line noise: the line keeps sending bad frames (check the cable and the baud rate)';

/** Keeps the scanner's line on the status board: connected, disconnected, or faulted by line noise. */
export function showScannerStatus(scanner: IdScanner, devices: DeviceStatusBoard): void {
  const connected = (): void => devices.set('scanner', scanner.lineNoisy ? 'fault' : 'connected', scanner.lineNoisy ? lineNoiseDetail : '');
  scanner.on('connected', connected);
  scanner.on('disconnected', (reason) => devices.set('scanner', 'disconnected', reason));
  scanner.on('lineNoise', connected);
  void scanner.whenConnected().then((open) => (open ? connected() : devices.set('scanner', 'disconnected')));
}
