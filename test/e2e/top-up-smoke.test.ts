import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../hardware/host/child-processes';
import type { SelfServiceView } from '../../shared/contract/kiosk-api';
import type { RunningKiosk } from '../../kiosk/controller/main';
import { applyAndPrint, devOk, jobReaches, signInAt, startTestKiosk, type TestKiosk } from '../helpers/kiosk';

/**
 * A top-up through the whole controller as main.ts wires it (no browser): the simulated world's
 * ccTalk validator on a pty, a real pcscd with the virtual citizen card on the counter reader. The
 * lead's e2e in Chromium covers the screens; this checks the composition root.
 */
describe('self-service top-up through the composition root', () => {
  let running: TestKiosk;
  let kiosk: RunningKiosk;

  beforeAll(async () => {
    running = await startTestKiosk('top-up-smoke', { env: { KIOSK_MODE: 'self-service' } });
    kiosk = running.kiosk;
  }, 120_000);
  afterAll(async () => {
    await running?.stop();
  });

  const view = (): SelfServiceView | null => kiosk.controller.snapshot().selfService;

  it('a card issued here, tapped: wallet shown, two notes credited once through the validator, written to the chip, a signed receipt', { timeout: 180_000 }, async () => {
    running.reportOnFailure();
    await waitFor(() => kiosk.controller.snapshot().devices.board.state === 'connected', 15_000, 'the I/O board did not connect');
    await signInAt(kiosk, 'staff', '271828');
    const { jobId } = await applyAndPrint(kiosk);
    const { cardNumber } = await jobReaches(kiosk, jobId, 'ready', 60_000);
    expect(await kiosk.controller.command({ type: 'sign-out' })).toEqual({ accepted: true });
    await devOk(kiosk, { type: 'remove-card' });
    await waitFor(() => view()?.state === 'ready', 10_000, 'not back to self-service');

    await devOk(kiosk, { type: 'place-card', kind: 'citizen' });
    await waitFor(() => view()?.state === 'card', 10_000, 'the card was not shown');
    const shown = view();
    expect(shown).toMatchObject({ state: 'card', card: { wallet: { balance: 0, mirror: 'up-to-date', topUp: { available: true, notes: [100, 500, 1000] } } } });

    expect(await kiosk.controller.command({ type: 'top-up-start' })).toEqual({ accepted: true });
    await waitFor(() => view()?.state === 'top-up', 10_000, 'no top-up');
    await waitFor(() => kiosk.world?.validator?.state().masterInhibit === false, 10_000, 'the validator was not enabled');
    await devOk(kiosk, { type: 'insert-note', amount: 500 });
    await waitFor(() => { const v = view(); return v?.state === 'top-up' && v.topUp.inserted === 500 && v.topUp.phase === 'insert'; }, 15_000, 'the 500 was not credited');
    await devOk(kiosk, { type: 'insert-note', amount: 1000 });
    await waitFor(() => { const v = view(); return v?.state === 'top-up' && v.topUp.inserted === 1500 && v.topUp.phase === 'insert'; }, 15_000, 'the 1000 was not credited');
    expect(await kiosk.controller.command({ type: 'top-up-finish' })).toEqual({ accepted: true });
    await waitFor(() => view()?.state === 'top-up-done', 15_000, 'no receipt');
    expect(view()).toMatchObject({ state: 'top-up-done', done: { mirror: 'up-to-date', receipt: { amount: 1500, balance: 1500 } } });
    expect(await kiosk.store.wallet.walletOf(cardNumber ?? '')).toMatchObject({ balance: 1500, counter: 2, confirmed: { counter: 2, balance: 1500 } });
    expect(JSON.stringify(kiosk.controller.snapshot())).not.toContain(cardNumber ?? 'x');
    await waitFor(() => kiosk.world?.validator?.state().masterInhibit === true, 10_000, 'the validator was left taking notes');
    expect(kiosk.world?.validator?.state().stackedTotal).toEqual({ 500: 1, 1000: 1 });
  });
});
