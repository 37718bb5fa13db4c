import type { DeviceName, DeviceStatusView, JobView } from '../../shared/contract/kiosk-api';
import type { Message } from '../../shared/contract/messages';

/** The live status of each device, as the UI and `kioskctl doctor` see it. */
export class DeviceStatusBoard {
  private readonly statuses: Record<DeviceName, DeviceStatusView>;
  private readonly listeners = new Set<() => void>();

  constructor(simulated: Record<DeviceName, boolean>) {
    const starting = (name: DeviceName): DeviceStatusView => ({ state: 'starting', simulated: simulated[name], detail: '' });
    this.statuses = { printer: starting('printer'), scanner: starting('scanner'), nfc: starting('nfc'), board: starting('board') };
  }

  /** `message`: the fault in words staff read (the UI says them in its language), when the device says what it is. */
  set(name: DeviceName, state: DeviceStatusView['state'], detail = '', message: Message | null = null): void {
    const current = this.statuses[name];
    if (current.state === state && current.detail === detail && JSON.stringify(current.message ?? null) === JSON.stringify(message)) return;
    const { message: _previous, ...rest } = current;
    this.statuses[name] = { ...rest, state, detail, ...(message ? { message } : {}) };
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

/** Job stages where a job's error is the printer's state now: failed or parked with its card inside, or a card issued but stuck at the exit. */
const faultStages: ReadonlySet<JobView['stage']> = new Set(['failed', 'parked', 'ready']);

/**
 * Issue 16: the printer as the device bar shows it, with what its card jobs met. The printer's idle poll
 * does not run during a job, so a jam only shows in the job's error: while such a job waits, the printer
 * is at fault with the job's own words (the bar and the queue say the same thing).
 */
export function withPrinterJobFault(
  devices: Readonly<Record<DeviceName, DeviceStatusView>>,
  jobs: readonly JobView[],
): Readonly<Record<DeviceName, DeviceStatusView>> {
  const faulty = jobs.find((job) => faultStages.has(job.stage) && job.error?.kind.startsWith('printer_'));
  if (!faulty?.error) return devices;
  return { ...devices, printer: { ...devices.printer, state: 'fault', message: faulty.error.message } };
}
