import { describe, expect, it } from 'vitest';
import { auditDeviceFaults } from '../../../kiosk/controller/device-fault-audit';
import { DeviceStatusBoard } from '../../../kiosk/controller/device-status';
import type { AuditInput } from '../../../kiosk/controller/store/audit';

describe('device faults in the audit log', () => {
  it('writes each fault and each recovery once, not repeats or detail changes', async () => {
    const devices = new DeviceStatusBoard({ printer: true, scanner: true, nfc: true, board: true });
    const written: AuditInput[] = [];
    const stop = auditDeviceFaults(devices, async (input) => void written.push(input));
    devices.set('printer', 'connected');
    devices.set('printer', 'fault', 'feeder empty');
    devices.set('printer', 'fault', 'feeder empty, cover open');
    devices.set('scanner', 'disconnected', 'unplugged');
    devices.set('printer', 'connected');
    devices.set('printer', 'connected', 'ribbon 80 left');
    stop();
    devices.set('printer', 'fault', 'jam');
    expect(written).toEqual([
      { eventId: 'device-fault', operatorId: null, disposition: 'failure', details: { device: 'printer', state: 'fault', detail: 'feeder empty' } },
      { eventId: 'device-fault', operatorId: null, disposition: 'failure', details: { device: 'scanner', state: 'disconnected', detail: 'unplugged' } },
      { eventId: 'device-fault', operatorId: null, disposition: 'success', details: { device: 'printer', state: 'recovered', after: 'fault' } },
    ]);
  });
});
