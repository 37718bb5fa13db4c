import { describe, expect, it } from 'vitest';
import { soundFor, statusLightFor } from '../../../kiosk/controller/main';
import type { JobStage, JobView, KioskSnapshot, Screen } from '../../../shared/contract/kiosk-api';

const job = (stage: JobStage): JobView => ({
  jobId: `job-${stage}`, ticket: 1, initials: null, stage, completed: [], stageSeconds: 0, cardType: 'senior',
  cardNumber: null, uid: null, error: null, mine: true, mayTakeOver: false,
  progress: { step: null, fraction: 0, secondsLeft: 0, steps: [] }, summary: null,
});

/** The fields the buzzer and the light look at; the rest of a snapshot is no business of theirs. */
const at = (screen: Screen, stages: readonly JobStage[] = [], options: { paused?: boolean; fault?: boolean } = {}): KioskSnapshot =>
  ({
    screen,
    printQueue: { paused: options.paused ?? false, jobs: stages.map(job) },
    devices: { printer: { state: options.fault ? 'fault' : 'ok' } },
  }) as unknown as KioskSnapshot;

describe('the buzzer on a change', () => {
  it('chirps when the photo is taken and beeps when a card could not be made, and is quiet otherwise', () => {
    expect(soundFor(at('photo'), at('review'))).toBe('success');
    // A card fails while the operator serves the next applicant: the queue stops for it.
    expect(soundFor(at('home', ['printing']), at('home', ['failed'], { paused: true }))).toBe('error');
    expect(soundFor(at('review', ['encoding']), at('review', ['failed'], { paused: true }))).toBe('error');
    // Once: the queue still paused on the next change says nothing more.
    expect(soundFor(at('home', ['failed'], { paused: true }), at('application', ['failed'], { paused: true }))).toBeNull();
    expect(soundFor(at('home'), at('application'))).toBeNull();
    expect(soundFor(at('review'), at('photo'))).toBeNull();
    expect(soundFor(at('home', ['ejecting']), at('home', ['ready']))).toBeNull(); // the hand-over plays its own long beeps
  });
});

describe('the light tower', () => {
  it('fault, then attention for a paused queue or a card at the exit, busy while cards are under way, else ready', () => {
    expect(statusLightFor(at('home', ['printing'], { fault: true }))).toBe('fault');
    expect(statusLightFor(at('home', ['failed', 'queued'], { paused: true }))).toBe('attention');
    expect(statusLightFor(at('application', ['ready']))).toBe('attention');
    expect(statusLightFor(at('home', ['printing', 'queued']))).toBe('busy');
    expect(statusLightFor(at('review'))).toBe('ready');
  });
});
