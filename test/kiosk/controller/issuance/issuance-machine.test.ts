import { describe, expect, it } from 'vitest';
import { SimulatedClock, waitFor } from 'xstate';
import { IssuanceStepError } from '../../../../kiosk/controller/issuance/issuance-errors';
import { photoOverrideRefusal, type PhotoVerdict } from '../../../../kiosk/controller/issuance/issuance-machine';
import { defaultTimings, issuanceDelaysFrom, timingsSchema } from '../../../../kiosk/controller/timings';
import { message } from '../../../../shared/contract/messages';

import { gate, issuanceHarness, jobRef, stages, toPhoto, toReview, untilStages, type IssuanceActor } from './issuance-harness';
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

async function threeAttempts(actor: IssuanceActor) {
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    actor.send({ type: 'capture-photo', image: new Uint8Array([attempt]) });
    await waitFor(actor, (s) => s.matches({ applicant: { photo: 'waiting' } }) && s.context.photo.attempts === attempt);
  }
}

const harness = issuanceHarness;

describe('issuance machine', () => {
  it('issues a card end to end: the flow goes home at once, the job prints, encodes, commits, ejects and is ready, then closes when taken', async () => {
    const { actor, calls } = harness();
    await toReview(actor);
    actor.send({ type: 'confirm-print' });
    expect(actor.getSnapshot().matches({ applicant: 'home' })).toBe(true);
    expect(actor.getSnapshot().context.form.name).toBe('');
    await untilStages(actor, { 1: 'ready' });
    expect(calls).toEqual(['print:job-1', 'encode:job-1', 'commit:job-1:04A1B2C3', 'eject:job-1']);
    const ready = jobRef(actor, 'job-1').getSnapshot().context;
    expect({ cardNumber: ready.cardNumber, uid: ready.uid }).toEqual({ cardNumber: 'TY0001', uid: '04A1B2C3' });
    jobRef(actor, 'job-1').send({ type: 'card.taken' });
    expect(stages(actor)).toEqual({});
  });

  it('handOverTimeout: configured 20 s, a ready job closes at 20 s and not before (not at the default 60 s)', async () => {
    const clock = new SimulatedClock();
    const { actor } = harness({ clock, delays: issuanceDelaysFrom(timingsSchema.parse({ ...defaultTimings, handOverSeconds: 20 })) });
    await toReview(actor);
    actor.send({ type: 'confirm-print' });
    await untilStages(actor, { 1: 'ready' });
    clock.increment(20_000 - 1);
    expect(stages(actor)).toEqual({ 1: 'ready' });
    clock.increment(1);
    expect(stages(actor)).toEqual({});
  });

  it('will not submit an application that still has problems', async () => {
    const { actor } = harness();
    actor.send({ type: 'start-application' });
    await waitFor(actor, (s) => s.matches({ applicant: { application: 'editing' } }));
    actor.send({ type: 'submit-application' });
    expect(actor.getSnapshot().matches({ applicant: 'application' })).toBe(true);
    expect(actor.getSnapshot().context.assessment.problems).toEqual([message('application.enter-name')]);
  });

  it('counts at most three photo attempts, keeps the best, then allows a recorded override', async () => {
    const { actor } = harness({ photo: [badPhoto(1), badPhoto(3), badPhoto(2)] });
    actor.send({ type: 'start-application' });
    actor.send({ type: 'update-application', fields: { name: 'A' } });
    await waitFor(actor, (s) => s.matches({ applicant: { application: 'editing' } }));
    actor.send({ type: 'submit-application' });
    actor.send({ type: 'override-photo', reason: 'bedridden applicant' });
    expect(actor.getSnapshot().matches({ applicant: 'photo' })).toBe(true);
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      actor.send({ type: 'capture-photo', image: new Uint8Array([attempt]) });
      await waitFor(actor, (s) => s.matches({ applicant: { photo: 'waiting' } }) && s.context.photo.attempts === attempt);
    }
    actor.send({ type: 'capture-photo', image: new Uint8Array([4]) });
    expect(actor.getSnapshot().context.photo.attempts).toBe(3);
    expect([...(actor.getSnapshot().context.photo.best?.image ?? [])]).toEqual([2]);
    expect(photoOverrideRefusal(actor.getSnapshot().context)).toBeNull();
    actor.send({ type: 'override-photo', reason: 'bedridden applicant', approvedBy: 'SUP-7' });
    await waitFor(actor, (s) => s.matches({ applicant: { review: 'ready' } }));
    expect(actor.getSnapshot().context.photo.override).toEqual({ reason: 'bedridden applicant', approvedBy: 'SUP-7' });
  });

  it('an override prints the crop around the one face and commits the reason with the approving supervisor', async () => {
    const { actor, commits, rendered } = harness({ photo: [badPhoto(1), badPhoto(3), badPhoto(2)] });
    await toPhoto(actor);
    await threeAttempts(actor);
    actor.send({ type: 'override-photo', reason: 'bedridden applicant', approvedBy: 'SUP-7' });
    await waitFor(actor, (s) => s.matches({ applicant: { review: 'ready' } }));
    expect(rendered).toEqual([new Uint8Array([0xc0, 3])]);
    actor.send({ type: 'confirm-print' });
    await untilStages(actor, { 1: 'ready' });
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
    await waitFor(overridden.actor, (s) => s.matches({ applicant: { review: 'ready' } }));
    overridden.actor.send({ type: 'confirm-print' });
    await untilStages(overridden.actor, { 1: 'ready' });
    expect(overridden.commits[0]?.photoOverride).toEqual({ reason: 'bedridden applicant', approvedBy: null });

    const passed = harness();
    await toReview(passed.actor);
    passed.actor.send({ type: 'confirm-print' });
    await untilStages(passed.actor, { 1: 'ready' });
    expect(passed.commits[0]?.photoOverride).toBeNull();
  });

  it('refuses an override, with the reason as a code, when no attempt found exactly one face', async () => {
    const { actor, rendered } = harness({ photo: [badPhoto(4, 0), badPhoto(4, 2), badPhoto(0, 0)] });
    await toPhoto(actor);
    await threeAttempts(actor);
    const refusal = photoOverrideRefusal(actor.getSnapshot().context);
    expect(refusal).toEqual(message('photo.override-no-face'));
    expect(actor.getSnapshot().can({ type: 'override-photo', reason: 'bedridden applicant' })).toBe(false);
    actor.send({ type: 'override-photo', reason: 'bedridden applicant', approvedBy: 'SUP-7' });
    expect(actor.getSnapshot().matches({ applicant: { photo: 'waiting' } })).toBe(true);
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
    expect(photoOverrideRefusal(actor.getSnapshot().context)).toEqual(message('photo.override-needs-attempts', { attempts: 3 }));
    actor.send({ type: 'capture-photo', image: new Uint8Array([9]), source: 'import' });
    await waitFor(actor, (s) => s.matches({ applicant: { photo: 'waiting' } }) && s.context.photo.attempts === 1);
    actor.send({ type: 'capture-photo', image: new Uint8Array([8]) });
    await waitFor(actor, (s) => s.matches({ applicant: { review: 'ready' } }));
    expect(evaluated).toEqual([{ image: [9], source: 'import' }, { image: [8], source: 'camera' }]);
  });

  it('retries a failed encode without printing the card again', async () => {
    let encodeAttempts = 0;
    const { actor, calls } = harness({
      encode: async () => {
        encodeAttempts += 1;
        if (encodeAttempts === 1) {
          throw new IssuanceStepError('card_removed', message('nfc.card-removed'), true);
        }
        return { uid: '04FFEE' };
      },
    });
    await toReview(actor);
    actor.send({ type: 'confirm-print' });
    await untilStages(actor, { 1: 'failed' });
    expect(jobRef(actor, 'job-1').getSnapshot().context.error?.kind).toBe('card_removed');
    jobRef(actor, 'job-1').send({ type: 'retry' });
    await untilStages(actor, { 1: 'ready' });
    expect(calls.filter((call) => call.startsWith('print'))).toHaveLength(1);
    expect(calls).toContain('commit:job-1:04FFEE');
  });

  it('going back from the review closes that job, and the next review begins a new one', async () => {
    const { actor, calls } = harness();
    await toReview(actor);
    actor.send({ type: 'back' });
    await waitFor(actor, (s) => s.matches({ applicant: 'photo' }));
    expect(calls).toEqual(['abandon:job-1:false:back-to-photo']);
    expect(stages(actor)).toEqual({});
    expect(actor.getSnapshot().context.preview).toBeNull();
  });

  it('a cancelled job after printing sends the card to the reject box', async () => {
    const { actor, calls } = harness({
      encode: async () => {
        throw new IssuanceStepError('write_verify_failed', message('nfc.write-verify-failed'), false);
      },
    });
    await toReview(actor);
    actor.send({ type: 'confirm-print' });
    await untilStages(actor, { 1: 'failed' });
    const job = jobRef(actor, 'job-1');
    job.send({ type: 'retry' });
    expect(stages(actor)).toEqual({ 1: 'failed' });
    job.send({ type: 'cancel' });
    await untilStages(actor, {});
    expect(calls).toContain('abandon:job-1:true:write_verify_failed');
    expect(calls.some((call) => call.startsWith('commit'))).toBe(false);
  });
});

describe('the print queue', () => {
  const jam = () => new IssuanceStepError('printer_jam', message('printer.jam'), true);

  it('three confirmed applications: home after each confirm, the printer granted in order one job at a time, all ready then closed', async () => {
    const prints = new Map(['job-1', 'job-2', 'job-3'].map((jobId) => [jobId, gate()]));
    const { actor, calls, commits, printerClashes } = issuanceHarness({ print: (jobId) => prints.get(jobId)?.promise ?? Promise.resolve() });
    for (const name of ['CHEN MEI LING', 'LIN WEI', 'WANG DA MING']) {
      await toReview(actor, name);
      actor.send({ type: 'confirm-print' });
      expect(actor.getSnapshot().matches({ applicant: 'home' })).toBe(true);
    }
    expect(stages(actor)).toEqual({ 1: 'printing', 2: 'queued', 3: 'queued' });
    prints.get('job-1')?.open();
    await untilStages(actor, { 1: 'ready', 2: 'printing', 3: 'queued' });
    prints.get('job-3')?.open();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(stages(actor)).toEqual({ 1: 'ready', 2: 'printing', 3: 'queued' });
    prints.get('job-2')?.open();
    await untilStages(actor, { 1: 'ready', 2: 'ready', 3: 'ready' });
    expect(calls.filter((call) => call.startsWith('print'))).toEqual(['print:job-1', 'print:job-2', 'print:job-3']);
    expect(printerClashes).toEqual([]);
    expect(commits.map((commit) => commit.jobId)).toEqual(['job-1', 'job-2', 'job-3']);
    const refs = ['job-2', 'job-1', 'job-3'].map((jobId) => jobRef(actor, jobId));
    for (const ref of refs) ref.send({ type: 'card.taken' });
    expect(stages(actor)).toEqual({});
    // A closed job is stopped and gone, not left running as a child.
    expect(Object.keys(actor.getSnapshot().children).filter((id) => id.startsWith('job-'))).toEqual([]);
    expect(refs.map((ref) => ref.getSnapshot().status)).toEqual(['done', 'done', 'done']);
    expect(actor.getSnapshot().context.printerHolder).toBeNull();
  });

  it('a jam on the second job pauses the queue while the operator serves another applicant; retry goes on from the failed step', async () => {
    let jammed = false;
    const { actor, calls, commits, printerClashes } = issuanceHarness({
      print: async (jobId) => {
        if (jobId === 'job-2' && !jammed) {
          jammed = true;
          throw jam();
        }
      },
    });
    await toReview(actor, 'CHEN MEI LING');
    actor.send({ type: 'confirm-print' });
    await untilStages(actor, { 1: 'ready' });
    await toReview(actor, 'LIN WEI');
    actor.send({ type: 'confirm-print' });
    await untilStages(actor, { 1: 'ready', 2: 'failed' });
    await toReview(actor, 'WANG DA MING');
    actor.send({ type: 'confirm-print' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(stages(actor)).toEqual({ 1: 'ready', 2: 'failed', 3: 'queued' });
    expect(actor.getSnapshot().context.printerHolder).toBe('job-2');
    // The counter goes on: the next applicant's application while the queue waits.
    actor.send({ type: 'start-application' });
    expect(actor.getSnapshot().matches({ applicant: 'application' })).toBe(true);
    jobRef(actor, 'job-2').send({ type: 'retry' });
    await untilStages(actor, { 1: 'ready', 2: 'ready', 3: 'ready' });
    expect(calls.filter((call) => call.startsWith('print'))).toEqual(['print:job-1', 'print:job-2', 'print:job-2', 'print:job-3']);
    expect(commits.map((commit) => commit.jobId)).toEqual(['job-1', 'job-2', 'job-3']);
    expect(printerClashes).toEqual([]);
  });

  it('a job that failed at encoding, retried, is not printed again, and each card is committed once', async () => {
    let failures = 0;
    const { actor, calls, commits } = issuanceHarness({
      encode: async (jobId) => {
        if (jobId === 'job-1' && failures === 0) {
          failures += 1;
          throw new IssuanceStepError('card_removed', message('nfc.card-removed'), true);
        }
        return { uid: `UID-${jobId}` };
      },
    });
    await toReview(actor, 'CHEN MEI LING');
    actor.send({ type: 'confirm-print' });
    await untilStages(actor, { 1: 'failed' });
    await toReview(actor, 'LIN WEI');
    actor.send({ type: 'confirm-print' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(stages(actor)).toEqual({ 1: 'failed', 2: 'queued' });
    jobRef(actor, 'job-1').send({ type: 'retry' });
    await untilStages(actor, { 1: 'ready', 2: 'ready' });
    expect(calls.filter((call) => call === 'print:job-1')).toHaveLength(1);
    expect(calls.filter((call) => call.startsWith('encode:job-1'))).toHaveLength(2);
    expect(commits.map((commit) => `${commit.jobId}:${commit.uid}`)).toEqual(['job-1:UID-job-1', 'job-2:UID-job-2']);
  });

  it('a failed commit, retried, neither prints nor encodes again', async () => {
    let failures = 0;
    const { actor, calls, commits } = issuanceHarness({
      commit: async () => {
        if (failures === 0) {
          failures += 1;
          throw new IssuanceStepError('store_unavailable', message('step.store-failed', { detail: 'the store could not be written' }), true);
        }
      },
    });
    await toReview(actor);
    actor.send({ type: 'confirm-print' });
    await untilStages(actor, { 1: 'failed' });
    jobRef(actor, 'job-1').send({ type: 'retry' });
    await untilStages(actor, { 1: 'ready' });
    expect(calls.filter((call) => call.startsWith('print') || call.startsWith('encode'))).toEqual(['print:job-1', 'encode:job-1']);
    expect(commits).toHaveLength(1);
  });

  it('a cancelled failed job sends its card to the reject box and the queue goes on', async () => {
    const { actor, calls, printerClashes } = issuanceHarness({
      print: async (jobId) => {
        if (jobId === 'job-1') throw jam();
      },
    });
    await toReview(actor, 'CHEN MEI LING');
    actor.send({ type: 'confirm-print' });
    await untilStages(actor, { 1: 'failed' });
    await toReview(actor, 'LIN WEI');
    actor.send({ type: 'confirm-print' });
    jobRef(actor, 'job-1').send({ type: 'cancel' });
    await untilStages(actor, { 2: 'ready' });
    expect(calls).toContain('abandon:job-1:true:printer_jam');
    expect(printerClashes).toEqual([]);
  });

  it('a cancelled queued job never reaches the printer', async () => {
    const first = gate();
    const { actor, calls } = issuanceHarness({ print: (jobId) => (jobId === 'job-1' ? first.promise : Promise.resolve()) });
    await toReview(actor, 'CHEN MEI LING');
    actor.send({ type: 'confirm-print' });
    await toReview(actor, 'LIN WEI');
    actor.send({ type: 'confirm-print' });
    expect(stages(actor)).toEqual({ 1: 'printing', 2: 'queued' });
    jobRef(actor, 'job-2').send({ type: 'cancel' });
    await untilStages(actor, { 1: 'printing' });
    first.open();
    await untilStages(actor, { 1: 'ready' });
    expect(calls.filter((call) => call.includes('job-2'))).toEqual(['abandon:job-2:false:cancelled']);
  });

  it('the owner leaving parks a failed job (no personal data left in it); another operator signing in does not bring it back, its owner does', async () => {
    const { actor, calls, parked } = issuanceHarness({
      print: async (jobId) => {
        if (jobId === 'job-1') throw jam();
      },
    });
    await toReview(actor, 'CHEN MEI LING', 'OP-1');
    actor.send({ type: 'confirm-print', operatorId: 'OP-1' });
    await untilStages(actor, { 1: 'failed' });
    actor.send({ type: 'owner-left' });
    await waitFor(jobRef(actor, 'job-1'), (job) => job.matches('parked'));
    const job = jobRef(actor, 'job-1').getSnapshot().context;
    expect(job.job).toBeNull();
    expect(job.photo).toBeNull();
    expect(parked[0]?.data.form.name).toBe('CHEN MEI LING');
    expect(actor.getSnapshot().context.form.name).toBe('');
    actor.send({ type: 'owner-back', operatorId: 'OP-2' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(stages(actor)).toEqual({ 1: 'parked' });
    actor.send({ type: 'owner-back', operatorId: 'OP-1' });
    await untilStages(actor, { 1: 'failed' });
    expect(calls).toContain('resume:job-1:OP-1:null');
    expect(jobRef(actor, 'job-1').getSnapshot().context.job?.form.name).toBe('CHEN MEI LING');
  });

  it("a job of the owner that is still printing goes on while they are away", async () => {
    const printing = gate();
    const { actor, calls } = issuanceHarness({ print: () => printing.promise });
    await toReview(actor, 'CHEN MEI LING', 'OP-1');
    actor.send({ type: 'confirm-print', operatorId: 'OP-1' });
    expect(stages(actor)).toEqual({ 1: 'printing' });
    actor.send({ type: 'owner-left' });
    printing.open();
    await untilStages(actor, { 1: 'ready' });
    expect(calls.some((call) => call.startsWith('park'))).toBe(false);
  });

  it("a job that fails while its owner is away is parked at once", async () => {
    const printing = gate();
    const { actor } = issuanceHarness({ print: () => printing.promise });
    await toReview(actor, 'CHEN MEI LING', 'OP-1');
    actor.send({ type: 'confirm-print', operatorId: 'OP-1' });
    actor.send({ type: 'owner-left' });
    printing.fail(jam());
    await waitFor(jobRef(actor, 'job-1'), (job) => job.matches('parked'));
    expect(jobRef(actor, 'job-1').getSnapshot().context.job).toBeNull();
  });

  it("a supervisor's take-over resumes a parked job with both ids", async () => {
    const { actor, calls } = issuanceHarness({
      print: async () => {
        throw jam();
      },
    });
    await toReview(actor, 'CHEN MEI LING', 'OP-1');
    actor.send({ type: 'confirm-print', operatorId: 'OP-1' });
    await untilStages(actor, { 1: 'failed' });
    actor.send({ type: 'owner-left' });
    await waitFor(jobRef(actor, 'job-1'), (job) => job.matches('parked'));
    jobRef(actor, 'job-1').send({ type: 'take-over', operatorId: 'SUP-9' });
    await untilStages(actor, { 1: 'failed' });
    expect(calls).toContain('resume:job-1:SUP-9:OP-1');
    expect(jobRef(actor, 'job-1').getSnapshot().context.owner).toBe('SUP-9');
  });
});
