import { describe, expect, it } from 'vitest';
import { createActor, fromPromise, SimulatedClock, toPromise } from 'xstate';
import type { CardPrinter, PrinterEvents, PrinterStep } from '../../../../hardware/printer/types';
import { DeviceStatusBoard } from '../../../../kiosk/controller/device-status';
import { cardJobMachine, type EncodedCard } from '../../../../kiosk/controller/issuance/card-job-machine';
import { issuanceMachine } from '../../../../kiosk/controller/issuance/issuance-machine';
import { issuanceSteps, type IssuanceDevices } from '../../../../kiosk/controller/issuance/issuance-services';
import { createJobProgressTracker, datasheetStepMs, measuredSamples, type JobProgressInput } from '../../../../kiosk/controller/issuance/job-progress';
import { createKioskController } from '../../../../kiosk/controller/kiosk-controller';
import type { Assessment, CardPreview, IssuanceJob } from '../../../../kiosk/controller/issuance/issuance-types';
import { kioskSnapshotSchema, type JobView } from '../../../../shared/contract/kiosk-api';
import { ok } from '../../../../shared/result';
import { eligibleGeneral, gate, goodPhoto } from './issuance-harness';

/**
 * Issue 16: the print queue's progress figures, on XState's SimulatedClock: the printer's and the
 * encoder's step reports move the bar and the seconds left, and the durations they measure become this
 * kiosk's speed (the datasheet's until measured).
 */

const at = (jobId: string, stage: JobProgressInput['stage'], more: Partial<JobProgressInput> = {}): JobProgressInput => ({ jobId, stage, failedStep: null, hasError: false, ...more });
const total = (doubleSided: boolean) => Object.entries(datasheetStepMs).reduce((sum, [step, ms]) => (doubleSided || step !== 'print-back' ? sum + ms : sum), 0);

describe('a card job\'s progress from its step reports', () => {
  it('starts with the datasheet\'s seconds, moves with the clock, and jumps with each report', () => {
    const clock = new SimulatedClock();
    const tracker = createJobProgressTracker(() => clock.now());
    expect(tracker.view(at('job-1', 'queued'), clock.now())).toMatchObject({ step: null, fraction: 0, secondsLeft: Math.ceil(total(true) / 1000) });

    tracker.printing('job-1', { doubleSided: true });
    expect(tracker.view(at('job-1', 'printing'), clock.now())).toMatchObject({ step: 'insert', fraction: 0, secondsLeft: 30 });
    clock.increment(1_000);
    const oneSecondIn = tracker.view(at('job-1', 'printing'), clock.now());
    expect(oneSecondIn.fraction).toBeCloseTo(1_000 / total(true), 5);
    expect(oneSecondIn.secondsLeft).toBe(29);

    clock.increment(1_000);
    tracker.done('job-1', 'insert');
    const inserted = tracker.view(at('job-1', 'printing'), clock.now());
    expect(inserted.step).toBe('print-front');
    expect(inserted.steps.slice(0, 3)).toEqual([
      { step: 'insert', state: 'done' },
      { step: 'print-front', state: 'active' },
      { step: 'print-back', state: 'pending' },
    ]);
    expect(inserted.secondsLeft).toBe(Math.ceil((total(true) - datasheetStepMs.insert) / 1000));
  });

  it('a step running late keeps one second on the clock and the bar short of its end', () => {
    const clock = new SimulatedClock();
    const tracker = createJobProgressTracker(() => clock.now());
    tracker.printing('job-1', { doubleSided: false });
    tracker.done('job-1', 'insert');
    tracker.done('job-1', 'print-front');
    tracker.done('job-1', 'encode');
    tracker.done('job-1', 'verify');
    tracker.done('job-1', 'record');
    clock.increment(60_000);
    const late = tracker.view(at('job-1', 'ejecting'), clock.now());
    expect(late).toMatchObject({ step: 'eject', secondsLeft: 1 });
    expect(late.fraction).toBeLessThan(1);
  });

  it('measures each step on this kiosk: the mean of its latest durations replaces the datasheet\'s', () => {
    const clock = new SimulatedClock();
    const tracker = createJobProgressTracker(() => clock.now());
    expect(tracker.expectedMs('print-front')).toBe(datasheetStepMs['print-front']);
    const printFront = (jobId: string, ms: number): void => {
      tracker.printing(jobId, { doubleSided: true });
      clock.increment(datasheetStepMs.insert);
      tracker.done(jobId, 'insert');
      clock.increment(ms);
      tracker.done(jobId, 'print-front');
    };
    printFront('job-1', 10_000);
    expect(tracker.expectedMs('print-front')).toBe(10_000);
    printFront('job-2', 12_000);
    expect(tracker.expectedMs('print-front')).toBe(11_000);
    // Only the latest few count: an old slow printer head is forgotten.
    for (let n = 0; n < measuredSamples; n += 1) printFront(`job-${n + 3}`, 9_000);
    expect(tracker.expectedMs('print-front')).toBe(9_000);
    // The next job's estimate follows the measured speed.
    tracker.printing('job-9', { doubleSided: true });
    expect(tracker.view(at('job-9', 'printing'), clock.now()).secondsLeft).toBe(Math.ceil((total(true) - datasheetStepMs['print-front'] + 9_000) / 1000));
  });

  it('does not count a failed step\'s time as the printer\'s speed', () => {
    const clock = new SimulatedClock();
    const tracker = createJobProgressTracker(() => clock.now());
    tracker.printing('job-1', { doubleSided: true });
    tracker.done('job-1', 'insert');
    clock.increment(40_000);
    tracker.failed('job-1');
    const failed = tracker.view(at('job-1', 'failed', { failedStep: 'printing' }), clock.now());
    expect(failed.steps[1]).toEqual({ step: 'print-front', state: 'failed' });
    expect(failed.step).toBe('print-front');
    // A retried print starts over (a new card): its front is timed from its own start.
    tracker.printing('job-1', { doubleSided: true });
    tracker.done('job-1', 'insert');
    clock.increment(13_000);
    tracker.done('job-1', 'print-front');
    expect(tracker.expectedMs('print-front')).toBe(13_000);
  });

  it('knows from the stage what the reports did not say (a restart, a driver without reports)', () => {
    const tracker = createJobProgressTracker(() => 0);
    const encoding = tracker.view(at('job-1', 'encoding'), 0);
    expect(encoding.step).toBe('encode');
    expect(encoding.steps.filter((step) => step.state === 'done').map((step) => step.step)).toEqual(['insert', 'print-front', 'print-back']);
    const failedChip = tracker.view(at('job-1', 'failed', { failedStep: 'encoding' }), 0);
    expect(failedChip.steps.find((step) => step.state === 'failed')?.step).toBe('encode');
    expect(tracker.view(at('job-1', 'ready'), 0)).toMatchObject({ step: null, fraction: 1, secondsLeft: 0 });
    // Issued, but the exit jammed: the card is not out.
    const jammed = tracker.view(at('job-1', 'ready', { hasError: true }), 0);
    expect(jammed.steps.at(-1)).toEqual({ step: 'eject', state: 'failed' });
    expect(jammed.fraction).toBeLessThan(1);
  });
});

/** A printer that reports each step after the time it takes on the simulated clock. */
function timedPrinter(clock: SimulatedClock, stepMs: Partial<Record<PrinterStep, number>>) {
  const listeners = new Set<(...args: PrinterEvents['step']) => void>();
  const report = (step: PrinterStep): void => {
    clock.increment(stepMs[step] ?? 0);
    for (const listener of listeners) listener(step);
  };
  const printer = {
    on: (event: keyof PrinterEvents, listener: (step: PrinterStep) => void) => {
      if (event !== 'step') return () => {};
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    printCard: async () => {
      for (const step of ['insert', 'print-front', 'print-back', 'park'] as const) report(step);
      return ok({ sides: 2 as const, panels: 6, bytesSent: 1, position: 'contactless-station' as const });
    },
    ejectCard: async () => {
      report('eject');
      return ok(undefined);
    },
    status: async () => ok({ card: 'none' }),
  };
  return { printer: printer as unknown as CardPrinter, listeners };
}

describe('the issuance steps report to the tracker', () => {
  it('times the printer\'s own step reports during a print and an eject, then stops listening', async () => {
    const clock = new SimulatedClock();
    const tracker = createJobProgressTracker(() => clock.now());
    const { printer, listeners } = timedPrinter(clock, { insert: 2_500, 'print-front': 12_000, 'print-back': 7_000, eject: 1_500 });
    const devices = { printer, store: { markJobStep: async () => ok(undefined) }, clock: { now: () => new Date(clock.now()) }, progress: tracker } as unknown as IssuanceDevices;
    const steps = issuanceSteps(devices);
    const job = { jobId: 'job-1', preview: { job: { front: { panels: [] }, back: { panels: [] } } } } as unknown as IssuanceJob;
    await toPromise(createActor(steps.printCard, { input: job }).start());
    expect(listeners.size).toBe(0);
    expect([tracker.expectedMs('insert'), tracker.expectedMs('print-front'), tracker.expectedMs('print-back')]).toEqual([2_500, 12_000, 7_000]);
    const printed = tracker.view(at('job-1', 'printing'), clock.now());
    expect(printed.step).toBe('encode');
    tracker.done('job-1', 'encode');
    tracker.done('job-1', 'verify');
    tracker.done('job-1', 'record');
    await toPromise(createActor(steps.ejectCard, { input: { jobId: 'job-1' } }).start());
    expect(tracker.expectedMs('eject')).toBe(1_500);
    expect(listeners.size).toBe(0);
  });
});

describe('the queue\'s snapshot', () => {
  it('carries each job\'s progress (sent again on each report) and, once the chip is written, its summary', async () => {
    const clock = new SimulatedClock();
    const tracker = createJobProgressTracker(() => clock.now());
    const printing = gate();
    const flow = issuanceMachine.provide({
      actors: {
        cardJob: cardJobMachine.provide({
          actors: {
            printCard: fromPromise(async ({ input }) => {
              tracker.printing(input.jobId, { doubleSided: true });
              await printing.promise;
            }),
            encodeCard: fromPromise(async (): Promise<EncodedCard> => ({ uid: '04A1B2C3', expiresOn: '2036-12-07' })),
            commitIssuance: fromPromise(async () => {}),
            ejectCard: fromPromise(async () => {}),
            abandonJob: fromPromise(async () => {}),
            journalQueued: fromPromise(async () => {}),
          },
        }),
        abandonJob: fromPromise(async () => {}),
        assessApplication: fromPromise(async (): Promise<Assessment> => ({ ...eligibleGeneral, fee: 94, action: 'replacement' })),
        evaluatePhoto: fromPromise(async () => goodPhoto),
        beginJob: fromPromise(async () => 'job-1'),
        renderCard: fromPromise(async (): Promise<CardPreview> => ({ cardNumber: '3300011000000014', frontPng: new Uint8Array([0x89]), job: null })),
      },
    });
    const devices = new DeviceStatusBoard({ printer: true, scanner: true, nfc: true, board: true });
    const controller = createKioskController(flow, devices, () => {}, { now: () => clock.now(), progress: tracker });
    const jobs: JobView[][] = [];
    controller.onChange((snapshot) => jobs.push([...kioskSnapshotSchema.parse(JSON.parse(JSON.stringify(snapshot))).printQueue.jobs]));
    await controller.command({ type: 'start-application' });
    await controller.command({ type: 'update-application', fields: { name: 'CHEN MEI LING', cardType: 'general' } });
    await controller.command({ type: 'submit-application' });
    await controller.command({ type: 'capture-photo', jpegBase64: Buffer.alloc(32, 0xff).toString('base64') });
    await until(() => controller.snapshot().screen === 'review' && !controller.snapshot().rendering);
    await controller.command({ type: 'confirm-print' });
    await until(() => controller.snapshot().printQueue.jobs[0]?.progress.step === 'insert');

    const before = jobs.length;
    clock.increment(2_000);
    tracker.done('job-1', 'insert');
    expect(jobs.length).toBe(before + 1);
    expect(jobs.at(-1)?.[0]?.progress).toMatchObject({ step: 'print-front', secondsLeft: Math.ceil((total(true) - 2_000) / 1000) });
    expect(jobs.at(-1)?.[0]?.summary).toBeNull();

    printing.open();
    await until(() => controller.snapshot().printQueue.jobs[0]?.stage === 'ready');
    const ready = controller.snapshot().printQueue.jobs[0];
    expect(ready?.progress).toMatchObject({ step: null, fraction: 1, secondsLeft: 0 });
    expect(ready?.summary).toEqual({
      cardType: 'general', scheme: 'easycard', expiry: '2036-12-07', chipVerified: true,
      fee: { amount: 94, method: null, waiverReason: null, receiptId: null },
    });
    controller.stop();
  });
});

async function until(condition: () => boolean): Promise<void> {
  for (let turn = 0; turn < 500 && !condition(); turn += 1) await new Promise((resolve) => setTimeout(resolve, 1));
  if (!condition()) throw new Error('the condition never came true');
}

