import { describe, expect, it } from 'vitest';
import { createActor, fromPromise, SimulatedClock, waitFor } from 'xstate';
import { IssuanceStepError } from '../../../../kiosk/controller/issuance/issuance-errors';
import {
  issuanceMachine,
  photoOverrideRefusal,
  type Assessment,
  type CardPreview,
  type IssuanceJob,
  type PhotoVerdict,
} from '../../../../kiosk/controller/issuance/issuance-machine';
import { defaultTimings, issuanceDelaysFrom, timingsSchema } from '../../../../kiosk/controller/timings';
import { message } from '../../../../shared/contract/messages';

const eligibleGeneral: Assessment = {
  eligibility: { cards: [], guardianConsentRequired: false },
  problems: [],
  fee: 0,
  action: 'new',
};
const goodPhoto: PhotoVerdict = { passed: true, checks: [], cardPhoto: new Uint8Array([1]), archivePhoto: new Uint8Array([2]), faceMatch: null };
/** A failed verdict: `faces` found (crops exist only around exactly one), `passedChecks` of four other checks passed. */
const badPhoto = (passedChecks: number, faces = 1): PhotoVerdict => ({
  passed: false,
  checks: [
    { id: 'one-face', passed: faces === 1, value: faces, threshold: '= 1', message: message('photo.many-faces') },
    ...Array.from({ length: 4 }, (_, i) => ({
      id: `check-${i}`,
      passed: i < passedChecks,
      value: i,
      threshold: '>= 1',
      message: message('photo.come-closer'),
    })),
  ],
  cardPhoto: faces === 1 ? new Uint8Array([0xc0, passedChecks]) : null,
  archivePhoto: faces === 1 ? new Uint8Array([0xa0, passedChecks]) : null,
  faceMatch: null,
});

function harness(overrides: {
  print?: () => Promise<void>; encode?: () => Promise<{ uid: string }>; photo?: PhotoVerdict[];
  /** The configured delays (main.ts provides them) and the clock they run on. */
  delays?: { handOverTimeout: number }; clock?: SimulatedClock;
} = {}) {
  const calls: string[] = [];
  const commits: Array<IssuanceJob & { uid: string }> = [];
  const rendered: Array<Uint8Array | null> = [];
  const evaluated: Array<{ image: number[]; source: string }> = [];
  const verdicts = [...(overrides.photo ?? [goodPhoto])];
  const machine = issuanceMachine.provide({
    ...(overrides.delays ? { delays: overrides.delays } : {}),
    actors: {
      assessApplication: fromPromise(async ({ input }) =>
        input.form.name ? eligibleGeneral : { ...eligibleGeneral, problems: [{ zh: '請填寫姓名', en: 'Enter the name' }] },
      ),
      evaluatePhoto: fromPromise(async ({ input }) => {
        evaluated.push({ image: [...input.image], source: input.source });
        return verdicts.shift() ?? goodPhoto;
      }),
      beginJob: fromPromise(async () => 'job-1'),
      renderCard: fromPromise(async ({ input }): Promise<CardPreview> => {
        rendered.push(input.photo);
        return { cardNumber: 'TY0001', frontPng: new Uint8Array([0x89]), job: 'job' };
      }),
      printCard: fromPromise(async ({ input }: { input: IssuanceJob }) => {
        calls.push(`print:${input.jobId}`);
        await (overrides.print ?? (async () => {}))();
      }),
      encodeCard: fromPromise(async () => {
        calls.push('encode');
        return (overrides.encode ?? (async () => ({ uid: '04A1B2C3' })))();
      }),
      commitIssuance: fromPromise(async ({ input }) => {
        calls.push(`commit:${input.uid}`);
        commits.push(input);
      }),
      ejectCard: fromPromise(async () => {
        calls.push('eject');
      }),
      abandonJob: fromPromise(async ({ input }) => {
        calls.push(`abandon:${input.cardInPrinter}:${input.reason}`);
      }),
    },
  });
  const actor = createActor(machine, overrides.clock ? { clock: overrides.clock } : {}).start();
  return { actor, calls, commits, rendered, evaluated };
}

async function toReview(actor: ReturnType<typeof harness>['actor']) {
  actor.send({ type: 'start-application' });
  actor.send({ type: 'update-application', fields: { name: 'CHEN MEI LING' } });
  await waitFor(actor, (s) => s.matches({ application: 'editing' }));
  actor.send({ type: 'submit-application' });
  actor.send({ type: 'capture-photo', image: new Uint8Array([0xff, 0xd8]) });
  await waitFor(actor, (s) => s.matches({ review: 'ready' }));
}

async function toPhoto(actor: ReturnType<typeof harness>['actor']) {
  actor.send({ type: 'start-application' });
  actor.send({ type: 'update-application', fields: { name: 'A' } });
  await waitFor(actor, (s) => s.matches({ application: 'editing' }));
  actor.send({ type: 'submit-application' });
}

async function threeAttempts(actor: ReturnType<typeof harness>['actor']) {
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    actor.send({ type: 'capture-photo', image: new Uint8Array([attempt]) });
    await waitFor(actor, (s) => s.matches({ photo: 'waiting' }) && s.context.photo.attempts === attempt);
  }
}

describe('issuance machine', () => {
  it('issues a card end to end: print, encode, commit, eject, done', async () => {
    const { actor, calls } = harness();
    await toReview(actor);
    actor.send({ type: 'confirm-print' });
    await waitFor(actor, (s) => s.matches('done'));
    expect(calls).toEqual(['print:job-1', 'encode', 'commit:04A1B2C3', 'eject']);
    expect(actor.getSnapshot().context.result).toEqual({ cardNumber: 'TY0001', uid: '04A1B2C3' });
    actor.send({ type: 'finish' });
    expect(actor.getSnapshot().matches('home')).toBe(true);
    expect(actor.getSnapshot().context.form.name).toBe('');
  });

  it('handOverTimeout: configured 20 s, the done screen goes home at 20 s and not before (not at the default 60 s)', async () => {
    const clock = new SimulatedClock();
    const { actor } = harness({ clock, delays: issuanceDelaysFrom(timingsSchema.parse({ ...defaultTimings, handOverSeconds: 20 })) });
    await toReview(actor);
    actor.send({ type: 'confirm-print' });
    await waitFor(actor, (s) => s.matches('done'));
    clock.increment(20_000 - 1);
    expect(actor.getSnapshot().matches('done')).toBe(true);
    clock.increment(1);
    expect(actor.getSnapshot().matches('home')).toBe(true);
  });

  it('will not submit an application that still has problems', async () => {
    const { actor } = harness();
    actor.send({ type: 'start-application' });
    await waitFor(actor, (s) => s.matches({ application: 'editing' }));
    actor.send({ type: 'submit-application' });
    expect(actor.getSnapshot().matches('application')).toBe(true);
    expect(actor.getSnapshot().context.assessment.problems[0]?.en).toBe('Enter the name');
  });

  it('counts at most three photo attempts, keeps the best, then allows a recorded override', async () => {
    const { actor } = harness({ photo: [badPhoto(1), badPhoto(3), badPhoto(2)] });
    actor.send({ type: 'start-application' });
    actor.send({ type: 'update-application', fields: { name: 'A' } });
    await waitFor(actor, (s) => s.matches({ application: 'editing' }));
    actor.send({ type: 'submit-application' });
    actor.send({ type: 'override-photo', reason: 'bedridden applicant' });
    expect(actor.getSnapshot().matches('photo')).toBe(true);
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      actor.send({ type: 'capture-photo', image: new Uint8Array([attempt]) });
      await waitFor(actor, (s) => s.matches({ photo: 'waiting' }) && s.context.photo.attempts === attempt);
    }
    actor.send({ type: 'capture-photo', image: new Uint8Array([4]) });
    expect(actor.getSnapshot().context.photo.attempts).toBe(3);
    expect([...(actor.getSnapshot().context.photo.best?.image ?? [])]).toEqual([2]);
    expect(photoOverrideRefusal(actor.getSnapshot().context)).toBeNull();
    actor.send({ type: 'override-photo', reason: 'bedridden applicant', approvedBy: 'SUP-7' });
    await waitFor(actor, (s) => s.matches({ review: 'ready' }));
    expect(actor.getSnapshot().context.photo.override).toEqual({ reason: 'bedridden applicant', approvedBy: 'SUP-7' });
  });

  it('an override prints the crop around the one face and commits the reason with the approving supervisor', async () => {
    const { actor, commits, rendered } = harness({ photo: [badPhoto(1), badPhoto(3), badPhoto(2)] });
    await toPhoto(actor);
    await threeAttempts(actor);
    actor.send({ type: 'override-photo', reason: 'bedridden applicant', approvedBy: 'SUP-7' });
    await waitFor(actor, (s) => s.matches({ review: 'ready' }));
    expect(rendered).toEqual([new Uint8Array([0xc0, 3])]);
    actor.send({ type: 'confirm-print' });
    await waitFor(actor, (s) => s.matches('done'));
    expect(commits).toHaveLength(1);
    expect(commits[0]?.photo).toEqual(new Uint8Array([0xc0, 3]));
    expect(commits[0]?.archivePhoto).toEqual(new Uint8Array([0xa0, 3]));
    expect(commits[0]?.photoOverride).toEqual({ reason: 'bedridden applicant', approvedBy: 'SUP-7' });
  });

  it('an override without a named approver records approvedBy null; a passed photo records no override', async () => {
    const overridden = harness({ photo: [badPhoto(1), badPhoto(1), badPhoto(1)] });
    await toPhoto(overridden.actor);
    await threeAttempts(overridden.actor);
    overridden.actor.send({ type: 'override-photo', reason: 'bedridden applicant' });
    await waitFor(overridden.actor, (s) => s.matches({ review: 'ready' }));
    overridden.actor.send({ type: 'confirm-print' });
    await waitFor(overridden.actor, (s) => s.matches('done'));
    expect(overridden.commits[0]?.photoOverride).toEqual({ reason: 'bedridden applicant', approvedBy: null });

    const passed = harness();
    await toReview(passed.actor);
    passed.actor.send({ type: 'confirm-print' });
    await waitFor(passed.actor, (s) => s.matches('done'));
    expect(passed.commits[0]?.photoOverride).toBeNull();
  });

  it('refuses an override, with a bilingual reason, when no attempt found exactly one face', async () => {
    const { actor, rendered } = harness({ photo: [badPhoto(4, 0), badPhoto(4, 2), badPhoto(0, 0)] });
    await toPhoto(actor);
    await threeAttempts(actor);
    const refusal = photoOverrideRefusal(actor.getSnapshot().context);
    expect(refusal?.en).toMatch(/exactly one face/);
    expect(refusal?.zh).toMatch(/唯一一張/);
    expect(actor.getSnapshot().can({ type: 'override-photo', reason: 'bedridden applicant' })).toBe(false);
    actor.send({ type: 'override-photo', reason: 'bedridden applicant', approvedBy: 'SUP-7' });
    expect(actor.getSnapshot().matches({ photo: 'waiting' })).toBe(true);
    expect(rendered).toEqual([]);
  });

  it('keeps a one-face attempt as the best even when a two-face frame passed more checks', async () => {
    const { actor } = harness({ photo: [badPhoto(0), badPhoto(4, 2), badPhoto(4, 0)] });
    await toPhoto(actor);
    await threeAttempts(actor);
    expect([...(actor.getSnapshot().context.photo.best?.image ?? [])]).toEqual([1]);
    expect(photoOverrideRefusal(actor.getSnapshot().context)).toBeNull();
  });

  it('says why before the attempts are used up, and passes the capture source to the gate', async () => {
    const { actor, evaluated } = harness({ photo: [badPhoto(2)] });
    await toPhoto(actor);
    expect(photoOverrideRefusal(actor.getSnapshot().context)?.en).toMatch(/Take 3 attempts/);
    actor.send({ type: 'capture-photo', image: new Uint8Array([9]), source: 'import' });
    await waitFor(actor, (s) => s.matches({ photo: 'waiting' }) && s.context.photo.attempts === 1);
    actor.send({ type: 'capture-photo', image: new Uint8Array([8]) });
    await waitFor(actor, (s) => s.matches({ review: 'ready' }));
    expect(evaluated).toEqual([{ image: [9], source: 'import' }, { image: [8], source: 'camera' }]);
  });

  it('retries a failed encode without printing the card again', async () => {
    let encodeAttempts = 0;
    const { actor, calls } = harness({
      encode: async () => {
        encodeAttempts += 1;
        if (encodeAttempts === 1) {
          throw new IssuanceStepError('card_removed', { zh: '卡片被移開', en: 'The card was taken away' }, true);
        }
        return { uid: '04FFEE' };
      },
    });
    await toReview(actor);
    actor.send({ type: 'confirm-print' });
    await waitFor(actor, (s) => s.matches('failed'));
    expect(actor.getSnapshot().context.error?.kind).toBe('card_removed');
    actor.send({ type: 'retry' });
    await waitFor(actor, (s) => s.matches('done'));
    expect(calls.filter((call) => call.startsWith('print'))).toHaveLength(1);
    expect(calls).toContain('commit:04FFEE');
  });

  it('going back from the review closes that job, and the next review begins a new one', async () => {
    const { actor, calls } = harness();
    await toReview(actor);
    actor.send({ type: 'back' });
    await waitFor(actor, (s) => s.matches('photo'));
    expect(calls).toEqual(['abandon:false:back-to-photo']);
    expect(actor.getSnapshot().context.preview).toBeNull();
  });

  it('a cancelled job after printing sends the card to the reject box', async () => {
    const { actor, calls } = harness({
      encode: async () => {
        throw new IssuanceStepError('write_verify_failed', { zh: '寫入驗證失敗', en: 'Write verification failed' }, false);
      },
    });
    await toReview(actor);
    actor.send({ type: 'confirm-print' });
    await waitFor(actor, (s) => s.matches('failed'));
    actor.send({ type: 'retry' });
    expect(actor.getSnapshot().matches('failed')).toBe(true);
    actor.send({ type: 'cancel' });
    await waitFor(actor, (s) => s.matches('home'));
    expect(calls).toContain('abandon:true:write_verify_failed');
    expect(calls.some((call) => call.startsWith('commit'))).toBe(false);
  });
});
