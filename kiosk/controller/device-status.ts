import type { DeviceName, DeviceStatusView } from '../../shared/contract/kiosk-api';

/** The live status of each device, as the UI and `kioskctl doctor` see it. */
export class DeviceStatusBoard {
  private readonly statuses: Record<DeviceName, DeviceStatusView>;
  private readonly listeners = new Set<() => void>();

  constructor(simulated: Record<DeviceName, boolean>) {
    const starting = (name: DeviceName): DeviceStatusView => ({ state: 'starting', simulated: simulated[name], detail: '' });
    this.statuses = { printer: starting('printer'), scanner: starting('scanner'), nfc: starting('nfc'), board: starting('board') };
  }

  set(name: DeviceName, state: DeviceStatusView['state'], detail = ''): void {
    const current = this.statuses[name];
    if (current.state === state && current.detail === detail) return;
    this.statuses[name] = { ...current, state, detail };
    for (const listener of this.listeners) listener();
  }

  all(): Readonly<Record<DeviceName, DeviceStatusView>> {
    return { ...this.statuses };
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
