import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { insertVirtualCard, type VirtualCard } from '../../hardware/nfc/simulator';
import { loadConfig } from '../../kiosk/controller/config';
import { createSimulatedWorld, type SimulatedWorld } from '../../kiosk/controller/devices/simulated-world';
import { createLogger } from '../../kiosk/controller/logging/logger';
import { defaultStoreFile } from '../../kiosk/controller/store/cli-options';
import { taiwanIdCheckDigit } from '../../shared/identity/taiwan-id';
import type { JobView, KioskSnapshot, SelfServiceView } from '../../shared/contract/kiosk-api';
import { startControllerProcess, type ControllerProcess } from '../lib/controller-process';
import {
  checksAfter, faultPlan, megabytes, parseDayBenchOptions, phaseFigures, storeMbPer1000, type DayBenchOptions, type DayFault, type PhaseFigures, type Sample,
} from '../lib/day-bench';
import { KioskBench, openBenchSession } from '../lib/kiosk-bench';
import { bytesOnDisk, openFdsOf, rssBytesOf } from '../lib/process-memory';
import { readDayLedger, verifyDayStore } from '../lib/day-store';

/**
 * `npm run bench -- day [--issuances 2000] [--checks 500] [--topups 5000] [--scale 0.01] [--queue 3]
 * [--fault-every 50] [--seed 17]`: a compressed market day on the simulators, to show that the kiosk
 * does not die slowly over a day. The controller runs in a child process of its own
 * (`scripts/lib/controller-process.ts`), so its RSS (/proc/<pid>/status VmRSS), its open file
 * descriptors (/proc/<pid>/fd) and its V8 heap (asked of it, after a full GC) are its own; the store's
 * size is its SQLite file and WAL.
 *
 * 1. Staffed: one operator serves the applicants one after the other (counter work as fast as the
 *    flow allows), up to `--queue` cards confirmed while the printer works; between applicants a card
 *    just handed out is checked on the counter reader. Every `--fault-every` applicants a fault, one
 *    kind after the other: a jam at the print head, the ribbon ending mid-card, a chip that fails its
 *    verify, the printer's cable pulled and put back while a card prints. The operator mends it as
 *    staff would (clears the jam, a new ribbon, the cable back) and retries the failed card.
 * 2. Unattended: the same kiosk (data directory, store, simulated world) restarted as an unattended
 *    kiosk — one controller cannot be staffed and unattended at once — and the day's citizens top up
 *    their new cards with cash, one note a visit, through the ccTalk validator.
 *
 * The printer runs at `--scale` of its real speed; the validator at 0.1 of its own (its escrow
 * timeout would be shorter than the host's poll at 0.01). Its cash box is made big enough for the day
 * (600 notes otherwise: emptying it is staff's business, not the controller's).
 *
 * The samples are taken with the print queue drained (no card in the printer), so that they compare
 * like with like. Figures: RSS at the start and the end, `rssGrowth` = the end over the value once 10 %
 * of the work was done (each phase against itself; the worse of the two), `fdGrowth` alike (end less
 * that), heap alike, `dbMbPer1000Cards` = the store's growth in the staffed phase a thousand cards, and
 * `errors`: whatever went wrong that no injected fault explains (a refused command, a card not issued,
 * a wait that ran out, a ledger that does not add up, an audit chain that does not verify).
 * Targets: rssGrowth ≤ 1.10, fdGrowth = 0, errors = 0.
 */
const validatorScale = 0.1;
/** Samples in a phase (besides the first and the last). */
const samplesPerPhase = 40;
/** The day stops early beyond this many errors: something is broken, not unlucky. */
const maxErrors = 25;
/** Notes the citizens insert, one a visit, in turn. */
const noteValues = [100, 500] as const;
/** Prints left on the ribbon when staff put a new one in (the queue's cards need theirs). */
const ribbonChangeAt = 30;
/** Between lifting one card off the reader and laying the next, as a hand takes (the world's own gap). */
const cardSwapGapMs = 150;

export async function runBenchmark(args: readonly string[] = []): Promise<void> {
  const options = parseDayBenchOptions(args);
  const day = new Day(options);
  const began = performance.now();
  try {
    await day.open();
    const staffed = await day.staffedPhase();
    const unattended = options.topups > 0 ? await day.unattendedPhase() : null;
    await day.closeAndVerify();
    day.report(staffed, unattended, (performance.now() - began) / 1000);
  } finally {
    await day.cleanUp();
  }
}

interface StaffedResult {
  readonly samples: Sample[];
  readonly issued: number;
  readonly checks: number;
  readonly faults: Record<DayFault, number>;
  readonly failedJobs: number;
  readonly ribbonRefusals: number;
  readonly failedBy: Readonly<Record<string, number>>;
  readonly retries: number;
  /** The store once the controller stopped (its WAL checkpointed into the file). */
  readonly storeBytesAfterStop: number;
  readonly seconds: number;
}

interface UnattendedResult {
  readonly samples: Sample[];
  readonly topups: number;
  readonly credited: number;
  /** Cards laid down again because the first tap went unseen (the first, while the kiosk starts watching the reader). */
  readonly tapsAgain: number;
  /** Notes the validator gave straight back (not yet enabled), offered again. */
  readonly notesOfferedAgain: number;
  readonly storeBytesAfterStop: number;
  readonly seconds: number;
}

class Day {
  private readonly dataDir = mkdtempSync(join(tmpdir(), 'bench-day-'));
  private readonly env: Readonly<Record<string, string>>;
  private readonly storeFiles = [join(this.dataDir, defaultStoreFile), join(this.dataDir, `${defaultStoreFile}-wal`)];
  private readonly worldLog = createLogger({ destination: join(this.dataDir, 'logs', 'world.jsonl') });
  private world: SimulatedWorld | undefined;
  private controller: ControllerProcess | undefined;
  private stopHand: (() => void) | undefined;
  private errors = 0;
  private readonly errorLines: string[] = [];
  private applicantCount = 0;
  /** Set by an interrupt: the phases stop at their next boundary and the day is reported as it stands. */
  private endEarly = false;
  private verified: { auditOk: boolean; issuedInStore: number; distinctNumbers: number } | undefined;

  constructor(private readonly options: DayBenchOptions) {
    this.env = { KIOSK_SIMULATE: '1', KIOSK_PORT: '0', KIOSK_PRINTER_TIME_SCALE: String(options.scale), KIOSK_DATA_DIR: this.dataDir };
  }

  private error(what: string): void {
    this.errors++;
    if (this.errorLines.length < 20) this.errorLines.push(what);
    process.stdout.write(`day: error ${this.errors}: ${what}\n`);
    if (this.errors > maxErrors) throw new Error(`bench day: more than ${maxErrors} errors, stopping (the first: ${this.errorLines[0]})`);
  }

  async open(): Promise<void> {
    const config = loadConfig(this.env);
    await openBenchSession(config, 'day');
    this.world = await createSimulatedWorld(config, this.worldLog, { validator: { timeScale: validatorScale, stackerCapacity: 1_000_000 } });
    // The first interrupt ends the day early (the figures so far are still printed); a second stops at once.
    const interrupted = (signal: NodeJS.Signals): void => {
      if (!this.endEarly) {
        this.endEarly = true;
        process.stderr.write(`bench day: ${signal}, ending the day after this applicant or visit (again to stop at once)\n`);
        return;
      }
      process.stderr.write(`bench day: ${signal}, stopping the kiosk\n`);
      void this.cleanUp().finally(() => process.exit(130));
    };
    process.on('SIGINT', interrupted);
    process.on('SIGTERM', interrupted);
  }

  private stopping: Promise<void> | undefined;
  cleanUp(): Promise<void> {
    return (this.stopping ??= (async () => {
      this.stopHand?.();
      await this.controller?.stop().catch(() => {});
      await this.world?.stop().catch(() => {});
      this.worldLog.close();
      if (process.env['BENCH_DAY_KEEP'] === undefined) rmSync(this.dataDir, { recursive: true, force: true });
      else process.stdout.write(`day: data kept in ${this.dataDir}\n`);
    })());
  }

  private async sample(controller: ControllerProcess, done: number): Promise<Sample> {
    const memory = await controller.memory();
    return { done, rssBytes: rssBytesOf(controller.pid), heapBytes: memory.heapUsed, fds: openFdsOf(controller.pid), storeBytes: bytesOnDisk(this.storeFiles) };
  }

  private progress(phase: string, text: string, sample: Sample, began: number): void {
    const seconds = Math.round((performance.now() - began) / 1000);
    process.stdout.write(
      `day ${phase}: ${text}; RSS ${megabytes(sample.rssBytes)} MB, heap ${megabytes(sample.heapBytes)} MB, fds ${sample.fds}, store ${megabytes(sample.storeBytes)} MB; ${seconds} s\n`,
    );
  }

  // ---------------------------------------------------------------- staffed

  async staffedPhase(): Promise<StaffedResult> {
    const { options } = this;
    const world = this.world!;
    const controller = (this.controller = await startControllerProcess(this.env, world, { exposeGc: true }));
    const kiosk = new KioskBench('day', controller, world, options.scale);
    this.stopHand = kiosk.takeCardsAsTheyComeOut();
    await kiosk.until((s) => s.devices.printer.state === 'connected', 30_000, 'the printer did not connect');
    await kiosk.signIn();
    const mender = new Mender(kiosk, (what) => this.error(what));
    const stopMending = controller.onChange((snapshot) => mender.look(snapshot));
    const began = performance.now();
    const samples: Sample[] = [await this.sample(controller, 0)];
    this.progress('staffed', `0/${options.issuances} cards`, samples[0]!, began);
    const plan = faultPlan(options.issuances, options.faultEvery);
    const faults: Record<DayFault, number> = { jam: 0, 'ribbon-end': 0, 'chip-fault': 0, 'cable-pull': 0 };
    const sampleEvery = Math.max(1, Math.floor(options.issuances / samplesPerPhase));
    let checks = 0;
    let checksOwed = 0;
    let applicants = 0;
    for (let index = 0; index < options.issuances && !this.endEarly; index++) {
      applicants++;
      const fault = plan.get(index);
      try {
        await this.keepSignedIn(kiosk);
        await this.untilQueueBelow(kiosk, options.queue);
        await mender.restock();
        if (fault === 'jam') await kiosk.dev({ type: 'printer-fault', fault: 'jam', atStep: 'print-front' });
        if (fault === 'chip-fault') await kiosk.dev({ type: 'chip-fault' });
        if (fault) mender.expect(fault);
        await this.serve(kiosk, mender);
        if (fault) faults[fault]++;
        if (fault === 'ribbon-end') await this.midCard(kiosk, () => kiosk.dev({ type: 'printer-fault', fault: 'ribbon-end' }));
        if (fault === 'cable-pull') await this.midCard(kiosk, () => mender.pullCable());
        checksOwed += checksAfter(index, options.issuances, options.checks);
        while (checksOwed > 0 && world.issuedCards().length > 0) {
          await this.checkCard(kiosk);
          checksOwed--;
          checks++;
        }
      } catch (error) {
        this.error(`applicant ${index + 1}: ${(error as Error).message}`);
        await this.backHome(kiosk);
      }
      const done = index + 1;
      if (done % sampleEvery === 0 || done === options.issuances || this.endEarly) {
        await this.drained(kiosk, mender);
        const sample = await this.sample(controller, world.issuedCards().length);
        samples.push(sample);
        this.progress('staffed', `${done}/${options.issuances} applicants, ${world.issuedCards().length} cards out, ${checks} checks, ${mender.failedJobs} failed cards mended`, sample, began);
      }
    }
    // Checks still owed (a day too short to have had a card out when they fell due).
    while (!this.endEarly && checksOwed-- > 0) {
      await this.checkCard(kiosk).catch((error: unknown) => this.error(`card check: ${(error as Error).message}`));
      checks++;
    }
    await this.drained(kiosk, mender);
    stopMending();
    mender.finish();
    const issued = world.issuedCards().length;
    if (issued !== applicants) this.error(`${issued} cards handed out for ${applicants} applicants`);
    if (!this.endEarly && checks !== options.checks) this.error(`${checks} card checks made of ${options.checks}`);
    samples.push(await this.sample(controller, issued));
    await controller.stop();
    this.stopHand?.();
    this.stopHand = undefined;
    this.controller = undefined;
    return { samples, issued, checks, faults, failedJobs: mender.failedJobs, ribbonRefusals: mender.ribbonRefusals, failedBy: mender.failedBy, retries: mender.retries, storeBytesAfterStop: bytesOnDisk(this.storeFiles), seconds: (performance.now() - began) / 1000 };
  }

  /** A new adult with a Taoyuan household: a national ID number (H, Taoyuan) of our own. */
  private nextIdNumber(): string {
    const firstNine = `H2${String(++this.applicantCount).padStart(7, '0')}`;
    const check = taiwanIdCheckDigit(firstNine);
    if (check === null) throw new Error(`bench day: no check digit for ${firstNine}`);
    return `${firstNine}${check}`;
  }

  /** One applicant at the counter, from start-application to confirm-print; the card joins the queue. */
  private async serve(kiosk: KioskBench, mender: Mender): Promise<void> {
    const idNumber = this.nextIdNumber();
    await kiosk.fillApplication(idNumber, 'DAY APPLICANT');
    await kiosk.command({ type: 'submit-application' });
    await kiosk.takePhoto();
    await mender.confirmPrint();
    await kiosk.until((s) => s.screen === 'home', 15_000, 'the confirmed card did not free the counter');
  }

  /** Runs `act` once a card is at the print head (a fault that strikes mid-card). */
  private async midCard(kiosk: KioskBench, act: () => Promise<void>): Promise<void> {
    await kiosk.until((s) => s.printQueue.jobs.some((job) => job.stage === 'printing'), kiosk.cardTimeoutMs() * (this.options.queue + 1), 'no card reached the printer');
    await act();
  }

  /** The staff member taps the card just handed out on the counter reader and reads its status. */
  private async checkCard(kiosk: KioskBench): Promise<void> {
    await kiosk.dev({ type: 'place-card', kind: 'citizen' });
    await kiosk.until((s) => s.cardCheck !== null, 15_000, 'the tapped card was not checked');
    const check = kiosk.controller.snapshot().cardCheck;
    if (!check?.verified || check.status !== 'active') this.error(`a card just issued checked as ${JSON.stringify(check)}`);
    await kiosk.command({ type: 'close-card-check' });
    await kiosk.dev({ type: 'remove-card' });
  }

  private async untilQueueBelow(kiosk: KioskBench, size: number): Promise<void> {
    const waiting = (s: KioskSnapshot): number => s.printQueue.jobs.filter((job) => job.stage !== 'ready').length;
    await kiosk.until((s) => waiting(s) < size, kiosk.cardTimeoutMs() * (size + 2), 'the print queue did not move');
  }

  /** Until the printer is idle and every card is out (and taken). */
  private async drained(kiosk: KioskBench, mender: Mender): Promise<void> {
    await kiosk.until((s) => s.printQueue.jobs.length === 0, kiosk.cardTimeoutMs() * (this.options.queue + 2), 'the print queue did not drain').catch(async (error: unknown) => {
      this.error(`${(error as Error).message}: ${JSON.stringify(kiosk.controller.snapshot().printQueue.jobs.map((job) => [job.ticket, job.stage, job.error?.kind]))}`);
      await mender.abandonAll();
    });
  }

  /** The idle lock (3 minutes) can fall during a long mend: sign in again. */
  private async keepSignedIn(kiosk: KioskBench): Promise<void> {
    if (kiosk.controller.snapshot().session.state !== 'signed-in') await kiosk.signIn();
  }

  /** After a failed applicant: drop whatever is on the screen. */
  private async backHome(kiosk: KioskBench): Promise<void> {
    await kiosk.dev({ type: 'remove-card' }).catch(() => {});
    for (let attempt = 0; attempt < 5 && (await kiosk.controller.freshSnapshot()).screen !== 'home'; attempt++) {
      for (const type of ['close-card-check', 'back', 'cancel', 'confirm-discard'] as const) await kiosk.controller.command({ type }).catch(() => {});
    }
    await kiosk.controller.command({ type: 'close-card-check' }).catch(() => {});
  }

  // ---------------------------------------------------------------- unattended

  async unattendedPhase(): Promise<UnattendedResult> {
    const { options } = this;
    const world = this.world!;
    const pcscd = world.pcscd;
    const validator = world.validator;
    if (!pcscd || !validator) throw new Error('bench day: NFC and the bill validator must be simulated');
    const cards = world.issuedCards();
    if (cards.length === 0) throw new Error('bench day: no card was issued to top up');
    // The staff card used to sign in may still lie on the counter reader: the citizens' cards need it free.
    if (world.state().counterReader === 'card') await world.dev({ type: 'remove-card' });
    const controller = (this.controller = await startControllerProcess({ ...this.env, KIOSK_MODE: 'self-service' }, world, { exposeGc: true }));
    const kiosk = new KioskBench('day', controller, world, options.scale);
    const inHand = new Map<number, VirtualCard>();
    const viewOf = (s: KioskSnapshot): SelfServiceView | null => s.selfService ?? null;
    const untilView = (check: (view: SelfServiceView) => boolean, timeoutMs: number, what: string): Promise<void> =>
      kiosk.until((s) => {
        const view = viewOf(s);
        return view !== null && check(view);
      }, timeoutMs, what);
    /** Each citizen's own card, as it is now (what the kiosk wrote to it stays on it). */
    const lay = async (index: number): Promise<VirtualCard> => {
      const held = inHand.get(index);
      if (held) {
        await held.placeAgain();
        return held;
      }
      const blocks = cards[index]!;
      const card = await insertVirtualCard({ port: pcscd.vpcdPort + 1, kind: 'classic-1k', uid: blocks[0]!.slice(0, 4), blocks });
      inHand.set(index, card);
      return card;
    };
    // Big notes only when the day's visits to one card stay under the wallet's cap (10,000).
    const visitsPerCard = Math.ceil(options.topups / cards.length);
    const notes = visitsPerCard * 500 <= 9_000 ? noteValues : ([100] as const);
    const began = performance.now();
    await untilView((view) => view.state === 'ready', 60_000, 'the unattended kiosk did not get ready');
    const samples: Sample[] = [await this.sample(controller, 0)];
    this.progress('unattended', `0/${options.topups} top-ups`, samples[0]!, began);
    const sampleEvery = Math.max(1, Math.floor(options.topups / samplesPerPhase));
    let credited = 0;
    let notesOfferedAgain = 0;
    let tapsAgain = 0;
    let lastLift = 0;
    let visits = 0;
    for (let n = 0; n < options.topups && !this.endEarly; n++) {
      visits++;
      const index = n % cards.length;
      const note = notes[n % notes.length]!;
      let card: VirtualCard | undefined;
      try {
        const gap = cardSwapGapMs - (performance.now() - lastLift);
        if (gap > 0) await new Promise((resolve) => setTimeout(resolve, gap));
        card = await lay(index);
        // A tap the kiosk did not see (the first comes before it watches the reader): lift the card and lay it again.
        for (let tap = 1; ; tap++) {
          try {
            await untilView((view) => view.state === 'card' && view.card.wallet?.topUp.available === true, 5_000, `visit ${n + 1}: the card offering a top-up`);
            break;
          } catch (error) {
            if (tap === 3 || viewOf(controller.snapshot())?.state !== 'ready') throw error;
            tapsAgain++;
            await card.remove();
            await new Promise((resolve) => setTimeout(resolve, cardSwapGapMs));
            card = await lay(index);
          }
        }
        const started = await controller.command({ type: 'top-up-start' });
        if (!started.accepted) throw new Error(`top-up-start refused (${started.reason})`);
        await untilView((view) => view.state === 'top-up' && view.topUp.phase === 'insert', 10_000, `visit ${n + 1}: the top-up taking notes`);
        // A note offered as the validator is being enabled comes straight back: the citizen offers it again.
        for (let offer = 1; ; offer++) {
          const outcome = await validator.insertNote(note);
          if (outcome.kind === 'escrow' || outcome.kind === 'stacked') break;
          notesOfferedAgain++;
          if (offer === 10) throw new Error(`the note was not taken (${JSON.stringify(outcome)})`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        await untilView((view) => view.state === 'top-up' && view.topUp.inserted === note && view.topUp.phase === 'insert', 20_000, `visit ${n + 1}: the note credited`);
        credited += note;
        const finished = await controller.command({ type: 'top-up-finish' });
        if (!finished.accepted) throw new Error(`top-up-finish refused (${finished.reason})`);
        await untilView((view) => view.state === 'top-up-done' && view.done.mirror === 'up-to-date', 20_000, `visit ${n + 1}: the receipt with the chip written`);
        // Done on the receipt screen, and the card taken away.
        const dismissed = await controller.command({ type: 'dismiss-card' });
        if (!dismissed.accepted) throw new Error(`dismiss-card refused (${dismissed.reason})`);
        await card.remove();
        lastLift = performance.now();
        await untilView((view) => view.state === 'ready', 20_000, `visit ${n + 1}: the screen cleared after Done`);
      } catch (error) {
        this.error(`top-up ${n + 1}: ${(error as Error).message}; view ${JSON.stringify(viewOf(controller.snapshot()))}`);
        await controller.command({ type: 'top-up-cancel' }).catch(() => {});
        if (card?.present) await card.remove().catch(() => {});
        lastLift = performance.now();
        await controller.command({ type: 'dismiss-card' }).catch(() => {});
      }
      const done = n + 1;
      if (done % sampleEvery === 0 || done === options.topups || this.endEarly) {
        const sample = await this.sample(controller, done);
        samples.push(sample);
        this.progress('unattended', `${done}/${options.topups} top-ups, NT$${credited} credited`, sample, began);
      }
    }
    samples.push(await this.sample(controller, visits));
    await controller.stop();
    this.controller = undefined;
    for (const card of inHand.values()) if (card.present) await card.remove().catch(() => {});
    return { samples, topups: visits, credited, tapsAgain, notesOfferedAgain, storeBytesAfterStop: bytesOnDisk(this.storeFiles), seconds: (performance.now() - began) / 1000 };
  }

  // ---------------------------------------------------------------- after the day

  private ledger: { credited: number; topUps: number; openExceptions: number } | undefined;

  /** The store after the day: the audit chain, every card once, and the cash that the ledger holds. */
  async closeAndVerify(): Promise<void> {
    const config = loadConfig(this.env);
    this.verified = await verifyDayStore(config);
    this.ledger = await readDayLedger(this.storeFiles[0]!);
    if (!this.verified.auditOk) this.error('the audit chain does not verify');
    if (this.verified.distinctNumbers !== this.verified.issuedInStore) this.error(`${this.verified.issuedInStore} cards recorded under ${this.verified.distinctNumbers} numbers`);
  }

  report(staffed: StaffedResult, unattended: UnattendedResult | null, seconds: number): void {
    const { options } = this;
    if (this.verified && this.verified.issuedInStore !== staffed.issued) this.error(`${this.verified.issuedInStore} cards in the store, ${staffed.issued} handed out`);
    if (unattended && this.ledger) {
      if (this.ledger.credited !== unattended.credited) this.error(`the ledger holds NT$${this.ledger.credited} of cash top-ups, the citizens put in NT$${unattended.credited}`);
      if (this.ledger.openExceptions > 0) this.error(`${this.ledger.openExceptions} wallet exceptions open after the day`);
    }
    const staffedFigures = phaseFigures(staffed.samples, staffed.issued);
    const unattendedFigures: PhaseFigures | null = unattended ? phaseFigures(unattended.samples, unattended.topups) : null;
    const phases = [staffedFigures, ...(unattendedFigures ? [unattendedFigures] : [])];
    const figures = {
      issuances: staffed.issued,
      checks: staffed.checks,
      topups: unattended?.topups ?? 0,
      rssStartMb: staffedFigures.rssStartMb,
      rssEndMb: (unattendedFigures ?? staffedFigures).rssEndMb,
      rssGrowth: Math.max(...phases.map((phase) => phase.rssGrowth)),
      fdGrowth: Math.max(...phases.map((phase) => phase.fdGrowth)),
      heapGrowth: Math.max(...phases.map((phase) => phase.heapGrowth)),
      dbMbPer1000Cards: storeMbPer1000(staffed.samples[0]!.storeBytes, staffed.storeBytesAfterStop, staffed.issued),
      storeMbEnd: megabytes((unattended ?? staffed).storeBytesAfterStop),
      storeMbMax: megabytes(Math.max(...[...staffed.samples, ...(unattended?.samples ?? [])].map((sample) => sample.storeBytes))),
      errors: this.errors,
      faults: staffed.faults,
      failedCards: staffed.failedJobs,
      ribbonRefusals: staffed.ribbonRefusals,
      failedBy: staffed.failedBy,
      retries: staffed.retries,
      creditedNtd: unattended?.credited ?? 0,
      notesOfferedAgain: unattended?.notesOfferedAgain ?? 0,
      tapsAgain: unattended?.tapsAgain ?? 0,
      endedEarly: this.endEarly,
      staffed: { ...staffedFigures, seconds: Math.round(staffed.seconds) },
      unattended: unattendedFigures && unattended ? { ...unattendedFigures, seconds: Math.round(unattended.seconds), topUpMbPer1000: storeMbPer1000(staffed.storeBytesAfterStop, unattended.storeBytesAfterStop, unattended.topups) } : null,
      scale: options.scale,
      validatorScale,
      seconds: Math.round(seconds),
    };
    const lines = [
      `a compressed day: ${staffed.issued} cards (${options.queue} at most in the queue, printer at ${options.scale} of real time), ${staffed.checks} card checks, ${figures.topups} cash top-ups (validator at ${validatorScale}) in ${Math.round(seconds)} s`,
      `faults: ${Object.entries(staffed.faults).map(([kind, count]) => `${kind} ${count}`).join(', ')}; ${staffed.failedJobs} cards failed and were mended (${staffed.retries} retries)`,
      `staffed controller: RSS ${staffedFigures.rssStartMb} → ${staffedFigures.rssEndMb} MB (growth ${staffedFigures.rssGrowth} after the first 10 %, max ${staffedFigures.rssMaxMb}), heap ${staffedFigures.heapStartMb} → ${staffedFigures.heapEndMb} MB (${staffedFigures.heapGrowth}), fds ${staffedFigures.fdsStart} → ${staffedFigures.fdsEnd} (${staffedFigures.fdGrowth >= 0 ? '+' : ''}${staffedFigures.fdGrowth})`,
      ...(unattendedFigures
        ? [`unattended controller: RSS ${unattendedFigures.rssStartMb} → ${unattendedFigures.rssEndMb} MB (growth ${unattendedFigures.rssGrowth}, max ${unattendedFigures.rssMaxMb}), heap ${unattendedFigures.heapStartMb} → ${unattendedFigures.heapEndMb} MB (${unattendedFigures.heapGrowth}), fds ${unattendedFigures.fdsStart} → ${unattendedFigures.fdsEnd} (${unattendedFigures.fdGrowth >= 0 ? '+' : ''}${unattendedFigures.fdGrowth})`]
        : []),
      `store: ${figures.dbMbPer1000Cards} MB a thousand cards (checkpointed file, start to end of the staffed phase), ${figures.storeMbEnd} MB at the end of the day; file + WAL at most ${figures.storeMbMax} MB`,
      `errors: ${this.errors}${this.errorLines.length > 0 ? ` (${this.errorLines.slice(0, 3).join(' | ')})` : ''}`,
      `targets: rssGrowth ≤ 1.10 (${figures.rssGrowth}), fdGrowth = 0 (${figures.fdGrowth}), errors = 0 (${this.errors}); machine ${cpus()[0]?.model ?? '?'} × ${cpus().length}, ${Math.round(totalmem() / 2 ** 30)} GB`,
    ];
    process.stdout.write(`${lines.join('\n')}\n${JSON.stringify(figures)}\n`);
  }
}

/**
 * Staff at the printer: they keep it stocked, and when a card fails they mend what the printer
 * shows (a jam cleared, a new ribbon, the cable back in) and retry that card. A failure that no
 * fault of the day explains is an error.
 */
class Mender {
  failedJobs = 0;
  retries = 0;
  /** Failed cards by the failure's kind (a card can fail more than once). */
  readonly failedBy: Record<string, number> = {};
  /** Confirmations the kiosk refused for the ribbon (its end, or a new one not read yet). */
  ribbonRefusals = 0;
  /** Faults injected whose failure has not been seen yet (a fault may strike a card already queued). */
  private readonly expected: DayFault[] = [];
  private readonly mending = new Set<string>();
  private readonly mends: Promise<void>[] = [];
  private cablePulled = false;
  private changingRibbon = false;
  /** The phase is over: mends under way give up. */
  private finished = false;

  constructor(
    private readonly kiosk: KioskBench,
    private readonly error: (what: string) => void,
  ) {}

  expect(fault: DayFault): void {
    if (fault !== 'cable-pull') this.expected.push(fault);
    if (fault === 'ribbon-end') this.ribbonEnded = true;
  }

  /** The ribbon was made to end, and its end may still show (a card failed, a confirmation refused). */
  private ribbonEnded = false;

  /** The ribbon's end met: its expectation is spent; an end that no fault made is an error. */
  private ribbonEndMet(): boolean {
    const at = this.expected.indexOf('ribbon-end');
    if (at !== -1) this.expected.splice(at, 1);
    return this.ribbonEnded;
  }

  /** Feeder and ribbon topped up before they run out (the ribbon not while its end is the fault of the hour). */
  async restock(): Promise<void> {
    const state = this.kiosk.printerState();
    if (!this.expected.includes('ribbon-end') && state.ribbonPrintsLeft > 0 && this.mending.size === 0) this.ribbonEnded = false;
    if (state.cardsInFeeder < 5) await this.kiosk.dev({ type: 'printer-fault', fault: 'load-cards' });
    // Staff change the ribbon before the kiosk refuses a card for it (it keeps enough for the queued cards).
    if (state.ribbonPrintsLeft < ribbonChangeAt && !this.expected.includes('ribbon-end')) await this.kiosk.dev({ type: 'printer-fault', fault: 'new-ribbon' });
  }

  /** The cable out for a moment (a real second, scaled, at least 200 ms), then back. */
  async pullCable(): Promise<void> {
    this.cablePulled = true;
    await this.kiosk.dev({ type: 'cable', device: 'printer', plugged: false });
    await new Promise((resolve) => setTimeout(resolve, Math.max(200, this.kiosk.scaled(5))));
    await this.kiosk.dev({ type: 'cable', device: 'printer', plugged: true });
    // Back: the driver has the port again. A card that failed meanwhile keeps the printer shown at fault (its words) until it is retried.
    const back = (s: KioskSnapshot): boolean => s.devices.printer.state === 'connected' || s.devices.printer.state === 'fault';
    try {
      await this.kiosk.until(back, 30_000, 'the printer did not come back after its cable was put back');
    } catch (error) {
      // An error of the day; staff would seat the cable again, and so the day goes on.
      this.error(`${(error as Error).message} (printer ${JSON.stringify(this.kiosk.controller.snapshot().devices.printer)})`);
      await this.kiosk.dev({ type: 'cable', device: 'printer', plugged: false });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await this.kiosk.dev({ type: 'cable', device: 'printer', plugged: true });
      await this.kiosk.until(back, 60_000, 'the printer did not come back after its cable was seated again');
    } finally {
      this.cablePulled = false;
    }
  }

  /**
   * The review confirmed. The kiosk refuses a card its ribbon cannot print after the queued ones: at
   * the ribbon's end staff put a new one in; after a new ribbon the kiosk may not have read it yet.
   */
  async confirmPrint(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const reply = await this.kiosk.controller.command({ type: 'confirm-print' });
      if (reply.accepted) return;
      if (reply.code !== 'no-ribbon' || attempt === 40) throw new Error(`'confirm-print' refused: ${JSON.stringify(reply)}`);
      this.ribbonRefusals++;
      if (this.kiosk.printerState().ribbonPrintsLeft === 0) {
        if (!this.ribbonEndMet()) this.error('the ribbon ran out with no ribbon-end fault');
        await this.kiosk.dev({ type: 'printer-fault', fault: 'new-ribbon' });
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  look(snapshot: KioskSnapshot): void {
    // The ribbon ended between two cards: the kiosk starts no card and says so (no card fails). Staff change it.
    if (this.ribbonEnded && !this.changingRibbon && this.expected.includes('ribbon-end') && snapshot.serviceSession?.warnings.some((warning) => warning.kind === 'ribbon-out')) {
      this.changingRibbon = true;
      void (async () => {
        try {
          if (this.kiosk.printerState().ribbonPrintsLeft === 0) {
            this.ribbonEndMet();
            await this.kiosk.dev({ type: 'printer-fault', fault: 'new-ribbon' });
          }
        } finally {
          this.changingRibbon = false;
        }
      })();
    }
    for (const job of snapshot.printQueue.jobs) {
      if ((job.stage === 'failed' || job.stage === 'parked') && !this.mending.has(job.jobId)) {
        this.mending.add(job.jobId);
        this.failedJobs++;
        const kind = job.error?.kind ?? job.stage;
        this.failedBy[kind] = (this.failedBy[kind] ?? 0) + 1;
        this.mends.push(this.mend(job).finally(() => this.mending.delete(job.jobId)));
      }
    }
  }

  private explained(job: JobView): boolean {
    const kind = job.error?.kind ?? '';
    if (kind === 'printer_ribbon_out') return this.ribbonEndMet();
    const cause: DayFault | null =
      kind === 'printer_jam' ? 'jam'
      : kind === 'printer_ribbon_out' ? 'ribbon-end'
      : kind === 'nfc_write_verify_failed' ? 'chip-fault'
      : null;
    if (cause) {
      const at = this.expected.indexOf(cause);
      if (at === -1) return false;
      this.expected.splice(at, 1);
      return true;
    }
    // Anything else is explained only by a cable pulled meanwhile (a reply lost, the port closed).
    return this.cablePulled || /disconnected|closed|timeout|bad_reply/.test(kind);
  }

  private async mend(job: JobView): Promise<void> {
    const { kiosk } = this;
    if (!this.explained(job)) this.error(`card #${job.ticket} failed with ${job.error?.kind ?? job.stage}, which no fault of the day explains`);
    for (let attempt = 1; attempt <= 20; attempt++) {
      const printer = kiosk.printerState();
      if (printer.card === 'jammed') await kiosk.dev({ type: 'printer-fault', fault: 'clear-jam' });
      if (printer.ribbonPrintsLeft === 0) await kiosk.dev({ type: 'printer-fault', fault: 'new-ribbon' });
      // A jam or an empty ribbon leaves the printer at fault until the retry: only a pulled cable is waited for.
      await kiosk.until((s) => s.devices.printer.state === 'connected' || s.devices.printer.state === 'fault', 30_000, 'the printer is not connected').catch(() => {});
      const now = kiosk.controller.snapshot().printQueue.jobs.find((view) => view.jobId === job.jobId);
      if (!now || (now.stage !== 'failed' && now.stage !== 'parked')) return;
      // The cable back in and the kiosk's driver reconnected before the card is tried again (staff wait for the light).
      while (this.cablePulled && !this.finished) await new Promise((resolve) => setTimeout(resolve, 100));
      if (this.finished) return;
      if (/disconnected|closed/.test(now.error?.kind ?? '')) {
        await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
      }
      this.retries++;
      const reply = await kiosk.controller.command({ type: 'retry', jobId: job.jobId });
      if (reply.accepted) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    this.error(`card #${job.ticket} could not be retried`);
  }

  /** The queue never drained: cancel what is stuck, so that the day can go on (each is an error already). */
  async abandonAll(): Promise<void> {
    for (const job of this.kiosk.controller.snapshot().printQueue.jobs) {
      if (job.stage === 'failed' || job.stage === 'parked') await this.kiosk.controller.command({ type: 'cancel-job', jobId: job.jobId }).catch(() => {});
    }
  }

  finish(): void {
    this.finished = true;
    if (this.expected.length > 0) this.error(`faults injected that no card met: ${this.expected.join(', ')}`);
  }
}
