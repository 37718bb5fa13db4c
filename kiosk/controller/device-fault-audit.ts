import type { DeviceName, DeviceStatusView } from '../../shared/contract/kiosk-api';
import type { DeviceStatusBoard } from './device-status';
import type { AuditInput } from './store/audit';

const troubled = (state: DeviceStatusView['state']): boolean => state === 'fault' || state === 'disconnected';

/**
 * Every device fault goes into the audit log (the "device fault"), and so does the recovery,
 * so a supervisor can see how long the printer was jammed. Only transitions are written: a status that
 * repeats, or changes its detail within the same state, is not a new fault.
 */
export function auditDeviceFaults(devices: DeviceStatusBoard, append: (input: AuditInput) => Promise<void>): () => void {
  const last = new Map<DeviceName, DeviceStatusView['state']>();
  for (const [name, view] of Object.entries(devices.all()) as Array<[DeviceName, DeviceStatusView]>) last.set(name, view.state);
  return devices.onChange(() => {
    for (const [name, view] of Object.entries(devices.all()) as Array<[DeviceName, DeviceStatusView]>) {
      const before = last.get(name);
      last.set(name, view.state);
      if (before === view.state) continue;
      if (troubled(view.state)) {
        void append({ eventId: 'device-fault', operatorId: null, disposition: 'failure', details: { device: name, state: view.state, detail: view.detail } });
      } else if (before !== undefined && troubled(before) && view.state === 'connected') {
        void append({ eventId: 'device-fault', operatorId: null, disposition: 'success', details: { device: name, state: 'recovered', after: before } });
      }
    }
  });
}
