import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createActor, SimulatedClock, waitFor, type Actor } from 'xstate';
import { fixedClock, type Timers } from '../../../../shared/clock';
import { isDiskFull } from '../../../../kiosk/controller/store/disk-space';
import { openStore, type Store } from '../../../../kiosk/controller/store/store';
import { cashLogic, type CashOutcome } from '../../../../kiosk/controller/top-up/cash-machine';
import { settleJournal } from '../../../../kiosk/controller/top-up/settle-journal';
import { mountSmallDisk, type SmallDisk } from '../../../helpers/tmpfs';
import { issuance } from '../store/temp-store';
import { fakeValidator } from './fake-validator';

/**
 * Cash on a full data disk: the store on a real small tmpfs that the test fills. A note whose escrow
 * cannot be journaled is given back (no money taken unrecorded); a note stacked whose credit cannot be
 * committed is in doubt, never lost: its journal row (committed before the stack) is settled once the
 * space is back, credited exactly once. Freeing space is enough: the same store goes on, no restart.
 */
const card = 'TY-K01-S-0000001';
const cap = 10_000;
const instant: Timers = { setTimeout: (callback) => queueMicrotask(callback), clearTimeout: () => {} };

let disk: SmallDisk;
beforeAll(() => {
  disk = mountSmallDisk('top-up-full', 16);
});
afterAll(() => disk?.unmount());

describe('a top-up on a full data disk', () => {
  let store: Store;
  let actor: Actor<ReturnType<typeof cashLogic>> | undefined;
  let fake: ReturnType<typeof fakeValidator>;
  let failures: Array<{ step: string; error: unknown }>;
  let n = 0;

  async function visit(): Promise<{ topUpId: string; actor: Actor<ReturnType<typeof cashLogic>> }> {
    const dir = join(disk.dir, `kiosk-${++n}`);
    mkdirSync(dir);
    const opened = await openStore({ path: join(dir, 'kiosk.sqlite'), keyFile: join(dir, 'store.key'), kioskId: 'TY-K01', clock: fixedClock(new Date('2026-03-01T09:00:00Z')) });
    if (!opened.ok) throw new Error(JSON.stringify(opened.error));
    store = opened.value;
    await store.recordIssuance(issuance({ cardNumber: card }));
    fake = fakeValidator();
    failures = [];
    const { topUpId } = await store.wallet.startTopUp(card);
    actor = createActor(cashLogic({ validator: fake.validator, wallet: store.wallet, device: 'cctalk', failed: (step, error) => failures.push({ step, error }) }), {
      input: { topUpId, cardNumber: card, balance: 0, cap },
      clock: new SimulatedClock(),
    });
    actor.start();
    await waitFor(actor, (s) => s.matches('waiting'));
    return { topUpId, actor };
  }

  afterEach(async () => {
    actor?.stop();
    actor = undefined;
    disk.unfill();
    await store?.close();
  });

  it('gives the note back when its escrow cannot be journaled, and takes the next one once space is freed', async () => {
    const { topUpId, actor } = await visit();
    disk.fill();
    actor.send({ type: 'bill.event', event: fake.escrow(500) });
    await waitFor(actor, (s) => s.matches('awaitingReturn'), { timeout: 10_000 });
    actor.send({ type: 'bill.event', event: fake.status('returned') });
    await waitFor(actor, (s) => s.matches('waiting'), { timeout: 10_000 });
    expect(fake.calls).toContain('route return');
    expect(fake.calls).not.toContain('route stack');
    expect(failures.map((f) => [f.step, isDiskFull(f.error)])).toEqual([['journal', true]]);
    expect(await store.wallet.journalOf(topUpId)).toEqual([]);
    expect((await store.wallet.walletOf(card)).balance).toBe(0);

    // A technician frees space: the same visit goes on, nothing restarted.
    disk.unfill();
    actor.send({ type: 'bill.event', event: fake.escrow(500) });
    await waitFor(actor, (s) => s.matches('awaitingReport'), { timeout: 10_000 });
    actor.send({ type: 'bill.event', event: fake.stacked(500) });
    await waitFor(actor, (s) => s.matches('waiting'), { timeout: 10_000 });
    expect((await store.wallet.walletOf(card)).balance).toBe(500);
    expect(await store.wallet.journalOf(topUpId)).toEqual([expect.objectContaining({ state: 'credited', amount: 500 })]);
    expect((await store.verifyAudit()).ok).toBe(true);
  });

  it('a note stacked whose credit cannot be committed is in doubt, not lost: settled and credited once when space is back', async () => {
    const { topUpId, actor } = await visit();
    actor.send({ type: 'bill.event', event: fake.escrow(500) });
    await waitFor(actor, (s) => s.matches('awaitingReport'), { timeout: 10_000 });
    disk.fill();
    const stacked = fake.stacked(500);
    actor.send({ type: 'bill.event', event: stacked });
    const outcome: CashOutcome = (await waitFor(actor, (s) => s.status === 'done', { timeout: 10_000 })).output!;
    expect(outcome).toMatchObject({ inserted: 0, inDoubt: 500 });
    expect(failures.map((f) => f.step)).toContain('credit');
    expect((await store.wallet.walletOf(card)).balance).toBe(0);
    // The row committed before the stack command still says where the note went.
    expect(await store.wallet.journalOf(topUpId)).toEqual([expect.objectContaining({ state: 'routing', amount: 500 })]);

    disk.unfill();
    fake.setBuffer({ counter: stacked.counter, events: [stacked] });
    const settled = await settleJournal({ validator: fake.validator, wallet: store.wallet, cap, log: () => {}, timers: instant, polls: 3 });
    expect(settled).toMatchObject({ kind: 'credited', amount: 500 });
    expect((await store.wallet.walletOf(card)).balance).toBe(500);
    // Settled once: a second pass finds nothing open.
    expect(await settleJournal({ validator: fake.validator, wallet: store.wallet, cap, log: () => {}, timers: instant, polls: 3 })).toEqual({ kind: 'nothing-open' });
    expect((await store.wallet.walletOf(card)).balance).toBe(500);
    expect((await store.verifyAudit()).ok).toBe(true);
  });
});
