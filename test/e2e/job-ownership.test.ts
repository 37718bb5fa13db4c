import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../hardware/host/child-processes';
import type { RunningKiosk } from '../../kiosk/controller/main';
import { applyAndPrint, devOk, signInAt, startTestKiosk, type TestKiosk } from '../helpers/kiosk';

/**
 * A card job belongs to the operator who confirmed it. When their print fails and they sign out, the
 * next person at the counter sees nothing of the applicant (not in the snapshot, not the card face),
 * a technician can neither retry nor cancel it, and a supervisor may take it over: the card is then
 * issued under the supervisor's id, with the take-over audited under both.
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
    const { name } = await applyAndPrint(kiosk);
    await waitFor(() => kiosk.controller.screen() === 'failed', 20_000, 'the print did not fail on the empty feeder');
    const failed = kiosk.controller.snapshot();
    const { form } = failed.application;
    const previewUrl = `/${failed.previewUrl ?? 'no-preview'}`;
    const personal = [form.idNumber, name, form.birthDate, form.documentNumber, form.nameZh].filter((value) => value.length > 0);
    expect(personal.length).toBeGreaterThanOrEqual(4);
    expect((await api(previewUrl)).status).toBe(200);

    expect(await kiosk.controller.command({ type: 'sign-out' })).toEqual({ accepted: true });
    await waitFor(() => kiosk.controller.snapshot().parkedJob !== null, 10_000, 'the failed job was not parked');
    const snapshotText = await (await api('/api/snapshot')).text();
    for (const value of personal) expect(snapshotText).not.toContain(value);
    expect(JSON.parse(snapshotText)).toMatchObject({ screen: 'home', previewUrl: null, error: null, parkedJob: { failedStep: 'printing', mayTakeOver: false } });
    expect((await api(previewUrl)).status).toBe(404);

    // A technician mends the printer but may neither finish nor cancel the operator's card.
    await signInAt(kiosk, 'technician', '161803');
    for (const type of ['retry', 'cancel', 'take-over-job'] as const) {
      expect(await kiosk.controller.command({ type })).toMatchObject({ accepted: false, code: 'role', role: 'technician' });
    }
    const technicianSees = await (await api('/api/snapshot')).text();
    for (const value of personal) expect(technicianSees).not.toContain(value);
    await devOk(kiosk, { type: 'printer-fault', fault: 'load-cards' });
    expect(await kiosk.controller.command({ type: 'sign-out' })).toEqual({ accepted: true });

    await signInAt(kiosk, 'supervisor', '314159');
    expect(kiosk.controller.snapshot().parkedJob).toEqual({ failedStep: 'printing', mayTakeOver: true });
    expect(await kiosk.controller.command({ type: 'take-over-job' })).toEqual({ accepted: true });
    await waitFor(() => kiosk.controller.screen() === 'failed' && kiosk.controller.snapshot().application.form.idNumber === form.idNumber, 10_000, 'the job did not come back to the supervisor');
    expect(await kiosk.controller.command({ type: 'retry' })).toEqual({ accepted: true });
    await waitFor(() => kiosk.controller.screen() === 'done', 30_000, 'the card was not finished after the take-over');

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
