import { assign, enqueueActions, fromPromise, setup } from 'xstate';
import type { ApplicationForm, PhotoSource } from '../../../shared/contract/kiosk-api';
import type { Locale } from '../../../shared/i18n/messages';
import { emptyApplicationForm } from '../../../shared/contract/kiosk-api';
import { message, type Message } from '../../../shared/contract/messages';
import { cardJobMachine, type CardJobRef } from './card-job-machine';
import { IssuanceStepError, toStepError } from './issuance-errors';
import type { Assessment, CardPreview, IssuanceJob, PhotoVerdict } from './issuance-types';

/**
 * The staffed issuance flow: application → photo → review, and on confirmation the card becomes a
 * job of its own (`card-job-machine.ts`: print → encode → commit → hand over) in the print queue,
 * while the flow goes home for the next applicant. The queue gives the printer to one job at a time,
 * in order of confirmation. Every device and store step is an actor declared here or in the card job
 * and implemented by the composition root (`machine.provide({ actors })`), so unit tests swap in fakes
 * and production swaps in drivers.
 */

export * from './issuance-types';

export type IssuanceEvent =
  /** `prefill`: a row picked from a batch (nursing home, pre-registered): its form, and the row its card job is for. */
  | { type: 'start-application'; operatorId?: string | null; prefill?: { fields: Partial<ApplicationForm>; batchRowId: string } }
  | { type: 'update-application'; fields: Partial<ApplicationForm> }
  | { type: 'document-read'; fields: Partial<ApplicationForm>; problems: readonly Message[] }
  | { type: 'submit-application' }
  | { type: 'capture-photo'; image: Uint8Array; source?: PhotoSource | undefined }
  | { type: 'override-photo'; reason: string; approvedBy?: string | null }
  | { type: 'retake-photo' }
  /** The review is confirmed: the card joins the print queue and the flow is free for the next applicant. */
  | { type: 'confirm-print'; operatorId?: string | null }
  /** The card face could not be made: try the review again. */
  | { type: 'retry' }
  | { type: 'back' }
  /** Drops the application; after a scan or a photo it first asks (`confirmingDiscard`). */
  | { type: 'cancel' }
  /** The second tap: yes, discard this application. */
  | { type: 'confirm-discard' }
  /** No: back to the application where it was. */
  | { type: 'keep-application' }
  /** On the photo screen again (back from the review): go on with the photo already accepted. */
  | { type: 'use-photo' }
  /** The signed-in operator signed out or was locked out: nothing of the applicant may stay on show. */
  | { type: 'owner-left' }
  /** An operator signed in: when it is a job's owner, their parked job comes back. */
  | { type: 'owner-back'; operatorId: string }
  /** From a card job: its card has left the printer, which may take the next job. */
  | { type: 'job.released'; jobId: string }
  /** From a card job: it is over (handed over, spoiled or abandoned). */
  | { type: 'job.closed'; jobId: string }
  /** The applicant's language, chosen on either window (flow state: it goes with their application). */
  | { type: 'set-applicant-language'; language: Locale };

/** A card in the print queue: its actor and where it stands in the day's numbering. */
export interface QueuedJob {
  readonly jobId: string;
  readonly ticket: number;
  readonly ref: CardJobRef;
}

export interface IssuanceInput {
  /** The injected clock's milliseconds (for how long a job has been at its stage). */
  readonly now?: () => number;
}

export interface IssuanceContext {
  form: ApplicationForm;
  source: 'manual' | 'scanner';
  /** The form's fields as the scanner read them (not corrected since): the screen shows them read-only. */
  scannedFields: (keyof ApplicationForm)[];
  documentProblems: readonly Message[];
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
  /** The batch row this application was picked from, or null (an applicant at the counter). */
  batchRowId: string | null;
  /** Why the photo could not be judged or the card face not made (the flow's own steps), or null. */
  error: IssuanceStepError | null;
  /** The operator the application belongs to: who started it and confirmed the print. */
  owner: string | null;
  /** The print queue: every card confirmed and not yet handed over or spoiled, in order of confirmation. */
  jobs: QueuedJob[];
  /** The job the printer is given to (its card is inside, or it failed with its card inside), or null. */
  printerHolder: string | null;
  /** The next card's number in the queue's numbering (1, 2, 3 … since the kiosk started). */
  nextTicket: number;
  readonly now: () => number;
  /** When the application on show started (the clock's milliseconds), for the figures; null at home. */
  applicationStartedAt: number | null;
  /**
   * The person at the counter: their language, and their card once confirmed (its job), which their
   * window follows until it is taken. Both outlive the flow's return home at the confirm and go when
   * their application ends (cancelled, the operator gone, the card closed, the next one started).
   */
  applicantLanguage: Locale;
  applicantJobId: string | null;
}

export const maxPhotoAttempts = 3;

const notAssessed: Assessment = { eligibility: null, problems: [], fee: 0, action: null };

/** Every field with personal data, and the flow's job, empty: a new application starts so. */
function noApplicant(): Pick<IssuanceContext, 'form' | 'source' | 'scannedFields' | 'documentProblems' | 'assessment' | 'photo' | 'preview' | 'jobId' | 'batchRowId' | 'error' | 'owner' | 'applicationStartedAt'> {
  return {
    form: { ...emptyApplicationForm },
    source: 'manual',
    scannedFields: [],
    documentProblems: [],
    assessment: notAssessed,
    photo: { attempts: 0, best: null, latest: null, pending: null, override: null },
    preview: null,
    jobId: null,
    batchRowId: null,
    error: null,
    owner: null,
    applicationStartedAt: null,
  };
}

/** Nobody's language chosen, nobody's card followed: the applicant window's welcome, in Chinese. */
const nobodyAtTheCounter: Pick<IssuanceContext, 'applicantLanguage' | 'applicantJobId'> = { applicantLanguage: 'zh-TW', applicantJobId: null };

const notProvided = (name: string) =>
  fromPromise<never, unknown>(async () => {
    throw new Error(`the ${name} actor was not provided by the composition root`);
  });

/** The card type the rules recommend, when the operator has not chosen one yet (preselected on the screen). */
const recommendedChoice = (context: IssuanceContext, assessment: Assessment): ApplicationForm['cardType'] =>
  context.form.cardType === '' ? (assessment.eligibility?.recommended ?? '') : '';

/** The fields of `fields` that hold something (a scanner leaves out what the document does not carry). */
const filledKeys = (fields: Partial<ApplicationForm>): (keyof ApplicationForm)[] =>
  (Object.keys(fields) as (keyof ApplicationForm)[]).filter((key) => fields[key] !== '' && fields[key] !== undefined);

const oneFaceFound = (verdict: PhotoVerdict): boolean => verdict.checks.some((check) => check.id === 'one-face' && check.passed);

/**
 * Why the operator may not accept the best failed photo now, or null when they may. An override
 * needs the attempts used up and a best attempt with exactly one face, cropped around it (the other
 * checks may fail: the nursing-home exception); a frame without a face is never a card photo.
 */
export function photoOverrideRefusal(context: IssuanceContext): Message | null {
  const best = context.photo.best;
  if (context.photo.attempts < maxPhotoAttempts || best === null) return message('photo.override-needs-attempts', { attempts: maxPhotoAttempts });
  if (!oneFaceFound(best.verdict) || best.verdict.cardPhoto === null || best.verdict.archivePhoto === null) return message('photo.override-no-face');
  return null;
}

/** The best attempt is one with exactly one face (the only kind an override may accept), then the most checks passed. */
function photoScore(verdict: PhotoVerdict): number {
  return (oneFaceFound(verdict) ? verdict.checks.length + 1 : 0) + verdict.checks.filter((check) => check.passed).length;
}

function confirmedJob(context: IssuanceContext, owner: string | null): IssuanceJob {
  if (!context.jobId || !context.preview) throw new Error('confirming a print without a job or a preview');
  return {
    jobId: context.jobId,
    form: context.form,
    assessment: context.assessment,
    // Only the crops around the face are ever printed or kept, never the raw frame.
    photo: context.photo.best?.verdict.cardPhoto ?? null,
    archivePhoto: context.photo.best?.verdict.archivePhoto ?? null,
    photoOverride: context.photo.override,
    preview: context.preview,
    owner,
  };
}

/**
 * The applicant's initials for the queue: a romanised name's first letters ("N.T.T."), or a Chinese
 * name's first and last characters with a circle for each one between. Enough for the operator to
 * call them, not a name.
 */
export function initialsOf(form: ApplicationForm): string {
  const zh = [...form.nameZh.trim()];
  if (zh.length > 0) return zh.length <= 2 ? `${zh[0]}○` : `${zh[0]}${'○'.repeat(zh.length - 2)}${zh.at(-1)}`;
  const words = form.name.trim().split(/\s+/).filter(Boolean);
  return words.map((word) => `${word[0]?.toUpperCase() ?? ''}.`).join('');
}

export const issuanceMachine = setup({
  types: {
    context: {} as IssuanceContext,
    events: {} as IssuanceEvent,
    input: {} as IssuanceInput,
  },
  actors: {
    assessApplication: notProvided('assessApplication') as unknown as ReturnType<
      typeof fromPromise<Assessment, { form: ApplicationForm }>
    >,
    evaluatePhoto: notProvided('evaluatePhoto') as unknown as ReturnType<
      typeof fromPromise<PhotoVerdict, { image: Uint8Array; source: PhotoSource; form: ApplicationForm; replacement: boolean }>
    >,
    beginJob: notProvided('beginJob') as unknown as ReturnType<typeof fromPromise<string, { form: ApplicationForm; batchRowId: string | null }>>,
    renderCard: notProvided('renderCard') as unknown as ReturnType<
      typeof fromPromise<CardPreview, { jobId: string; form: ApplicationForm; photo: Uint8Array | null }>
    >,
    abandonJob: notProvided('abandonJob') as unknown as ReturnType<
      typeof fromPromise<void, { jobId: string | null; cardInPrinter: boolean; reason: string }>
    >,
    cardJob: cardJobMachine,
  },
  actions: {
    failed: assign(({ event }) => ({ error: toStepError((event as unknown as { error: unknown }).error) })),
    /** The confirmed card joins the queue as an actor of its own. */
    queueCard: assign(({ context, event, spawn }) => {
      const owner = (event.type === 'confirm-print' ? event.operatorId : undefined) ?? context.owner;
      const job = confirmedJob(context, owner);
      const ref = spawn('cardJob', {
        id: job.jobId,
        input: {
          job,
          ticket: context.nextTicket,
          initials: initialsOf(context.form),
          replacement: context.assessment.action === 'replacement',
          verdict: context.photo.best?.verdict ?? null,
          attempts: context.photo.attempts,
          now: context.now,
          applicationStartedAt: context.applicationStartedAt,
        },
      });
      return { jobs: [...context.jobs, { jobId: job.jobId, ticket: context.nextTicket, ref }], nextTicket: context.nextTicket + 1, applicantJobId: job.jobId };
    }),
    /** The applicant's application is over: their window forgets their language and their card. */
    forgetApplicant: assign(nobodyAtTheCounter),
    /** The printer, when free, goes to the first job still waiting for it. */
    grantPrinter: enqueueActions(({ context, enqueue }) => {
      if (context.printerHolder !== null) return;
      const next = context.jobs.find((job) => job.ref.getSnapshot().matches('queued'));
      if (!next) return;
      enqueue.assign({ printerHolder: next.jobId });
      enqueue.sendTo(next.ref, { type: 'printer.granted' });
    }),
    /** The operator is away or back: every job hears it (a failed one parks, or comes back). */
    tellJobs: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'owner-left' && event.type !== 'owner-back') return;
      for (const job of context.jobs) enqueue.sendTo(job.ref, event);
    }),
  },
  guards: {
    canSubmit: ({ context }) => context.assessment.problems.length === 0 && context.assessment.eligibility !== null,
    photoPassed: ({ event }) => (event as unknown as { output: PhotoVerdict }).output.passed,
    canOverridePhoto: ({ context }) => photoOverrideRefusal(context) === null,
    canCapture: ({ context }) => context.photo.attempts < maxPhotoAttempts,
    /** A scan or a photo would be lost: Cancel asks first. A form typed by hand alone goes at one tap. */
    hasWorkToLose: ({ context }) => context.source === 'scanner' || context.photo.attempts > 0 || context.photo.override !== null,
    /** A photo kept from before (back from the review): accepted by the checks, or by an approved override. */
    hasAcceptedPhoto: ({ context }) => context.photo.best?.verdict.passed === true || context.photo.override !== null,
  },
}).createMachine({
  id: 'issuance',
  context: ({ input }) => ({ ...noApplicant(), ...nobodyAtTheCounter, jobs: [], printerHolder: null, nextTicket: 1, now: input?.now ?? Date.now }),
  type: 'parallel',
  states: {
    /** The applicant at the counter: one application at a time, from home to a confirmed card. */
    applicant: {
      initial: 'home',
      on: {
        'owner-left': { actions: ['tellJobs', 'forgetApplicant'] },
        'owner-back': { actions: 'tellJobs' },
        'set-applicant-language': { actions: assign({ applicantLanguage: ({ event }) => event.language }) },
      },
      states: {
        home: {
          entry: assign(noApplicant),
          on: {
            'start-application': {
              target: 'application',
              actions: [
                // The last applicant, still waiting for their card, is not the one starting now.
                enqueueActions(({ context, enqueue }) => {
                  if (context.applicantJobId !== null) enqueue('forgetApplicant');
                }),
                assign({
                owner: ({ event }) => event.operatorId ?? null,
                form: ({ event }) => ({ ...emptyApplicationForm, ...event.prefill?.fields }),
                batchRowId: ({ event }) => event.prefill?.batchRowId ?? null,
                applicationStartedAt: ({ context }) => context.now(),
                }),
              ],
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
                onDone: [
                  {
                    // Nothing chosen yet and the rules recommend one: it is preselected, and assessed as chosen.
                    guard: ({ context, event }) => recommendedChoice(context, event.output) !== '',
                    target: 'assessing',
                    reenter: true,
                    actions: assign({ form: ({ context, event }) => ({ ...context.form, cardType: recommendedChoice(context, event.output) }) }),
                  },
                  { target: 'editing', actions: assign({ assessment: ({ event }) => event.output }) },
                ],
                onError: {
                  target: 'editing',
                  actions: assign({
                    assessment: ({ event }) => ({ ...notAssessed, problems: [toStepError(event.error).advice] }),
                  }),
                },
              },
            },
            editing: {},
            /** "Discard this application?": one more tap to drop a scan or a photo. */
            confirmingDiscard: {
              on: {
                'confirm-discard': { target: '#issuance.applicant.home', actions: 'forgetApplicant' },
                'keep-application': 'assessing',
                // Nothing goes on while the question is open.
                'submit-application': {},
              },
            },
          },
          on: {
            'update-application': {
              target: '.assessing',
              reenter: true,
              actions: assign({
                form: ({ context, event }) => ({ ...context.form, ...event.fields }),
                // A field the operator corrected is theirs now, not the scanner's.
                scannedFields: ({ context, event }) => context.scannedFields.filter((key) => !(key in event.fields)),
              }),
            },
            'document-read': {
              target: '.assessing',
              reenter: true,
              actions: assign({
                form: ({ context, event }) => ({ ...context.form, ...event.fields }),
                source: 'scanner',
                scannedFields: ({ context, event }) => [...new Set([...context.scannedFields, ...filledKeys(event.fields)])],
                documentProblems: ({ event }) => event.problems,
              }),
            },
            'submit-application': { target: 'photo', guard: 'canSubmit' },
            cancel: [{ guard: 'hasWorkToLose', target: '.confirmingDiscard' }, { target: 'home', actions: 'forgetApplicant' }],
            'owner-left': { target: 'home', actions: ['tellJobs', 'forgetApplicant'] },
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
                    error: null,
                    photo: ({ context, event }) => ({
                      ...context.photo,
                      // A new attempt is judged on its own: an override approved for an earlier photo does not cover it.
                      override: null,
                      attempts: context.photo.attempts + 1,
                      pending: { image: event.image, source: event.source ?? 'camera' },
                    }),
                  }),
                },
                'use-photo': { target: '#issuance.applicant.review', guard: 'hasAcceptedPhoto' },
                'override-photo': {
                  target: '#issuance.applicant.review',
                  guard: 'canOverridePhoto',
                  actions: assign({
                    photo: ({ context, event }) => ({ ...context.photo, override: { reason: event.reason, approvedBy: event.approvedBy ?? null } }),
                  }),
                },
              },
            },
            /** "Discard this application?" An evaluation under way is dropped, and so is its attempt. */
            confirmingDiscard: {
              entry: assign({
                photo: ({ context }) =>
                  context.photo.pending === null ? context.photo : { ...context.photo, attempts: context.photo.attempts - 1, pending: null },
              }),
              on: {
                'confirm-discard': { target: '#issuance.applicant.home', actions: 'forgetApplicant' },
                'keep-application': 'waiting',
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
                    target: '#issuance.applicant.review',
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
                  actions: [assign({ photo: ({ context }) => ({ ...context.photo, pending: null }) }), 'failed'],
                },
              },
            },
          },
          on: {
            // The form and every photo attempt stay: the application is still the same.
            back: 'application',
            cancel: [{ guard: 'hasWorkToLose', target: '.confirmingDiscard' }, { target: 'home', actions: 'forgetApplicant' }],
            'owner-left': { target: 'home', actions: ['tellJobs', 'forgetApplicant'] },
          },
        },
        review: {
          initial: 'starting',
          entry: assign({ error: null }),
          states: {
            starting: {
              invoke: {
                src: 'beginJob',
                input: ({ context }) => ({ form: context.form, batchRowId: context.batchRowId }),
                onDone: { target: 'rendering', actions: assign({ jobId: ({ event }) => event.output }) },
                onError: { target: 'failed', actions: 'failed' },
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
                onError: { target: 'failed', actions: 'failed' },
              },
            },
            ready: {
              on: {
                'confirm-print': { target: '#issuance.applicant.home', actions: ['queueCard', 'grantPrinter'] },
                back: 'leaving',
                cancel: 'confirmingDiscard',
              },
            },
            /** The card face could not be made (or the job not begun): the review may be tried again. */
            failed: {
              on: {
                retry: { target: 'leaving', actions: assign({ error: null }) },
                cancel: 'confirmingDiscard',
              },
            },
            /** "Discard this application?" The job begun for the review stays open until the answer. */
            confirmingDiscard: {
              on: {
                'confirm-discard': { target: '#issuance.applicant.cancelling', actions: 'forgetApplicant' },
                'keep-application': [{ guard: ({ context }) => context.preview !== null, target: 'ready' }, { target: 'failed' }],
              },
            },
            /** Back to the photo (or a new attempt at the review): this job ends here; a new one begins with the next review. */
            leaving: {
              invoke: {
                src: 'abandonJob',
                input: ({ context }) => ({ jobId: context.jobId, cardInPrinter: false, reason: 'back-to-photo' }),
                onDone: [{ guard: ({ context }) => context.error === null && context.preview === null, target: '#issuance.applicant.review' }, { target: '#issuance.applicant.photo' }],
                onError: '#issuance.applicant.photo',
              },
              // The photo (and an override approved for it) stays: Back never discards; a new capture clears the override.
              exit: assign({ jobId: null, preview: null }),
            },
          },
          on: {
            // While the card face is being made, the screen has nothing to confirm a discard on: Cancel waits for it.
            'owner-left': { target: 'cancelling', actions: ['tellJobs', 'forgetApplicant'] },
          },
        },
        /** The application is dropped before its card was queued: its job (a card number, no card) is closed. */
        cancelling: {
          invoke: {
            src: 'abandonJob',
            input: ({ context }) => ({ jobId: context.jobId, cardInPrinter: false, reason: 'cancelled' }),
            onDone: 'home',
            onError: 'home',
          },
        },
      },
    },
    /** The print queue: the printer goes to one card job at a time, in order of confirmation. */
    printQueue: {
      on: {
        'job.released': {
          guard: ({ context, event }) => context.printerHolder === event.jobId,
          actions: [assign({ printerHolder: null }), 'grantPrinter'],
        },
        'job.closed': {
          actions: [
            enqueueActions(({ context, event, enqueue }) => {
              const closed = context.jobs.find((job) => job.jobId === event.jobId);
              if (closed) enqueue.stopChild(closed.ref);
              enqueue.assign({
                jobs: context.jobs.filter((job) => job.jobId !== event.jobId),
                printerHolder: context.printerHolder === event.jobId ? null : context.printerHolder,
              });
              // Their card is taken (or given up): the applicant's visit is over.
              if (context.applicantJobId === event.jobId) enqueue('forgetApplicant');
            }),
            'grantPrinter',
          ],
        },
      },
    },
  },
});

export type IssuanceMachine = typeof issuanceMachine;
export type PhotoOverride = import('./issuance-types').PhotoOverride;
export { IssuanceStepError };
