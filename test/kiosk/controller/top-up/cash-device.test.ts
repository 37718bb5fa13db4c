import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { watchValidator } from '../../../../kiosk/controller/top-up/cash-device';
import { openTempStore, type TempStore } from '../store/temp-store';
import { fakeValidator } from './fake-validator';

describe('the validator outside a visit', () => {
  let t: TempStore;
  beforeEach(async () => {
    t = await openTempStore();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('a note stacked with no visit open is an exception with its value, for reconcile and settle to count', async () => {
    const fake = fakeValidator();
    const watch = watchValidator({ validator: fake.validator, wallet: t.store.wallet, visit: { open: () => false, bill: () => {} }, service: { send: () => {} }, log: () => {}, startCause: null });
    fake.announce(fake.stacked(1000));
    for (let i = 0; i < 100 && (await t.store.wallet.exceptions({ open: true })).length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await t.store.wallet.exceptions({ open: true })).toEqual([expect.objectContaining({ kind: 'note-unclaimed', cardNumber: null, amount: 1000 })]);
    watch.stop();
  });
});
