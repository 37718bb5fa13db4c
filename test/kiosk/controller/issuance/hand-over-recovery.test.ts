import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SimulatedClock } from 'xstate';
import type { CardPrinter, CardPosition, PrinterStatus } from '../../../../hardware/printer/types';
import { ok } from '../../../../shared/result';
import { silentLog } from '../../../../shared/log';
import { watchHandOver } from '../../../../kiosk/controller/issuance/hand-over-watch';
import { recoverInterruptedJobs, type ExpectedCard } from '../../../../kiosk/controller/issuance/recover-interrupted-jobs';
import { issuance, openTempStore, person, type TempStore } from '../store/temp-store';
import { testSession } from '../store/session-fixture';

/**
 * A crash right after the commit: the card is recorded as issued but was never ejected. The restart
 * looks for it at the printer and either hands it over (it reads back as that card) or rejects it and
 * voids it; a card already ejected is closed as taken once the exit slot is empty.
 */
interface FakePrinter extends CardPrinter {
  card: CardPosition;
  output: PrinterStatus['output'];
  readonly moves: string[];
}

/** Lets the store's promises run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function fakePrinter(card: CardPosition, output: PrinterStatus['output'] = 'empty'): FakePrinter {
  const status = (): PrinterStatus => ({
    connected: true, card: printer.card, output: printer.output, cover: 'closed', feeder: 'loaded', ribbon: 'ymcko', printsLeft: 100, ribbonAtEnd: false, readAt: 0,
  });
  const printer: FakePrinter = {
    card,
    output,
    moves: [],
    isConnected: true,
    status: async () => ok(status()),
    lastStatus: status,
    printCard: async () => {
      throw new Error('no printing during recovery');
    },
    insertToContactless: async () => ok(undefined),
    ejectCard: async () => {
      printer.moves.push('eject');
      printer.card = 'none';
      printer.output = 'card';
      return ok(undefined);
    },
    rejectCard: async () => {
      printer.moves.push('reject');
      printer.card = 'none';
      return ok(undefined);
    },
    on: () => () => {},
    close: async () => {},
  };
  return printer;
}

const issued: ExpectedCard = { cardNumber: 'TY-K01-S-0000001', uid: '04A1B2C3' };

describe('recovery of a card issued but not handed over', () => {
  let t: TempStore;
  beforeEach(async () => {
    t = await openTempStore();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  /** The journal of a card killed right after the commit (before `ejectCard`). */
  async function committedJob(): Promise<string> {
    const jobId = await t.store.beginIssuanceJob({ ...(await testSession(t.store)), cardType: 'senior', operatorId: 'op-1' });
    await t.store.markJobStep(jobId, 'printed');
    await t.store.markJobStep(jobId, 'encoded', { context: { ...issued } });
    await t.store.markJobStep(jobId, 'verified');
    expect((await t.store.recordIssuance(issuance({ jobId, cardNumber: issued.cardNumber }))).ok).toBe(true);
    return jobId;
  }

  it('ejects the card to the applicant when the chip at the station reads back as that card', async () => {
    const jobId = await committedJob();
    const printer = fakePrinter('contactless-station');
    const asked: ExpectedCard[] = [];
    const recovered = await recoverInterruptedJobs(t.store, printer, silentLog, {
      verifyCardAtStation: async (expected) => {
        asked.push(expected);
        return true;
      },
    });
    expect(recovered).toEqual([{ jobId, step: 'committed', outcome: 'ejected', cardRejected: false }]);
    expect(asked).toEqual([issued]);
    expect(printer.moves).toEqual(['eject']);
    expect(await t.store.heldCards(person.idNumber)).toMatchObject([{ cardNumber: issued.cardNumber, status: 'active' }]);
    // Journaled as handed over: now it waits in the exit slot until taken.
    expect(await t.store.pendingJobs()).toMatchObject([{ jobId, step: 'ejected' }]);
    const watch = watchHandOver({ printer, store: t.store, log: silentLog });
    expect(await watch.check()).toEqual([]);
    printer.output = 'empty';
    expect(await watch.check()).toEqual([jobId]);
    expect(await t.store.pendingJobs()).toEqual([]);
    expect((await t.store.verifyAudit()).ok).toBe(true);
  });

  it('reads the exit slot every exitSlotPoll on the injected clock while a card waits, and tells who was handed over', async () => {
    const jobId = await committedJob();
    const printer = fakePrinter('contactless-station');
    await recoverInterruptedJobs(t.store, printer, silentLog, { verifyCardAtStation: async () => true });
    const clock = new SimulatedClock();
    const taken: string[][] = [];
    const watch = watchHandOver({ printer, store: t.store, log: silentLog, pollMs: 60_000, timers: clock, onTaken: (jobIds) => taken.push([...jobIds]) });
    watch.cardEjected();
    printer.output = 'empty';
    // A minute: a real-time poll could never fire within this test, only the simulated one.
    clock.increment(59_999);
    await settle();
    expect(taken).toEqual([]);
    clock.increment(1);
    await vi.waitFor(() => expect(taken).toEqual([[jobId]]));
    expect(await t.store.pendingJobs()).toEqual([]);
    // Nothing waits at the exit any more: the poll stopped.
    clock.increment(300_000);
    await settle();
    expect(taken).toHaveLength(1);
    watch.stop();
  });

  it('rejects and voids the card when the chip at the station is not that card', async () => {
    const jobId = await committedJob();
    const printer = fakePrinter('contactless-station');
    const recovered = await recoverInterruptedJobs(t.store, printer, silentLog, { verifyCardAtStation: async () => false });
    expect(recovered).toEqual([{ jobId, step: 'committed', outcome: 'voided', cardRejected: true }]);
    expect(printer.moves).toEqual(['reject']);
    expect(await t.store.heldCards(person.idNumber)).toMatchObject([{ cardNumber: issued.cardNumber, status: 'void' }]);
    expect(await t.store.pendingJobs()).toEqual([]);
    const voids = (await t.store.readAudit()).filter((e) => e.eventId === 'issuance-void');
    expect(voids).toMatchObject([{ disposition: 'success', details: { cardNumber: issued.cardNumber, reason: 'crash-recovery', jobId } }]);
    expect((await t.store.verifyAudit()).ok).toBe(true);
  });

  it('voids the card when the printer has none (nothing to read back), and never ejects anything', async () => {
    const jobId = await committedJob();
    const printer = fakePrinter('none');
    let asked = false;
    const recovered = await recoverInterruptedJobs(t.store, printer, silentLog, {
      verifyCardAtStation: async () => {
        asked = true;
        return true;
      },
    });
    expect(recovered).toEqual([{ jobId, step: 'committed', outcome: 'voided', cardRejected: false }]);
    expect(asked).toBe(false);
    expect(printer.moves).toEqual([]);
    expect(await t.store.heldCards(person.idNumber)).toMatchObject([{ status: 'void' }]);
    expect((await t.store.verifyAudit()).ok).toBe(true);
  });

  it('leaves a committed card found in the exit slot for the applicant (killed between the eject and its journal entry)', async () => {
    const jobId = await committedJob();
    const printer = fakePrinter('none', 'card');
    const recovered = await recoverInterruptedJobs(t.store, printer, silentLog);
    expect(recovered).toEqual([{ jobId, step: 'committed', outcome: 'in-output', cardRejected: false }]);
    expect(printer.moves).toEqual([]);
    expect(await t.store.heldCards(person.idNumber)).toMatchObject([{ cardNumber: issued.cardNumber, status: 'active' }]);
    expect(await t.store.pendingJobs()).toMatchObject([{ jobId, step: 'ejected' }]);
    const watch = watchHandOver({ printer, store: t.store, log: silentLog });
    printer.output = 'empty';
    expect(await watch.check()).toEqual([jobId]);
    expect((await t.store.verifyAudit()).ok).toBe(true);
  });

  it('voids a committed card when the card in the exit slot may be an earlier job\'s, still waiting to be taken', async () => {
    // The earlier job's journal only matters here: it was ejected and its card not yet taken.
    const earlier = await t.store.beginIssuanceJob({ ...(await testSession(t.store)), cardType: 'general', operatorId: 'op-1' });
    await t.store.markJobStep(earlier, 'ejected');
    const jobId = await committedJob();
    const recovered = await recoverInterruptedJobs(t.store, fakePrinter('none', 'card'), silentLog);
    expect(recovered).toEqual([
      { jobId: earlier, step: 'ejected', outcome: 'in-output', cardRejected: false },
      { jobId, step: 'committed', outcome: 'voided', cardRejected: false },
    ]);
  });

  it('closes a card ejected before the crash as taken when the exit slot is empty, and leaves it waiting when not', async () => {
    const first = await committedJob();
    await t.store.markJobStep(first, 'ejected');
    expect(await recoverInterruptedJobs(t.store, fakePrinter('none', 'card'), silentLog)).toEqual([{ jobId: first, step: 'ejected', outcome: 'in-output', cardRejected: false }]);
    expect(await t.store.pendingJobs()).toMatchObject([{ jobId: first, step: 'ejected' }]);
    expect(await recoverInterruptedJobs(t.store, fakePrinter('none', 'empty'), silentLog)).toEqual([{ jobId: first, step: 'ejected', outcome: 'taken', cardRejected: false }]);
    expect(await t.store.pendingJobs()).toEqual([]);
    expect(await t.store.heldCards(person.idNumber)).toMatchObject([{ status: 'active' }]);
  });

  it('tells whoever listens which jobs were taken when the exit slot reads empty, and nobody while a card still waits', async () => {
    const job = await committedJob();
    await t.store.markJobStep(job, 'ejected');
    const told: Array<readonly string[]> = [];
    const printer = fakePrinter('none', 'card');
    const watch = watchHandOver({ printer, store: t.store, log: silentLog, onTaken: (jobIds) => told.push(jobIds) });
    try {
      expect(await watch.check()).toEqual([]);
      expect(told).toEqual([]);
      printer.output = 'empty';
      expect(await watch.check()).toEqual([job]);
      expect(told).toEqual([[job]]);
      expect(await watch.check()).toEqual([]);
      expect(told).toEqual([[job]]);
    } finally {
      watch.stop();
    }
  });
});
