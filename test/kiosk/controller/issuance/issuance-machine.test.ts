import { describe, expect, it } from 'vitest';
import { createActor, fromPromise, waitFor } from 'xstate';
import { IssuanceStepError } from '../../../../kiosk/controller/issuance/issuance-errors';
import {
  issuanceMachine,
  type Assessment,
  type CardPreview,
  type IssuanceJob,
  type PhotoVerdict,
} from '../../../../kiosk/controller/issuance/issuance-machine';

const eligibleGeneral: Assessment = {
  eligibility: { cards: [], guardianConsentRequired: false },
  problems: [],
  fee: 0,
  action: 'new',
};
const goodPhoto: PhotoVerdict = { passed: true, checks: [], cardPhoto: new Uint8Array([1]), archivePhoto: new Uint8Array([2]), faceMatch: null };
const badPhoto = (passedChecks: number): PhotoVerdict => ({
  passed: false,
  checks: Array.from({ length: 4 }, (_, i) => ({
    id: `check-${i}`,
    passed: i < passedChecks,
    value: i,
    threshold: '>= 1',
    message: { zh: '請靠近一點', en: 'Please come a little closer' },
  })),
  cardPhoto: null,
  archivePhoto: null,
  faceMatch: null,
});

function harness(overrides: { print?: () => Promise<void>; encode?: () => Promise<{ uid: string }>; photo?: PhotoVerdict[] } = {}) {
  const calls: string[] = [];
  const verdicts = [...(overrides.photo ?? [goodPhoto])];
  const machine = issuanceMachine.provide({
    actors: {
      assessApplication: fromPromise(async ({ input }) =>
        input.form.name ? eligibleGeneral : { ...eligibleGeneral, problems: [{ zh: '請填寫姓名', en: 'Enter the name' }] },
      ),
      evaluatePhoto: fromPromise(async () => verdicts.shift() ?? goodPhoto),
      beginJob: fromPromise(async () => 'job-1'),
      renderCard: fromPromise(async (): Promise<CardPreview> => ({ cardNumber: 'TY0001', frontPng: new Uint8Array([0x89]), job: 'job' })),
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
      }),
      ejectCard: fromPromise(async () => {
        calls.push('eject');
      }),
      abandonJob: fromPromise(async ({ input }) => {
        calls.push(`abandon:${input.cardInPrinter}:${input.reason}`);
      }),
    },
  });
  const actor = createActor(machine).start();
  return { actor, calls };
}

async function toReview(actor: ReturnType<typeof harness>['actor']) {
  actor.send({ type: 'start-application' });
  actor.send({ type: 'update-application', fields: { name: 'CHEN MEI LING' } });
  await waitFor(actor, (s) => s.matches({ application: 'editing' }));
  actor.send({ type: 'submit-application' });
  actor.send({ type: 'capture-photo', image: new Uint8Array([0xff, 0xd8]) });
  await waitFor(actor, (s) => s.matches({ review: 'ready' }));
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
    actor.send({ type: 'override-photo', reason: 'bedridden applicant' });
    await waitFor(actor, (s) => s.matches({ review: 'ready' }));
    expect(actor.getSnapshot().context.photo.overrideReason).toBe('bedridden applicant');
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
