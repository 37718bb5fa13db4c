import type { DeviceState, SelfServiceClosure } from '../../../shared/contract/kiosk-api';

/**
 * When the unattended kiosk is out of service. Nobody watches it, so it closes while the I/O board
 * (the tamper switch, the light, the cash inhibit) is not connected — until it has connected at
 * start, and while it is away — and while the tamper alarm is latched (the door was opened; in
 * self-service mode the board also latches it when it was lost, as the door went unwatched), until
 * a technician clears it. The board's absence is named first: it is what a technician must fix first.
 */
export function selfServiceClosure(board: DeviceState, tamperLatched: boolean): SelfServiceClosure | null {
  if (board === 'disconnected' || board === 'starting') return 'board-disconnected';
  if (tamperLatched) return 'tamper';
  return null;
}
