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
import { startControllerProcess, type ControllerProcess } from './controller-process';
import { printerOccupancy, type JournalStep } from './issuance-bench';
import { percentile } from './percentile';

/**
 * What the benchmarks that drive a whole simulated kiosk share (`npm run bench -- issuance`, `batch`):
 * the controller in a child process of its own (`controller-process.ts`) and the simulated world in
 * the bench's process, a service session opened in the store first, a signed-in staff member, waits
 * on the controller's pushed snapshots and on the printer's moves (never polling), and the printer's
 * occupancy read from the issuance journal.
 */
const staffPin = '271828';
/** Cards measured alone (median): the first also warms up the photo gate and the encoder. */
export const aloneCards = 3;
/**
 * The controller pushes every change of its snapshot and the bench waits on those pushes; it asks
 * for a fresh snapshot on its own only this seldom, in case a change were not pushed.
 */
const snapshotRecheckMs = 1_000;
/** The applicant's photo, as the camera hands it over. */
export const photoJpeg = readFileSync(join(process.cwd(), 'test/fixtures/photos/applicant.jpg')).toString('base64');

/** No card is made without a service session: one is opened in the kiosk's store first, with blanks for any run. */
export async function openBenchSession(config: KioskConfig, name: string): Promise<void> {
  const opened = await openStore({ path: join(config.dataDir, defaultStoreFile), keyFile: config.keyFile, kioskId: config.kioskId, kioskNumber: config.kioskNumber, auditOpen: false });
  if (!opened.ok) throw new Error(`bench ${name}: the store could not be opened (${opened.error.kind})`);
  try {
    const session = await opened.value.sessions.open({ site: 'bench', mode: 'office-counter', blanks: { easycard: 100_000, ipass: 100_000 }, operatorId: null, ribbonPrintsLeft: null });
    if (!session.ok) throw new Error(`bench ${name}: no service session (${session.error.kind})`);
  } finally {
    await opened.value.close();
  }
}

/**
 * Runs `body` against a simulated kiosk (KIOSK_SIMULATE=1) whose printer runs at `scale` of its real
 * speed, with a staff member signed in and every card taken from the exit slot as it comes out; the
 * controller process, socat, pcscd and the data directory go afterwards, on an interrupt too.
 */
export async function withSimulatedKiosk<T>(name: string, scale: number, body: (kiosk: KioskBench) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), `bench-${name}-`));
  const env = { KIOSK_SIMULATE: '1', KIOSK_PORT: '0', KIOSK_PRINTER_TIME_SCALE: String(scale), KIOSK_DATA_DIR: dataDir };
  const config = loadConfig(env);
  // The simulated world lives here; the simulators' log goes to a file of its own beside the kiosk's.
  const worldLog = createLogger({ destination: join(dataDir, 'logs', 'world.jsonl') });
  let world: SimulatedWorld | undefined;
  let controller: ControllerProcess | undefined;
  let stopHand: (() => void) | undefined;
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
    process.stderr.write(`bench ${name}: ${signal}, stopping the kiosk\n`);
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    await openBenchSession(config, name);
    world = await createSimulatedWorld(config, worldLog);
    controller = await startControllerProcess(env, world);
    const kiosk = new KioskBench(name, controller, world, scale);
    stopHand = kiosk.takeCardsAsTheyComeOut();
    await kiosk.until((s) => s.devices.printer.state === 'connected', 30_000, 'the printer did not connect');
    await kiosk.signIn();
    return await body(kiosk);
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    await cleanUp();
  }
}

/** A simulated kiosk as a benchmark drives it: the controller's commands, the world's dev commands, and waits on both. */
export class KioskBench {
  constructor(
    /** The benchmark's name, in its error messages. */
    readonly name: string,
    readonly controller: ControllerProcess,
    readonly world: SimulatedWorld,
    /** KIOSK_PRINTER_TIME_SCALE. */
    readonly scale: number,
  ) {}

  printerState(): PrinterSimulatorState {
    const printer = this.world.printer;
    if (!printer) throw new Error(`bench ${this.name}: the printer is not simulated`);
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
      const timer = setTimeout(() => finish(new Error(`bench ${this.name}: ${what} (within ${timeoutMs} ms)`)), timeoutMs);
      test(this.controller.snapshot());
    });
  }

  /** Resolves once `check` holds for the simulated printer (looked at after each move of a card in it). */
  untilPrinter(check: (state: PrinterSimulatorState) => boolean, timeoutMs: number, what: string): Promise<void> {
    const printer = this.world.printer;
    if (!printer) return Promise.reject(new Error(`bench ${this.name}: the printer is not simulated`));
    return new Promise((resolve, reject) => {
      const finish = (error?: Error): void => {
        stopWatching();
        clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      };
      // Told within the simulator's step: its counters are updated once that step is done.
      const stopWatching = printer.onCardMoved(() => queueMicrotask(() => check(printer.state()) && finish()));
      const timer = setTimeout(() => finish(new Error(`bench ${this.name}: ${what} (within ${timeoutMs} ms)`)), timeoutMs);
      if (check(printer.state())) finish();
    });
  }

  async command(command: KioskCommand): Promise<void> {
    const reply = await this.controller.command(command);
    if (!reply.accepted) throw new Error(`bench ${this.name}: '${command.type}' refused: ${JSON.stringify(reply)}`);
  }

  async dev(command: DevCommand): Promise<void> {
    const reply = await this.world.dev(command);
    if (!reply.accepted) throw new Error(`bench ${this.name}: dev '${command.type}' refused: ${JSON.stringify(reply)}`);
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
  async restock(): Promise<void> {
    const state = this.printerState();
    if (state.cardsInFeeder < 5) await this.dev({ type: 'printer-fault', fault: 'load-cards' });
    if (state.ribbonPrintsLeft < 5) await this.dev({ type: 'printer-fault', fault: 'new-ribbon' });
  }

  /** Milliseconds at this run's scale for `realSeconds` of a real counter. */
  scaled(realSeconds: number): number {
    return realSeconds * 1000 * this.scale;
  }

  /** How long a card may take at this scale before the bench gives up (the encoder runs unscaled). */
  cardTimeoutMs(): number {
    return 30_000 + this.scaled(120);
  }

  /** The operator starts an application, scans the applicant's ID and completes the form (a general card). */
  async fillApplication(idNumber: string, name: string): Promise<void> {
    await this.command({ type: 'start-application' });
    await this.dev({ type: 'feed-taiwan-id', idNumber });
    await this.until((s) => s.application.form.idNumber === idNumber, 15_000, 'the scanned ID never filled the form');
    await this.command({ type: 'update-application', fields: { name, birthDate: '1985-06-15', sex: 'F', district: '中壢區', cardType: 'general' } });
    await this.until((s) => s.application.form.cardType === 'general' && s.application.problems.length === 0, 15_000, 'the application kept its problems');
  }

  /** The photo taken and passed: the card face is rendered for the review. */
  async takePhoto(): Promise<void> {
    await this.command({ type: 'capture-photo', jpegBase64: photoJpeg });
    await this.until((s) => s.previewUrl !== null, 60_000, 'the photo did not pass or no card face was rendered');
  }

  /** After `confirm-print`: the card joins the print queue and the counter is free for the next applicant at once. */
  async untilCounterFree(): Promise<void> {
    await this.until((s) => s.screen === 'home', 15_000, 'the confirmed card did not free the counter');
    const failed = this.controller.snapshot().printQueue.jobs.find((job) => job.stage === 'failed' || job.stage === 'parked');
    if (failed) throw new Error(`bench ${this.name}: card ${failed.ticket} failed: ${JSON.stringify(failed.error)}`);
  }

  /** Waits until `cards` more cards than `ejectedBefore` have left the printer. */
  async allEjected(ejectedBefore: number, cards: number): Promise<void> {
    await this.untilPrinter((state) => state.cardsEjected >= ejectedBefore + cards, this.cardTimeoutMs() * cards, 'the cards were not all ejected');
    // The job journals `ejected` just after the printer let the card go: wait for every job to be past it.
    await this.until((s) => s.printQueue.jobs.every((job) => job.stage === 'ready'), this.cardTimeoutMs(), 'the ejected cards were not all journaled');
  }

  async lastAuditSeq(): Promise<number> {
    return (await this.controller.readAudit({ newest: true, limit: 1 })).at(-1)?.seq ?? 0;
  }

  /** The journal's `issuance-job-step` rows after `afterSeq` (jobId, step, time). */
  async journal(afterSeq: number): Promise<JournalStep[]> {
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

  /**
   * The printer's occupancy for one card with nothing else queued: `serveOne` puts one card in the
   * queue, and the next waits until it is out. Median over `cards`, in ms at this scale, with the
   * simulator's own mechanical seconds a card (unscaled).
   */
  async measureAlone(serveOne: () => Promise<unknown>, cards = aloneCards): Promise<{ occupancyMs: number; mechanicalSeconds: number }> {
    const seq = await this.lastAuditSeq();
    const before = this.printerState();
    for (let i = 0; i < cards; i++) {
      await serveOne();
      await this.allEjected(before.cardsEjected, i + 1);
    }
    const intervals = printerOccupancy(await this.journal(seq));
    if (intervals.length !== cards) throw new Error(`bench ${this.name}: ${intervals.length} cards journaled printing → ejected, not ${cards}`);
    const mechanicalMs = (this.printerState().simulatedMs - before.simulatedMs) / cards;
    return { occupancyMs: percentile(intervals.map((i) => i.end - i.start), 50), mechanicalSeconds: mechanicalMs / 1000 };
  }
}
