import { describe, expect, it } from 'vitest';
import { fromPromise } from 'xstate';
import type { CardPrinter, PrinterStatus } from '../../../hardware/printer/types';
import { DeviceStatusBoard, withPrinterJobFault } from '../../../kiosk/controller/device-status';
import { showPrinterStatus } from '../../../kiosk/controller/devices/serial-device-status';
import { cardJobMachine } from '../../../kiosk/controller/issuance/card-job-machine';
import { printerFailure } from '../../../kiosk/controller/issuance/device-messages';
import { issuanceMachine, type CardPreview } from '../../../kiosk/controller/issuance/issuance-machine';
import { createKioskController } from '../../../kiosk/controller/kiosk-controller';
import { kioskSnapshotSchema, type JobView } from '../../../shared/contract/kiosk-api';
import { message } from '../../../shared/contract/messages';
import { eligibleGeneral, goodPhoto } from './issuance/issuance-harness';

/**
 * Issue 16: a printer fault turns the device bar red with the same words as the job's message. The
 * printer's idle poll does not run during a job, so without this the bar said "printer: OK" during a jam.
 */

const board = () => {
  const devices = new DeviceStatusBoard({ printer: true, scanner: true, nfc: true, board: true });
  for (const name of ['printer', 'scanner', 'nfc', 'board'] as const) devices.set(name, 'connected');
  return devices;
};
const jobAt = (stage: JobView['stage'], kind: string | null): JobView => ({
  jobId: 'job-1', ticket: 1, initials: null, stage, completed: [], stageSeconds: 0, cardType: 'general', cardNumber: null, uid: null,
  error: kind ? { kind, message: kind.startsWith('printer_') ? message('printer.jam') : message('nfc.no-card'), canRetry: true } : null,
  mine: true, mayTakeOver: false, progress: { step: null, fraction: 0, secondsLeft: 0, steps: [] }, summary: null,
});

describe('the printer on the device bar, with its card jobs', () => {
  it('is at fault with the job\'s words while a job waits on a printer error (failed, parked, or stuck at the exit)', () => {
    const devices = board().all();
    for (const stage of ['failed', 'parked', 'ready'] as const) {
      expect(withPrinterJobFault(devices, [jobAt('queued', null), jobAt(stage, 'printer_jam')]).printer).toMatchObject({ state: 'fault', message: message('printer.jam') });
    }
    // A chip's failure is not the printer's; a job under way has no fault; the other devices are untouched.
    expect(withPrinterJobFault(devices, [jobAt('failed', 'nfc_no_card')]).printer).toEqual(devices.printer);
    expect(withPrinterJobFault(devices, [jobAt('printing', null)])).toEqual(devices);
    expect(withPrinterJobFault(devices, [jobAt('failed', 'printer_jam')]).scanner).toEqual(devices.scanner);
  });

  it('says what the printer\'s own status shows, in the words a job would use (cover open)', () => {
    const listeners = new Map<string, (status: PrinterStatus) => void>();
    const status: PrinterStatus = { connected: true, card: 'none', output: 'empty', cover: 'closed', feeder: 'loaded', ribbon: 'ymcko', printsLeft: 120, ribbonAtEnd: false, readAt: 0 };
    const printer = {
      isConnected: true,
      lastStatus: () => status,
      on: (event: string, listener: (status: PrinterStatus) => void) => {
        listeners.set(event, listener);
        return () => {};
      },
    } as unknown as CardPrinter;
    const devices = board();
    showPrinterStatus(printer, devices);
    listeners.get('status')?.({ ...status, cover: 'open' });
    expect(devices.all().printer).toMatchObject({ state: 'fault', message: message('printer.cover-open') });
    listeners.get('status')?.(status);
    expect(devices.all().printer.state).toBe('connected');
    expect(devices.all().printer.message).toBeUndefined();
  });

  it('in the snapshot: a jam at the printer faults the printer with the job\'s message, and a good retry clears it', async () => {
    let jammed = true;
    const flow = issuanceMachine.provide({
      actors: {
        cardJob: cardJobMachine.provide({
          actors: {
            printCard: fromPromise(async () => {
              if (jammed) throw printerFailure({ kind: 'jam', command: 'Sic', reply: 'CARD JAM' });
            }),
            encodeCard: fromPromise(async () => ({ uid: '04A1B2C3' })),
            commitIssuance: fromPromise(async () => {}),
            ejectCard: fromPromise(async () => {}),
            abandonJob: fromPromise(async () => {}),
            journalQueued: fromPromise(async () => {}),
          },
        }),
        abandonJob: fromPromise(async () => {}),
        assessApplication: fromPromise(async () => eligibleGeneral),
        evaluatePhoto: fromPromise(async () => goodPhoto),
        beginJob: fromPromise(async () => 'job-1'),
        renderCard: fromPromise(async (): Promise<CardPreview> => ({ cardNumber: '3300011000000014', frontPng: new Uint8Array([0x89]), job: null })),
      },
    });
    const controller = createKioskController(flow, board(), () => {});
    await controller.command({ type: 'start-application' });
    await controller.command({ type: 'update-application', fields: { name: 'CHEN MEI LING', cardType: 'general' } });
    await controller.command({ type: 'submit-application' });
    await controller.command({ type: 'capture-photo', jpegBase64: Buffer.alloc(32, 0xff).toString('base64') });
    await until(() => controller.snapshot().screen === 'review' && !controller.snapshot().rendering);
    await controller.command({ type: 'confirm-print' });
    await until(() => controller.snapshot().printQueue.jobs[0]?.stage === 'failed');

    const snapshot = kioskSnapshotSchema.parse(JSON.parse(JSON.stringify(controller.snapshot())));
    const job = snapshot.printQueue.jobs[0];
    expect(job?.error?.message).toEqual(message('printer.jam'));
    expect(snapshot.devices.printer).toMatchObject({ state: 'fault', message: job?.error?.message });
    expect(snapshot.devices.scanner.state).toBe('connected');

    jammed = false;
    await controller.command({ type: 'retry', jobId: 'job-1' });
    await until(() => controller.snapshot().printQueue.jobs[0]?.stage === 'ready');
    expect(controller.snapshot().devices.printer).toMatchObject({ state: 'connected' });
    expect(controller.snapshot().devices.printer.message).toBeUndefined();
    controller.stop();
  });
});

async function until(condition: () => boolean): Promise<void> {
  for (let turn = 0; turn < 500 && !condition(); turn += 1) await new Promise((resolve) => setTimeout(resolve, 1));
  if (!condition()) throw new Error('the condition never came true');
}
