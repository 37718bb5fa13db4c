import { jobSteps, type JobProgressView, type JobStep, type JobStepState } from '../../../shared/contract/job-progress';
import type { IssuingStep, JobStage } from '../../../shared/contract/kiosk-api';

/**
 * Issue 16: how far each card job is, and how long it still takes. The printer and the encoder report
 * each step as it ends (`done`); the tracker times the steps with the injected clock and keeps the
 * durations this kiosk measured, so the estimate follows this printer's real speed. Until a step was
 * measured its datasheet duration stands in.
 *
 * The job's stage is the floor of the truth: a job at `encoding` has printed, whether or not the printer's
 * reports reached us (a restart, a driver without reports).
 */

/**
 * A step's expected milliseconds before this kiosk measured it. The printer's datasheet: 150–225
 * single-sided colour cards an hour (16–24 s a card); a YMCKO front takes most of it, a K-only back a
 * third of that (protocols.md). Encoding and reading back a MIFARE sector set take a second or two.
 */
export const datasheetStepMs: Readonly<Record<JobStep, number>> = {
  insert: 2_000,
  'print-front': 14_000,
  'print-back': 8_000,
  encode: 2_000,
  verify: 1_000,
  record: 500,
  eject: 2_000,
};

/** How many of a step's latest durations make its measured speed (older ones are forgotten). */
export const measuredSamples = 5;

/** Where each issuing stage of the card job starts and ends among the steps. */
const stageSteps: Readonly<Record<IssuingStep, readonly JobStep[]>> = {
  rendering: [],
  printing: ['insert', 'print-front', 'print-back'],
  encoding: ['encode', 'verify'],
  verifying: ['verify'],
  committing: ['record'],
};

/** The steps a stage has certainly finished (whatever the reports say). */
const doneBefore: Partial<Record<JobStage, readonly JobStep[]>> = {
  encoding: ['insert', 'print-front', 'print-back'],
  committing: ['insert', 'print-front', 'print-back', 'encode', 'verify'],
  ejecting: ['insert', 'print-front', 'print-back', 'encode', 'verify', 'record'],
  ready: jobSteps,
};

/** The steps a stage works on: the first of them not done is under way. */
const stageWorksOn: Partial<Record<JobStage, readonly JobStep[]>> = {
  printing: stageSteps.printing,
  encoding: stageSteps.encoding,
  committing: stageSteps.committing,
  ejecting: ['eject'],
};

/** What the tracker heard of one job's card. */
interface JobReports {
  readonly steps: readonly JobStep[];
  readonly done: Set<JobStep>;
  /** The step under way and since when (the clock's ms); null after a failure (its time is not the printer's speed). */
  active: { readonly step: JobStep; readonly since: number } | null;
}

/** The job as the queue knows it, for its progress. */
export interface JobProgressInput {
  readonly jobId: string;
  readonly stage: JobStage;
  /** The issuing step that failed (a failed or parked job), or null. */
  readonly failedStep: IssuingStep | null;
  /** The job's error on a card that is out (an exit that jammed). */
  readonly hasError: boolean;
}

export interface JobProgressTracker {
  /** A card starts printing (again, after a reprint): its steps, all pending, the card taken in first. */
  printing(jobId: string, options: { readonly doubleSided: boolean }): void;
  /** A step starts now (a stage of the job that does not follow a reported step: a retried encoding). */
  begin(jobId: string, step: JobStep): void;
  /** A step ended now, as its device reported it: measured, and the next one is under way. */
  done(jobId: string, step: JobStep): void;
  /** The step under way failed: its time is not counted in the speed. */
  failed(jobId: string): void;
  /** Jobs the queue no longer holds are forgotten. */
  retain(jobIds: readonly string[]): void;
  /** The job's progress at `nowMs`. */
  view(job: JobProgressInput, nowMs: number): JobProgressView;
  /** What each step is expected to take now (ms): measured, or the datasheet's. */
  expectedMs(step: JobStep): number;
  /** Told when a report changes a job's progress (so a new snapshot goes out). */
  onChange(listener: () => void): () => void;
}

export function createJobProgressTracker(now: () => number, defaults: Readonly<Record<JobStep, number>> = datasheetStepMs): JobProgressTracker {
  const jobs = new Map<string, JobReports>();
  const samples = new Map<JobStep, number[]>();
  const listeners = new Set<() => void>();
  const changed = (): void => {
    for (const listener of listeners) listener();
  };
  const expectedMs = (step: JobStep): number => {
    const measured = samples.get(step);
    if (!measured || measured.length === 0) return defaults[step];
    return measured.reduce((sum, ms) => sum + ms, 0) / measured.length;
  };
  const measure = (step: JobStep, ms: number): void => {
    const list = samples.get(step) ?? [];
    list.push(ms);
    if (list.length > measuredSamples) list.shift();
    samples.set(step, list);
  };
  const reportsOf = (jobId: string): JobReports => {
    const known = jobs.get(jobId);
    if (known) return known;
    const fresh: JobReports = { steps: jobSteps, done: new Set(), active: null };
    jobs.set(jobId, fresh);
    return fresh;
  };

  return {
    printing(jobId, { doubleSided }) {
      const steps = doubleSided ? jobSteps : jobSteps.filter((step) => step !== 'print-back');
      jobs.set(jobId, { steps, done: new Set(), active: { step: 'insert', since: now() } });
      changed();
    },
    begin(jobId, step) {
      reportsOf(jobId).active = { step, since: now() };
      changed();
    },
    done(jobId, step) {
      const reports = reportsOf(jobId);
      const at = now();
      // Timed only when the step ran from its start to its end under our eyes.
      if (reports.active?.step === step) measure(step, at - reports.active.since);
      reports.done.add(step);
      const next = reports.steps.find((candidate) => !reports.done.has(candidate));
      reports.active = next ? { step: next, since: at } : null;
      changed();
    },
    failed(jobId) {
      reportsOf(jobId).active = null;
      changed();
    },
    retain(jobIds) {
      for (const jobId of jobs.keys()) if (!jobIds.includes(jobId)) jobs.delete(jobId);
    },
    view(job, nowMs) {
      return progressOf(job, jobs.get(job.jobId) ?? null, expectedMs, nowMs);
    },
    expectedMs,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** The job's steps with their states, how far it is and the seconds left, from its stage and its reports. */
export function progressOf(job: JobProgressInput, reports: JobReports | null, expectedMs: (step: JobStep) => number, nowMs: number): JobProgressView {
  const steps = reports?.steps ?? jobSteps;
  const floor = job.stage === 'ready' && job.hasError ? jobSteps.filter((step) => step !== 'eject') : (doneBefore[job.stage] ?? []);
  const done = new Set<JobStep>([...floor, ...(reports?.done ?? [])]);
  // An exit that jammed: the card is issued but not out.
  if (job.stage === 'ready' && job.hasError) done.delete('eject');
  const current = currentStep(job, steps, done);
  const failed = job.stage === 'failed' || job.stage === 'parked' || (job.stage === 'ready' && job.hasError);
  const working = current !== null && !failed && job.stage !== 'closing';
  const elapsed = working && reports?.active?.step === current ? Math.max(0, nowMs - reports.active.since) : 0;

  let totalMs = 0;
  let doneMs = 0;
  let leftMs = 0;
  const views = steps.map((step) => {
    const expected = expectedMs(step);
    totalMs += expected;
    let state: JobStepState = 'pending';
    if (done.has(step)) {
      state = 'done';
      doneMs += expected;
    } else if (step === current) {
      state = failed ? 'failed' : 'active';
      // A step running late is nearly done, not done: the bar stops short and a second stays on the clock.
      const spent = Math.min(elapsed, expected * 0.95);
      doneMs += spent;
      leftMs += working ? Math.max(expected - elapsed, 1_000) : expected;
    } else {
      leftMs += expected;
    }
    return { step, state };
  });
  const out = job.stage === 'ready' && !job.hasError;
  return {
    step: job.stage === 'queued' || out ? null : current,
    fraction: out ? 1 : totalMs === 0 ? 0 : Math.min(1, doneMs / totalMs),
    secondsLeft: out ? 0 : Math.ceil(leftMs / 1000),
    steps: views,
  };
}

/** The step the job is at: the first not done among those its stage works on (the failed stage's, when failed). */
function currentStep(job: JobProgressInput, steps: readonly JobStep[], done: ReadonlySet<JobStep>): JobStep | null {
  if (job.stage === 'queued') return null;
  const scope = job.failedStep && (job.stage === 'failed' || job.stage === 'parked') ? stageSteps[job.failedStep] : (stageWorksOn[job.stage] ?? steps);
  return scope.find((step) => steps.includes(step) && !done.has(step)) ?? steps.find((step) => !done.has(step)) ?? null;
}
