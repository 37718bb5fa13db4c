import { createActor, fromPromise, waitFor, type SimulatedClock } from 'xstate';
import { cardJobMachine, jobStage } from '../../../../kiosk/controller/issuance/card-job-machine';
import {
  issuanceMachine,
  type Assessment,
  type CardPreview,
  type IssuanceJob,
  type ParkedJobData,
  type PhotoVerdict,
  type ResumedJob,
} from '../../../../kiosk/controller/issuance/issuance-machine';
import type { JobStage } from '../../../../shared/contract/kiosk-api';
import { message } from '../../../../shared/contract/messages';

/** Fakes for the issuance machine and its card jobs: every device call is recorded with its job. */

export const eligibleGeneral: Assessment = {
  eligibility: { cards: [], guardianConsentRequired: false, recommended: null },
  problems: [],
  fee: 0,
  action: 'new',
};
export const goodPhoto: PhotoVerdict = { passed: true, checks: [], cardPhoto: new Uint8Array([1]), archivePhoto: new Uint8Array([2]), faceMatch: null };

export interface HarnessOptions {
  print?: (jobId: string) => Promise<void>;
  encode?: (jobId: string) => Promise<{ uid: string }>;
  commit?: (jobId: string) => Promise<void>;
  park?: (jobId: string) => Promise<void>;
  photo?: PhotoVerdict[];
  /** The configured delays of the card jobs (main.ts provides them) and the clock they run on. */
  delays?: { handOverTimeout: number };
  clock?: SimulatedClock;
  /** The machine's clock in milliseconds (default Date.now). */
  now?: () => number;
}

export function issuanceHarness(options: HarnessOptions = {}) {
  const calls: string[] = [];
  const commits: Array<IssuanceJob & { uid: string }> = [];
  const rendered: Array<Uint8Array | null> = [];
  const evaluated: Array<{ image: number[]; source: string }> = [];
  const parked: Array<{ jobId: string; owner: string | null; data: ParkedJobData }> = [];
  /** The confirms the card jobs journaled for the figures, apart from `calls` (no device is involved). */
  const queued: Array<{ jobId: string; applicationStartedAt: number | null }> = [];
  /** Breaches of "one job at a time in the printer": a card fed while another's is inside. */
  const printerClashes: string[] = [];
  let inPrinter: string | null = null;
  let jobs = 0;
  const verdicts = [...(options.photo ?? [goodPhoto])];
  const preview = (jobId: string): CardPreview => ({ cardNumber: `TY${jobId.replace('job-', '').padStart(4, '0')}`, frontPng: new Uint8Array([0x89]), job: 'job' });
  const cardJob = cardJobMachine.provide({
    ...(options.delays ? { delays: options.delays } : {}),
    actors: {
      journalQueued: fromPromise(async ({ input }: { input: { jobId: string; applicationStartedAt: number | null } }) => {
        queued.push(input);
      }),
      printCard: fromPromise(async ({ input }: { input: IssuanceJob }) => {
        calls.push(`print:${input.jobId}`);
        if (inPrinter !== null && inPrinter !== input.jobId) printerClashes.push(`${input.jobId} fed while ${inPrinter} is inside`);
        inPrinter = input.jobId;
        await (options.print ?? (async () => {}))(input.jobId);
      }),
      encodeCard: fromPromise(async ({ input }: { input: IssuanceJob }) => {
        calls.push(`encode:${input.jobId}`);
        return (options.encode ?? (async () => ({ uid: '04A1B2C3' })))(input.jobId);
      }),
      commitIssuance: fromPromise(async ({ input }: { input: IssuanceJob & { uid: string } }) => {
        calls.push(`commit:${input.jobId}:${input.uid}`);
        await (options.commit ?? (async () => {}))(input.jobId);
        commits.push(input);
      }),
      ejectCard: fromPromise(async ({ input }: { input: { jobId: string } }) => {
        calls.push(`eject:${input.jobId}`);
        if (inPrinter === input.jobId) inPrinter = null;
      }),
      abandonJob: fromPromise(async ({ input }: { input: { jobId: string | null; cardInPrinter: boolean; reason: string } }) => {
        calls.push(`abandon:${input.jobId}:${input.cardInPrinter}:${input.reason}`);
        if (input.cardInPrinter && inPrinter === input.jobId) inPrinter = null;
      }),
      parkJob: fromPromise(async ({ input }: { input: { jobId: string; owner: string | null; data: ParkedJobData } }) => {
        calls.push(`park:${input.jobId}:${input.owner}`);
        await (options.park ?? (async () => {}))(input.jobId);
        parked.push(input);
      }),
      resumeJob: fromPromise(async ({ input }: { input: { jobId: string; resumedBy: string | null; takenOverFrom: string | null } }): Promise<ResumedJob> => {
        calls.push(`resume:${input.jobId}:${input.resumedBy}:${input.takenOverFrom}`);
        const data = parked.find((entry) => entry.jobId === input.jobId)?.data;
        if (!data) throw new Error(`no parked job ${input.jobId}`);
        return { ...data, preview: preview(input.jobId) };
      }),
    },
  });
  const machine = issuanceMachine.provide({
    actors: {
      assessApplication: fromPromise(async ({ input }) =>
        input.form.name ? eligibleGeneral : { ...eligibleGeneral, problems: [message('application.enter-name')] },
      ),
      evaluatePhoto: fromPromise(async ({ input }) => {
        evaluated.push({ image: [...input.image], source: input.source });
        return verdicts.shift() ?? goodPhoto;
      }),
      beginJob: fromPromise(async () => {
        jobs += 1;
        return `job-${jobs}`;
      }),
      renderCard: fromPromise(async ({ input }): Promise<CardPreview> => {
        rendered.push(input.photo);
        return preview(input.jobId);
      }),
      abandonJob: fromPromise(async ({ input }: { input: { jobId: string | null; cardInPrinter: boolean; reason: string } }) => {
        calls.push(`abandon:${input.jobId}:${input.cardInPrinter}:${input.reason}`);
      }),
      cardJob,
    },
  });
  const actor = createActor(machine, { input: options.now ? { now: options.now } : {}, ...(options.clock ? { clock: options.clock } : {}) }).start();
  return { actor, calls, commits, rendered, evaluated, parked, printerClashes, queued };
}

export type IssuanceActor = ReturnType<typeof issuanceHarness>['actor'];

/** The queue's jobs by ticket and stage, e.g. `{ 1: 'ready', 2: 'printing' }`. */
export function stages(actor: IssuanceActor): Record<number, JobStage> {
  return Object.fromEntries(actor.getSnapshot().context.jobs.map((job) => [job.ticket, jobStage(job.ref.getSnapshot())]));
}

export function jobRef(actor: IssuanceActor, jobId: string) {
  const job = actor.getSnapshot().context.jobs.find((entry) => entry.jobId === jobId);
  if (!job) throw new Error(`no job ${jobId} in the queue`);
  return job.ref;
}

/** Waits until the queue's jobs stand as `wanted` says (by ticket; `{}` is the empty queue). */
export async function untilStages(actor: IssuanceActor, wanted: Record<number, JobStage>): Promise<void> {
  const same = (): boolean => JSON.stringify(stages(actor)) === JSON.stringify(wanted);
  for (let turn = 0; turn < 200 && !same(); turn += 1) await new Promise((resolve) => setTimeout(resolve, 1));
  if (!same()) throw new Error(`the queue is ${JSON.stringify(stages(actor))}, not ${JSON.stringify(wanted)}`);
}

export async function toReview(actor: IssuanceActor, name = 'CHEN MEI LING', operatorId?: string) {
  actor.send({ type: 'start-application', ...(operatorId ? { operatorId } : {}) });
  actor.send({ type: 'update-application', fields: { name } });
  await waitFor(actor, (s) => s.matches({ applicant: { application: 'editing' } }));
  actor.send({ type: 'submit-application' });
  actor.send({ type: 'capture-photo', image: new Uint8Array([0xff, 0xd8]) });
  await waitFor(actor, (s) => s.matches({ applicant: { review: 'ready' } }));
}

export async function toPhoto(actor: IssuanceActor) {
  actor.send({ type: 'start-application' });
  actor.send({ type: 'update-application', fields: { name: 'A' } });
  await waitFor(actor, (s) => s.matches({ applicant: { application: 'editing' } }));
  actor.send({ type: 'submit-application' });
}

/** A promise the test settles: holds a device step until the test lets it go. */
export function gate() {
  let open!: () => void;
  let fail!: (error: unknown) => void;
  const promise = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}
