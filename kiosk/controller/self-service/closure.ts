import type { DeviceState, SelfServiceClosure } from '../../../shared/contract/kiosk-api';

/**
 * When the unattended kiosk is out of service: nobody watches it, so it closes while the I/O board
 * (the tamper switch, the light, the cash inhibit) is not connected — until it has connected at
 * start, and while it is unplugged, back by itself when it returns — and once the enclosure has been
 * opened, until a technician clears the latch.
 */
export function selfServiceClosure(board: DeviceState, tamperLatched: boolean): SelfServiceClosure | null {
  if (tamperLatched) return 'tamper';
  if (board === 'disconnected' || board === 'starting') return 'board-disconnected';
  return null;
}
