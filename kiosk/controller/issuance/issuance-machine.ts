import { assign, fromPromise, setup } from 'xstate';
import type {
  ApplicationForm,
  Bilingual,
  EligibilityView,
  IssuingStep,
  PhotoCheckView,
  PhotoSource,
} from '../../../shared/contract/kiosk-api';
import { emptyApplicationForm } from '../../../shared/contract/kiosk-api';
import { IssuanceStepError, toStepError } from './issuance-errors';

/**
 * The staffed issuance flow: application → photo → review → print → encode → commit → hand over.
 * Every device and store step is an actor declared here and implemented by the composition root
 * (`machine.provide({ actors })`), so unit tests swap in fakes and production swaps in drivers.
 */

export interface Assessment {
  readonly eligibility: EligibilityView | null;
  /** What still blocks submitting (missing fields, not eligible, consent missing). */
  readonly problems: readonly Bilingual[];
  readonly fee: number;
  readonly action: 'new' | 'replacement' | null;
}

export interface PhotoVerdict {
  readonly passed: boolean;
  /** The gate's checks; `one-face` passed means exactly one face was found (what an override needs). */
  readonly checks: readonly PhotoCheckView[];
  /** The photo as it will be printed (cropped around the one face to the card's photo box). */
  readonly cardPhoto: Uint8Array | null;
  /** The 35 × 45 mm archive copy kept with the issuance record. */
  readonly archivePhoto: Uint8Array | null;
  /** For a replacement: the new photo against the one on file (null when there is no photo on file). */
  readonly faceMatch: FaceMatch | null;
}

/**
 * A replacement's face comparison. `unavailable` (no face found in one of the photos, unreadable
 * photo on file) says why instead of hiding it; it carries `match: false` and `distance: NaN` so the
 * operator is asked to check the person, as on a mismatch.
 */
export type FaceMatch =
  | { readonly verdict: 'match' | 'mismatch'; readonly match: boolean; readonly distance: number; readonly threshold: number }
  | { readonly verdict: 'unavailable'; readonly match: false; readonly distance: number; readonly threshold: number; readonly reason: Bilingual };

/** An accepted photo that failed the gate: the operator's reason and the approving supervisor, if any. */
export interface PhotoOverride {
  readonly reason: string;
  readonly approvedBy: string | null;
}

export interface CardPreview {
  readonly cardNumber: string;
  readonly frontPng: Uint8Array;
  /** The printer job, opaque to the machine. */
  readonly job: unknown;
}

export interface IssuanceJob {
  readonly jobId: string;
  readonly form: ApplicationForm;
  readonly assessment: Assessment;
  readonly photo: Uint8Array | null;
  readonly archivePhoto: Uint8Array | null;
  readonly photoOverride: PhotoOverride | null;
  readonly preview: CardPreview;
  /** The operator the card is issued by: the job's owner, whoever is signed in meanwhile. */
  readonly owner: string | null;
}

/**
 * What a parked job keeps in the store while its operator is away (sign-out or idle lock): everything
 * the retry needs that holds personal data. The machine forgets it until the job is resumed.
 */
export interface ParkedJobData {
  readonly form: ApplicationForm;
  readonly assessment: Assessment;
  readonly verdict: PhotoVerdict | null;
  readonly override: PhotoOverride | null;
  readonly attempts: number;
}

/** A parked job brought back: its data, and the card face rendered again for the printer. */
export interface ResumedJob extends ParkedJobData {
  readonly preview: CardPreview;
}

export type IssuanceEvent =
  | { type: 'start-application'; operatorId?: string | null }
  | { type: 'update-application'; fields: Partial<ApplicationForm> }
  | { type: 'document-read'; fields: Partial<ApplicationForm>; problems: readonly Bilingual[] }
  | { type: 'submit-application' }
  | { type: 'capture-photo'; image: Uint8Array; source?: PhotoSource | undefined }
  | { type: 'override-photo'; reason: string; approvedBy?: string | null }
  | { type: 'retake-photo' }
  | { type: 'confirm-print'; operatorId?: string | null }
  | { type: 'retry' }
  | { type: 'back' }
  | { type: 'cancel' }
  | { type: 'finish' }
  /** The signed-in operator signed out or was locked out: nothing of the applicant may stay on show. */
  | { type: 'owner-left' }
  /** An operator signed in: when it is the job's owner, their parked job comes back. */
  | { type: 'owner-back'; operatorId: string }
  /** A supervisor takes over the parked job of an operator who is away (audited with both ids). */
  | { type: 'take-over'; operatorId: string };

export interface IssuanceContext {
  form: ApplicationForm;
  source: 'manual' | 'scanner';
  documentProblems: readonly Bilingual[];
  assessment: Assessment;
  photo: {
    attempts: number;
    best: { image: Uint8Array; verdict: PhotoVerdict; score: number } | null;
    latest: PhotoVerdict | null;
    pending: { image: Uint8Array; source: PhotoSource } | null;
    override: PhotoOverride | null;
  };
  preview: CardPreview | null;
  jobId: string | null;
  completed: IssuingStep[];
  failedStep: IssuingStep | null;
  result: { cardNumber: string; uid: string } | null;
  error: IssuanceStepError | null;
  /** The operator the job belongs to: who started the application and confirmed the print. */
  owner: string | null;
  /** False once the owner signed out or was locked out, until they sign in again. */
  ownerPresent: boolean;
  /** The owner before a supervisor's take-over, until the take-over is recorded. */
  takenOverFrom: string | null;
}

export const maxPhotoAttempts = 3;

const notAssessed: Assessment = { eligibility: null, problems: [], fee: 0, action: null };

/** Every field with personal data, empty: a new application starts so, and a parked job forgets them. */
function noApplicant(): Pick<IssuanceContext, 'form' | 'source' | 'documentProblems' | 'assessment' | 'photo' | 'preview'> {
  return {
    form: { ...emptyApplicationForm },
    source: 'manual',
    documentProblems: [],
    assessment: notAssessed,
    photo: { attempts: 0, best: null, latest: null, pending: null, override: null },
    preview: null,
  };
}

function initialContext(): IssuanceContext {
  return {
    ...noApplicant(),
    jobId: null,
    completed: [],
    failedStep: null,
    result: null,
    error: null,
    owner: null,
    ownerPresent: true,
    takenOverFrom: null,
  };
}

const notProvided = (name: string) =>
  fromPromise<never, unknown>(async () => {
    throw new Error(`the ${name} actor was not provided by the composition root`);
  });


const oneFaceFound = (verdict: PhotoVerdict): boolean => verdict.checks.some((check) => check.id === 'one-face' && check.passed);

/**
 * Why the operator may not accept the best failed photo now, or null when they may. An override
 * needs the attempts used up and a best attempt with exactly one face, cropped around it (the other
 * checks may fail: the nursing-home exception); a frame without a face is never a card photo.
 */
export function photoOverrideRefusal(context: IssuanceContext): Bilingual | null {
  const best = context.photo.best;
  if (context.photo.attempts < maxPhotoAttempts || best === null) {
    return { zh: `請先拍攝 ${maxPhotoAttempts} 次，才能以例外核准照片`, en: `Take ${maxPhotoAttempts} attempts before accepting a photo by exception` };
  }
  if (!oneFaceFound(best.verdict) || best.verdict.cardPhoto === null || best.verdict.archivePhoto === null) {
    return {
      zh: '每一次拍攝都沒有找到唯一一張清楚的臉，這張照片不能以例外核准；請取消後重新申辦並重新拍照',
      en: 'No attempt shows exactly one face, so no photo can be accepted by exception: cancel, start again and retake the photo',
    };
  }
  return null;
}

/** The best attempt is one with exactly one face (the only kind an override may accept), then the most checks passed. */
function photoScore(verdict: PhotoVerdict): number {
  return (oneFaceFound(verdict) ? verdict.checks.length + 1 : 0) + verdict.checks.filter((check) => check.passed).length;
}

function job(context: IssuanceContext): IssuanceJob {
  if (!context.jobId || !context.preview) throw new Error('issuing without a job or a preview');
  return {
    jobId: context.jobId,
    form: context.form,
    assessment: context.assessment,
    // Only the crops around the face are ever printed or kept, never the raw frame.
    photo: context.photo.best?.verdict.cardPhoto ?? null,
    archivePhoto: context.photo.best?.verdict.archivePhoto ?? null,
    photoOverride: context.photo.override,
    preview: context.preview,
    owner: context.owner,
  };
}

export const issuanceMachine = setup({
  types: {
    context: {} as IssuanceContext,
    events: {} as IssuanceEvent,
  },
  actors: {
    assessApplication: notProvided('assessApplication') as unknown as ReturnType<
      typeof fromPromise<Assessment, { form: ApplicationForm }>
    >,
    evaluatePhoto: notProvided('evaluatePhoto') as unknown as ReturnType<
      typeof fromPromise<PhotoVerdict, { image: Uint8Array; source: PhotoSource; form: ApplicationForm; replacement: boolean }>
    >,
    beginJob: notProvided('beginJob') as unknown as ReturnType<typeof fromPromise<string, { form: ApplicationForm }>>,
    renderCard: notProvided('renderCard') as unknown as ReturnType<
      typeof fromPromise<CardPreview, { jobId: string; form: ApplicationForm; photo: Uint8Array | null }>
    >,
    printCard: notProvided('printCard') as unknown as ReturnType<typeof fromPromise<void, IssuanceJob>>,
    encodeCard: notProvided('encodeCard') as unknown as ReturnType<typeof fromPromise<{ uid: string }, IssuanceJob>>,
    commitIssuance: notProvided('commitIssuance') as unknown as ReturnType<
      typeof fromPromise<void, IssuanceJob & { uid: string }>
    >,
    ejectCard: notProvided('ejectCard') as unknown as ReturnType<typeof fromPromise<void, { jobId: string }>>,
    abandonJob: notProvided('abandonJob') as unknown as ReturnType<
      typeof fromPromise<void, { jobId: string | null; cardInPrinter: boolean; reason: string }>
    >,
    parkJob: notProvided('parkJob') as unknown as ReturnType<typeof fromPromise<void, { jobId: string; owner: string | null; data: ParkedJobData }>>,
    resumeJob: notProvided('resumeJob') as unknown as ReturnType<
      typeof fromPromise<ResumedJob, { jobId: string; resumedBy: string | null; takenOverFrom: string | null }>
    >,
  },
  actions: {
    failAt: assign(({ event }, step: IssuingStep) => ({
      error: toStepError((event as unknown as { error: unknown }).error),
      failedStep: step,
    })),
    completeStep: assign(({ context }, step: IssuingStep) => ({ completed: [...context.completed, step] })),
  },
  delays: {
    /** How long the done screen stays before the kiosk is ready for the next applicant. */
    handOverTimeout: 60_000,
  },
  guards: {
    canSubmit: ({ context }) => context.assessment.problems.length === 0 && context.assessment.eligibility !== null,
    photoPassed: ({ event }) => (event as unknown as { output: PhotoVerdict }).output.passed,
    canOverridePhoto: ({ context }) => photoOverrideRefusal(context) === null,
    canCapture: ({ context }) => context.photo.attempts < maxPhotoAttempts,
    canRetry: ({ context }) => context.error?.canRetry ?? false,
    failedAt: ({ context }, step: IssuingStep) => context.failedStep === step,
    ownerAway: ({ context }) => !context.ownerPresent,
    ownerPresent: ({ context }) => context.ownerPresent,
    isOwner: ({ context, event }) => 'operatorId' in event && event.operatorId === context.owner,
  },
}).createMachine({
  id: 'issuance',
  context: initialContext,
  initial: 'home',
  states: {
    home: {
      entry: assign(initialContext),
      on: {
        'start-application': {
          target: 'application',
          actions: assign({ owner: ({ event }) => event.operatorId ?? null }),
        },
      },
    },
    application: {
      initial: 'assessing',
      states: {
        assessing: {
          invoke: {
            src: 'assessApplication',
            input: ({ context }) => ({ form: context.form }),
            onDone: { target: 'editing', actions: assign({ assessment: ({ event }) => event.output }) },
            onError: {
              target: 'editing',
              actions: assign({
                assessment: ({ event }) => ({ ...notAssessed, problems: [toStepError(event.error).bilingual] }),
              }),
            },
          },
        },
        editing: {},
      },
      on: {
        'update-application': {
          target: '.assessing',
          reenter: true,
          actions: assign({ form: ({ context, event }) => ({ ...context.form, ...event.fields }) }),
        },
        'document-read': {
          target: '.assessing',
          reenter: true,
          actions: assign({
            form: ({ context, event }) => ({ ...context.form, ...event.fields }),
            source: 'scanner',
            documentProblems: ({ event }) => event.problems,
          }),
        },
        'submit-application': { target: 'photo', guard: 'canSubmit' },
        cancel: 'home',
        'owner-left': 'home',
      },
    },
    photo: {
      initial: 'waiting',
      states: {
        waiting: {
          on: {
            'capture-photo': {
              target: 'evaluating',
              guard: 'canCapture',
              actions: assign({
                photo: ({ context, event }) => ({
                  ...context.photo,
                  attempts: context.photo.attempts + 1,
                  pending: { image: event.image, source: event.source ?? 'camera' },
                }),
              }),
            },
            'override-photo': {
              target: '#issuance.review',
              guard: 'canOverridePhoto',
              actions: assign({
                photo: ({ context, event }) => ({ ...context.photo, override: { reason: event.reason, approvedBy: event.approvedBy ?? null } }),
              }),
            },
          },
        },
        evaluating: {
          invoke: {
            src: 'evaluatePhoto',
            input: ({ context }) => ({
              image: context.photo.pending?.image ?? new Uint8Array(),
              source: context.photo.pending?.source ?? 'camera',
              form: context.form,
              replacement: context.assessment.action === 'replacement',
            }),
            onDone: [
              {
                guard: 'photoPassed',
                target: '#issuance.review',
                actions: assign({
                  photo: ({ context, event }) => ({
                    ...context.photo,
                    latest: event.output,
                    best: { image: context.photo.pending?.image ?? new Uint8Array(), verdict: event.output, score: Number.POSITIVE_INFINITY },
                    pending: null,
                  }),
                }),
              },
              {
                target: 'waiting',
                actions: assign({
                  photo: ({ context, event }) => {
                    const score = photoScore(event.output);
                    const keep = context.photo.best && context.photo.best.score >= score;
                    return {
                      ...context.photo,
                      latest: event.output,
                      best: keep ? context.photo.best : { image: context.photo.pending?.image ?? new Uint8Array(), verdict: event.output, score },
                      pending: null,
                    };
                  },
                }),
              },
            ],
            onError: {
              target: 'waiting',
              actions: assign({
                photo: ({ context }) => ({ ...context.photo, pending: null }),
                error: ({ event }) => toStepError(event.error),
              }),
            },
          },
        },
      },
      on: {
        back: 'application',
        cancel: 'home',
        'owner-left': 'home',
      },
    },
    review: {
      initial: 'starting',
      states: {
        starting: {
          invoke: {
            src: 'beginJob',
            input: ({ context }) => ({ form: context.form }),
            onDone: { target: 'rendering', actions: assign({ jobId: ({ event }) => event.output }) },
            onError: { target: '#issuance.failed', actions: { type: 'failAt', params: 'rendering' as const } },
          },
        },
        rendering: {
          invoke: {
            src: 'renderCard',
            input: ({ context }) => ({
              jobId: context.jobId ?? '',
              form: context.form,
              photo: context.photo.best?.verdict.cardPhoto ?? null,
            }),
            onDone: { target: 'ready', actions: assign({ preview: ({ event }) => event.output }) },
            onError: { target: '#issuance.failed', actions: { type: 'failAt', params: 'rendering' as const } },
          },
        },
        ready: {
          on: {
            'confirm-print': {
              target: '#issuance.issuing',
              actions: assign({ owner: ({ context, event }) => event.operatorId ?? context.owner }),
            },
            back: 'leaving',
          },
        },
        /** Back to the photo: this job ends here (a new one begins with the next review). */
        leaving: {
          invoke: {
            src: 'abandonJob',
            input: ({ context }) => ({ jobId: context.jobId, cardInPrinter: false, reason: 'back-to-photo' }),
            onDone: '#issuance.photo',
            onError: '#issuance.photo',
          },
          exit: assign({
            jobId: null,
            preview: null,
            photo: ({ context }) => ({ ...context.photo, override: null }),
          }),
        },
      },
      on: { cancel: 'cancelling', 'owner-left': 'cancelling' },
    },
    issuing: {
      initial: 'printing',
      entry: assign({ error: null, failedStep: null }),
      // A card under way is finished by the printer whoever is signed in; what follows waits for its owner.
      on: {
        'owner-left': { actions: assign({ ownerPresent: false }) },
        'owner-back': { guard: 'isOwner', actions: assign({ ownerPresent: true }) },
      },
      states: {
        printing: {
          invoke: {
            src: 'printCard',
            input: ({ context }) => job(context),
            onDone: { target: 'encoding', actions: { type: 'completeStep', params: 'printing' as const } },
            onError: { target: '#issuance.failed', actions: { type: 'failAt', params: 'printing' as const } },
          },
        },
        encoding: {
          invoke: {
            src: 'encodeCard',
            input: ({ context }) => job(context),
            onDone: {
              target: 'committing',
              actions: [
                { type: 'completeStep', params: 'encoding' as const },
                assign({ result: ({ context, event }) => ({ cardNumber: context.preview?.cardNumber ?? '', uid: event.output.uid }) }),
              ],
            },
            onError: { target: '#issuance.failed', actions: { type: 'failAt', params: 'encoding' as const } },
          },
        },
        committing: {
          invoke: {
            src: 'commitIssuance',
            input: ({ context }) => ({ ...job(context), uid: context.result?.uid ?? '' }),
            onDone: { target: 'ejecting', actions: { type: 'completeStep', params: 'committing' as const } },
            onError: { target: '#issuance.failed', actions: { type: 'failAt', params: 'committing' as const } },
          },
        },
        ejecting: {
          invoke: {
            src: 'ejectCard',
            input: ({ context }) => ({ jobId: context.jobId ?? '' }),
            // The card is issued and recorded: a jammed exit is a printer problem, not a failed issuance.
            onDone: '#issuance.done',
            onError: {
              target: '#issuance.done',
              actions: assign({ error: ({ event }) => toStepError(event.error) }),
            },
          },
        },
      },
    },
    failed: {
      always: { guard: 'ownerAway', target: 'parking' },
      on: {
        'owner-left': { target: 'parking', actions: assign({ ownerPresent: false }) },
        retry: [
          { guard: { type: 'failedAt', params: 'rendering' }, target: 'review' },
          { guard: 'canRetry', target: 'resuming' },
        ],
        cancel: 'cancelling',
      },
    },
    /** Retry continues from the step that failed; earlier steps are not repeated (never print twice). */
    resuming: {
      always: [
        { guard: { type: 'failedAt', params: 'printing' }, target: 'issuing.printing' },
        { guard: { type: 'failedAt', params: 'encoding' }, target: 'issuing.encoding' },
        { guard: { type: 'failedAt', params: 'committing' }, target: 'issuing.committing' },
        { target: 'failed' },
      ],
    },
    cancelling: {
      invoke: {
        src: 'abandonJob',
        input: ({ context }) => ({
          jobId: context.jobId,
          cardInPrinter: context.completed.includes('printing') || context.failedStep === 'printing',
          reason: context.error?.kind ?? 'cancelled',
        }),
        onDone: 'home',
        onError: 'home',
      },
    },
    done: {
      // The card is out: a done screen left by its operator shows nothing to the next person.
      always: { guard: 'ownerAway', target: 'home' },
      after: { handOverTimeout: 'home' },
      on: { finish: 'home', 'owner-left': 'home' },
    },
    /** The owner left a failed job: its personal data goes to the store (encrypted) and out of memory. */
    parking: {
      invoke: {
        src: 'parkJob',
        input: ({ context }) => ({
          jobId: context.jobId ?? '',
          owner: context.owner,
          data: {
            form: context.form,
            assessment: context.assessment,
            verdict: context.photo.best?.verdict ?? null,
            override: context.photo.override,
            attempts: context.photo.attempts,
          },
        }),
        onDone: [
          { guard: 'ownerPresent', target: 'failed' },
          { target: 'parked', actions: assign(noApplicant) },
        ],
        // Not kept safely, so not kept: the card goes to the reject box and the job is closed.
        onError: 'cancelling',
      },
      on: { 'owner-back': { guard: 'isOwner', actions: assign({ ownerPresent: true }) } },
    },
    /** A failed job waits for its owner, or for a supervisor to take it over; nothing personal is held. */
    parked: {
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
        input: ({ context }) => ({ jobId: context.jobId ?? '', resumedBy: context.owner, takenOverFrom: context.takenOverFrom }),
        onDone: {
          target: 'failed',
          actions: assign(({ context, event }) => ({
            form: event.output.form,
            assessment: event.output.assessment,
            photo: {
              ...context.photo,
              attempts: event.output.attempts,
              best: event.output.verdict ? { image: new Uint8Array(), verdict: event.output.verdict, score: Number.POSITIVE_INFINITY } : null,
              latest: event.output.verdict,
              override: event.output.override,
            },
            preview: event.output.preview,
            ownerPresent: true,
            takenOverFrom: null,
          })),
        },
        // Without its data the job cannot be printed again: it may only be cancelled.
        onError: {
          target: 'failed',
          actions: assign({
            error: ({ event }) => new IssuanceStepError('job_not_resumable', { zh: '無法取回這張卡的資料，請取消後重新申辦', en: `The job's data could not be brought back (${toStepError(event.error).kind}): cancel it and apply again` }, false),
            ownerPresent: true,
            takenOverFrom: null,
          }),
        },
      },
    },
  },
});

export type IssuanceMachine = typeof issuanceMachine;
export { IssuanceStepError };
