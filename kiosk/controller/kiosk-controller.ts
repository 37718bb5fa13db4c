import { createActor, type ActorRefFrom, type Subscription, type SnapshotFrom } from 'xstate';
import type {
  ApplicationForm,
  CardCheckView,
  FaceMatchView,
  JobView,
  KioskCommand,
  KioskMode,
  KioskSnapshot,
  LogHealthView,
  PhotoCheckView,
  Screen,
  SelfServiceView,
  SessionView,
  StepErrorView,
  VoidReason,
} from '../../shared/contract/kiosk-api';
import { emptyApplicationForm, refused } from '../../shared/contract/kiosk-api';
import { message, type Message } from '../../shared/contract/messages';
import { englishOf } from '../../shared/i18n/message-catalogue';
import type { LogSink } from '../../shared/log';
import { assertNever } from '../../shared/result';
import type { CommandReply } from './api/server';
import { authorize, mayTakeOver, mayView, mayViewFlow, offeredUnattended, type AuthorizeState, type Decision, type Refusal, type Who } from './auth/authorize';
import type { OperatorService } from './auth/operator-service';
import type { Action } from './auth/permissions';
import { withPrinterJobFault, type DeviceStatusBoard } from './device-status';
import { jobStage, type CardJobEvent, type CardJobSnapshot } from './issuance/card-job-machine';
import type { IssuanceStepError } from './issuance/issuance-errors';
import { createJobProgressTracker, type JobProgressTracker } from './issuance/job-progress';
import { jobSummary } from './issuance/job-summary';
import { issuanceMachine, maxPhotoAttempts, photoOverrideRefusal, type FaceMatch, type IssuanceEvent, type QueuedJob } from './issuance/issuance-machine';
import type { CardCheck } from './card-check';
import type { SelfService } from './self-service/own-card';
import type { StaffSession } from './staff-session';
import type { QueuedPerScheme, ServiceSessions } from './service-session';
import type { TransitScheme } from '../../shared/domain/card-types';
import { formFromBatchRow, type BatchDesk } from './batch/batch-desk';
import type { SessionMode } from '../../shared/domain/service-session';
import { normalizeIdNumber } from './store/context';
import type { AuditInput } from './store/audit';
import { diskFullReason, diskLowReason, isDiskFull, type DiskReserve } from './store/disk-space';
import { applicantView } from './applicant/applicant-view';
import type { ApplicantView } from '../../shared/contract/applicant';

type ProvidedMachine = ReturnType<typeof issuanceMachine.provide>;
type State = SnapshotFrom<typeof issuanceMachine>;
type Grant = { readonly operatorId: string | null; readonly approvedBy: string | null };

/**
 * Runs the issuance machine and turns its state into the flat snapshot the UI renders. Commands
 * from the UI arrive here already validated; one that the current state cannot take is refused
 * with a reason, never silently dropped.
 */
export interface KioskController {
  snapshot(): KioskSnapshot;
  command(command: KioskCommand): Promise<CommandReply>;
  /** A document was read by the ID scanner (while an application is open). */
  documentRead(fields: Partial<ApplicationForm>, problems: readonly Message[]): boolean;
  /** The card face on review as PNG: its front, or (`back`) its back. */
  preview(side?: 'front' | 'back'): Uint8Array | null;
  onChange(listener: (snapshot: KioskSnapshot) => void): () => void;
  /** The screen right now (for tests and logs). */
  screen(): Screen;
  /** The exit slot's sensor saw these jobs' cards taken: their hand-over is done. */
  cardsTaken(jobIds: readonly string[]): void;
  /**
   * The signed-in operator signed out or was locked out: an application not yet printing is dropped,
   * a failed card job is parked in the store for its owner, and nothing of the applicant stays on show.
   */
  sessionEnded(): void;
  stop(): void;
}

export interface ControllerOptions {
  /** The UI's camera went live or stopped: the I/O board's fill light follows it. */
  readonly cameraLive?: (live: boolean) => void;
  /** Judges a live preview frame (not an attempt); without it previews are refused. */
  readonly previewPhoto?: (image: Uint8Array) => Promise<{ passed: boolean; checks: readonly PhotoCheckView[] }>;
  /** Why no new application may start (the enclosure was opened), or null. */
  readonly outOfService?: () => Message | null;
  /** A technician's reset of the tamper latch (the door must be shut). */
  readonly clearTamper?: (operatorId: string) => Promise<CommandReply>;
  /** Cards tapped on the counter reader by a signed-in operator. */
  readonly cardCheck?: CardCheck;
  /** Staff sign-in; without it (tests of the flow alone) every command is decided as for a supervisor without an id (`withoutSignIn`). */
  readonly session?: { readonly staff: StaffSession; readonly operators: OperatorService };
  /**
   * Self-service mode: while nobody is signed in the kiosk is unattended — citizens look at their
   * own card, every staff command is refused and the snapshot carries nobody's data. Without it
   * the kiosk is staffed.
   */
  readonly selfService?: SelfService;
  /** Self-service top-up (issue 15): the counter region's cash flow takes the citizen's top-up commands. */
  readonly topUp?: { command(command: Extract<KioskCommand, { type: 'top-up-start' | 'top-up-finish' | 'top-up-cancel' }>): CommandReply };
  /** Free space kept for the store: no application starts and no card is sent to print below it. */
  readonly diskReserve?: DiskReserve;
  /**
   * The service session region: no application starts and no card is queued without an open session,
   * nor one its stock or ribbon cannot finish. Without it (tests of the flow alone) nothing is checked here.
   */
  readonly serviceSession?: ServiceSessions;
  /** The log's health (a failing file keeps the log in memory only): shown to staff. */
  readonly logHealth?: {
    health(): LogHealthView;
    onHealthChange(listener: () => void): () => void;
  };
  /** The injected clock's milliseconds (how long a card job has been at its stage); real time by default. */
  readonly now?: () => number;
  /** The card jobs' step reports and measured speed (the issuance actors report to it); one of its own otherwise. */
  readonly progress?: JobProgressTracker;
  /**
   * The applicant region's actor, run by the kiosk's root machine (its owner starts and stops it).
   * Without it the controller runs the machine on an actor of its own (tests of the flow alone).
   */
  readonly actor?: ActorRefFrom<ProvidedMachine>;
  /** Nursing-home and pre-registered batches (issue 14); without it the batch commands are refused. */
  readonly batches?: BatchDesk;
  /** The open service session's mode (the nursing-home photo exception), or null. */
  readonly sessionMode?: () => SessionMode | null;
  /** The audit log, for what the controller itself decides on approval (an imported photo); without it nothing is written. */
  readonly audit?: (input: AuditInput) => Promise<unknown>;
}

const noSignInView: SessionView = { state: 'signed-in', operator: null, approval: null, message: null, idleSecondsLeft: null, mayStartApplication: true, mayClearTamper: false };

/**
 * A controller built without staff sign-in (tests of the flow alone) acts with a supervisor's rights:
 * nothing waits for an approval, and nothing is recorded under anybody's id.
 */
const withoutSignIn: Who = { role: 'supervisor', operatorId: null };

function refusalReply(refusal: Refusal | Extract<Decision, { kind: 'no-target' }>): CommandReply {
  return { accepted: false, code: refusal.code, reason: refusal.reason, ...(refusal.kind === 'refuse' && refusal.role ? { role: refusal.role } : {}) };
}

const operatorIdOf = (who: Who): string | null => ('operatorId' in who ? who.operatorId : null);

/** The id an action is recorded under: `authorize` lets no such action through without one. */
function recordedAs(operatorId: string | null, command: KioskCommand['type']): string {
  if (operatorId === null) throw new Error(`authorize allowed '${command}' to nobody's id`);
  return operatorId;
}

export function createKioskController(machine: ProvidedMachine, devices: DeviceStatusBoard, log: LogSink, options: ControllerOptions = {}): KioskController {
  const now = options.now ?? Date.now;
  const ownActor = options.actor === undefined;
  const progress = options.progress ?? createJobProgressTracker(now);
  const actor: ActorRefFrom<ProvidedMachine> = options.actor ?? createActor(machine, { input: { now } });
  const staff = options.session?.staff;
  const sessionView = (): SessionView => staff?.view() ?? noSignInView;
  const outOfService = (): Message | null => options.outOfService?.() ?? null;
  const cardCheck = (): CardCheckView | null => options.cardCheck?.view() ?? null;
  const logging = (): LogHealthView => options.logHealth?.health() ?? { state: 'writing' };
  const mode: KioskMode = options.selfService ? 'self-service' : 'staffed';
  /** Who is at the screen: signed-in staff; else the unattended kiosk in self-service mode, or nobody at a staffed one. */
  const who = (): Who => {
    const signedIn = options.session?.operators.current();
    if (signedIn) return { role: signedIn.role, operatorId: signedIn.operatorId };
    if (options.selfService) return { role: 'self-service' };
    return options.session ? { role: 'nobody' } : withoutSignIn;
  };
  /** Self-service mode with no staff signed in: the public, unattended kiosk. */
  const unattended = (): boolean => who().role === 'self-service';
  const queuedJob = (jobId: string): QueuedJob | undefined => actor.getSnapshot().context.jobs.find((job) => job.jobId === jobId);
  /**
   * What the state says about who may act: the owner and kind of the work the command acts on (the
   * card job it names, else the application on the screen), and the card on show.
   */
  const authorizeState = (command?: KioskCommand): AuthorizeState => {
    const { context } = actor.getSnapshot();
    const shown = options.cardCheck?.view();
    const cardOnShow = shown?.verified ? shown.cardNumber : null;
    const named = command && 'jobId' in command && command.jobId !== undefined ? queuedJob(command.jobId)?.ref.getSnapshot().context : undefined;
    if (named) return { owner: named.owner, replacing: named.replacement, cardOnShow, offeredUnattended };
    return { owner: context.owner, replacing: context.assessment.action === 'replacement', cardOnShow, offeredUnattended };
  };
  /** Whether the person at the screen may see the applicant's data (staff entitled to it who own the flow on show). */
  const mayViewApplicant = (): boolean => mayViewFlow(who(), actor.getSnapshot().context.owner);
  const printQueue = (state: State): KioskSnapshot['printQueue'] => {
    const at = who();
    progress.retain(state.context.jobs.map((job) => job.jobId));
    const jobs = state.context.jobs.map((job) => jobView(job, job.ref.getSnapshot(), at, now(), progress));
    const holder = jobs.find((job) => job.jobId === state.context.printerHolder);
    return { paused: holder?.stage === 'failed' || holder?.stage === 'parked', jobs };
  };
  const current = (): KioskSnapshot => {
    const state = actor.getSnapshot();
    const full = { ...toSnapshot(state, devices, sessionView(), live, outOfService(), cardCheck(), version, mode, printQueue(state), logging(), options.serviceSession?.view(queuedPerScheme(state)) ?? null), batch: batchView(), applicant: applicantOnShow(state) };
    const snapshot = mayViewApplicant() ? full : withoutApplicant(full);
    if (!options.selfService) return snapshot;
    // Asked on every snapshot, so a card on show is forgotten the moment staff step up or the kiosk closes.
    const selfService = options.selfService.view();
    if (!unattended()) return snapshot;
    return publicSnapshot(snapshot, snapshot.session.state === 'signed-out' ? selfService : null);
  };
  /** The applicant window's view: their card is followed only while whoever is signed in may see that job. */
  const applicantOnShow = (state: State): ApplicantView => {
    const { context } = state;
    const job = context.applicantJobId === null ? undefined : queuedJob(context.applicantJobId);
    const followed = job && mayViewFlow(who(), job.ref.getSnapshot().context.owner) ? job.jobId : null;
    return applicantView({
      screen: screenOf(state),
      language: context.applicantLanguage,
      form: context.form,
      fee: context.assessment.fee,
      previewCard: context.preview?.cardNumber ?? null,
      jobId: followed,
    });
  };
  /** The batch row whose application is on the flow now (picked from the list), or null. */
  const onScreenRowId = (): string | null => {
    const state = actor.getSnapshot();
    return screenOf(state) === 'home' ? null : state.context.batchRowId;
  };
  /** The nursing-home photo exception: the session is at a nursing home, or the resident on the flow is bedridden. */
  const photoException = (): boolean => {
    if (options.sessionMode?.() === 'nursing-home') return true;
    const rowId = onScreenRowId();
    const row = rowId === null ? null : options.batches?.row(rowId);
    return row?.bedridden === true;
  };
  /** Batches are for signed-in staff; the residents' names only for those who may see applicants. */
  const batchView = (): KioskSnapshot['batch'] => {
    const at = who();
    if (!options.batches || at.role === 'self-service' || at.role === 'nobody') return null;
    return options.batches.view({ names: mayView(at.role), onScreenRowId: onScreenRowId(), photoException: photoException() });
  };
  /** The queue's jobs and stages last seen: when they move, the batch rows' statuses are read again. */
  let jobsSeen = '';
  const refreshBatchesOnJobMoves = (): void => {
    if (!options.batches) return;
    const jobs = actor.getSnapshot().context.jobs.map((job) => `${job.jobId}:${jobStage(job.ref.getSnapshot())}`).join(',');
    if (jobs === jobsSeen) return;
    jobsSeen = jobs;
    options.batches.refresh().catch((error: unknown) => log({ eventId: 'kiosk-machine-crashed', disposition: 'failure', message: `batch list not read: ${String(error)}` }));
  };
  const listeners = new Set<(snapshot: KioskSnapshot) => void>();
  let version = 0;
  let lastScreen: Screen = 'home';
  /** The latest live frame's verdict; one frame is judged at a time, the rest are dropped. */
  let live: KioskSnapshot['photo']['live'] = null;
  let judgingPreview = false;

  const onPhotoWaiting = (): boolean => actor.getSnapshot().matches({ applicant: { photo: 'waiting' } });

  /** Every card job's changes reach the screen: the queue is watched job by job as jobs come and go. */
  const watchedJobs = new Map<string, Subscription>();
  const watchJobs = (): void => {
    const jobs = actor.getSnapshot().context.jobs;
    for (const job of jobs) {
      if (!watchedJobs.has(job.jobId)) {
        // A job's step may have booked a blank: the session reads its stock again (and publishes).
        watchedJobs.set(job.jobId, job.ref.subscribe(() => {
          publish();
          options.serviceSession?.refresh();
        }));
      }
    }
    for (const [jobId, subscription] of watchedJobs) {
      if (jobs.some((job) => job.jobId === jobId)) continue;
      subscription.unsubscribe();
      watchedJobs.delete(jobId);
    }
  };

  const publish = (): void => {
    version += 1;
    watchJobs();
    refreshBatchesOnJobMoves();
    if (!onPhotoWaiting()) live = null;
    const snapshot = current();
    if (snapshot.screen !== lastScreen) {
      log({ eventId: 'kiosk-screen-changed', disposition: 'na', message: `${lastScreen} -> ${snapshot.screen}` });
      lastScreen = snapshot.screen;
    }
    for (const listener of listeners) listener(snapshot);
  };
  const machineSubscription = actor.subscribe({
    next: publish,
    error: (error) => log({ eventId: 'kiosk-machine-crashed', disposition: 'failure', message: String(error) }),
  });
  const unsubscribeDevices = devices.onChange(publish);
  // A step reported by the printer or the encoder moves a job's progress bar.
  const unsubscribeProgress = progress.onChange(publish);
  // A job's owner signing in again gets their parked job back (the machine checks it is theirs).
  let signedIn: string | null = options.session?.operators.current()?.operatorId ?? null;
  const unsubscribeSession = staff?.onChange(() => {
    const now = options.session?.operators.current()?.operatorId ?? null;
    if (now !== signedIn && now !== null) actor.send({ type: 'owner-back', operatorId: now });
    signedIn = now;
    publish();
  });
  // A card voided at the counter moves a blank in its session's ledger.
  const unsubscribeCardCheck = options.cardCheck?.onChange(() => {
    publish();
    options.serviceSession?.refresh();
  });
  const unsubscribeSelfService = options.selfService?.onChange(publish);
  const unsubscribeLogHealth = options.logHealth?.onHealthChange(publish);
  const unsubscribeServiceSession = options.serviceSession?.onChange(publish);
  const unsubscribeBatches = options.batches?.onChange(publish);
  if (ownActor) actor.start();

  const send = (event: IssuanceEvent): CommandReply => {
    const state = actor.getSnapshot();
    if (!state.can(event)) {
      return refused('wrong-screen', `'${event.type}' is not possible on the ${screenOf(state)} screen now`);
    }
    actor.send(event);
    return { accepted: true };
  };

  /** A command for one card job in the queue: refused when there is no such job or its stage cannot take it. */
  const sendToJob = (jobId: string, event: CardJobEvent): CommandReply => {
    const job = queuedJob(jobId);
    if (!job) return refused('wrong-screen', `there is no card job ${jobId} in the print queue`);
    const snapshot = job.ref.getSnapshot();
    if (!snapshot.can(event)) return refused('wrong-screen', `'${event.type}' is not possible for card ${job.ticket} (${jobStage(snapshot)}) now`);
    job.ref.send(event);
    return { accepted: true };
  };

  /** Writes the audit row of a refusal (the operator service folds refusals to nobody). */
  const recordRefusal = async (at: Who, command: KioskCommand['type'], refusal: { code: Refusal['code']; cause: string; action?: Action }): Promise<void> => {
    await options.session?.operators.recordRefusal({ who: at, command, ...refusal });
  };

  /**
   * Runs what `authorize` allowed, at once; or, when it needs a supervisor's approval, once the supervisor
   * has approved it on this session (card + PIN, then `perform` runs when the approval arrives).
   */
  const withDecision = (
    at: Who,
    command: KioskCommand['type'],
    decision: Extract<Decision, { kind: 'allow' | 'needs-approval' }>,
    perform: (grant: Grant) => Promise<CommandReply>,
  ): Promise<CommandReply> => {
    const session = options.session;
    if (decision.kind === 'allow') return perform({ operatorId: operatorIdOf(at), approvedBy: null });
    if (!session) return Promise.resolve(refused('other', 'no staff sign-in on this kiosk'));
    const { action } = decision;
    session.staff.requestApproval(action, async (approval) => {
      const redeemed = session.operators.redeemApproval(action, approval);
      if (redeemed.ok) return perform(redeemed.value);
      await recordRefusal(at, command, { code: 'other', cause: `approval-${redeemed.error.reason}`, action });
      return refused('other', `the approval was not accepted (${redeemed.error.kind})`);
    });
    return Promise.resolve({ accepted: true });
  };

  const overridePhoto = async (at: Who, decision: Extract<Decision, { kind: 'allow' | 'needs-approval' }>, reason: string): Promise<CommandReply> => {
    const state = actor.getSnapshot();
    if (!state.can({ type: 'override-photo', reason })) {
      // Say why before anybody is asked to approve something the flow would refuse.
      const refusal = state.matches({ applicant: 'photo' }) ? photoOverrideRefusal(state.context) : null;
      return refusal ? refused('other', englishOf(refusal)) : send({ type: 'override-photo', reason });
    }
    return withDecision(at, 'override-photo', decision, async (grant) => send({ type: 'override-photo', reason, approvedBy: grant.approvedBy }));
  };

  /**
   * A photo file in place of the camera: an exception like an override, so it waits for a supervisor's
   * approval and is audited (its reason, who asked, who approved) before the gate judges it as an attempt.
   */
  const importPhoto = async (at: Who, decision: Extract<Decision, { kind: 'allow' | 'needs-approval' }>, jpegBase64: string, reason: string): Promise<CommandReply> => {
    const attempt: IssuanceEvent = { type: 'capture-photo', image: new Uint8Array(Buffer.from(jpegBase64, 'base64')), source: 'import' };
    // Say why before anybody is asked to approve something the flow would refuse.
    if (!actor.getSnapshot().can(attempt)) return send(attempt);
    return withDecision(at, 'import-photo', decision, async (grant) => {
      if (!actor.getSnapshot().can(attempt)) return send(attempt);
      await options.audit?.({ eventId: 'issuance-photo-import', operatorId: grant.operatorId, disposition: 'success', details: { reason, approvedBy: grant.approvedBy } });
      return send(attempt);
    });
  };

  /** A technician's reset of the tamper alarm (the door must be shut). */
  const clearTamper = async (operatorId: string): Promise<CommandReply> => {
    if (!options.clearTamper) return refused('other', 'this kiosk has no tamper switch');
    const reply = await options.clearTamper(operatorId);
    publish();
    return reply;
  };

  /** Guidance for the live camera: one frame judged at a time, the verdict dropped if the photo step is over. */
  const judgeLiveFrame = async (jpegBase64: string): Promise<CommandReply> => {
    if (!options.previewPhoto || !onPhotoWaiting()) return refused('other', 'no live preview now');
    if (judgingPreview) return refused('other', 'busy with the previous frame');
    judgingPreview = true;
    try {
      const verdict = await options.previewPhoto(new Uint8Array(Buffer.from(jpegBase64, 'base64')));
      if (onPhotoWaiting()) {
        live = { passed: verdict.passed, checks: verdict.checks };
        publish();
      }
    } finally {
      judgingPreview = false;
    }
    return { accepted: true };
  };

  const voidCard = async (at: Who, decision: Extract<Decision, { kind: 'allow' | 'needs-approval' }>, cardNumber: string, reason: VoidReason): Promise<CommandReply> => {
    const check = options.cardCheck;
    const shown = check?.view();
    // `authorize` saw this card on show; it may have been taken away since.
    if (!check || !shown?.verified || shown.cardNumber !== cardNumber) return refused('tap-card-to-void', 'tap the card to void on the counter reader first');
    if (shown.status !== 'active') return refused('other', `the card is ${shown.status}: only an active card can be voided`);
    return withDecision(at, 'void-card', decision, async (grant) => {
      const voided = await check.voidShown({ cardNumber, reason, operatorId: grant.operatorId, approvedBy: grant.approvedBy });
      return voided.ok ? { accepted: true } : refused('other', englishOf(voided.error));
    });
  };

  /** The batch list's own commands (the import, the supervisor's say-so on its clean rows, a second visit). */
  const batchCommand = async (
    at: Who,
    decision: Extract<Decision, { kind: 'allow' | 'needs-approval' }>,
    command: Extract<KioskCommand, { type: 'import-batch' | 'import-batch-clean-rows' | 'dismiss-batch-import' | 'show-batch' | 'mark-second-visit' }>,
  ): Promise<CommandReply> => {
    const desk = options.batches;
    if (!desk) return refused('other', 'this kiosk takes no batches');
    const operatorId = operatorIdOf(at);
    switch (command.type) {
      case 'import-batch':
        return desk.importFile(command, operatorId);
      case 'import-batch-clean-rows':
        return withDecision(at, command.type, decision, (grant) => desk.importCleanRows(grant.operatorId));
      case 'dismiss-batch-import':
        desk.dismissImport();
        return { accepted: true };
      case 'show-batch':
        return desk.show(command.batchId);
      case 'mark-second-visit':
        return desk.markSecondVisit(command.rowId, command.reason, operatorId);
      default:
        return assertNever(command);
    }
  };

  /** A resident picked from the list: the application starts with the row's data, and runs as at the counter. */
  const pickBatchRow = (rowId: string, operatorId: string | null): CommandReply => {
    const row = options.batches?.row(rowId);
    const fields = row ? formFromBatchRow(row) : null;
    if (!row || !fields) return refused('invalid-input', `there is no batch row ${rowId} in the list on show`);
    const status = options.batches?.view({ names: false, onScreenRowId: null, photoException: false }).current?.rows.find((r) => r.rowId === rowId)?.status;
    if (status === 'queued' || status === 'printing' || status === 'issued') return refused('wrong-screen', `this resident's card is ${status} already`);
    return send({ type: 'start-application', operatorId, prefill: { fields, batchRowId: rowId } });
  };

  /**
   * A document scanned for a resident picked from a list confirms who they are: theirs fills the form as at
   * the counter; their guardian's confirms them and changes nothing; anybody else's changes nothing and says so.
   */
  const batchDocument = (fields: Partial<ApplicationForm>, problems: readonly Message[]): { fields: Partial<ApplicationForm>; problems: readonly Message[] } => {
    const rowId = onScreenRowId();
    const listed = rowId === null ? null : options.batches?.row(rowId)?.application;
    if (!listed || fields.idNumber === undefined) return { fields, problems };
    const scanned = normalizeIdNumber(fields.idNumber);
    if (scanned === normalizeIdNumber(listed.idNumber)) return { fields, problems };
    const guardian = listed.guardian !== null && scanned === normalizeIdNumber(listed.guardian.idNumber);
    return { fields: {}, problems: guardian ? problems : [...problems, message('batch.document-not-resident')] };
  };

  /** Below the reserve a card could be printed but not recorded: refuse before anything is done. */
  const refusedForDisk = async (command: KioskCommand): Promise<CommandReply | null> => {
    if (command.type !== 'start-application' && command.type !== 'pick-batch-row' && command.type !== 'confirm-print') return null;
    const space = await options.diskReserve?.check();
    if (!space || space.ok) return null;
    log({ eventId: 'kiosk-disk-low', disposition: 'failure', message: `'${command.type}' refused: ${diskLowReason(space.error)}` });
    return refused('disk-full', diskLowReason(space.error));
  };

  /** A service session change: a supervisor's, or an operator's with a supervisor's approval (card + PIN). */
  const changeSession = (
    at: Who,
    decision: Extract<Decision, { kind: 'allow' | 'needs-approval' }>,
    command: Extract<KioskCommand, { type: 'open-session' | 'close-session' | 'load-blanks' | 'return-blanks' }>,
  ): Promise<CommandReply> => {
    const sessions = options.serviceSession;
    if (!sessions) return Promise.resolve(refused('other', 'this kiosk keeps no service sessions'));
    // Refused before anybody is asked to approve something the session would refuse.
    if (command.type === 'open-session' && sessions.sessionId() !== null) return Promise.resolve(refused('session-open', 'a service session is already open: close it first'));
    if (command.type !== 'open-session' && sessions.sessionId() === null) return Promise.resolve(refused('no-session', 'no service session is open'));
    const closing = command.type === 'close-session' ? sessions.refusalToClose(command.counted, command.note, queuedPerScheme(actor.getSnapshot())) : null;
    if (closing) return Promise.resolve(closing);
    return withDecision(at, command.type, decision, async (grant) => {
      const reply = await sessions.command(command, grant.approvedBy ?? grant.operatorId);
      publish();
      return reply;
    });
  };

  /** No application starts without an open session; no card is queued that the stock or the ribbon cannot finish. */
  const refusedForSession = (command: KioskCommand): CommandReply | null => {
    const sessions = options.serviceSession;
    if (!sessions) return null;
    // Picking a row of a batch starts its application.
    if (command.type === 'start-application' || command.type === 'pick-batch-row') return sessions.refusalToStart();
    if (command.type !== 'confirm-print') return null;
    const state = actor.getSnapshot();
    return sessions.refusalToQueue(state.context.form.scheme, queuedPerScheme(state));
  };

  const controller: KioskController = {
    snapshot: current,
    async command(command) {
      // Who may give this command is decided here, once, before anything else is looked at.
      const at = who();
      const decision = authorize(at, command, authorizeState(command));
      if (decision.kind === 'refuse') {
        if (at.role === 'self-service') log({ eventId: 'self-service-command-refused', disposition: 'failure', message: `'${command.type}' refused: nobody is signed in` });
        await recordRefusal(at, command.type, { code: decision.code, cause: decision.cause, ...(decision.action ? { action: decision.action } : {}) });
        return refusalReply(decision);
      }
      if (decision.kind === 'no-target') return refusalReply(decision);
      switch (command.type) {
        case 'dismiss-card':
          options.selfService?.dismiss();
          return { accepted: true };
        case 'top-up-start':
        case 'top-up-finish':
        case 'top-up-cancel':
          return options.topUp ? options.topUp.command(command) : refused('wrong-screen', 'this kiosk takes no top-ups');
        case 'camera':
          options.cameraLive?.(command.live);
          return { accepted: true };
        case 'enter-pin':
          return staff ? staff.enterPin(command.pin) : refused('other', 'no staff sign-in on this kiosk');
        case 'cancel-pin':
          return staff ? staff.cancelPin() : { accepted: true };
        case 'sign-out':
          return staff ? staff.signOut() : { accepted: true };
        default:
          break;
      }
      staff?.touch();
      const operatorId = operatorIdOf(at);
      switch (command.type) {
        case 'keep-alive':
          return { accepted: true };
        case 'close-card-check':
          options.cardCheck?.close();
          return { accepted: true };
        case 'clear-tamper':
          return clearTamper(recordedAs(operatorId, command.type));
        case 'take-over-job':
          // A supervisor takes over the parked job of an operator who is away: recorded with both ids.
          return sendToJob(command.jobId, { type: 'take-over', operatorId: recordedAs(operatorId, command.type) });
        case 'cancel-job':
          return sendToJob(command.jobId, { type: 'cancel' });
        case 'finish':
          return sendToJob(command.jobId, { type: 'card.taken' });
        case 'preview-photo':
          return judgeLiveFrame(command.jpegBase64);
        case 'override-photo':
          // At a nursing home (or a bedridden resident) the reason comes from the fixed list, never free text.
          if (photoException()) return refused('invalid-input', 'choose the photo exception from the nursing-home list of reasons');
          return overridePhoto(at, decision, command.reason);
        case 'override-photo-nursing-home':
          if (!photoException()) return refused('wrong-screen', 'the nursing-home photo exception is for a nursing-home session or a bedridden resident');
          return overridePhoto(at, decision, `nursing-home:${command.reason}`);
        case 'import-batch':
        case 'import-batch-clean-rows':
        case 'dismiss-batch-import':
        case 'show-batch':
        case 'mark-second-visit':
          return batchCommand(at, decision, command);
        case 'void-card':
          return voidCard(at, decision, command.cardNumber, command.reason);
        case 'import-photo':
          return importPhoto(at, decision, command.jpegBase64, command.reason);
        case 'capture-photo':
          // A file is taken only with a reason and an approval (import-photo), never as a plain capture.
          if (command.source === 'import') return refused('invalid-input', 'an imported photo needs a reason and a supervisor\'s approval: import-photo');
          return send({ type: 'capture-photo', image: new Uint8Array(Buffer.from(command.jpegBase64, 'base64')), source: command.source });
        case 'update-application':
          return send({ type: 'update-application', fields: withoutUndefined(command.fields) });
        case 'set-applicant-language':
          return send({ type: 'set-applicant-language', language: command.language });
        case 'open-session':
        case 'close-session':
        case 'load-blanks':
        case 'return-blanks':
          return changeSession(at, decision, command);
        default:
          break;
      }
      const closed = outOfService();
      if ((command.type === 'start-application' || command.type === 'pick-batch-row') && closed) return refused('out-of-service', `out of service: ${englishOf(closed)}`);
      const byDisk = await refusedForDisk(command);
      if (byDisk) return byDisk;
      const bySession = refusedForSession(command);
      if (bySession) return bySession;
      if (command.type === 'retry' && command.jobId !== undefined) return sendToJob(command.jobId, { type: 'retry' });
      if (command.type === 'pick-batch-row') return pickBatchRow(command.rowId, operatorId);
      if (command.type === 'start-application' || command.type === 'confirm-print') {
        // The job belongs to whoever starts it and confirms the print.
        return send({ type: command.type, operatorId });
      }
      return send({ type: command.type });
    },
    documentRead(fields, problems) {
      // A document read is the form's update: the same decision (not audited: nobody gave a command).
      if (authorize(who(), { type: 'update-application', fields: {} }, authorizeState()).kind !== 'allow') return false;
      staff?.touch();
      return send({ type: 'document-read', ...batchDocument(fields, problems) }).accepted;
    },
    preview(side = 'front') {
      if (unattended() || !mayViewApplicant()) return null;
      const preview = actor.getSnapshot().context.preview;
      return (side === 'back' ? preview?.backPng : preview?.frontPng) ?? null;
    },
    cardsTaken(jobIds) {
      for (const jobId of jobIds) queuedJob(jobId)?.ref.send({ type: 'card.taken' });
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    screen: () => screenOf(actor.getSnapshot()),
    sessionEnded() {
      signedIn = null;
      actor.send({ type: 'owner-left' });
      // An import's problem list quotes residents' data: it goes with the operator.
      options.batches?.dismissImport();
    },
    stop() {
      unsubscribeDevices();
      unsubscribeProgress();
      unsubscribeSession?.();
      unsubscribeCardCheck?.();
      unsubscribeSelfService?.();
      unsubscribeLogHealth?.();
      unsubscribeServiceSession?.();
      unsubscribeBatches?.();
      for (const subscription of watchedJobs.values()) subscription.unsubscribe();
      machineSubscription.unsubscribe();
      if (ownActor) actor.stop();
    },
  };
  return {
    ...controller,
    async command(command) {
      try {
        return await controller.command(command);
      } catch (error) {
        // A store write that failed for a full disk (a sign-in's audit row...) is a refusal that says so, not a crash.
        if (!isDiskFull(error)) throw error;
        log({ eventId: 'kiosk-disk-full', disposition: 'failure', message: `'${command.type}' failed: ${(error as Error).message}` });
        return refused('disk-full', diskFullReason);
      }
    },
  };
}

/** Job stages whose blank is not booked yet: each will take one blank of its scheme from what is in hand. */
const blankPending: ReadonlySet<string> = new Set(['queued', 'printing', 'encoding', 'committing', 'failed', 'parked']);

/** The print queue's cards per scheme that still need their blank. */
function queuedPerScheme(state: State): QueuedPerScheme {
  const queued: Record<TransitScheme, number> = { easycard: 0, ipass: 0 };
  for (const job of state.context.jobs) {
    const snapshot = job.ref.getSnapshot();
    const scheme = snapshot.context.scheme;
    if ((scheme === 'easycard' || scheme === 'ipass') && blankPending.has(jobStage(snapshot))) queued[scheme] += 1;
  }
  return queued;
}

function screenOf(state: State): Screen {
  if (state.matches({ applicant: 'application' })) return 'application';
  if (state.matches({ applicant: 'photo' })) return 'photo';
  if (state.matches({ applicant: 'review' })) return 'review';
  return 'home';
}

function stepErrorView(error: IssuanceStepError | null): StepErrorView | null {
  return error ? { kind: error.kind, message: error.advice, canRetry: error.canRetry } : null;
}

/** One card job as the queue shows it to `at`: its ticket and stage to anyone, the applicant's traces only to the owner. */
function jobView(job: QueuedJob, snapshot: CardJobSnapshot, at: Who, nowMs: number, progress: JobProgressTracker): JobView {
  const { context } = snapshot;
  const stage = jobStage(snapshot);
  const entitled = mayViewFlow(at, context.owner);
  return {
    jobId: job.jobId,
    ticket: job.ticket,
    initials: entitled ? context.initials : null,
    stage,
    completed: context.completed,
    stageSeconds: Math.max(0, Math.floor((nowMs - context.stageSince) / 1000)),
    cardType: context.cardType,
    cardNumber: entitled ? context.cardNumber : null,
    uid: entitled ? context.uid : null,
    error: stepErrorView(context.error),
    mine: at.role !== 'self-service' && at.role !== 'nobody' && context.owner === at.operatorId,
    // Only a job waiting in `parked` can be taken over (not one being parked or brought back).
    mayTakeOver: snapshot.matches('parked') && mayTakeOver(at),
    progress: progress.view({ jobId: job.jobId, stage, failedStep: context.failedStep, hasError: context.error !== null }, nowMs),
    summary: entitled ? jobSummary(context) : null,
  };
}

function toSnapshot(
  state: State,
  devices: DeviceStatusBoard,
  session: SessionView,
  live: KioskSnapshot['photo']['live'],
  outOfService: Message | null,
  cardCheck: CardCheckView | null,
  version: number,
  mode: KioskMode,
  printQueue: KioskSnapshot['printQueue'],
  logging: LogHealthView,
  serviceSession: KioskSnapshot['serviceSession'],
): KioskSnapshot {
  const { context } = state;
  const latest = context.photo.latest;
  return {
    screen: screenOf(state),
    mode,
    selfService: null,
    session,
    outOfService,
    cardCheck,
    version,
    application: {
      form: context.form,
      source: context.source,
      scannedFields: context.scannedFields,
      confirmingDiscard: ['application', 'photo', 'review'].some((screen) => state.matches({ applicant: { [screen]: 'confirmingDiscard' } })),
      documentProblems: context.documentProblems,
      eligibility: context.assessment.eligibility,
      problems: context.assessment.problems,
      fee: context.assessment.fee,
    },
    photo: {
      attempts: context.photo.attempts,
      maxAttempts: maxPhotoAttempts,
      evaluating: state.matches({ applicant: { photo: 'evaluating' } }),
      checks: latest?.checks ?? [],
      passed: latest ? latest.passed : null,
      overrideAllowed: photoOverrideRefusal(context) === null,
      accepted: context.photo.best?.verdict.passed === true || context.photo.override !== null,
      faceMatch: faceMatchView(context.photo.best?.verdict.faceMatch ?? null),
      live,
    },
    previewUrl: context.preview ? `api/preview.png?card=${encodeURIComponent(context.preview.cardNumber)}` : null,
    rendering: state.matches({ applicant: { review: 'starting' } }) || state.matches({ applicant: { review: 'rendering' } }),
    error: stepErrorView(context.error),
    printQueue,
    serviceSession,
    batch: null,
    devices: withPrinterJobFault(devices.all(), printQueue.jobs),
    logging,
    applicant: null,
  };
}

/**
 * The snapshot of the unattended kiosk: the self-service view, and nothing of the last person
 * staff served (their form, photo, card face, result, a card checked) — the UI is public now.
 */
function publicSnapshot(snapshot: KioskSnapshot, selfService: SelfServiceView | null): KioskSnapshot {
  return { ...withoutApplicant(snapshot), selfService, batch: null };
}

/** The snapshot with nothing of any applicant or cardholder: for whoever may not see them. */
function withoutApplicant(snapshot: KioskSnapshot): KioskSnapshot {
  return {
    ...snapshot,
    cardCheck: null,
    application: { form: emptyApplicationForm, source: 'manual', scannedFields: [], confirmingDiscard: false, documentProblems: [], eligibility: null, problems: [], fee: 0 },
    photo: { attempts: 0, maxAttempts: snapshot.photo.maxAttempts, evaluating: false, checks: [], passed: null, overrideAllowed: false, accepted: false, faceMatch: null, live: null },
    previewUrl: null,
    rendering: false,
    error: null,
    applicant: null,
    printQueue: { paused: snapshot.printQueue.paused, jobs: snapshot.printQueue.jobs.map(withoutApplicantTraces) },
  };
}

function withoutApplicantTraces(job: JobView): JobView {
  return { ...job, initials: null, cardNumber: null, uid: null, summary: null };
}

/** zod's `.partial()` types absent keys as `undefined`; the machine wants them truly absent. */
function withoutUndefined<T extends object>(fields: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

/** An unavailable comparison has no distance to show (NaN would travel as null). */
function faceMatchView(faceMatch: FaceMatch | null): FaceMatchView | null {
  if (!faceMatch) return null;
  if (faceMatch.verdict === 'unavailable') return { verdict: 'unavailable', match: false, threshold: faceMatch.threshold, reason: faceMatch.reason };
  return { verdict: faceMatch.verdict, match: faceMatch.match, distance: faceMatch.distance, threshold: faceMatch.threshold };
}
