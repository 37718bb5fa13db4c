import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issuance, openTempStore, person, type TempStore } from './temp-store';

/** The look-ups behind a card tap on the counter reader and a replacement's face check. */
describe('store: card look-ups', () => {
  let t: TempStore;
  beforeEach(async () => {
    t = await openTempStore();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('finds a card by its number with its status, and nothing for a card it never issued', async () => {
    await t.store.recordIssuance(issuance({ cardNumber: '3300012000000014' }));
    await t.store.recordIssuance(issuance({ cardNumber: '3300012000000022', cause: 'replacement', replacementCause: 'lost', fee: 94 }));
    expect(await t.store.cardByNumber('3300012000000014')).toMatchObject({ type: 'senior', status: 'hot-listed' });
    expect(await t.store.cardByNumber('3300012000000022')).toMatchObject({ type: 'senior', status: 'active' });
    expect(await t.store.cardByNumber('3300019999999999')).toBeNull();
  });

  it("keeps the latest photo of the person's card of a type for comparing a replacement photo", async () => {
    await t.store.recordIssuance(issuance({ cardNumber: '3300012000000014', photoJpeg: Buffer.from('first photo') }));
    await t.store.recordIssuance(issuance({ cardNumber: '3300012000000022', cause: 'replacement', replacementCause: 'lost', fee: 94, photoJpeg: Buffer.from('second photo') }));
    expect((await t.store.photoOnFile(person.idNumber, 'senior'))?.toString()).toBe('second photo');
    expect(await t.store.photoOnFile(person.idNumber, 'student')).toBeNull();
    expect(await t.store.photoOnFile('B223456782', 'senior')).toBeNull();
  });
});
