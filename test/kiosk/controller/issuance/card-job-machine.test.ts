import { describe, expect, it } from 'vitest';
import { assign, createActor, fromPromise, setup, SimulatedClock, waitFor, type ActorRefFrom } from 'xstate';
import { cardJobMachine, jobStage, type CardJobRef } from '../../../../kiosk/controller/issuance/card-job-machine';
import { IssuanceStepError } from '../../../../kiosk/controller/issuance/issuance-errors';
import { emptyApplicationForm } from '../../../../shared/contract/kiosk-api';
import { message } from '../../../../shared/contract/messages';
import type { IssuanceJob, ResumedJob } from '../../../../kiosk/controller/issuance/issuance-types';
import { eligibleGeneral } from './issuance-harness';

const job: IssuanceJob = {
  jobId: 'job-7',
  form: { ...emptyApplicationForm, name: 'CHEN MEI LING' },
  assessment: eligibleGeneral,
  photo: new Uint8Array([1]),
  archivePhoto: new Uint8Array([2]),
  photoOverride: null,
  preview: { cardNumber: 'TY0007', frontPng: new Uint8Array([0x89]), job: 'job' },
  owner: 'OP-1',
};

/** One card job under a parent that records what the job tells the queue. */
function oneJob(options: { clock?: SimulatedClock; delays?: { handOverTimeout: number }; print?: () => Promise<void>; encode?: () => Promise<{ uid: string }>; park?: () => Promise<void>; resume?: () => Promise<ResumedJob> } = {}) {
  const calls: string[] = [];
  const provided = cardJobMachine.provide({
    ...(options.delays ? { delays: options.delays } : {}),
    actors: {
      printCard: fromPromise(async () => {
        calls.push('print');
        await (options.print ?? (async () => {}))();
      }),
      encodeCard: fromPromise(async () => {
        calls.push('encode');
        return (options.encode ?? (async () => ({ uid: '04A1' })))();
      }),
      reprintCard: fromPromise(async ({ input }) => {
        calls.push(`reprint:${input.failure}`);
      }),
      commitIssuance: fromPromise(async () => {
        calls.push('commit');
      }),
      ejectCard: fromPromise(async () => {}),
      abandonJob: fromPromise(async ({ input }) => {
        calls.push(`abandon:${input.cardInPrinter}:${input.reason}`);
      }),
      parkJob: fromPromise(async () => {
        calls.push('park');
        await (options.park ?? (async () => {}))();
      }),
      resumeJob: fromPromise(async (): Promise<ResumedJob> => (options.resume ?? (async () => Promise.reject(new Error('unused'))))()),
    },
  });
  const parent = setup({
    types: { context: {} as { told: string[] } },
    actors: { cardJob: provided },
  }).createMachine({
    context: { told: [] },
    invoke: {
      id: 'job',
      src: 'cardJob',
      input: { job, ticket: 7, initials: 'C.M.L.', replacement: false, verdict: null, attempts: 1, now: () => 0 },
    },
    on: {
      'job.released': { actions: assign({ told: ({ context }) => [...context.told, 'released'] }) },
      'job.closed': { actions: assign({ told: ({ context }) => [...context.told, 'closed'] }) },
    },
  });
  const actor = createActor(parent, options.clock ? { clock: options.clock } : {}).start();
  const ref = actor.getSnapshot().children.job as ActorRefFrom<typeof provided>;
  return { actor, ref, calls, told: () => actor.getSnapshot().context.told };
}

const jam = new IssuanceStepError('printer_jam', message('printer.jam'), true);

/** The job gets the printer, fails (its fakes throw), and is parked when its owner leaves. */
async function failAndPark(ref: CardJobRef): Promise<void> {
  ref.send({ type: 'printer.granted' });
  await waitFor(ref, (s) => s.matches('failed'));
  ref.send({ type: 'owner-left' });
  await waitFor(ref, (s) => s.matches('parked'));
}

describe('card job machine', () => {
  it('waits in the queue until the printer is granted', async () => {
    const { ref, calls } = oneJob();
    expect(jobStage(ref.getSnapshot())).toBe('queued');
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(calls).toEqual([]);
    ref.send({ type: 'printer.granted' });
    await waitFor(ref, (s) => s.matches('ready'));
    expect(calls).toEqual(['print', 'encode', 'commit']);
  });

  it('ready: gives the printer back, holds no personal data, and closes on card.taken at once', async () => {
    const { ref, told } = oneJob();
    ref.send({ type: 'printer.granted' });
    await waitFor(ref, (s) => s.matches('ready'));
    expect(told()).toEqual(['released']);
    expect(ref.getSnapshot().context.job).toBeNull();
    expect(ref.getSnapshot().context.cardNumber).toBe('TY0007');
    ref.send({ type: 'card.taken' });
    expect(ref.getSnapshot().status).toBe('done');
    expect(told()).toEqual(['released', 'closed']);
  });

  it('handOverTimeout: a ready job closes after exactly the configured delay on the clock, not before', async () => {
    const clock = new SimulatedClock();
    const { ref, told } = oneJob({ clock, delays: { handOverTimeout: 20_000 } });
    ref.send({ type: 'printer.granted' });
    await waitFor(ref, (s) => s.matches('ready'));
    clock.increment(19_999);
    expect(ref.getSnapshot().matches('ready')).toBe(true);
    expect(told()).toEqual(['released']);
    clock.increment(1);
    expect(ref.getSnapshot().matches('closed')).toBe(true);
    expect(told()).toEqual(['released', 'closed']);
  });

  it('handOverTimeout defaults to 60 s', async () => {
    const clock = new SimulatedClock();
    const { ref } = oneJob({ clock });
    ref.send({ type: 'printer.granted' });
    await waitFor(ref, (s) => s.matches('ready'));
    clock.increment(59_999);
    expect(ref.getSnapshot().matches('ready')).toBe(true);
    clock.increment(1);
    expect(ref.getSnapshot().matches('closed')).toBe(true);
  });

  it('a failed job keeps the printer; a step that may not be retried refuses retry, and cancel sends the card to the reject box', async () => {
    const { ref, calls, told } = oneJob({
      print: async () => {
        throw new IssuanceStepError('ribbon_out', message('printer.ribbon-out'), false);
      },
    });
    ref.send({ type: 'printer.granted' });
    await waitFor(ref, (s) => s.matches('failed'));
    expect(told()).toEqual([]);
    expect(ref.getSnapshot().can({ type: 'retry' })).toBe(false);
    ref.send({ type: 'cancel' });
    await waitFor(ref, (s) => s.status === 'done');
    expect(calls).toEqual(['print', 'abandon:true:ribbon_out']);
    expect(told()).toEqual(['released', 'closed']);
  });

  it("a chip that fails its verify loses the card, not the job: retry sends it to the reject box and prints again on a new blank, once", async () => {
    let encodes = 0;
    const { ref, calls, told } = oneJob({
      encode: async () => {
        encodes += 1;
        if (encodes === 1) throw new IssuanceStepError('nfc_write_verify_failed', message('nfc.write-verify-failed'), true, true);
        return { uid: '04B2' };
      },
    });
    ref.send({ type: 'printer.granted' });
    await waitFor(ref, (s) => s.matches('failed'));
    expect(ref.getSnapshot().context.completed).toEqual(['printing']);
    // The printer stays this job's while its failed card is inside.
    expect(told()).toEqual([]);
    ref.send({ type: 'retry' });
    await waitFor(ref, (s) => s.matches('ready'));
    // Rejected once, printed twice (the new blank), encoded twice, committed once.
    expect(calls).toEqual(['print', 'encode', 'reprint:nfc_write_verify_failed', 'print', 'encode', 'commit']);
    expect(ref.getSnapshot().context.uid).toBe('04B2');
    expect(told()).toEqual(['released']);
  });

  it('a retry that does not reprint continues after the steps done (a card that is fine is never printed twice)', async () => {
    let encodes = 0;
    const { ref, calls } = oneJob({
      encode: async () => {
        encodes += 1;
        if (encodes === 1) throw new IssuanceStepError('nfc_card_removed', message('nfc.card-removed'), true);
        return { uid: '04A1' };
      },
    });
    ref.send({ type: 'printer.granted' });
    await waitFor(ref, (s) => s.matches('failed'));
    ref.send({ type: 'retry' });
    await waitFor(ref, (s) => s.matches('ready'));
    expect(calls).toEqual(['print', 'encode', 'encode', 'commit']);
  });

  it('a job that could not be parked safely is not kept: its card goes to the reject box', async () => {
    const { ref, calls } = oneJob({
      print: async () => {
        throw jam;
      },
      park: async () => {
        throw new Error('disk full');
      },
    });
    ref.send({ type: 'printer.granted' });
    await waitFor(ref, (s) => s.matches('failed'));
    ref.send({ type: 'owner-left' });
    await waitFor(ref, (s) => s.status === 'done');
    expect(calls).toEqual(['print', 'park', 'abandon:true:printer_jam']);
  });

  it('a parked job whose data cannot be brought back may only be cancelled', async () => {
    const { ref } = oneJob({
      print: async () => {
        throw jam;
      },
      resume: async () => {
        throw new Error('store unreadable');
      },
    });
    await failAndPark(ref);
    ref.send({ type: 'owner-back', operatorId: 'OP-1' });
    await waitFor(ref, (s) => s.matches('failed'));
    expect(ref.getSnapshot().context.error?.kind).toBe('job_not_resumable');
    expect(ref.getSnapshot().can({ type: 'retry' })).toBe(false);
    expect(ref.getSnapshot().can({ type: 'cancel' })).toBe(true);
  });

  it('a parked job being brought back is still shown parked (not failed, whose retry it could not take yet)', async () => {
    const { ref } = oneJob({
      print: async () => {
        throw jam;
      },
      // The store takes its time: the job stays on its way back.
      resume: () => new Promise<ResumedJob>(() => {}),
    });
    await failAndPark(ref);
    ref.send({ type: 'owner-back', operatorId: 'OP-1' });
    expect(ref.getSnapshot().matches('resumingParked')).toBe(true);
    expect(jobStage(ref.getSnapshot())).toBe('parked');
  });

  it('a job that could not be brought back, left again by its owner, waits parked without crashing (nothing to park), for a take-over and a cancel', async () => {
    const { actor, ref, calls } = oneJob({
      print: async () => {
        throw jam;
      },
      resume: async () => {
        throw new Error('store unreadable');
      },
    });
    await failAndPark(ref);
    ref.send({ type: 'owner-back', operatorId: 'OP-1' });
    await waitFor(ref, (s) => s.matches('failed') && s.context.error?.kind === 'job_not_resumable');
    ref.send({ type: 'owner-left' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    // Nothing crashed (a job's error would stop the whole issuance machine), and a supervisor may take it over.
    expect(actor.getSnapshot().status).toBe('active');
    expect(ref.getSnapshot().matches('parked')).toBe(true);
    ref.send({ type: 'take-over', operatorId: 'SUP-9' });
    await waitFor(ref, (s) => s.matches('failed'));
    expect(ref.getSnapshot().context.owner).toBe('SUP-9');
    ref.send({ type: 'cancel' });
    await waitFor(ref, (s) => s.status === 'done');
    expect(calls.filter((call) => call.startsWith('abandon'))).toEqual(['abandon:true:job_not_resumable']);
  });
});
