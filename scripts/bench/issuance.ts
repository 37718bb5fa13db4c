import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PrinterSimulatorState } from '../../hardware/printer/simulator';
import { loadConfig, type KioskConfig } from '../../kiosk/controller/config';
import { createSimulatedWorld, type SimulatedWorld } from '../../kiosk/controller/devices/simulated-world';
import { createLogger } from '../../kiosk/controller/logging/logger';
import { defaultStoreFile } from '../../kiosk/controller/store/cli-options';
import { openStore } from '../../kiosk/controller/store/store';
import type { DevCommand, KioskCommand, KioskSnapshot } from '../../shared/contract/kiosk-api';
import { taiwanIdCheckDigit } from '../../shared/identity/taiwan-id';
import {
  busyFraction, drawCounterSeconds, parseIssuanceBenchOptions, printerOccupancy, round, runFigures, type IssuanceBenchOptions, type JournalStep, type RunFigures,
} from '../lib/issuance-bench';
import { startControllerProcess, type ControllerProcess } from '../lib/controller-process';
import { percentile } from '../lib/percentile';

/**
 * `npm run bench -- issuance [--applicants 60] [--counter-seconds 10,30,60] [--scale 0.05] [--seed 13]`:
 * applicants through the whole staffed flow of a simulated kiosk (KIOSK_SIMULATE=1), driven only by
 * the controller's commands and the simulated world (documents, cards, stock), with the simulated
 * printer's real timing (16 s a single-sided card) scaled by `--scale`; the counter stage
 * (application, photo, review) takes a time drawn within ±30 % of each mean, scaled alike. What the
 * scale does not shrink (panel data over the pty, NFC encode, photo gate, store) counts ×1/scale in
 * real seconds: it is printed, and a larger scale makes it smaller.
 *
 * First the printer's whole occupancy for one card (print, encode, eject: journal `printing` →
 * `ejected`) is measured alone; then one run per counter time. Figures: cards an hour, the ideal
 * `3600 / max(counterSeconds, printerSecondsPerCard)`, their ratio, the printer's busy fraction (its
 * journaled occupancy over the run) and CPU ms a card. Targets: every ratio ≥ 0.95, ≤ 150 controller
 * CPU ms a card.
 *
 * CPU is measured by process, not estimated: the controller (`startKiosk`) runs in a child process of
 * its own (`scripts/lib/controller-process.ts`) and reaches the simulated devices through their pty
 * paths and the private pcscd's socket, as it would reach hardware; this process owns the simulated
 * world (printer, scanner, board, virtual NFC cards) and the bench's own driving. The controller's
 * CPU is its process's user + system time (all threads) from /proc/<pid>/stat over the runs;
 * `cpuMsPerCard` is that over the cards. It includes answering this process over IPC (each snapshot
 * change is pushed, as the UI's WebSocket would get it: ~27 pushes of ~4 KB a card). `processCpuMsPerCard`
 * adds this process's own CPU (simulators + bench), the whole of what the old in-process bench
 * measured; pcscd and socat are counted in neither. `BENCH_CONTROLLER_CPU_PROF=<dir>` writes a V8 CPU
 * profile of the controller's process there (on a loaded machine its sampled times are wall times).
 *
 * After `confirm-print` the card joins the print queue and the next applicant starts at once.
 */
const staffPin = '271828';
/** Cards measured alone (median): the first also warms up the photo gate and the encoder. */
const aloneCards = 3;
/** The counter stage split: application until submit, photo until capture, review until confirm. */
const counterShares = { application: 0.5, photo: 0.25 } as const;
/**
 * The controller pushes every change of its snapshot and the bench waits on those pushes; it asks
 * for a fresh snapshot on its own only this seldom, in case a change were not pushed.
 */
const snapshotRecheckMs = 1_000;
const photoJpeg = readFileSync(join(process.cwd(), 'test/fixtures/photos/applicant.jpg')).toString('base64');

/** No card is made without a service session: one is opened in the kiosk's store first, with blanks for any run. */
async function openBenchSession(config: KioskConfig): Promise<void> {
  const opened = await openStore({ path: join(config.dataDir, defaultStoreFile), keyFile: config.keyFile, kioskId: config.kioskId, kioskNumber: config.kioskNumber, auditOpen: false });
  if (!opened.ok) throw new Error(`bench issuance: the store could not be opened (${opened.error.kind})`);
  try {
    const session = await opened.value.sessions.open({ site: 'bench', mode: 'office-counter', blanks: { easycard: 100_000, ipass: 100_000 }, operatorId: null, ribbonPrintsLeft: null });
    if (!session.ok) throw new Error(`bench issuance: no service session (${session.error.kind})`);
  } finally {
    await opened.value.close();
  }
}

export async function runBenchmark(args: readonly string[] = []): Promise<void> {
  const options = parseIssuanceBenchOptions(args);
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-issuance-'));
  const env = { KIOSK_SIMULATE: '1', KIOSK_PORT: '0', KIOSK_PRINTER_TIME_SCALE: String(options.scale), KIOSK_DATA_DIR: dataDir };
  const config = loadConfig(env);
  // The simulated world lives here; the simulators' log goes to a file of its own beside the kiosk's.
  const worldLog = createLogger({ destination: join(dataDir, 'logs', 'world.jsonl') });
  let world: SimulatedWorld | undefined;
  let controller: ControllerProcess | undefined;
  let stopHand: (() => void) | undefined;
  // The controller process, socat, pcscd and the data directory go with the bench, on an interrupt too.
  let stopping: Promise<void> | undefined;
  const cleanUp = (): Promise<void> =>
    (stopping ??= (async () => {
      stopHand?.();
      await controller?.stop().catch(() => {});
      await world?.stop().catch(() => {});
      worldLog.close();
      rmSync(dataDir, { recursive: true, force: true });
    })());
  const interrupted = (signal: NodeJS.Signals): void => {
    process.stderr.write(`bench issuance: ${signal}, stopping the kiosk\n`);
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    await openBenchSession(config);
    world = await createSimulatedWorld(config, worldLog);
    controller = await startControllerProcess(env, world);
    const bench = new KioskBench(controller, world, options);
    stopHand = bench.takeCardsAsTheyComeOut();
    await bench.until((s) => s.devices.printer.state === 'connected', 30_000, 'the printer did not connect');
    await bench.signIn();

    const alone = await bench.measureAlone();
    const printerSecondsPerCard = alone.occupancyMs / 1000 / options.scale;
    const controllerBefore = controller.cpuSeconds();
    const benchBefore = process.cpuUsage();
    const runs: Array<RunFigures & { readonly measuredCounterSeconds: number }> = [];
    for (const counterSeconds of options.counterSeconds) runs.push(await bench.run(counterSeconds, printerSecondsPerCard));
    const controllerMs = (controller.cpuSeconds() - controllerBefore) * 1000;
    const benchCpu = process.cpuUsage(benchBefore);
    const benchMs = (benchCpu.user + benchCpu.system) / 1000;
    const cards = options.applicants * options.counterSeconds.length;
    const cpu: CpuFigures = {
      cpuMsPerCard: round(controllerMs / cards, 1),
      worldAndBenchCpuMsPerCard: round(benchMs / cards, 1),
      processCpuMsPerCard: round((controllerMs + benchMs) / cards, 1),
    };
    report(options, { printerSecondsPerCard, mechanicalSeconds: alone.mechanicalSeconds, unscaledMs: alone.occupancyMs - alone.mechanicalSeconds * 1000 * options.scale }, runs, cpu);
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await cleanUp();
  }
}

/** CPU ms a card over the runs, by process. */
interface CpuFigures {
  /** The controller's process alone (all its threads). */
  readonly cpuMsPerCard: number;
  /** This process: the simulated world and the bench's own driving. */
  readonly worldAndBenchCpuMsPerCard: number;
  /** Both: what the bench measured when everything ran in one process. */
  readonly processCpuMsPerCard: number;
}

class KioskBench {
  private applicantCount = 0;

  constructor(
    private readonly controller: ControllerProcess,
    private readonly world: SimulatedWorld,
    private readonly options: IssuanceBenchOptions,
  ) {}

  private printerState(): PrinterSimulatorState {
    const printer = this.world.printer;
    if (!printer) throw new Error('bench issuance: the printer is not simulated');
    return printer.state();
  }

  /** Resolves once `check` holds for the controller's snapshot (looked at on each push). */
  until(check: (snapshot: KioskSnapshot) => boolean, timeoutMs: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (error?: Error): void => {
        if (settled) return;
        settled = true;
        unsubscribe();
        clearInterval(recheck);
        clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      };
      const test = (snapshot: KioskSnapshot): void => {
        try {
          if (check(snapshot)) finish();
        } catch (error) {
          finish(error as Error);
        }
      };
      const unsubscribe = this.controller.onChange(test);
      const recheck = setInterval(() => {
        this.controller.freshSnapshot().then((snapshot) => !settled && test(snapshot), (error: unknown) => finish(error as Error));
      }, snapshotRecheckMs);
      const timer = setTimeout(() => finish(new Error(`bench issuance: ${what} (within ${timeoutMs} ms)`)), timeoutMs);
      test(this.controller.snapshot());
    });
  }

  /** Resolves once `check` holds for the simulated printer (looked at after each move of a card in it). */
  untilPrinter(check: (state: PrinterSimulatorState) => boolean, timeoutMs: number, what: string): Promise<void> {
    const printer = this.world.printer;
    if (!printer) return Promise.reject(new Error('bench issuance: the printer is not simulated'));
    return new Promise((resolve, reject) => {
      const finish = (error?: Error): void => {
        stopWatching();
        clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      };
      // Told within the simulator's step: its counters are updated once that step is done.
      const stopWatching = printer.onCardMoved(() => queueMicrotask(() => check(printer.state()) && finish()));
      const timer = setTimeout(() => finish(new Error(`bench issuance: ${what} (within ${timeoutMs} ms)`)), timeoutMs);
      if (check(printer.state())) finish();
    });
  }

  async command(command: KioskCommand): Promise<void> {
    const reply = await this.controller.command(command);
    if (!reply.accepted) throw new Error(`bench issuance: '${command.type}' refused: ${JSON.stringify(reply)}`);
  }

  async dev(command: DevCommand): Promise<void> {
    const reply = await this.world.dev(command);
    if (!reply.accepted) throw new Error(`bench issuance: dev '${command.type}' refused: ${JSON.stringify(reply)}`);
  }

  /** The applicant takes each card from the exit slot as soon as it is out; returns the stop. */
  takeCardsAsTheyComeOut(): () => void {
    const printer = this.world.printer;
    if (!printer) return () => {};
    return printer.onCardMoved(() =>
      queueMicrotask(() => {
        if (printer.state().cardsInOutput > 0) void this.dev({ type: 'printer-fault', fault: 'take-card' });
      }),
    );
  }

  async signIn(): Promise<void> {
    await this.dev({ type: 'place-card', kind: 'staff' });
    await this.until((s) => s.session.state === 'pin', 15_000, 'the staff card was not read');
    await this.command({ type: 'enter-pin', pin: staffPin });
    await this.until((s) => s.session.state === 'signed-in', 15_000, 'staff did not sign in');
  }

  /** Staff keep the feeder and the ribbon stocked (it takes them no counter time here). */
  private async restock(): Promise<void> {
    const state = this.printerState();
    if (state.cardsInFeeder < 5) await this.dev({ type: 'printer-fault', fault: 'load-cards' });
    if (state.ribbonPrintsLeft < 5) await this.dev({ type: 'printer-fault', fault: 'new-ribbon' });
  }

  /** A new adult with a Taoyuan household: a national ID number (H, Taoyuan) of our own. */
  private nextIdNumber(): string {
    const firstNine = `H1${String(++this.applicantCount).padStart(7, '0')}`;
    const check = taiwanIdCheckDigit(firstNine);
    if (check === null) throw new Error(`bench issuance: no check digit for ${firstNine}`);
    return `${firstNine}${check}`;
  }

  /** Milliseconds at this run's scale for `realSeconds` of a real counter. */
  private scaled(realSeconds: number): number {
    return realSeconds * 1000 * this.options.scale;
  }

  /** How long a card may take at this scale before the bench gives up (the encoder runs unscaled). */
  private cardTimeoutMs(): number {
    return 30_000 + this.scaled(120);
  }

  /**
   * One applicant at the counter, from start-application to confirm-print, spending `counterSeconds`
   * (scaled) in all: the waits end at fixed shares of it, so the kiosk's own work at the counter (photo
   * gate, card face) counts in the counter time. Returns the counter stage's length in ms.
   */
  private async serve(counterSeconds: number): Promise<number> {
    await this.restock();
    const started = performance.now();
    const waitUntil = async (share: number): Promise<void> => {
      const left = started + this.scaled(counterSeconds) * share - performance.now();
      if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
    };
    const idNumber = this.nextIdNumber();
    await this.command({ type: 'start-application' });
    await this.dev({ type: 'feed-taiwan-id', idNumber });
    await this.until((s) => s.application.form.idNumber === idNumber, 15_000, 'the scanned ID never filled the form');
    await this.command({
      type: 'update-application',
      fields: { name: 'BENCH APPLICANT', birthDate: '1985-06-15', sex: 'F', district: '中壢區', cardType: 'general' },
    });
    await this.until((s) => s.application.form.cardType === 'general' && s.application.problems.length === 0, 15_000, 'the application kept its problems');
    await waitUntil(counterShares.application);
    await this.command({ type: 'submit-application' });
    await waitUntil(counterShares.application + counterShares.photo);
    await this.command({ type: 'capture-photo', jpegBase64: photoJpeg });
    await this.until((s) => s.previewUrl !== null, 60_000, 'the photo did not pass or no card face was rendered');
    await waitUntil(1);
    await this.command({ type: 'confirm-print' });
    const counterMs = performance.now() - started;
    // The card joins the print queue and the counter is free for the next applicant at once.
    await this.until((s) => s.screen === 'home', 15_000, 'the confirmed card did not free the counter');
    const failed = this.controller.snapshot().printQueue.jobs.find((job) => job.stage === 'failed' || job.stage === 'parked');
    if (failed) throw new Error(`bench issuance: card ${failed.ticket} failed: ${JSON.stringify(failed.error)}`);
    return counterMs;
  }

  /** Waits until `cards` more cards than `ejectedBefore` have left the printer. */
  private async allEjected(ejectedBefore: number, cards: number): Promise<void> {
    await this.untilPrinter((state) => state.cardsEjected >= ejectedBefore + cards, this.cardTimeoutMs() * cards, 'the cards were not all ejected');
    // The job journals `ejected` just after the printer let the card go: wait for every job to be past it.
    await this.until((s) => s.printQueue.jobs.every((job) => job.stage === 'ready'), this.cardTimeoutMs(), 'the ejected cards were not all journaled');
  }

  private async lastAuditSeq(): Promise<number> {
    return (await this.controller.readAudit({ newest: true, limit: 1 })).at(-1)?.seq ?? 0;
  }

  /** The journal's `issuance-job-step` rows after `afterSeq` (jobId, step, time). */
  private async journal(afterSeq: number): Promise<JournalStep[]> {
    const steps: JournalStep[] = [];
    for (let seq = afterSeq; ; ) {
      const page = await this.controller.readAudit({ afterSeq: seq, limit: 1000, eventIds: ['issuance-job-step'] });
      for (const entry of page) {
        const { jobId, step } = entry.details;
        if (typeof jobId === 'string' && typeof step === 'string') steps.push({ jobId, step, at: Date.parse(entry.at) });
      }
      if (page.length < 1000) return steps;
      seq = page.at(-1)!.seq;
    }
  }

  /** The printer's occupancy for one card with no counter wait: median over a few cards, in ms at this scale. */
  async measureAlone(): Promise<{ occupancyMs: number; mechanicalSeconds: number }> {
    const seq = await this.lastAuditSeq();
    const before = this.printerState();
    for (let i = 0; i < aloneCards; i++) {
      await this.serve(0);
      await this.allEjected(before.cardsEjected, i + 1);
    }
    const intervals = printerOccupancy(await this.journal(seq));
    if (intervals.length !== aloneCards) throw new Error(`bench issuance: ${intervals.length} cards journaled printing → ejected, not ${aloneCards}`);
    const mechanicalMs = (this.printerState().simulatedMs - before.simulatedMs) / aloneCards;
    return { occupancyMs: percentile(intervals.map((i) => i.end - i.start), 50), mechanicalSeconds: mechanicalMs / 1000 };
  }

  /** One run: the applicants one after the other at `meanCounterSeconds`, until the last card is out. */
  async run(meanCounterSeconds: number, printerSecondsPerCard: number): Promise<RunFigures & { readonly measuredCounterSeconds: number }> {
    const { applicants, seed } = this.options;
    const counterSeconds = drawCounterSeconds(meanCounterSeconds, applicants, seed + meanCounterSeconds);
    const seq = await this.lastAuditSeq();
    const ejectedBefore = this.printerState().cardsEjected;
    const start = Date.now();
    let counterMs = 0;
    for (const seconds of counterSeconds) counterMs += await this.serve(seconds);
    await this.allEjected(ejectedBefore, applicants);
    const intervals = printerOccupancy(await this.journal(seq));
    if (intervals.length !== applicants) throw new Error(`bench issuance: ${intervals.length} cards journaled printing → ejected, not ${applicants}`);
    const end = Math.max(...intervals.map((i) => i.end));
    const window = { start, end };
    return {
      ...runFigures({
        counterSeconds: meanCounterSeconds,
        cards: applicants,
        wallMs: end - start,
        scale: this.options.scale,
        printerSecondsPerCard,
        printerBusyFraction: busyFraction(intervals, window),
      }),
      measuredCounterSeconds: round(counterMs / applicants / 1000 / this.options.scale, 1),
    };
  }
}

interface AloneFigures {
  /** The printer's whole occupancy for one card, in real seconds (measured at the scale, divided by it). */
  readonly printerSecondsPerCard: number;
  /** The simulator's own mechanical time for that card (unscaled). */
  readonly mechanicalSeconds: number;
  /** Wall ms of the occupancy that the scale does not shrink: panel data over the pty, NFC encode, store. */
  readonly unscaledMs: number;
}

function report(options: IssuanceBenchOptions, alone: AloneFigures, runs: ReadonlyArray<RunFigures & { readonly measuredCounterSeconds: number }>, cpu: CpuFigures): void {
  const minPipelineEfficiency = Math.min(...runs.map((run) => run.pipelineEfficiency));
  const lines = [
    `time scale ${options.scale} for the printer's mechanics and the counter time; ${options.applicants} applicants a run, each counter time ±30 % around its mean (seed ${options.seed})`,
    `printer alone, one card (print, encode, eject; median of ${aloneCards}): ${round(alone.printerSecondsPerCard, 1)} s = mechanics ${round(alone.mechanicalSeconds, 1)} s`
      + ` + ${Math.round(alone.unscaledMs)} ms of unscaled work (panel data over the pty, NFC encode, store) counted ×${round(1 / options.scale, 1)}`,
    ...runs.map(
      (run) =>
        `counter ${run.counterSeconds} s (measured ${run.measuredCounterSeconds} s): ${run.cardsPerHour} cards/h of ideal ${run.idealCardsPerHour} = ${run.pipelineEfficiency} (target ≥ 0.95); printer busy ${round(run.printerBusyFraction * 100, 1)} %`,
    ),
    `controller CPU ${cpu.cpuMsPerCard} ms a card (target ≤ 150): the controller's own process (startKiosk in a child process; user + system, all threads, from /proc/<pid>/stat)`,
    `whole CPU ${cpu.processCpuMsPerCard} ms a card: the controller + ${cpu.worldAndBenchCpuMsPerCard} ms in the bench's process (the simulated printer, scanner, board and virtual NFC cards, and the bench's own driving); pcscd and socat not counted`,
  ];
  const figures = {
    applicants: options.applicants,
    runs: runs.map(({ counterSeconds, cardsPerHour, idealCardsPerHour, pipelineEfficiency, printerBusyFraction }) => ({
      counterSeconds, cardsPerHour, idealCardsPerHour, pipelineEfficiency, printerBusyFraction,
    })),
    minPipelineEfficiency,
    cpuMsPerCard: cpu.cpuMsPerCard,
    processCpuMsPerCard: cpu.processCpuMsPerCard,
    worldAndBenchCpuMsPerCard: cpu.worldAndBenchCpuMsPerCard,
    scale: options.scale,
    printerSecondsPerCard: round(alone.printerSecondsPerCard, 2),
  };
  process.stdout.write(`${lines.join('\n')}\n${JSON.stringify(figures)}\n`);
}
