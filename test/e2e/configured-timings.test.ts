import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../hardware/host/child-processes';
import type { RunningKiosk } from '../../kiosk/controller/main';
import { applyAndPrint, devOk, jobIn, jobReaches, signInAt, startTestKiosk, type TestKiosk } from '../helpers/kiosk';

/**
 * The `timings` of kiosk.config.json reach the machines of a whole kiosk (main.ts wires them): with
 * short values the self-service problem message, the staff idle warning and the end of a card's
 * hand-over (its job leaves the print queue) come in seconds, where the defaults would take 30 s, 150 s and 60 s. (Each delay's exact timing is tested on XState's
 * SimulatedClock in test/kiosk/controller/configured-timings.test.ts.)
 */
describe('a kiosk started with configured timings', () => {
  let running: TestKiosk;
  let kiosk: RunningKiosk;

  beforeAll(async () => {
    running = await startTestKiosk('timings', {
      env: { KIOSK_MODE: 'self-service' },
      file: { timings: { problemShownSeconds: 5, idleLockSeconds: 30, idleWarningSeconds: 27, handOverSeconds: 5 } },
    });
    kiosk = running.kiosk;
    await waitFor(() => kiosk.controller.snapshot().devices.board.state === 'connected', 15_000, 'the I/O board did not connect');
  }, 60_000);
  afterAll(async () => {
    await running?.stop();
  });

  it('clears a self-service problem after the configured 5 s, and warns a signed-in operator 3 s after the last touch', { timeout: 60_000 }, async () => {
    expect(kiosk.config.timings).toMatchObject({ problemShownSeconds: 5, idleLockSeconds: 30, idleWarningSeconds: 27 });
    await devOk(kiosk, { type: 'place-card', kind: 'phone' });
    await waitFor(() => kiosk.controller.snapshot().selfService?.state === 'problem', 10_000, 'the phone was not read');
    const shownAt = Date.now();
    await waitFor(() => kiosk.controller.snapshot().selfService?.state === 'ready', 15_000, 'the problem message stayed past the configured 5 s');
    expect(Date.now() - shownAt).toBeGreaterThanOrEqual(4_000);
    await devOk(kiosk, { type: 'remove-card' });

    await signInAt(kiosk, 'staff', '271828');
    const signedInAt = Date.now();
    await waitFor(() => kiosk.controller.snapshot().session.idleSecondsLeft !== null, 15_000, 'no idle warning 3 s after sign-in');
    expect(Date.now() - signedInAt).toBeGreaterThanOrEqual(2_000);
    expect(kiosk.controller.snapshot().session.idleSecondsLeft).toBeLessThanOrEqual(27);
  });

  it('takes a card left at the exit off the print queue after the configured 5 s hand-over, the operator still signed in', { timeout: 90_000 }, async () => {
    if (kiosk.controller.snapshot().session.state !== 'signed-in') await signInAt(kiosk, 'staff', '271828');
    const { jobId } = await applyAndPrint(kiosk);
    await jobReaches(kiosk, jobId, 'ready', 30_000);
    const readyAt = Date.now();
    // Nobody takes the card from the simulated printer's exit here (its sensor would close the job
    // sooner), and nobody presses "handed over": only the hand-over delay closes the job.
    expect(kiosk.world!.printer!.state().cardsInOutput).toBe(1);
    await waitFor(() => jobIn(kiosk, jobId) === undefined, 15_000, 'the ready card stayed in the queue past the configured 5 s');
    expect(Date.now() - readyAt).toBeGreaterThanOrEqual(4_000);
    expect(kiosk.world!.printer!.state().cardsInOutput).toBe(1);
    // Closed by the hand-over delay, not because the idle lock took the operator away.
    expect(kiosk.controller.snapshot().session.state).toBe('signed-in');
  });
});
