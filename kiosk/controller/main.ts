import { randomBytes } from 'node:crypto';
import { createActor, type ActorRefFrom } from 'xstate';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectKioskBoard, type KioskBoard } from '../../firmware/board';
import { openIdScanner } from '../../hardware/id-scanner/driver';
import type { IdScanner } from '../../hardware/id-scanner/types';
import { citizenCardStation } from '../../hardware/card-record/station';
import type { CitizenCardStation } from '../../hardware/card-record/types';
import { openNfcStation } from '../../hardware/nfc/driver';
import { openCardPrinter } from '../../hardware/printer/driver';
import type { CardPrinter } from '../../hardware/printer/types';
import { isoDay, systemClock, type Clock } from '../../shared/clock';
import type { KioskSnapshot } from '../../shared/contract/kiosk-api';
import { defaultCityRules, type CityRules } from '../../shared/domain/rules';
import { silentLog, type LogSink } from '../../shared/log';
import { startApiServer, type ApiServer } from './api/server';
import { loadOrCreateChipMasterKey } from './chip-master-key';
import { isFullySimulated, isSimulated, type KioskConfig } from './config';
import { readControllerFile, removeControllerFile, writeControllerFile } from './controller-file';
import { auditDeviceFaults } from './device-fault-audit';
import { DeviceStatusBoard } from './device-status';
import { showBoardLineNoise, showPrinterStatus, showScannerStatus } from './devices/serial-device-status';
import { createSimulatedWorld, linkTo, type SimulatedWorld, type SimulatedWorldLink } from './devices/simulated-world';
import { documentToApplication } from './issuance/document-to-application';
import { issuanceActors } from './issuance/issuance-services';
import { createJobProgressTracker } from './issuance/job-progress';
import { cardAtStationIs, recoverInterruptedJobs, type RecoveredJob } from './issuance/recover-interrupted-jobs';
import { watchHandOver } from './issuance/hand-over-watch';
import { issuanceMachine } from './issuance/issuance-machine';
import { createKioskController, type KioskController } from './kiosk-controller';
import { createBatchDesk } from './batch/batch-desk';
import { recentHandOverMs } from './issuance/assess-application';
import { createLogger } from './logging/logger';
import { createOperatorService } from './auth/operator-service';
import { mayView } from './auth/authorize';
import { can } from './auth/permissions';
import { reportService } from './reports/report-service';
import { writeSessionReport } from './reports/write-report';
import { demoStaffProblem, seedDemoStaff } from './devices/demo-staff';
import { seedDemoCitizens } from './devices/demo-citizens';
import { createPhotoGate, parsePhotoGateOverrides, toCheckView } from './photo';
import { createCardCheck } from './card-check';
import { bindSelfService, counterRegion, type BillFact, type CounterRegionRef, type SelfServiceOptions } from './self-service/own-card';
import { kioskMachine, kioskRegions } from './machine/kiosk-machine';
import type { SessionRegionRef } from './machine/session-machine';
import { bindServiceSessions, sessionRegion } from './service-session';
import { bindKioskService, latchFromAudit, serviceRegion, type KioskService, type ServiceRegionRef } from './machine/service-glue';
import type { TamperCause } from './machine/service-machine';
import { bindStaffSession, staffRegion, type StaffRegionRef } from './staff-session';
import { counterDelaysFrom, issuanceDelaysFrom, staffTimingFrom } from './timings';
import type { AuditInput } from './store/audit';
import { startRetentionSchedule } from './store/retention-schedule';
import { diskReserve, isDiskFull, megabytes } from './store/disk-space';
import { openStore, type Store } from './store/store';
import { storeProblem } from './store/store-problem';
import { defaultStoreFile } from './store/cli-options';
import { openBillValidator, type SerialBillValidator } from '../../hardware/bill-validator/driver';
import { billValidatorPath } from './devices/bill-validator-path';
import { openReceiptSigner } from './receipt/receipt-signer';
import { receiptMaker } from './top-up/receipt';
import { printReceiptView } from './top-up/receipt-print';
import { openConfiguredReceiptPrinter } from './devices/receipt-printer';
import { settleCashAtStart, watchValidator, type CashAtStart } from './top-up/cash-device';
import { closesKiosk, settleJournal } from './top-up/settle-journal';
import { pulseAsValidator, pulseNoteEvents, settlePulseJournal } from './top-up/pulse-acceptor';
import { realTimers } from '../../shared/clock';
import { defaultAcceptedNotes } from '../../shared/domain/wallet';

/**
 * The composition root: the one place that chooses real or simulated devices, opens the store,
 * wires the drivers into the issuance machine and serves the UI on loopback.
 */
export interface StartKioskOptions {
  readonly clock?: Clock;
  readonly log?: LogSink;
  readonly rules?: CityRules;
  /** The built UI (default kiosk/ui/dist). */
  readonly uiDir?: string;
  /**
   * A simulated world already running elsewhere (another process: the issuance benchmark), used
   * instead of starting one here; its owner stops it. `RunningKiosk.world` is then null.
   */
  readonly world?: SimulatedWorldLink;
}

export interface RunningKiosk {
  readonly config: KioskConfig;
  readonly url: string;
  readonly token: string;
  /** The URL to open in the kiosk window: it carries the per-launch token. */
  readonly urlWithToken: string;
  readonly controller: KioskController;
  readonly store: Store;
  /** The simulated devices, when any are simulated (and started by this kiosk). */
  readonly world: SimulatedWorld | null;
  /** Jobs found unfinished at start (a crash or power cut) and how each was closed. */
  readonly recovered: readonly RecoveredJob[];
  stop(): Promise<void>;
}

/** How long the restart waits for the chip of a card left at the printer's station to answer. */
const recoveryCardArrivalMs = 3_000;

const defaultUiDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'ui', 'dist');

/** A start refused for a reason a technician can fix, said in one sentence (no stack trace needed). */
export class StartRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartRefusal';
  }
}

export async function startKiosk(config: KioskConfig, options: StartKioskOptions = {}): Promise<RunningKiosk> {
  try {
    return await startAll(config, options);
  } catch (error) {
    throw (await diskFullAtStart(config, error)) ?? error;
  }
}

/**
 * Which disk is full, how full, and what to do: a bare SQLITE_FULL or ENOSPC tells a technician
 * nothing. SQLite opening a WAL database on a full disk may say only SQLITE_IOERR (its shared-memory
 * file cannot grow): that counts as the disk when the disk is below its reserve too.
 */
async function diskFullAtStart(config: KioskConfig, error: unknown): Promise<StartRefusal | null> {
  if (!(error instanceof Error)) return null;
  const space = await diskReserve(config.dataDir, config.diskReserveMb).check().catch(() => null);
  const ioError = (error as NodeJS.ErrnoException).code === 'SQLITE_IOERR';
  if (!isDiskFull(error) && !(ioError && space?.ok === false)) return null;
  const cause = error.message.split('\n')[0] ?? '';
  const what = space?.ok
    ? `a disk it writes to is full (${cause}; its data directory ${config.dataDir} has ${megabytes(space.value)} free)`
    : `the disk holding its data directory ${config.dataDir} is full (${space ? megabytes(space.error.freeBytes) : 'unknown'} free; ${cause})`;
  return new StartRefusal(`the kiosk cannot start: ${what}. Free space on that disk (old backups, copies, logs) or call a technician, then start the kiosk again`);
}

async function startAll(config: KioskConfig, options: StartKioskOptions): Promise<RunningKiosk> {
  const clock = options.clock ?? systemClock;
  const other = readControllerFile(config.dataDir);
  if (other) throw new StartRefusal(`a kiosk is already running on ${config.dataDir} (pid ${other.pid}, ${other.url}): stop it first`);
  mkdirSync(join(config.dataDir, 'keys'), { recursive: true, mode: 0o700 });
  // A log file that fails (disk full) never stops the kiosk: the logger keeps it in memory and says so.
  const fileLog = options.log ? undefined : createLogger({ destination: join(config.dataDir, 'logs', 'kiosk.jsonl'), clock });
  const log: LogSink = options.log ?? fileLog ?? silentLog;
  const stops: Array<() => Promise<void>> = [];
  if (fileLog) stops.push(async () => fileLog.close());
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.splice(0).reverse()) await stop().catch((error: unknown) => log({ eventId: 'kiosk-stop-failed', disposition: 'failure', message: String(error) }));
  };

  try {
    log({ eventId: 'kiosk-start-init', disposition: 'na', message: `kiosk ${config.kioskId} starting`, devices: JSON.stringify(config.devices) });
    const opened = await openStore({ path: join(config.dataDir, defaultStoreFile), keyFile: config.keyFile, kioskId: config.kioskId, kioskNumber: config.kioskNumber, clock, log });
    if (!opened.ok) throw new StartRefusal(`cannot open the store in ${config.dataDir}: ${storeProblem(opened.error, config.keyFile)}`);
    const store = opened.value;
    stops.push(() => store.close());
    const disk = diskReserve(config.dataDir, config.diskReserveMb);
    const operators = createOperatorService(store, { clock });
    // Demo staff (public PINs) live only in a fully simulated kiosk: refused before any device starts.
    const demoOnly = isFullySimulated(config);
    const demoProblem = demoOnly ? null : await demoStaffProblem(operators);
    if (demoProblem) throw new StartRefusal(demoProblem);
    const retention = startRetentionSchedule({ store, clock, retentionDays: config.retentionDays, log });
    stops.push(() => retention.stop());
    const chipMasterKey = loadOrCreateChipMasterKey(join(config.dataDir, 'keys', 'chip-master.key'));

    const devices = new DeviceStatusBoard({
      printer: isSimulated(config, 'printer'),
      scanner: isSimulated(config, 'scanner'),
      nfc: isSimulated(config, 'nfc'),
      board: isSimulated(config, 'board'),
    });
    // From the first status on: a device missing or faulted at start is a fault too.
    const audit = safeAudit(store, log);
    const stopFaultAudit = auditDeviceFaults(devices, audit);
    stops.push(async () => stopFaultAudit());
    const anySimulated = Object.values(config.devices).includes('simulated');
    const world = anySimulated && !options.world ? await createSimulatedWorld(config, log) : null;
    if (world) stops.push(() => world.stop());
    const worldLink = options.world ?? (world ? linkTo(world) : null);

    const printer = await openPrinter(config, worldLink, devices, log);
    stops.push(() => printer.close());
    const encoder = await openEncoder(config, worldLink, devices, log);
    stops.push(() => encoder.close());
    // A card issued but never ejected is handed over only if the chip at the station reads back as that card.
    const recovered = await recoverInterruptedJobs(store, printer, log, {
      verifyCardAtStation: (expected) => cardAtStationIs(encoder, chipMasterKey, expected, recoveryCardArrivalMs),
    });
    // The exit slot's sensor closes the hand-over of the cards taken: wired to the controller once it exists.
    const taken = { cards: (_jobIds: readonly string[]): void => {} };
    const handOver = watchHandOver({ printer, store, log, onTaken: (jobIds) => taken.cards(jobIds) });
    stops.push(async () => handOver.stop());
    if (recovered.some((job) => job.outcome === 'ejected' || job.outcome === 'in-output')) handOver.cardEjected();
    const photoSettings = parsePhotoGateOverrides(config.photo);
    if (!photoSettings.ok) throw new StartRefusal(`invalid photo settings in ${join(config.dataDir, 'kiosk.config.json')}: ${photoSettings.error}`);
    const photoGate = createPhotoGate({ config: photoSettings.value });
    stops.push(async () => photoGate.close());
    const boardFacts = await boardStartFacts(store);
    // The ccTalk validator: the cash journal is settled from its buffer before it takes a note (issue 15).
    const rules = options.rules ?? defaultCityRules;
    // Only an unattended kiosk takes cash (top-up): a staffed one leaves its validator alone, inhibited since power-up,
    // and spends neither start-up nor polls on it.
    const validatorPath = config.mode === 'self-service' ? billValidatorPath(config, worldLink) : null;
    const validator: SerialBillValidator | null = validatorPath ? openBillValidator({ path: validatorPath, log }) : null;
    if (validator) stops.push(() => validator.close());
    const cashAtStart: CashAtStart = validator
      ? await settleCashAtStart({ validator, wallet: store.wallet, cap: rules.eWalletCap, log, timers: realTimers })
      : { settlement: null, cause: null };
    if (config.cashDevice === 'pulse') await settlePulseJournal(store.wallet, rules.eWalletCap, log);
    if (cashAtStart.settlement && cashAtStart.settlement.kind !== 'nothing-open') {
      const outcome = cashAtStart.settlement;
      log({ eventId: 'cash-start-settled', disposition: outcome.kind === 'exception' ? 'failure' : 'success', message: `the cash journal settled at start: ${outcome.kind}`, outcome: outcome.kind });
    }
    // Where the kiosk has a receipt printer (devices.receiptPrinter), the receipt is printed too.
    const receiptPrinter = config.mode === 'self-service' ? await openConfiguredReceiptPrinter(config, worldLink?.paths ?? null, log) : null;
    if (receiptPrinter) stops.push(() => receiptPrinter.close());
    const counter = citizenCardStation(await openNfcStation({ readerName: worldLink?.readers?.counter ?? config.counterReader, log }), log);
    stops.push(() => counter.close());
    if (demoOnly && worldLink?.readers) {
      for (const card of await seedDemoStaff(operators, config.kioskNumber, config.kioskId, chipMasterKey, isoDay(clock))) worldLink.setDemoCard(card.kind, card.blocks);
      // The unattended demo has citizens' cards issued here to tap (a staffed demo issues its own).
      if (config.mode === 'self-service') {
        for (const card of await seedDemoCitizens(store, config.kioskNumber, config.kioskId, chipMasterKey, isoDay(clock))) worldLink.setDemoCard(card.kind, card.blocks);
      }
    }

    // From the board's connection until its events are watched nothing is awaited, so none is missed.
    const unattended = config.mode === 'self-service';
    const board = connectBoard(config, worldLink, boardFacts, log);
    stops.push(() => board.close());
    // Signing out clears the screen of the applicant's data: wired to the controller once it exists.
    const signedOut = { clearScreen: (): void => {} };
    const staffOptions = { operators, counter, chipMasterKey, log, timing: staffTimingFrom(config.timings), onSignedOut: () => signedOut.clearScreen() };
    // Unattended: citizens tap their own card; out of service while the I/O board is away or the door was opened.
    // Top-up (issue 15): the wallet on a tap and the visit; the cash readiness is read off the validator and the service region.
    const cashReady = { now: (): boolean => false };
    // The pulse acceptor takes a visit's notes through the same cash machine (no escrow: journaled and credited at once).
    const pulse = config.cashDevice === 'pulse' ? pulseAsValidator(board) : null;
    const pulseVisit = { open: (): boolean => false, bill: (_event: BillFact): void => {} };
    const receiptSigner = unattended ? openReceiptSigner(config.dataDir) : null;
    if (receiptSigner && !receiptSigner.ok) {
      throw new StartRefusal(
        `the receipt signing key in ${config.dataDir}/keys cannot be used (${receiptSigner.error.kind}): restore receipt-signing.key and receipt-signing.pub ` +
          'from the backup, or move both away to make a new pair at the next start (receipts already given then verify only with the old receipt-signing.pub)',
      );
    }
    const selfServiceOptions: SelfServiceOptions = {
      counter, chipMasterKey, clock, log, delays: counterDelaysFrom(config.timings),
      cardStatus: async (cardNumber) => (await store.cardByNumber(cardNumber))?.status ?? null,
      ...(receiptSigner?.ok
        ? {
            topUp: {
              wallet: store.wallet,
              validator: validator ?? pulse,
              ...(pulse ? { device: 'pulse' as const } : {}),
              cap: rules.eWalletCap,
              accepted: defaultAcceptedNotes,
              cash: () => (validator || pulse ? (cashReady.now() ? 'ready' : 'unavailable') : 'none'),
              signReceipt: receiptMaker(receiptSigner.value, config.kioskId, clock, (view) => printReceiptView(receiptPrinter, config.kioskId, view, log)),
            },
          }
        : {}),
    };
    const serviceOptions = { board, latched: boardFacts.latched, unattended, cash: cashAtStart.cause, store, audit, log, onReleased: () => devices.set('board', 'connected') };

    // The kiosk's root machine: every region in one actor system (kiosk-machine.ts), each with its device and store work;
    // the staff and service regions tell the counter region (unattended) when staff arrive or leave and when the kiosk closes.
    const staffLogic = staffRegion(staffOptions);
    const serviceLogic = serviceRegion(serviceOptions);
    const counterLogic = unattended ? counterRegion(selfServiceOptions) : null;
    // The service session: loaded from the store at start; the ribbon as the printer last said.
    const ribbonPrintsLeft = (): number | null => printer.lastStatus().printsLeft;
    // Its report is written once the close has committed, beside the close (Chromium takes a few seconds);
    // the kiosk's stop waits for one under way.
    let reportWriting: Promise<void> = Promise.resolve();
    const writeReportOf = (sessionId: string): Promise<void> => {
      reportWriting = writeSessionReport(store, sessionId, { dataDir: config.dataDir, uiDir: options.uiDir ?? defaultUiDir }).then((written) =>
        log({
          eventId: 'session-report-written',
          disposition: written.ok ? 'success' : 'failure',
          message: written.ok ? 'the closed session\'s report was written' : `the closed session's report: ${written.error.kind}${written.error.kind === 'pdf_failed' ? ` (${written.error.message}; the CSV was written)` : ''}`,
          sessionId,
        }),
      );
      return Promise.resolve();
    };
    stops.push(() => reportWriting);
    const sessionLogic = sessionRegion({ store, ribbonPrintsLeft, log, onClosed: writeReportOf });
    const sessionLink = { id: (): string | null => null };
    // The card jobs' steps as the printer and the encoder report them, timed on the kiosk's clock (issue 16).
    const jobProgress = createJobProgressTracker(() => clock.now().getTime());
    const issuanceLogic = issuanceMachine.provide({
      actors: issuanceActors({
        progress: jobProgress,
        jobDelays: issuanceDelaysFrom(config.timings),
        printer, encoder, store, photoGate, rules: options.rules ?? defaultCityRules, clock, chipMasterKey, kioskId: config.kioskId, log,
        onHandOver: () => board.buzz('take-card'),
        handOver,
        operatorId: () => operators.current()?.operatorId ?? null,
        diskReserve: disk,
        serviceSessionId: () => sessionLink.id(),
      }),
    });
    const now = (): number => clock.now().getTime();
    const kiosk = createActor(
      kioskMachine.provide({
        actors: { staff: staffLogic.logic, service: serviceLogic.logic, issuance: issuanceLogic, serviceSession: sessionLogic, ...(counterLogic ? { counter: counterLogic.logic } : {}) },
      }),
      { input: { staff: staffLogic.input, service: serviceLogic.input, counter: counterLogic?.input ?? null, issuance: { now } } },
    );
    kiosk.subscribe({ error: (error) => log({ eventId: 'kiosk-machine-crashed', disposition: 'failure', message: String(error) }) });
    kiosk.start();
    stops.push(async () => void kiosk.stop());
    const region = <T>(id: string): T => {
      const found = kiosk.system.get(id) as T | undefined;
      if (!found) throw new Error(`the kiosk machine has no ${id} region`);
      return found;
    };

    const service = bindKioskService(region<ServiceRegionRef>(kioskRegions.service), serviceOptions);
    watchBoard(board, service, devices, audit, store.wallet, pulseVisit, log);
    const staff = bindStaffSession(region<StaffRegionRef>(kioskRegions.staff), staffOptions);
    stops.push(async () => staff.stop());
    const cardCheck = createCardCheck({
      counter, store, chipMasterKey,
      // Only staff who may see a cardholder's card (not a technician), and not while a supervisor approves.
      active: () => mayView(operators.current()?.role) && staff.view().approval === null,
    });
    stops.push(async () => cardCheck.stop());
    const selfService = counterLogic ? bindSelfService(region<CounterRegionRef>(kioskRegions.counter), selfServiceOptions) : null;
    if (selfService) stops.push(async () => selfService.stop());
    if (validator) {
      const watch = watchValidator({
        validator,
        wallet: store.wallet,
        visit: { open: () => selfService?.visitOpen() ?? false, bill: (event) => selfService?.bill(event) },
        service: service.actor,
        log,
        startCause: cashAtStart.cause,
        ...(cashAtStart.settlement === null
          ? {
              settleLater: async () => {
                await validator.inhibitAll(true);
                return closesKiosk(await settleJournal({ validator, wallet: store.wallet, cap: rules.eWalletCap, log, timers: realTimers }));
              },
            }
          : {}),
      });
      stops.push(async () => watch.stop());
      cashReady.now = () => watch.ready() && service.closure() === null;
    }
    if (pulse && selfService) {
      pulseVisit.open = () => selfService.visitOpen();
      pulseVisit.bill = (event) => selfService.bill(event);
      cashReady.now = () => board.isConnected && service.closure() === null;
    }

    const serviceSession = bindServiceSessions(region<SessionRegionRef>(kioskRegions.serviceSession), { ribbonPrintsLeft, log });
    stops.push(async () => serviceSession.stop());
    sessionLink.id = () => serviceSession.sessionId();
    // Batches are checked with the counter's own rules, day and cards on file (issue 14).
    const batches = createBatchDesk({
      batches: store.batches,
      sessionId: () => serviceSession.sessionId(),
      assessment: {
        rules: options.rules ?? defaultCityRules,
        today: () => isoDay(clock),
        heldCards: (idNumber) => store.heldCards(idNumber),
        cardsBeingHandedOver: (idNumber) => store.cardsBeingHandedOver(idNumber, new Date(clock.now().getTime() - recentHandOverMs).toISOString()),
      },
      log,
    });
    await batches.refresh();
    const controller = createKioskController(issuanceLogic, devices, log, {
      progress: jobProgress,
      serviceSession,
      sessionMode: () => serviceSession.sessionMode(),
      batches,
      actor: region<ActorRefFrom<typeof issuanceLogic>>(kioskRegions.issuance),
      cameraLive: (live) => board.setFillLight(live),
      previewPhoto: async (image) => {
        const verdict = await photoGate.evaluate(Buffer.from(image));
        return { passed: verdict.passed, checks: verdict.checks.map(toCheckView) };
      },
      session: { staff, operators },
      cardCheck,
      diskReserve: disk,
      ...(selfService ? { selfService, topUp: { command: (command) => selfService.topUp(command) } } : {}),
      ...(fileLog ? { logHealth: fileLog } : {}),
      outOfService: () => service.outOfService(),
      clearTamper: (operatorId) => service.clearTamper(operatorId),
      audit: (input) => store.appendAudit(input),
      now,
    });
    taken.cards = (jobIds) => controller.cardsTaken(jobIds);
    // The next person at the counter sees nothing of the last one: no application, no card, no lit camera.
    signedOut.clearScreen = () => {
      controller.sessionEnded();
      cardCheck.close();
      board.setFillLight(false);
    };
    stops.push(async () => controller.stop());
    let shown = controller.snapshot();
    const showStatus = (snapshot: KioskSnapshot): void => {
      board.setStatus(statusLightFor(snapshot));
      const sound = soundFor(shown, snapshot);
      if (sound) board.buzz(sound);
      shown = snapshot;
    };
    showStatus(controller.snapshot());
    const unsubscribeLight = controller.onChange(showStatus);
    stops.push(async () => unsubscribeLight());

    const scanner = openScanner(config, worldLink, devices, log);
    stops.push(() => scanner.close());
    scanner.on('document', (read) => {
      const fill = documentToApplication(read.kind === 'mrz' ? { kind: 'mrz', mrz: read.mrz } : { kind: 'taiwan-id', id: read.id }, isoDay(clock));
      if (controller.screen() === 'home') void controller.command({ type: 'start-application' });
      if (!controller.documentRead(fill.fields, fill.problems)) {
        log({ eventId: 'scanner-document-ignored', disposition: 'na', message: `a document was read on the ${controller.screen()} screen` });
      }
    });

    const token = randomBytes(24).toString('base64url');
    const api: ApiServer = await startApiServer({
      port: config.port,
      token,
      uiDir: options.uiDir ?? defaultUiDir,
      log,
      handlers: {
        snapshot: () => controller.snapshot(),
        command: (command) => controller.command(command),
        preview: (side) => controller.preview(side),
        health: () => ({
          kioskId: config.kioskId,
          screen: controller.screen(),
          devices: devices.all(),
          log: fileLog?.health() ?? { state: 'writing' },
          // The cash device as this kiosk started with it (kioskctl doctor reads it: the validator's port is ours).
          cash: { device: config.cashDevice, billValidator: config.devices.billValidator },
        }),
        ...(world ? { dev: (command) => world.dev(command), devState: () => world.state() } : {}),
        reports: reportService(store, {
          dataDir: config.dataDir,
          uiDir: options.uiDir ?? defaultUiDir,
          mayView: () => {
            const role = operators.current()?.role;
            return role !== undefined && can(role, 'view-reports');
          },
        }),
      },
    });
    stops.push(() => api.close());
    const unsubscribe = controller.onChange((snapshot) => api.broadcast(snapshot));
    stops.push(async () => unsubscribe());

    writeControllerFile(config.dataDir, { pid: process.pid, url: api.url, token });
    stops.push(async () => removeControllerFile(config.dataDir));
    log({ eventId: 'kiosk-start-complete', disposition: 'success', message: `kiosk ${config.kioskId} serving ${api.url}` });

    return {
      config,
      url: api.url,
      token,
      urlWithToken: `${api.url}?token=${token}`,
      controller,
      store,
      world,
      recovered,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

function pathFor(config: KioskConfig, world: SimulatedWorldLink | null, device: 'printer' | 'scanner' | 'board'): string {
  if (!isSimulated(config, device)) return config.devices[device];
  const path = world?.paths[device];
  if (!path) throw new Error(`the simulated ${device} did not start`);
  return path;
}

async function openPrinter(config: KioskConfig, world: SimulatedWorldLink | null, devices: DeviceStatusBoard, log: LogSink): Promise<CardPrinter> {
  const printer = await openCardPrinter({ path: pathFor(config, world, 'printer'), log });
  showPrinterStatus(printer, devices);
  return printer;
}

function openScanner(config: KioskConfig, world: SimulatedWorldLink | null, devices: DeviceStatusBoard, log: LogSink): IdScanner {
  const scanner = openIdScanner({ path: pathFor(config, world, 'scanner'), log });
  showScannerStatus(scanner, devices);
  return scanner;
}

async function openEncoder(config: KioskConfig, world: SimulatedWorldLink | null, devices: DeviceStatusBoard, log: LogSink): Promise<CitizenCardStation> {
  const simulatedNfc = isSimulated(config, 'nfc');
  const station = citizenCardStation(
    await openNfcStation({
      ...(simulatedNfc && world?.readers ? { readerName: world.readers.encoder, ...(world.pcscdSocketPath ? { socketPath: world.pcscdSocketPath } : {}) } : {}),
      ...(!simulatedNfc ? { readerName: config.devices.nfc } : {}),
      log,
    }),
    log,
  );
  station.on('readerAttached', (reader) => devices.set('nfc', 'connected', reader.name));
  station.on('readerDetached', (reader) => devices.set('nfc', 'disconnected', `${reader.name} went away`));
  const name = station.readerName();
  devices.set('nfc', name ? 'connected' : 'disconnected', name ?? 'waiting for the reader');
  return station;
}

/**
 * What the buzzer says on a change: a chirp when the photo is taken (the applicant may relax), three
 * beeps when a card could not be made and the print queue stops for it (the operator may be serving
 * the next applicant). The hand-over has its own long beeps, played when a card comes out.
 */
export function soundFor(from: KioskSnapshot, to: KioskSnapshot): 'success' | 'error' | null {
  if (to.printQueue.paused && !from.printQueue.paused) return 'error';
  if (from.screen === 'photo' && to.screen === 'review') return 'success';
  return null;
}

/** What the light tower tells the operator from across the room: a fault, a card waiting for them, a card under way. */
export function statusLightFor(snapshot: KioskSnapshot): 'ready' | 'busy' | 'attention' | 'fault' {
  const devices = Object.values(snapshot.devices);
  if (devices.some((device) => device.state === 'fault' || device.state === 'disconnected')) return 'fault';
  const stages = snapshot.printQueue.jobs.map((job) => job.stage);
  if (snapshot.printQueue.paused || stages.includes('ready')) return 'attention';
  if (stages.length > 0) return 'busy';
  return 'ready';
}

/** What the board starts from: the tamper latch a restart keeps, and where note numbers go on from. */
async function boardStartFacts(store: Store): Promise<{ latched: TamperCause | null; firstSequence: number }> {
  // The alarm outlives a restart: only a technician's clear ends it, not a power cycle.
  const latched = await latchFromAudit(store);
  // Note sequence numbers go on from the last one recorded, so "each note once" holds across restarts.
  const [lastNote] = await store.readAudit({ eventIds: ['cash-note-unclaimed', 'wallet-top-up'], newest: true, limit: 1 });
  const lastSequence = Number(lastNote?.details['sequence'] ?? sequenceIn(lastNote?.details['details']) ?? 0);
  return { latched, firstSequence: Number.isSafeInteger(lastSequence) ? lastSequence + 1 : 1 };
}

/** The sequence of a note recorded as an exception (its details as JSON text in the audit row). */
function sequenceIn(details: unknown): number | null {
  if (typeof details !== 'string') return null;
  try {
    const parsed = JSON.parse(details) as { sequence?: unknown };
    return typeof parsed.sequence === 'number' ? parsed.sequence : null;
  } catch {
    return null;
  }
}

function connectBoard(config: KioskConfig, world: SimulatedWorldLink | null, facts: { latched: TamperCause | null; firstSequence: number }, log: LogSink): KioskBoard {
  return connectKioskBoard({
    path: pathFor(config, world, 'board'),
    log,
    tamperLatched: facts.latched !== null,
    latchWhenUnwatched: config.mode === 'self-service',
    firstSequence: facts.firstSequence,
  });
}

/** The board's events go to the service region (in or out of service, and why, is its to say) and the device bar. */
function watchBoard(
  board: KioskBoard,
  service: KioskService,
  devices: DeviceStatusBoard,
  audit: SafeAudit,
  wallet: Pick<Store['wallet'], 'raiseException'>,
  pulseVisit: { open(): boolean; bill(event: BillFact): void },
  log: LogSink,
): void {
  const alarmSet = 'the tamper alarm is set: a technician must clear it';
  board.on('connected', () => {
    service.actor.send({ type: 'board.connected' });
    devices.set('board', service.tamperLatched() ? 'fault' : 'connected', service.tamperLatched() ? alarmSet : '');
  });
  showBoardLineNoise(board, devices, alarmSet);
  board.on('disconnected', (reason) => {
    service.actor.send({ type: 'board.lost' });
    devices.set('board', 'disconnected', reason);
  });
  board.on('tamper', (event) => {
    if (event.open) service.actor.send({ type: 'door.opened' });
    if (event.unwatched) return; // the service machine latches a lost board itself
    const latchedNow = service.tamperLatched();
    devices.set('board', latchedNow ? 'fault' : 'connected', event.open ? 'door open: out of service' : latchedNow ? 'door closed: a technician must clear it' : '');
  });
  // The acceptor is inhibited until a visit opens it (cashDevice pulse: `pulseAsValidator`); a note that comes anyway is never lost.
  board.setCashInhibit(true);
  board.on('note', (note) => {
    // During a visit (cashDevice pulse): the visit's cash journals and credits it.
    if (pulseVisit.open()) {
      for (const event of pulseNoteEvents(note)) pulseVisit.bill(event);
      return;
    }
    log({ eventId: 'cash-note-unclaimed', disposition: 'failure', message: `NT$${note.amount} taken with no top-up open`, amount: note.amount, sequence: note.sequence });
    // An exception for a supervisor to refund (audited as cash-note-unclaimed, its sequence in the details).
    void wallet
      .raiseException({ kind: 'note-unclaimed', cardNumber: null, journalId: null, amount: note.amount, details: { sequence: note.sequence, device: 'pulse', irregular: note.irregular, maxAmount: note.maxAmount } })
      .catch((error: unknown) => {
        log({ eventId: 'store-audit-failed', disposition: 'failure', message: `note-unclaimed not recorded: ${String(error)}` });
        void audit({ eventId: 'cash-note-unclaimed', operatorId: null, disposition: 'failure', details: { amount: note.amount, sequence: note.sequence } });
      });
  });
}

type SafeAudit = (input: AuditInput) => Promise<void>;

/** For audit rows written from device events: a failed write is logged loudly, never an unhandled rejection. */
function safeAudit(store: Store, log: LogSink): SafeAudit {
  return async (input) => {
    try {
      await store.appendAudit(input);
    } catch (error) {
      log({ eventId: 'store-audit-failed', disposition: 'failure', message: `audit row ${input.eventId} not written: ${(error as Error).message}` });
    }
  };
}

