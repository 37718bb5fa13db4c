import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, type KioskConfig } from '../../kiosk/controller/config';
import { crashPointEnv, type IssuanceCrashPoint } from '../../kiosk/controller/crash-points';
import { createSimulatedWorld, type SimulatedWorld } from '../../kiosk/controller/devices/simulated-world';
import { createLogger } from '../../kiosk/controller/logging/logger';
import { defaultStoreFile } from '../../kiosk/controller/store/cli-options';
import { openStore } from '../../kiosk/controller/store/store';
import type { KioskSnapshot } from '../../shared/contract/kiosk-api';
import { taiwanIdCheckDigit } from '../../shared/identity/taiwan-id';
import { startControllerProcess, type ControllerProcess } from '../lib/controller-process';
import { KioskBench } from '../lib/kiosk-bench';
import { openJobs } from './store-queries';

/**
 * The staffed counter kiosk of a chaos session: one data directory and one simulated world (printer,
 * scanner, encoder and counter readers) for the whole session, and a controller process that is
 * killed and started again on them. A hand takes every card from the exit slot as it comes out.
 */
const supervisorPin = '314159';
const photoJpeg = readFileSync(join(process.cwd(), 'test/fixtures/photos/applicant.jpg')).toString('base64');

export class CounterKiosk {
  private controllerProcess: ControllerProcess | undefined;
  /** The running controller has exited (killed): its commands now fail. */
  dead = true;
  /** Applicants served so far (the ID numbers a replacement is drawn from). */
  readonly applicants: string[] = [];
  private nextApplicant = 1;

  private constructor(
    readonly config: KioskConfig,
    private readonly env: Readonly<Record<string, string>>,
    readonly world: SimulatedWorld,
    private readonly hand: { waiting: boolean },
    private readonly stopHand: () => void,
    private readonly closeLog: () => void,
  ) {}

  static async create(dataDir: string, printerTimeScale: number): Promise<CounterKiosk> {
    const env = { KIOSK_SIMULATE: '1', KIOSK_PORT: '0', KIOSK_PRINTER_TIME_SCALE: String(printerTimeScale), KIOSK_DATA_DIR: dataDir };
    const config = loadConfig(env);
    await openSession(config);
    const worldLog = createLogger({ destination: join(dataDir, 'logs', 'world.jsonl') });
    const world = await createSimulatedWorld(config, worldLog);
    // The applicant takes each card from the exit slot as soon as it is out — or, when they wait for a
    // kiosk that went dark (see `applicantWaits`), once it is back.
    const printer = world.printer!;
    const hand = { waiting: false };
    const stopHand = printer.onCardMoved(() =>
      queueMicrotask(() => {
        if (!hand.waiting) takeCards(world);
      }),
    );
    return new CounterKiosk(config, env, world, hand, stopHand, () => worldLog.close());
  }

  get controller(): ControllerProcess {
    if (!this.controllerProcess) throw new Error('chaos: the counter kiosk is not running');
    return this.controllerProcess;
  }

  bench(): KioskBench {
    return new KioskBench('chaos counter', this.controller, this.world, 1);
  }

  /**
   * The run's applicant, when the kiosk dies, leaves a card in the exit slot until it is back (true) or
   * takes it at once (false): only the first lets recovery find a card ejected just before its journal entry.
   */
  applicantWaits(waits: boolean): void {
    this.waitsAtKill = waits;
  }

  /** From now until the next start, cards stay in the exit slot (a controller armed to die at an eject dies before any kill). */
  holdCards(): void {
    this.hand.waiting = true;
  }
  private waitsAtKill = false;

  /** `crashAt`: a crash point armed in the new process (kiosk/controller/crash-points.ts): it kills itself there. */
  async start(crashAt?: IssuanceCrashPoint): Promise<void> {
    const started = await startControllerProcess(this.env, this.world, crashAt ? { processEnv: { [crashPointEnv]: crashAt } } : {});
    this.controllerProcess = started;
    this.dead = false;
    if (this.hand.waiting) {
      this.hand.waiting = false;
      takeCards(this.world); // recovery has run: the applicant takes what the slot holds
    }
    void started.exited.then(() => {
      if (this.controllerProcess === started) this.dead = true;
    });
  }

  /** The plug pulled: SIGKILL, nothing flushed. */
  async kill(): Promise<void> {
    if (this.waitsAtKill) this.hand.waiting = true;
    await this.controllerProcess?.kill();
  }

  /**
   * After a restart: recovery has run (before the controller says it started); wait until every job it
   * left is closed (a card in the exit slot is taken by the hand) and the printer holds no card.
   */
  async settled(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const file = join(this.config.dataDir, defaultStoreFile);
    for (;;) {
      const snapshot = await this.controller.freshSnapshot();
      const printer = this.world.printer!.state();
      const open = await openJobs(file);
      if (snapshot.printQueue.jobs.length === 0 && printer.card === 'none' && printer.cardsInOutput === 0 && open.length === 0) return;
      if (Date.now() > deadline) {
        throw new Error(`chaos: the counter kiosk did not settle: queue ${JSON.stringify(snapshot.printQueue.jobs.map((j) => j.stage))}, printer card ${printer.card}, open jobs ${JSON.stringify(open)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  newApplicant(): string {
    const firstNine = `H2${String(this.nextApplicant++).padStart(7, '0')}`;
    return `${firstNine}${taiwanIdCheckDigit(firstNine)}`;
  }

  async close(): Promise<void> {
    this.stopHand();
    await this.controllerProcess?.stop().catch(() => {});
    await this.world.stop().catch(() => {});
    this.closeLog();
  }
}

function takeCards(world: SimulatedWorld): void {
  if (world.printer!.state().cardsInOutput > 0) void world.dev({ type: 'printer-fault', fault: 'take-card' });
}

/** No card is made without a service session: opened in the store before the first start, with blanks for any run. */
async function openSession(config: KioskConfig): Promise<void> {
  const opened = await openStore({ path: join(config.dataDir, defaultStoreFile), keyFile: config.keyFile, kioskId: config.kioskId, kioskNumber: config.kioskNumber, auditOpen: false });
  if (!opened.ok) throw new Error(`chaos: the store could not be opened (${opened.error.kind})`);
  try {
    if (await opened.value.sessions.current()) return;
    const session = await opened.value.sessions.open({ site: 'chaos', mode: 'office-counter', blanks: { easycard: 2_000, ipass: 2_000 }, operatorId: null, ribbonPrintsLeft: null });
    if (!session.ok) throw new Error(`chaos: no service session (${session.error.kind})`);
  } finally {
    await opened.value.close();
  }
}

/** What a staffed counter does between two power cuts: each step a real operator's, waited on as one would. */
export class CounterWork {
  constructor(
    private readonly kiosk: CounterKiosk,
    private readonly random: () => number,
    private readonly note: (line: string) => void,
  ) {}

  private get bench(): KioskBench {
    return this.kiosk.bench();
  }

  private async command(command: Parameters<ControllerProcess['command']>[0]): Promise<boolean> {
    const reply = await this.kiosk.controller.command(command);
    return reply.accepted;
  }

  private async dev(command: Parameters<SimulatedWorld['dev']>[0]): Promise<void> {
    await this.kiosk.world.dev(command);
  }

  private until(check: (s: KioskSnapshot) => boolean, timeoutMs: number, what: string): Promise<void> {
    return this.bench.until(check, timeoutMs, what);
  }

  /** A supervisor signs in (they may issue, replace, void and settle fees alone). */
  async signIn(): Promise<void> {
    const snapshot = await this.kiosk.controller.freshSnapshot();
    if (snapshot.session.state === 'signed-in') return;
    await this.dev({ type: 'remove-card' });
    await this.dev({ type: 'place-card', kind: 'supervisor' });
    await this.until((s) => s.session.state === 'pin', 15_000, 'the supervisor card was not read');
    await this.command({ type: 'enter-pin', pin: supervisorPin });
    await this.until((s) => s.session.state === 'signed-in', 15_000, 'the supervisor did not sign in');
    await this.dev({ type: 'remove-card' });
  }

  /** Random work until the controller is gone (the caller kills it). */
  async loop(): Promise<void> {
    await this.signIn();
    for (;;) {
      // A card that failed stops the queue: the operator gives it up (its blank goes to the reject box).
      for (const job of this.kiosk.controller.snapshot().printQueue.jobs) {
        if (job.stage === 'failed') await this.command({ type: 'cancel-job', jobId: job.jobId });
      }
      // Voids are rare at a real counter (and each one takes a card a replacement could have replaced).
      const pick = this.random();
      if (pick < 0.3) await this.issue(1);
      else if (pick < 0.5) await this.issue(2 + Math.floor(this.random() * 3));
      else if (pick < 0.92) await this.replace();
      else await this.voidLast();
    }
  }

  /** `count` applicants confirmed one after the other, while the earlier cards print. */
  async issue(count: number): Promise<void> {
    this.note(`issue ${count}`);
    for (let i = 0; i < count; i++) await this.apply(this.kiosk.newApplicant(), null);
  }

  /**
   * Someone served before comes back for a new card (damaged: a fee, paid in cash, from the old card's
   * e-wallet or waived; or a defect: free). The operator first lets the printer finish: a card of theirs
   * still in the queue or the exit slot is their own card, not one to replace.
   */
  async replace(): Promise<void> {
    const { applicants } = this.kiosk;
    if (applicants.length === 0) return this.issue(1);
    await this.until((s) => s.printQueue.jobs.length === 0, 60_000, 'the print queue did not empty').catch(() => {});
    const idNumber = applicants[Math.floor(this.random() * applicants.length)]!;
    const cause = this.random() < 0.5 ? 'damaged' : 'defect';
    this.note(`replace (${cause})`);
    await this.apply(idNumber, cause);
  }

  /** The last card issued is tapped on the counter reader and voided (a misprint). */
  async voidLast(): Promise<void> {
    this.note('void');
    await this.dev({ type: 'remove-card' });
    await this.dev({ type: 'place-card', kind: 'citizen' });
    try {
      await this.until((s) => s.cardCheck !== null, 10_000, 'the card check did not show the card');
    } catch {
      return; // no card issued yet, or it does not read: nothing to void
    }
    const shown = this.kiosk.controller.snapshot().cardCheck;
    if (shown?.verified && shown.status === 'active') {
      await this.command({ type: 'void-card', cardNumber: shown.cardNumber, reason: 'misprint' });
      await this.until((s) => s.cardCheck?.verified === true && s.cardCheck.status !== 'active', 10_000, 'the void did not show');
    }
    await this.command({ type: 'close-card-check' });
    await this.dev({ type: 'remove-card' });
  }

  /** The replacement's fee as an operator settles it: mostly cash, some from the old card's e-wallet (cash when it holds too little), some waived. */
  private async settleFee(): Promise<void> {
    const pick = this.random();
    if (pick < 0.2 && (await this.command({ type: 'waive-fee', reason: 'kiosk-fault' }))) return;
    if (pick >= 0.2 && pick < 0.4 && (await this.command({ type: 'settle-fee', method: 'wallet' }))) return;
    await this.command({ type: 'settle-fee', method: 'cash' });
  }

  /**
   * One application up to the print queue: the ID card read, the form completed, the photo, the fee
   * settled when one is due, confirmed. A step that does not come gives up the application (Cancel).
   */
  private async apply(idNumber: string, replacementCause: 'damaged' | 'defect' | null): Promise<void> {
    try {
      await this.until((s) => s.screen === 'home', 15_000, 'the counter was not home');
      if (!(await this.command({ type: 'start-application' }))) return;
      await this.dev({ type: 'feed-taiwan-id', idNumber });
      await this.until((s) => s.application.form.idNumber === idNumber, 10_000, 'the scanned ID never filled the form');
      await this.command({ type: 'update-application', fields: { name: 'CHAOS APPLICANT', birthDate: '1985-06-15', sex: 'F', district: '中壢區', cardType: 'general' } });
      await this.until((s) => s.application.eligibility !== null, 10_000, 'no eligibility');
      const action = this.kiosk.controller.snapshot().application.eligibility?.cards.find((card) => card.type === 'general')?.action;
      if (action === 'replacement') await this.command({ type: 'update-application', fields: { replacementCause: replacementCause ?? 'defect' } });
      else if (replacementCause !== null) {
        // Their card was voided (or never made it out): nothing to replace. They leave the list of holders.
        this.kiosk.applicants.splice(this.kiosk.applicants.indexOf(idNumber), 1);
        this.note(`no card to replace (${action ?? 'not eligible'})`);
        await this.command({ type: 'cancel' });
        await this.command({ type: 'confirm-discard' });
        return;
      }
      await this.until((s) => s.application.problems.length === 0, 10_000, 'the application kept its problems');
      if (!(await this.command({ type: 'submit-application' }))) throw new Error('submit refused');
      if (!(await this.command({ type: 'capture-photo', jpegBase64: photoJpeg }))) throw new Error('photo refused');
      await this.until((s) => s.previewUrl !== null || s.photo.passed === false, 30_000, 'no preview');
      if (this.kiosk.controller.snapshot().photo.passed === false) {
        await this.command({ type: 'override-photo', reason: 'chaos run' });
        await this.until((s) => s.previewUrl !== null, 30_000, 'no preview after the override');
      }
      if (this.kiosk.controller.snapshot().fee) await this.settleFee();
      if (!(await this.command({ type: 'confirm-print' }))) throw new Error(`confirm refused`);
      if (!this.kiosk.applicants.includes(idNumber)) this.kiosk.applicants.push(idNumber);
      await this.until((s) => s.screen === 'home', 15_000, 'the confirmed card did not free the counter');
    } catch (error) {
      if (this.kiosk.dead) throw error;
      this.note(`gave up an application: ${(error as Error).message}`);
      await this.command({ type: 'cancel' }).catch(() => false);
      await this.command({ type: 'confirm-discard' }).catch(() => false);
    }
  }
}
