import { createActor, type SnapshotFrom } from 'xstate';
import type {
  ApplicationForm,
  Bilingual,
  CardCheckView,
  FaceMatchView,
  KioskCommand,
  KioskMode,
  KioskSnapshot,
  LogHealthView,
  PhotoCheckView,
  Screen,
  SelfServiceView,
  SessionView,
  VoidReason,
} from '../../shared/contract/kiosk-api';
import { emptyApplicationForm, refused } from '../../shared/contract/kiosk-api';
import type { LogSink } from '../../shared/log';
import type { CommandReply } from './api/server';
import type { OperatorService } from './auth/operator-service';
import { permission, type Action } from './auth/permissions';
import type { OperatorRole } from './auth/roles';
import type { DeviceStatusBoard } from './device-status';
import { issuanceMachine, maxPhotoAttempts, photoOverrideRefusal, type FaceMatch, type IssuanceEvent } from './issuance/issuance-machine';
import type { CardCheck } from './card-check';
import type { SelfService } from './self-service/own-card';
import { commandAction, unattendedRefusal } from './self-service/unattended-commands';
import type { StaffSession } from './staff-session';
import { diskFullReason, diskLowReason, isDiskFull, type DiskReserve } from './store/disk-space';

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
  documentRead(fields: Partial<ApplicationForm>, problems: readonly Bilingual[]): boolean;
  preview(): Uint8Array | null;
  onChange(listener: (snapshot: KioskSnapshot) => void): () => void;
  /** The screen right now (for tests and logs). */
  screen(): Screen;
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
  readonly outOfService?: () => Bilingual | null;
  /** A technician's reset of the tamper latch (the door must be shut). */
  readonly clearTamper?: (operatorId: string) => Promise<CommandReply>;
  /** Cards tapped on the counter reader by a signed-in operator. */
  readonly cardCheck?: CardCheck;
  /** Staff sign-in; without it (tests of the flow alone) every command is taken as a signed-in operator's. */
  readonly session?: { readonly staff: StaffSession; readonly operators: OperatorService };
  /**
   * Self-service mode: while nobody is signed in the kiosk is unattended — citizens look at their
   * own card, every staff command is refused and the snapshot carries nobody's data. Without it
   * the kiosk is staffed.
   */
  readonly selfService?: SelfService;
  /** Free space kept for the store: no application starts and no card is sent to print below it. */
  readonly diskReserve?: DiskReserve;
  /** The log's health (a failing file keeps the log in memory only): shown to staff. */
  readonly logHealth?: {
    health(): LogHealthView;
    onHealthChange(listener: () => void): () => void;
  };
}

const noSignInView: SessionView = { state: 'signed-in', operator: null, approval: null, message: null, idleSecondsLeft: null, mayStartApplication: true };

const signInFirst = refused('sign-in-first', 'sign in first: tap your staff card on the reader');

/** The one wording for a role the permission table refuses. */
function roleRefusal(role: OperatorRole, action: Action): CommandReply {
  return { accepted: false, code: 'role', role, reason: `a ${role} may not ${action.replace('-', ' ')}` };
}

export function createKioskController(machine: ProvidedMachine, devices: DeviceStatusBoard, log: LogSink, options: ControllerOptions = {}): KioskController {
  const actor = createActor(machine);
  const staff = options.session?.staff;
  const sessionView = (): SessionView => staff?.view() ?? noSignInView;
  const outOfService = (): Bilingual | null => options.outOfService?.() ?? null;
  const cardCheck = (): CardCheckView | null => options.cardCheck?.view() ?? null;
  const logging = (): LogHealthView => options.logHealth?.health() ?? { state: 'writing' };
  const mode: KioskMode = options.selfService ? 'self-service' : 'staffed';
  /** Self-service mode with no staff signed in: the public, unattended kiosk. */
  const unattended = (): boolean => options.selfService !== undefined && !options.session?.operators.current();
  /**
   * Whether the person at the screen may see the applicant's data: a signed-in staff member entitled
   * to it (not a technician) who owns the flow on show. Without sign-in (tests of the flow alone) yes.
   */
  const mayViewApplicant = (): boolean => {
    if (!options.session) return true;
    const current = options.session.operators.current();
    if (!current || permission(current.role, 'view-cardholder') !== 'allow') return false;
    const { owner } = actor.getSnapshot().context;
    return owner === null || owner === current.operatorId;
  };
  const parkedJob = (state: State): KioskSnapshot['parkedJob'] => {
    if (!state.matches('parked') && !state.matches('parking')) return null;
    const role = options.session?.operators.current()?.role;
    return { failedStep: state.context.failedStep, mayTakeOver: role !== undefined && permission(role, 'take-over-job') === 'allow' };
  };
  const current = (): KioskSnapshot => {
    const state = actor.getSnapshot();
    const full = toSnapshot(state, devices, sessionView(), live, outOfService(), cardCheck(), version, mode, parkedJob(state), logging());
    const snapshot = mayViewApplicant() ? full : withoutApplicant(full);
    if (!options.selfService) return snapshot;
    // Asked on every snapshot, so a card on show is forgotten the moment staff step up or the kiosk closes.
    const selfService = options.selfService.view();
    if (!unattended()) return snapshot;
    return publicSnapshot(snapshot, snapshot.session.state === 'signed-out' ? selfService : null);
  };
  const listeners = new Set<(snapshot: KioskSnapshot) => void>();
  let version = 0;
  let lastScreen: Screen = 'home';
  /** The latest live frame's verdict; one frame is judged at a time, the rest are dropped. */
  let live: KioskSnapshot['photo']['live'] = null;
  let judgingPreview = false;

  const publish = (): void => {
    version += 1;
    if (!actor.getSnapshot().matches({ photo: 'waiting' })) live = null;
    const snapshot = current();
    if (snapshot.screen !== lastScreen) {
      log({ eventId: 'kiosk-screen-changed', disposition: 'na', message: `${lastScreen} -> ${snapshot.screen}` });
      lastScreen = snapshot.screen;
    }
    for (const listener of listeners) listener(snapshot);
  };
  actor.subscribe({
    next: publish,
    error: (error) => log({ eventId: 'kiosk-machine-crashed', disposition: 'failure', message: String(error) }),
  });
  const unsubscribeDevices = devices.onChange(publish);
  // A job's owner signing in again gets their parked job back (the machine checks it is theirs).
  let signedIn: string | null = options.session?.operators.current()?.operatorId ?? null;
  const unsubscribeSession = staff?.onChange(() => {
    const now = options.session?.operators.current()?.operatorId ?? null;
    if (now !== signedIn && now !== null) actor.send({ type: 'owner-back', operatorId: now });
    signedIn = now;
    publish();
  });
  const unsubscribeCardCheck = options.cardCheck?.onChange(publish);
  const unsubscribeSelfService = options.selfService?.onChange(publish);
  const unsubscribeLogHealth = options.logHealth?.onHealthChange(publish);
  actor.start();

  const send = (event: IssuanceEvent): CommandReply => {
    const state = actor.getSnapshot();
    if (!state.can(event)) {
      return refused('wrong-screen', `'${event.type}' is not possible on the ${screenOf(state)} screen now`);
    }
    actor.send(event);
    return { accepted: true };
  };

  /**
   * Runs an action the signed-in role may do at once, or once a supervisor has approved it on this
   * session (card + PIN, then `perform` runs when the approval arrives). Refusals are audited.
   */
  const withPermission = async (action: Action, perform: (grant: Grant) => Promise<CommandReply>): Promise<CommandReply> => {
    const session = options.session;
    if (!session) return perform({ operatorId: null, approvedBy: null });
    const role = session.operators.current()?.role;
    if (!role) return signInFirst;
    if (permission(role, action) !== 'with-approval') {
      const granted = await session.operators.authorize(action);
      return granted.ok ? perform(granted.value) : roleRefusal(role, action);
    }
    session.staff.requestApproval(action, async (approval) => {
      const granted = await session.operators.authorize(action, approval);
      return granted.ok ? perform(granted.value) : refused('other', `the approval was not accepted (${granted.error.kind})`);
    });
    return { accepted: true };
  };

  /**
   * Every command on the applicant's flow is checked twice: against the role (the permission table:
   * a technician never issues; a replacement needs replace-card) and against the job's owner (the
   * operator who started it, or the supervisor who took it over). Refusals by role are audited.
   */
  const refusedOnFlow = async (command: KioskCommand): Promise<CommandReply | null> => {
    const current = options.session?.operators.current();
    if (!current) return null;
    const asked = commandAction(command);
    const onFlow = asked.kind === 'action' && (asked.action === 'issue-card' || asked.action === 'override-photo');
    if (!onFlow) return null;
    const { context } = actor.getSnapshot();
    const replacing = context.assessment.action === 'replacement';
    const action: Action = replacing && ['submit-application', 'confirm-print', 'retry'].includes(command.type) ? 'replace-card' : 'issue-card';
    if (permission(current.role, action) !== 'allow') {
      await options.session?.operators.authorize(action); // audits the refusal
      return roleRefusal(current.role, action);
    }
    if (context.owner !== null && context.owner !== current.operatorId) {
      return refused('job-of-another-operator', 'this card job belongs to the operator who started it: they may finish it by signing in, or a supervisor may take it over');
    }
    return null;
  };

  /** A supervisor takes over the parked job of an operator who is away: recorded with both ids. */
  const takeOverJob = async (): Promise<CommandReply> => {
    const session = options.session;
    const current = session?.operators.current();
    if (!session || !current) return signInFirst;
    const granted = await session.operators.authorize('take-over-job');
    if (!granted.ok) return roleRefusal(current.role, 'take-over-job');
    return send({ type: 'take-over', operatorId: current.operatorId });
  };

  const overridePhoto = async (reason: string): Promise<CommandReply> => {
    const state = actor.getSnapshot();
    if (!state.can({ type: 'override-photo', reason })) {
      // Say why before anybody is asked to approve something the flow would refuse.
      const refusal = state.matches('photo') ? photoOverrideRefusal(state.context) : null;
      return refusal ? refused('other', refusal.en) : send({ type: 'override-photo', reason });
    }
    return withPermission('override-photo', async (grant) => send({ type: 'override-photo', reason, approvedBy: grant.approvedBy }));
  };

  /** A technician's reset of the tamper alarm (the door must be shut). */
  const clearTamper = async (): Promise<CommandReply> => {
    const session = options.session?.operators.current();
    if (!session || permission(session.role, 'change-devices') !== 'allow') return refused('technician-only', 'only a technician can put the kiosk back in service');
    if (!options.clearTamper) return refused('other', 'this kiosk has no tamper switch');
    const reply = await options.clearTamper(session.operatorId);
    publish();
    return reply;
  };

  /** Guidance for the live camera: one frame judged at a time, the verdict dropped if the photo step is over. */
  const judgeLiveFrame = async (jpegBase64: string): Promise<CommandReply> => {
    if (!options.previewPhoto || !actor.getSnapshot().matches({ photo: 'waiting' })) return refused('other', 'no live preview now');
    if (judgingPreview) return refused('other', 'busy with the previous frame');
    judgingPreview = true;
    try {
      const verdict = await options.previewPhoto(new Uint8Array(Buffer.from(jpegBase64, 'base64')));
      if (actor.getSnapshot().matches({ photo: 'waiting' })) {
        live = { passed: verdict.passed, checks: verdict.checks };
        publish();
      }
    } finally {
      judgingPreview = false;
    }
    return { accepted: true };
  };

  const voidCard = async (cardNumber: string, reason: VoidReason): Promise<CommandReply> => {
    const shown = options.cardCheck?.view();
    if (!options.cardCheck || !shown?.verified || shown.cardNumber !== cardNumber) return refused('tap-card-to-void', 'tap the card to void on the counter reader first');
    if (shown.status !== 'active') return refused('other', `the card is ${shown.status}: only an active card can be voided`);
    const check = options.cardCheck;
    return withPermission('void-card', async (grant) => {
      const voided = await check.voidShown({ cardNumber, reason, operatorId: grant.operatorId, approvedBy: grant.approvedBy });
      return voided.ok ? { accepted: true } : refused('other', voided.error.en);
    });
  };

  /** Below the reserve a card could be printed but not recorded: refuse before anything is done. */
  const refusedForDisk = async (command: KioskCommand): Promise<CommandReply | null> => {
    if (command.type !== 'start-application' && command.type !== 'confirm-print') return null;
    const space = await options.diskReserve?.check();
    if (!space || space.ok) return null;
    log({ eventId: 'kiosk-disk-low', disposition: 'failure', message: `'${command.type}' refused: ${diskLowReason(space.error)}` });
    return refused('disk-full', diskLowReason(space.error));
  };

  const controller: KioskController = {
    snapshot: current,
    async command(command) {
      if (unattended()) {
        const refusal = unattendedRefusal(command);
        if (refusal) {
          log({ eventId: 'self-service-command-refused', disposition: 'failure', message: `'${command.type}' refused: nobody is signed in` });
          return refused('ask-staff', refusal);
        }
      }
      switch (command.type) {
        case 'dismiss-card':
          options.selfService?.dismiss();
          return { accepted: true };
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
      if (staff && !staff.current()) return signInFirst;
      staff?.touch();
      if (command.type === 'keep-alive') return { accepted: true };
      if (command.type === 'close-card-check') {
        options.cardCheck?.close();
        return { accepted: true };
      }
      if (command.type === 'clear-tamper') return clearTamper();
      const closed = outOfService();
      if (command.type === 'start-application' && closed) return refused('out-of-service', `out of service: ${closed.en}`);
      if (command.type === 'take-over-job') return takeOverJob();
      const onFlow = await refusedOnFlow(command);
      if (onFlow) return onFlow;
      if (command.type === 'preview-photo') return judgeLiveFrame(command.jpegBase64);
      if (command.type === 'override-photo') return overridePhoto(command.reason);
      if (command.type === 'void-card') return voidCard(command.cardNumber, command.reason);
      if (command.type === 'capture-photo') {
        return send({ type: 'capture-photo', image: new Uint8Array(Buffer.from(command.jpegBase64, 'base64')), source: command.source });
      }
      if (command.type === 'update-application') {
        return send({ type: 'update-application', fields: withoutUndefined(command.fields) });
      }
      const byDisk = await refusedForDisk(command);
      if (byDisk) return byDisk;
      if (command.type === 'start-application' || command.type === 'confirm-print') {
        // The job belongs to whoever starts it and confirms the print.
        return send({ type: command.type, operatorId: options.session?.operators.current()?.operatorId ?? null });
      }
      return send(command);
    },
    documentRead(fields, problems) {
      if (unattended() || (staff && !staff.current())) return false;
      staff?.touch();
      return send({ type: 'document-read', fields, problems }).accepted;
    },
    preview: () => (unattended() || !mayViewApplicant() ? null : (actor.getSnapshot().context.preview?.frontPng ?? null)),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    screen: () => screenOf(actor.getSnapshot()),
    sessionEnded() {
      signedIn = null;
      actor.send({ type: 'owner-left' });
    },
    stop() {
      unsubscribeDevices();
      unsubscribeSession?.();
      unsubscribeCardCheck?.();
      unsubscribeSelfService?.();
      unsubscribeLogHealth?.();
      actor.stop();
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

function screenOf(state: State): Screen {
  // A parked job shows nothing of itself: the next person sees the home screen (and a notice).
  if (state.matches('home') || state.matches('parking') || state.matches('parked')) return 'home';
  if (state.matches('application')) return 'application';
  if (state.matches('photo')) return 'photo';
  if (state.matches('review')) return 'review';
  if (state.matches('issuing') || state.matches('resuming')) return 'issuing';
  if (state.matches('done')) return 'done';
  if (state.matches('failed') || state.matches('resumingParked')) return 'failed';
  if (state.matches('cancelling')) return 'home';
  return 'failed';
}

function toSnapshot(
  state: State,
  devices: DeviceStatusBoard,
  session: SessionView,
  live: KioskSnapshot['photo']['live'],
  outOfService: Bilingual | null,
  cardCheck: CardCheckView | null,
  version: number,
  mode: KioskMode,
  parkedJob: KioskSnapshot['parkedJob'],
  logging: LogHealthView,
): KioskSnapshot {
  const { context } = state;
  const screen = screenOf(state);
  const issuingStep = state.matches({ review: 'rendering' })
    ? 'rendering'
    : state.matches({ issuing: 'printing' })
      ? 'printing'
      : state.matches({ issuing: 'encoding' })
        ? 'encoding'
        : state.matches({ issuing: 'committing' })
          ? 'committing'
          : state.matches({ issuing: 'ejecting' })
            ? 'verifying'
            : null;
  const latest = context.photo.latest;
  return {
    screen,
    mode,
    selfService: null,
    session,
    outOfService,
    cardCheck,
    version,
    application: {
      form: context.form,
      source: context.source,
      documentProblems: context.documentProblems,
      eligibility: context.assessment.eligibility,
      problems: context.assessment.problems,
      fee: context.assessment.fee,
    },
    photo: {
      attempts: context.photo.attempts,
      maxAttempts: maxPhotoAttempts,
      evaluating: state.matches({ photo: 'evaluating' }),
      checks: latest?.checks ?? [],
      passed: latest ? latest.passed : null,
      overrideAllowed: photoOverrideRefusal(context) === null,
      faceMatch: faceMatchView(context.photo.best?.verdict.faceMatch ?? null),
      live,
    },
    previewUrl: context.preview ? `api/preview.png?card=${encodeURIComponent(context.preview.cardNumber)}` : null,
    issuing: issuingStep ? { step: issuingStep, completed: context.completed } : null,
    result: context.result
      ? { cardNumber: context.result.cardNumber, cardType: context.form.cardType, uid: context.result.uid }
      : null,
    error: context.error
      ? { kind: context.error.kind, message: context.error.bilingual, canRetry: context.error.canRetry }
      : null,
    devices: devices.all(),
    parkedJob,
    logging,
  };
}

/**
 * The snapshot of the unattended kiosk: the self-service view, and nothing of the last person
 * staff served (their form, photo, card face, result, a card checked) — the UI is public now.
 */
function publicSnapshot(snapshot: KioskSnapshot, selfService: SelfServiceView | null): KioskSnapshot {
  return { ...withoutApplicant(snapshot), selfService };
}

/** The snapshot with nothing of any applicant or cardholder: for whoever may not see them. */
function withoutApplicant(snapshot: KioskSnapshot): KioskSnapshot {
  return {
    ...snapshot,
    cardCheck: null,
    application: { form: emptyApplicationForm, source: 'manual', documentProblems: [], eligibility: null, problems: [], fee: 0 },
    photo: { attempts: 0, maxAttempts: snapshot.photo.maxAttempts, evaluating: false, checks: [], passed: null, overrideAllowed: false, faceMatch: null, live: null },
    previewUrl: null,
    issuing: null,
    result: null,
    error: null,
  };
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
