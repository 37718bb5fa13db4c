import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../hardware/host/child-processes';
import type { RunningKiosk } from '../../kiosk/controller/main';
import { applyAndPrint, devOk, jobIn, jobReaches, signInAt, startTestKiosk, type TestKiosk } from '../helpers/kiosk';
import { applyAndPrintFor, kioskApi, taoyuanIdNumber } from '../helpers/killed-kiosk';

/**
 * The ribbon ends while a card's side is printing (the market day's `ribbon-end`, found stalling the
 * bench: docs/performance.md). That card fails with printer_ribbon_out, the printer shows the ribbon
 * at its end (0 prints, never below), staff put a new ribbon in and press Retry: the card comes out,
 * and the queue goes on to the next. The real controller, driver over a pty and simulated printer.
 */
describe('a ribbon that ends mid-card', () => {
  let running: TestKiosk;
  let kiosk: RunningKiosk;

  beforeAll(async () => {
    running = await startTestKiosk('ribbon-end');
    kiosk = running.kiosk;
    await waitFor(() => kiosk.controller.snapshot().devices.printer.state === 'connected', 15_000, 'the printer did not connect');
  }, 60_000);
  afterAll(async () => {
    await running?.stop();
  });

  it('fails that card; a new ribbon and Retry finish it, and the next card prints', { timeout: 60_000 }, async () => {
    running.reportOnFailure();
    const printer = kiosk.world!.printer!;
    await signInAt(kiosk, 'staff', '271828');
    // Slow enough (a side takes seconds) that the end lands inside the print movement itself.
    printer.setTimeScale(0.3);
    const first = await applyAndPrint(kiosk);
    // A side prints once its panels are in: the card inside, a sequence open, and no byte sent for a while.
    let commands = -1;
    let quietSince = Date.now();
    await waitFor(() => {
      const state = printer.state();
      if (state.commandsReceived !== commands || !state.inSequence || state.card !== 'inside') {
        commands = state.commandsReceived;
        quietSince = Date.now();
      }
      return Date.now() - quietSince >= 400;
    }, 30_000, 'no side began to print');
    await devOk(kiosk, { type: 'printer-fault', fault: 'ribbon-end' });
    printer.setTimeScale(0.01);

    const failed = await jobReaches(kiosk, first.jobId, 'failed', 20_000);
    expect(failed.error).toMatchObject({ kind: 'printer_ribbon_out', canRetry: true });
    expect(printer.state()).toMatchObject({ ribbonPrintsLeft: 0, card: 'inside' });
    // What staff go by: the kiosk reads the ribbon at its end. (The simulator once counted the side
    // printed anyway, to -1: a count `Rco;I` cannot give, so the kiosk kept showing the old ribbon's
    // and the market day's staff, who change an empty ribbon, never did: the stall.)
    await waitFor(() => kiosk.controller.snapshot().devices.printer.detail.startsWith('0 prints left'), 15_000, 'the kiosk did not read the ribbon at its end');

    // What staff do on the ribbon's message: a new ribbon, then Retry on the card.
    await devOk(kiosk, { type: 'printer-fault', fault: 'new-ribbon' });
    expect(await kiosk.controller.command({ type: 'retry', jobId: first.jobId })).toEqual({ accepted: true });
    await jobReaches(kiosk, first.jobId, 'ready', 20_000);
    await devOk(kiosk, { type: 'printer-fault', fault: 'take-card' });
    await waitFor(() => jobIn(kiosk, first.jobId) === undefined, 20_000, 'the first card was not taken');

    // The queue moves on: the next card is printed on the new ribbon.
    await applyAndPrintFor(kioskApi(kiosk.url, kiosk.token), taoyuanIdNumber(1));
    const second = kiosk.controller.snapshot().printQueue.jobs.at(-1)!;
    expect(second.ticket).toBe(first.ticket + 1);
    await jobReaches(kiosk, second.jobId, 'ready', 30_000);
    expect(printer.state().ribbonPrintsLeft).toBeGreaterThan(290);
  });
});
