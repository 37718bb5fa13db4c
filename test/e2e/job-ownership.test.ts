import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../hardware/host/child-processes';
import type { RunningKiosk } from '../../kiosk/controller/main';
import { launchChromium, type TestBrowser } from '../helpers/chromium';
import { applyForCard, confirmPrint, devOk, jobIn, jobReaches, screenshot, signInAt, startTestKiosk, type TestKiosk } from '../helpers/kiosk';

/**
 * A card job belongs to the operator who confirmed it. When their print fails and they sign out, the
 * job is parked: the next person at the counter sees nothing of the applicant (not in the snapshot,
 * not in the queue, not the card face), a technician can neither retry nor cancel it, and a supervisor
 * may take it over from the print queue on the screen: the card is then issued under the supervisor's
 * id, with the take-over audited under both.
 */
describe('a failed card job waits for its owner', () => {
  let running: TestKiosk;
  let kiosk: RunningKiosk;
  let browser: TestBrowser;
  let page: Page;

  beforeAll(async () => {
    running = await startTestKiosk('job-owner', { ownUi: true });
    kiosk = running.kiosk;
    await waitFor(() => kiosk.controller.snapshot().devices.printer.state === 'connected', 15_000, 'the printer did not connect');
    browser = await launchChromium();
    page = await browser.context.newPage();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await running?.stop();
  });

  const api = (path: string): Promise<Response> => fetch(new URL(path, kiosk.url), { headers: { authorization: `Bearer ${kiosk.token}` } });
  const operatorIdOf = async (name: string): Promise<string> => {
    const found = (await kiosk.store.operators.list()).find((operator) => operator.name.includes(name));
    if (!found) throw new Error(`no operator named ${name}`);
    return found.id;
  };

  it('hides the applicant after sign-out, refuses a technician, and lets a supervisor take over', async () => {
    running.reportOnFailure();
    await page.goto(kiosk.urlWithToken);
    await page.locator('[data-session="signed-out"]').waitFor({ timeout: 15_000 });
    const onScreen = (stage: string) => page.locator(`[data-testid="print-queue"] li[data-job-ticket="1"][data-job-stage="${stage}"]`);
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
    // On the technician's screen: the parked card by its ticket only, nothing to press.
    await onScreen('parked').waitFor({ timeout: 15_000 });
    expect(await onScreen('parked').locator('.job-initials, [data-testid="job-card-number"], button').count()).toBe(0);
    expect(await page.locator('[data-testid="print-queue"]').getAttribute('data-paused')).toBe('true');
    for (const value of personal) expect(await page.content()).not.toContain(value);
    await devOk(kiosk, { type: 'printer-fault', fault: 'load-cards' });
    expect(await kiosk.controller.command({ type: 'sign-out' })).toEqual({ accepted: true });

    await signInAt(kiosk, 'supervisor', '314159');
    expect(jobIn(kiosk, jobId)).toMatchObject({ stage: 'parked', mayTakeOver: true, mine: false });
    // The supervisor takes it over from the queue on the screen.
    await page.locator('[data-testid="operator-name"]', { hasText: 'Demo Supervisor' }).waitFor({ timeout: 15_000 });
    await onScreen('parked').locator('button[data-job-action="take-over"]').waitFor({ timeout: 15_000 });
    await screenshot(page, 'print-queue-parked');
    await onScreen('parked').locator('button[data-job-action="take-over"]').click();
    // The job comes back to the supervisor with its data: theirs now, the same card.
    await onScreen('failed').locator('button[data-job-action="retry"]').waitFor({ timeout: 15_000 });
    expect(jobIn(kiosk, jobId)).toMatchObject({ stage: 'failed', mine: true, initials: failed.initials, cardNumber: failed.cardNumber });
    expect(await onScreen('failed').locator('.job-initials').textContent()).toBe(failed.initials);
    await onScreen('failed').locator('button[data-job-action="retry"]').click();
    await jobReaches(kiosk, jobId, 'ready', 30_000);
    await onScreen('ready').waitFor({ timeout: 10_000 });
    expect(((await onScreen('ready').locator('[data-testid="job-card-number"]').textContent()) ?? '').replace(/\s/g, '')).toBe(failed.cardNumber);

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
