import { afterEach, describe, expect, it } from 'vitest';
import { createActor, fromPromise, waitFor } from 'xstate';
import { openCardPrinter } from '../../../../hardware/printer/driver';
import { startPrinterSimulator, type PrinterSimulator } from '../../../../hardware/printer/simulator';
import { openPtyPair } from '../../../../hardware/serial/pty-pair';
import type { ApplicationForm } from '../../../../shared/contract/kiosk-api';
import { cardJobMachine, type CardJobSnapshot } from '../../../../kiosk/controller/issuance/card-job-machine';
import { issuanceActors, issuanceSteps, type IssuanceDevices } from '../../../../kiosk/controller/issuance/issuance-services';
import { issuanceMachine, type Assessment, type PhotoVerdict } from '../../../../kiosk/controller/issuance/issuance-machine';
import { testSession } from '../store/session-fixture';
import { openTempStore, person, type TempStore } from '../store/temp-store';

/**
 * The printer loses its power while a card's face is going on: the card stops half printed in the
 * printer, and the printer, powered again, has forgotten the job. The kiosk must not print the face over
 * that card (nor hand it out): on Retry it goes to the reject box and is booked spoiled, and the job
 * prints once on a new blank; on Cancel it is rejected and booked spoiled too. The real driver and the
 * printer simulator over a pty, the real store; the chip is another test's business.
 */
const eligible: Assessment = { eligibility: { cards: [], guardianConsentRequired: false, recommended: null }, problems: [], fee: 0, action: 'new' };
const passed: PhotoVerdict = { passed: true, checks: [], cardPhoto: null, archivePhoto: new Uint8Array(2048).fill(7), faceMatch: null };
const form: Partial<ApplicationForm> = { idNumber: person.idNumber, name: person.name, nameZh: person.nameZh, birthDate: person.birthDate, cardType: 'general', district: '中壢區' };
const timeouts = { query: 500, insert: 2000, panel: 3000, print: 600, move: 2000 };
const feeder = 20;

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function kioskWithPrinter(): Promise<{ t: TempStore; sim: PrinterSimulator; sessionId: string; machine: ReturnType<typeof issuanceMachine.provide> }> {
  const t = await openTempStore();
  cleanup.push(() => t.cleanup());
  const { sessionId } = await testSession(t.store);
  const pair = await openPtyPair('printer');
  cleanup.push(() => pair.close());
  const sim = await startPrinterSimulator({ devicePath: pair.devicePath, timeScale: 0.001, cards: feeder });
  cleanup.push(() => sim.close());
  const printer = await openCardPrinter({ path: pair.hostPath, timeouts, pollIntervalMs: 0 });
  cleanup.push(() => printer.close());
  const devices: IssuanceDevices = {
    printer,
    encoder: {} as IssuanceDevices['encoder'],
    store: t.store,
    photoGate: {} as IssuanceDevices['photoGate'],
    rules: {} as IssuanceDevices['rules'],
    clock: t.clock,
    chipMasterKey: new Uint8Array(32).fill(7),
    kioskId: 'TY-K01',
    log: () => {},
    operatorId: () => 'OP-1',
  };
  const { printCard, commitIssuance, ejectCard, abandonJob, parkJob, resumeJob, reprintCard } = issuanceSteps(devices);
  const machine = issuanceMachine.provide({
    actors: {
      ...issuanceActors(devices),
      assessApplication: fromPromise(async () => eligible),
      evaluatePhoto: fromPromise(async () => passed),
      cardJob: cardJobMachine.provide({
        actors: { printCard, commitIssuance, ejectCard, abandonJob, parkJob, resumeJob, reprintCard, encodeCard: fromPromise(async () => ({ uid: '04A1B2C3D4E5F6' })) },
      }),
    },
  });
  return { t, sim, sessionId, machine };
}

/** Application to confirmed print; the one job once `until` holds. */
async function confirmedJob(machine: ReturnType<typeof issuanceMachine.provide>, until: (job: CardJobSnapshot) => boolean) {
  const actor = createActor(machine, { input: {} }).start();
  cleanup.push(async () => {
    actor.stop();
  });
  actor.send({ type: 'start-application' });
  actor.send({ type: 'update-application', fields: form });
  await waitFor(actor, (s) => s.matches({ applicant: { application: 'editing' } }), { timeout: 10_000 });
  actor.send({ type: 'submit-application' });
  actor.send({ type: 'capture-photo', image: new Uint8Array([0xff, 0xd8]) });
  await waitFor(actor, (s) => s.matches({ applicant: { review: 'ready' } }), { timeout: 30_000 });
  actor.send({ type: 'confirm-print' });
  await waitFor(actor, (s) => s.context.jobs.length === 1, { timeout: 10_000 });
  const job = actor.getSnapshot().context.jobs[0]!.ref;
  await waitFor(job, until, { timeout: 20_000 });
  return { actor, job };
}

describe('the printer loses power in the middle of a card', () => {
  it('says the printer is silent; on Retry the half-printed card is rejected and spoiled, and the card is printed once on a new blank', { timeout: 60_000 }, async () => {
    const { t, sim, sessionId, machine } = await kioskWithPrinter();
    sim.injectFault({ kind: 'power-loss', atStep: 'print-front' });
    const { actor, job } = await confirmedJob(machine, (s) => s.matches('failed'));
    expect(job.getSnapshot().context).toMatchObject({ failedStep: 'printing', error: { kind: 'printer_timeout', canRetry: true, advice: { code: 'printer.timeout' } } });
    // The printer, dark, holds the half-printed card.
    expect(sim.printedCards()).toMatchObject([{ cutOff: true, disposition: 'inside' }]);

    sim.injectFault({ kind: 'power-on' });
    job.send({ type: 'retry' });
    await waitFor(job, (s) => s.matches('ready'), { timeout: 20_000 });

    // The half-printed card went to the reject box; the face was printed once, on a new card, and handed out.
    expect(sim.printedCards().map(({ cutOff, printedOver, disposition }) => ({ cutOff, printedOver, disposition }))).toEqual([
      { cutOff: true, printedOver: false, disposition: 'rejected' },
      { cutOff: false, printedOver: false, disposition: 'ejected' },
    ]);
    expect(sim.state()).toMatchObject({ cardsInFeeder: feeder - 2, cardsRejected: 1, cardsEjected: 1 });
    // The stock says what the printer did: one issued, one spoiled (a misprint), nothing unaccounted.
    const stock = (await t.store.sessions.stock(sessionId)).easycard;
    expect(stock).toMatchObject({ issued: 1, spoiled: 1, spoiledBy: { misprint: 1 } });
    expect(await t.store.heldCards(person.idNumber)).toMatchObject([{ status: 'active' }]);
    expect((await t.store.verifyAudit()).ok).toBe(true);
    actor.stop();
  });

  it('on Cancel the half-printed card is rejected and booked spoiled', { timeout: 60_000 }, async () => {
    const { t, sim, sessionId, machine } = await kioskWithPrinter();
    sim.injectFault({ kind: 'power-loss', atStep: 'print-front' });
    const { actor, job } = await confirmedJob(machine, (s) => s.matches('failed'));
    sim.injectFault({ kind: 'power-on' });
    job.send({ type: 'cancel' });
    await waitFor(actor, (s) => s.context.jobs.length === 0, { timeout: 20_000 });
    expect(sim.printedCards()).toMatchObject([{ cutOff: true, disposition: 'rejected' }]);
    expect(sim.state()).toMatchObject({ cardsInFeeder: feeder - 1, cardsRejected: 1, cardsEjected: 0 });
    const stock = (await t.store.sessions.stock(sessionId)).easycard;
    expect(stock).toMatchObject({ issued: 0, spoiled: 1 });
    expect(await t.store.heldCards(person.idNumber)).toEqual([]);
    expect(await t.store.pendingJobs()).toEqual([]);
    actor.stop();
  });
});
