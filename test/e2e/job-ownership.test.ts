import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../hardware/host/child-processes';
import type { RunningKiosk } from '../../kiosk/controller/main';
import { applyForCard, confirmPrint, devOk, jobIn, jobReaches, signInAt, startTestKiosk, type TestKiosk } from '../helpers/kiosk';

/**
 * A card job belongs to the operator who confirmed it. When their print fails and they sign out, the
 * job is parked: the next person at the counter sees nothing of the applicant (not in the snapshot,
 * not in the queue, not the card face), a technician can neither retry nor cancel it, and a supervisor
 * may take it over: the card is then issued under the supervisor's id, with the take-over audited under both.
 */
describe('a failed card job waits for its owner', () => {
  let running: TestKiosk;
  let kiosk: RunningKiosk;

  beforeAll(async () => {
    running = await startTestKiosk('job-owner');
    kiosk = running.kiosk;
    await waitFor(() => kiosk.controller.snapshot().devices.printer.state === 'connected', 15_000, 'the printer did not connect');
  }, 60_000);
  afterAll(async () => {
    await running?.stop();
  });

  const api = (path: string): Promise<Response> => fetch(new URL(path, kiosk.url), { headers: { authorization: `Bearer ${kiosk.token}` } });
  const operatorIdOf = async (name: string): Promise<string> => {
    const found = (await kiosk.store.operators.list()).find((operator) => operator.name.includes(name));
    if (!found) throw new Error(`no operator named ${name}`);
    return found.id;
  };

  it('hides the applicant after sign-out, refuses a technician, and lets a supervisor take over', async () => {
    await signInAt(kiosk, 'staff', '271828');
    await devOk(kiosk, { type: 'printer-fault', fault: 'feeder-empty' });
    const { name, form, previewUrl } = await applyForCard(kiosk);
    const personal = [form.idNumber, name, form.birthDate, form.documentNumber, form.nameZh].filter((value) => value.length > 0);
    expect(personal.length).toBeGreaterThanOrEqual(4);
    expect((await api(`/${previewUrl}`)).status).toBe(200);
    const { jobId } = await confirmPrint(kiosk);
    const failed = await jobReaches(kiosk, jobId, 'failed', 20_000);
    // The owner sees their card: its initials, its number, why it failed and what they may do.
    expect(failed).toMatchObject({ mine: true, mayTakeOver: false, completed: [], error: { kind: 'printer_feeder_empty', canRetry: true } });
    expect(failed.initials).not.toBeNull();
    expect(failed.cardNumber).toMatch(/^\d{16}$/);
    expect(kiosk.controller.snapshot().printQueue.paused).toBe(true);

    expect(await kiosk.controller.command({ type: 'sign-out' })).toEqual({ accepted: true });
    await jobReaches(kiosk, jobId, 'parked', 10_000);
    const snapshotText = await (await api('/api/snapshot')).text();
    for (const value of personal) expect(snapshotText).not.toContain(value);
    expect(snapshotText).not.toContain(failed.cardNumber!);
    expect(JSON.parse(snapshotText)).toMatchObject({
      screen: 'home', previewUrl: null, error: null,
      printQueue: { paused: true, jobs: [{ jobId, stage: 'parked', completed: [], initials: null, cardNumber: null, uid: null, mine: false, mayTakeOver: false }] },
    });
    expect((await api(`/${previewUrl}`)).status).toBe(404);

    // A technician mends the printer but may neither finish nor cancel the operator's card.
    await signInAt(kiosk, 'technician', '161803');
    for (const command of [{ type: 'retry', jobId }, { type: 'cancel-job', jobId }, { type: 'take-over-job', jobId }] as const) {
      expect(await kiosk.controller.command(command)).toMatchObject({ accepted: false, code: 'role', role: 'technician' });
    }
    const technicianSees = await (await api('/api/snapshot')).text();
    for (const value of [...personal, failed.cardNumber!]) expect(technicianSees).not.toContain(value);
    expect(jobIn(kiosk, jobId)).toMatchObject({ stage: 'parked', initials: null, mayTakeOver: false });
    await devOk(kiosk, { type: 'printer-fault', fault: 'load-cards' });
    expect(await kiosk.controller.command({ type: 'sign-out' })).toEqual({ accepted: true });

    await signInAt(kiosk, 'supervisor', '314159');
    expect(jobIn(kiosk, jobId)).toMatchObject({ stage: 'parked', mayTakeOver: true, mine: false });
    expect(await kiosk.controller.command({ type: 'take-over-job', jobId })).toEqual({ accepted: true });
    // The job comes back to the supervisor with its data: theirs now, the same card.
    const takenOver = await jobReaches(kiosk, jobId, 'failed', 10_000);
    expect(takenOver).toMatchObject({ mine: true, initials: failed.initials, cardNumber: failed.cardNumber });
    expect(await kiosk.controller.command({ type: 'retry', jobId })).toEqual({ accepted: true });
    await jobReaches(kiosk, jobId, 'ready', 30_000);

    const [operator, supervisor] = [await operatorIdOf('Demo Operator'), await operatorIdOf('Demo Supervisor')];
    const audit = await kiosk.store.readAudit({ eventIds: ['issuance-job-parked', 'issuance-job-taken-over', 'issuance-recorded'] });
    expect(audit.map((entry) => [entry.eventId, entry.operatorId])).toEqual([
      ['issuance-job-parked', operator],
      ['issuance-job-taken-over', supervisor],
      ['issuance-recorded', supervisor],
    ]);
    expect(audit[1]!.details).toMatchObject({ from: operator });
  }, 120_000);
});
