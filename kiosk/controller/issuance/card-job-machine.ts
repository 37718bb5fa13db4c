import { and, assign, fromPromise, sendParent, setup, type ActorRefFrom, type SnapshotFrom } from 'xstate';
import type { IssuingStep, JobStage } from '../../../shared/contract/kiosk-api';
import { message } from '../../../shared/contract/messages';
import { IssuanceStepError, toStepError } from './issuance-errors';
import type { IssuanceJob, ParkedJobData, PhotoVerdict, ResumedJob } from './issuance-types';

/**
 * One card, from the moment its print is confirmed until it is handed over or spoiled:
 * queued → printing → encoding → committing → ejecting → ready ("take your card") → closed.
 *
 * The print queue (the issuance machine's `printQueue` region) grants the printer to one job at a
 * time; a job gives it back once its card has left the printer (ejected, or rejected on cancel). A job
 * that fails keeps the printer — the card is still inside it — so the queue pauses until its operator
 * retries or cancels it. Every device and store step is an actor provided by the composition root,
 * and journaled there, so a restart finds each job where it stood.
 */

/** What a job starts with: the confirmed card, whose it is, and its place in the day's queue. */
export interface CardJobInput {
  readonly job: IssuanceJob;
  readonly ticket: number;
  /** The applicant's initials, for the queue on the owner's screen (never the whole name). */
  readonly initials: string;
  readonly replacement: boolean;
  /** The best photo's verdict and the attempts taken: what a parked job keeps besides the form. */
  readonly verdict: PhotoVerdict | null;
  readonly attempts: number;
  /** The injected clock's milliseconds, to say how long a job has been at its stage. */
  readonly now: () => number;
  /** When its application started at the counter (the clock's milliseconds), for the figures' counter stage. */
  readonly applicationStartedAt?: number | null;
}

/** What encoding a card gives the job: the chip's UID, and the expiry written on it (older fakes give none). */
export type EncodedCard = { uid: string; expiresOn?: string | undefined };

export type CardJobEvent =
  /** From the print queue: the printer is this job's now. */
  | { type: 'printer.granted' }
  | { type: 'retry' }
  | { type: 'cancel' }
  /** The operator handed the card over (or the exit slot's sensor saw it taken). */
  | { type: 'card.taken' }
  | { type: 'owner-left' }
  | { type: 'owner-back'; operatorId: string }
  | { type: 'take-over'; operatorId: string };

export interface CardJobContext {
  readonly ticket: number;
  readonly initials: string;
  readonly replacement: boolean;
  /** Null while the job is parked, and once its card is out: personal data is held no longer than needed. */
  job: IssuanceJob | null;
  /** The photo's verdict and attempts, for parking; null with `job`. */
  photo: { readonly verdict: PhotoVerdict | null; readonly attempts: number } | null;
  readonly now: () => number;
  readonly jobId: string;
  readonly cardNumber: string;
  readonly cardType: string;
  /** The transit scheme of the blank it takes (the session's stock counts the queue's cards per scheme). */
  readonly scheme: string;
  owner: string | null;
  ownerPresent: boolean;
  takenOverFrom: string | null;
  completed: IssuingStep[];
  failedStep: IssuingStep | null;
  error: IssuanceStepError | null;
  uid: string | null;
  /** The expiry written on the chip (YYYY-MM-DD), once encoded: the done view shows it. */
  expiry: string | null;
  /** The issuance's fee (NT$), kept for the done view after the applicant's data is dropped. */
  readonly fee: number;
  /** When the job entered its current stage (the injected clock's milliseconds). */
  stageSince: number;
  readonly applicationStartedAt: number | null;
}

const notProvided = (name: string) =>
  fromPromise<never, unknown>(async () => {
    throw new Error(`the ${name} actor was not provided by the composition root`);
  });

/** The parked job's data as the store keeps it (everything but the card face, rendered again on resume). */
function parkedData(context: CardJobContext): ParkedJobData {
  const job = jobOf(context);
  return { form: job.form, assessment: job.assessment, verdict: context.photo?.verdict ?? null, override: job.photoOverride, attempts: context.photo?.attempts ?? 0 };
}

export const cardJobMachine = setup({
  types: {
    context: {} as CardJobContext,
    events: {} as CardJobEvent,
    input: {} as CardJobInput,
  },
  actors: {
    printCard: notProvided('printCard') as unknown as ReturnType<typeof fromPromise<void, IssuanceJob>>,
    /** Sends a card whose chip failed to the reject box and books its blank spoiled: the job prints again. */
    reprintCard: notProvided('reprintCard') as unknown as ReturnType<typeof fromPromise<void, { jobId: string; failure: string }>>,
    encodeCard: notProvided('encodeCard') as unknown as ReturnType<typeof fromPromise<EncodedCard, IssuanceJob>>,
    commitIssuance: notProvided('commitIssuance') as unknown as ReturnType<typeof fromPromise<void, IssuanceJob & { uid: string }>>,
    ejectCard: notProvided('ejectCard') as unknown as ReturnType<typeof fromPromise<void, { jobId: string }>>,
    abandonJob: notProvided('abandonJob') as unknown as ReturnType<
      typeof fromPromise<void, { jobId: string | null; cardInPrinter: boolean; reason: string }>
    >,
    /** Journals the confirm (the job joined the queue) for the figures (kiosk/controller/reports). */
    journalQueued: notProvided('journalQueued') as unknown as ReturnType<typeof fromPromise<void, { jobId: string; applicationStartedAt: number | null }>>,
    parkJob: notProvided('parkJob') as unknown as ReturnType<typeof fromPromise<void, { jobId: string; owner: string | null; data: ParkedJobData }>>,
    resumeJob: notProvided('resumeJob') as unknown as ReturnType<
      typeof fromPromise<ResumedJob, { jobId: string; resumedBy: string | null; takenOverFrom: string | null }>
    >,
  },
  actions: {
    failAt: assign(({ event }, step: IssuingStep) => ({ error: toStepError((event as unknown as { error: unknown }).error), failedStep: step })),
    completeStep: assign(({ context }, step: IssuingStep) => ({ completed: [...context.completed, step] })),
    /** Stamped on entering a stage the queue shows, so it can say how long the job has been there. */
    stamp: assign({ stageSince: ({ context }) => context.now() }),
    /** The card has left the printer: the queue may give it to the next job. */
    releasePrinter: sendParent(({ context }) => ({ type: 'job.released' as const, jobId: context.jobId })),
    /** The job is over (handed over, spoiled or abandoned): the queue forgets it. */
    reportClosed: sendParent(({ context }) => ({ type: 'job.closed' as const, jobId: context.jobId })),
  },
  delays: {
    /** How long a card waits at the exit for its hand-over to be confirmed before its job closes by itself. */
    handOverTimeout: 60_000,
  },
  guards: {
    canRetry: ({ context }) => context.error?.canRetry ?? false,
    /** The failure lost the card in the printer (its chip failed), not the job. */
    reprints: ({ context }) => context.error?.reprints ?? false,
    failedAt: ({ context }, step: IssuingStep) => context.failedStep === step,
    ownerAway: ({ context }) => !context.ownerPresent,
    ownerPresent: ({ context }) => context.ownerPresent,
    isOwner: ({ context, event }) => 'operatorId' in event && event.operatorId === context.owner,
    /** The job's data is not in memory (it could not be brought back from the store): parking it would have nothing to keep. */
    nothingToPark: ({ context }) => context.job === null,
  },
}).createMachine({
  id: 'cardJob',
  context: ({ input }) => ({
    ticket: input.ticket,
    initials: input.initials,
    replacement: input.replacement,
    job: input.job,
    jobId: input.job.jobId,
    cardNumber: input.job.preview.cardNumber,
    cardType: input.job.form.cardType ?? '',
    scheme: input.job.form.scheme,
    owner: input.job.owner,
    ownerPresent: true,
    takenOverFrom: null,
    completed: [],
    failedStep: null,
    error: null,
    uid: null,
    expiry: null,
    fee: input.job.assessment.fee,
    photo: { verdict: input.verdict, attempts: input.attempts },
    now: input.now,
    stageSince: input.now(),
    applicationStartedAt: input.applicationStartedAt ?? null,
  }),
  initial: 'queued',
  on: {
    // A card under way is finished by the printer whoever is signed in; a failure waits for its owner.
    'owner-left': { actions: assign({ ownerPresent: false }) },
    'owner-back': { guard: 'isOwner', actions: assign({ ownerPresent: true }) },
  },
  states: {
    queued: {
      // A mark for the figures only: if it cannot be written the card is made all the same.
      invoke: { src: 'journalQueued', input: ({ context }) => ({ jobId: context.jobId, applicationStartedAt: context.applicationStartedAt }), onError: { actions: [] } },
      on: { 'printer.granted': 'issuing', cancel: 'abandoning' },
    },
    issuing: {
      initial: 'printing',
      entry: assign({ error: null, failedStep: null }),
      states: {
        printing: {
          entry: 'stamp',
          invoke: {
            src: 'printCard',
            input: ({ context }) => jobOf(context),
            onDone: { target: 'encoding', actions: { type: 'completeStep', params: 'printing' as const } },
            onError: { target: '#cardJob.failed', actions: { type: 'failAt', params: 'printing' as const } },
          },
        },
        encoding: {
          entry: 'stamp',
          invoke: {
            src: 'encodeCard',
            input: ({ context }) => jobOf(context),
            onDone: {
              target: 'committing',
              actions: [{ type: 'completeStep', params: 'encoding' as const }, assign({ uid: ({ event }) => event.output.uid, expiry: ({ event }) => event.output.expiresOn ?? null })],
            },
            onError: { target: '#cardJob.failed', actions: { type: 'failAt', params: 'encoding' as const } },
          },
        },
        committing: {
          entry: 'stamp',
          invoke: {
            src: 'commitIssuance',
            input: ({ context }) => ({ ...jobOf(context), uid: context.uid ?? '' }),
            onDone: { target: 'ejecting', actions: { type: 'completeStep', params: 'committing' as const } },
            onError: { target: '#cardJob.failed', actions: { type: 'failAt', params: 'committing' as const } },
          },
        },
        ejecting: {
          entry: 'stamp',
          invoke: {
            src: 'ejectCard',
            input: ({ context }) => ({ jobId: context.jobId }),
            // The card is issued and recorded: a jammed exit is a printer problem, not a failed issuance.
            onDone: '#cardJob.ready',
            onError: { target: '#cardJob.ready', actions: assign({ error: ({ event }) => toStepError(event.error) }) },
          },
        },
      },
    },
    /** Issued: the card waits at the exit. Nothing of the applicant is needed any more. */
    ready: {
      // The buzzer sounded as the card came out (ejectCard); the light shows a card waiting (statusLightFor).
      entry: ['stamp', 'releasePrinter', assign({ job: null, photo: null })],
      after: { handOverTimeout: 'closed' },
      on: { 'card.taken': 'closed' },
    },
    /** A step failed: the card (if any) is still in the printer, which stays this job's. */
    failed: {
      entry: 'stamp',
      always: [
        { guard: and(['ownerAway', 'nothingToPark']), target: 'parked' },
        { guard: 'ownerAway', target: 'parking' },
      ],
      on: {
        // A job whose data could not be brought back has nothing to park: it waits parked as it is.
        'owner-left': [
          { guard: 'nothingToPark', target: 'parked', actions: assign({ ownerPresent: false }) },
          { target: 'parking', actions: assign({ ownerPresent: false }) },
        ],
        retry: { guard: 'canRetry', target: 'resuming' },
        cancel: 'abandoning',
      },
    },
    /** Retry continues from the step that failed; earlier steps are not repeated (never print twice). */
    resuming: {
      always: [
        { guard: 'reprints', target: 'reprinting' },
        { guard: { type: 'failedAt', params: 'printing' }, target: 'issuing.printing' },
        { guard: { type: 'failedAt', params: 'encoding' }, target: 'issuing.encoding' },
        { guard: { type: 'failedAt', params: 'committing' }, target: 'issuing.committing' },
        { target: 'failed' },
      ],
    },
    /**
     * The card whose chip failed goes to the reject box (its blank booked spoiled) and the job starts over
     * on a new blank: a card that was never issued is printed again, never one that was.
     */
    reprinting: {
      entry: 'stamp',
      invoke: {
        src: 'reprintCard',
        input: ({ context }) => ({ jobId: context.jobId, failure: context.error?.kind ?? 'nfc_write_verify_failed' }),
        onDone: { target: 'issuing.printing', actions: assign({ completed: [], uid: null, expiry: null }) },
        // The card could not be sent to the reject box (the printer is away): still failed, the retry reprints.
        onError: { target: 'failed', actions: assign({ error: ({ event }) => toStepError(event.error) }) },
      },
    },
    abandoning: {
      invoke: {
        src: 'abandonJob',
        input: ({ context }) => ({
          jobId: context.jobId,
          cardInPrinter: context.completed.includes('printing') || context.failedStep === 'printing',
          reason: context.error?.kind ?? 'cancelled',
        }),
        onDone: 'closed',
        onError: 'closed',
      },
      exit: 'releasePrinter',
    },
    /** The owner left a failed job: its personal data goes to the store (encrypted) and out of memory. */
    parking: {
      invoke: {
        src: 'parkJob',
        input: ({ context }) => ({ jobId: context.jobId, owner: context.owner, data: parkedData(context) }),
        onDone: [{ guard: 'ownerPresent', target: 'failed' }, { target: 'parked', actions: assign({ job: null, photo: null }) }],
        // Not kept safely, so not kept: the card goes to the reject box and the job is closed.
        onError: 'abandoning',
      },
    },
    /** A failed job waits for its owner, or for a supervisor to take it over; nothing personal is held. */
    parked: {
      entry: 'stamp',
      on: {
        'owner-back': { guard: 'isOwner', target: 'resumingParked' },
        'take-over': {
          target: 'resumingParked',
          actions: assign({ takenOverFrom: ({ context }) => context.owner, owner: ({ event }) => event.operatorId }),
        },
      },
    },
    resumingParked: {
      invoke: {
        src: 'resumeJob',
        input: ({ context }) => ({ jobId: context.jobId, resumedBy: context.owner, takenOverFrom: context.takenOverFrom }),
        onDone: {
          target: 'failed',
          actions: assign(({ context, event }) => ({
            job: resumedJob(context, event.output),
            photo: { verdict: event.output.verdict, attempts: event.output.attempts },
            ownerPresent: true,
            takenOverFrom: null,
          })),
        },
        // Without its data the job cannot be printed again: it may only be cancelled.
        onError: {
          target: 'failed',
          actions: assign({
            error: ({ event }) => new IssuanceStepError('job_not_resumable', message('step.job-not-resumable', { detail: toStepError(event.error).kind }), false),
            ownerPresent: true,
            takenOverFrom: null,
          }),
        },
      },
    },
    closed: {
      entry: 'reportClosed',
      type: 'final',
    },
  },
});

/** The job's data for a device step; a parked job has none until it is resumed. */
function jobOf(context: CardJobContext): IssuanceJob {
  if (!context.job) throw new IssuanceStepError('job_parked', message('step.job-parked'), false);
  return context.job;
}

function resumedJob(context: CardJobContext, resumed: ResumedJob): IssuanceJob {
  return {
    jobId: context.jobId,
    form: resumed.form,
    assessment: resumed.assessment,
    photo: resumed.verdict?.cardPhoto ?? null,
    archivePhoto: resumed.verdict?.archivePhoto ?? null,
    photoOverride: resumed.override,
    preview: resumed.preview,
    owner: context.owner,
  };
}

export type CardJobRef = ActorRefFrom<typeof cardJobMachine>;
export type CardJobSnapshot = SnapshotFrom<typeof cardJobMachine>;

/** Where a job stands, in the queue's words. */
export function jobStage(snapshot: CardJobSnapshot): JobStage {
  if (snapshot.matches('queued')) return 'queued';
  // The failed card is on its way to the reject box and the job to the print head again.
  if (snapshot.matches({ issuing: 'printing' }) || snapshot.matches('reprinting')) return 'printing';
  if (snapshot.matches({ issuing: 'encoding' })) return 'encoding';
  if (snapshot.matches({ issuing: 'committing' })) return 'committing';
  if (snapshot.matches({ issuing: 'ejecting' })) return 'ejecting';
  if (snapshot.matches('ready')) return 'ready';
  // Still parked while its data comes back from the store: it cannot take a retry yet.
  if (snapshot.matches('parked') || snapshot.matches('parking') || snapshot.matches('resumingParked')) return 'parked';
  if (snapshot.matches('abandoning') || snapshot.matches('closed')) return 'closing';
  return 'failed';
}
