import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deriveChipKeys } from '../../../../hardware/card-record/keys';
import { decodeCardRecord, recordBlocks } from '../../../../hardware/card-record/layout';
import { demoCitizens, seedDemoCitizens } from '../../../../kiosk/controller/devices/demo-citizens';
import { openTempStore, type TempStore } from '../store/temp-store';

const masterKey = new Uint8Array(32).fill(7);

describe('demo citizens of a fully simulated kiosk', () => {
  let t: TempStore;
  beforeEach(async () => {
    t = await openTempStore();
  });
  afterEach(() => t.cleanup());

  it('are issued here once, with their points a month, the lost one hot-listed, and chips that verify as their cards', async () => {
    const first = await seedDemoCitizens(t.store, 1, 'TY-DEMO-01', masterKey, '2026-12-07');
    const again = await seedDemoCitizens(t.store, 1, 'TY-DEMO-01', masterKey, '2026-12-07');
    expect(again.map((card) => card.kind)).toEqual(first.map((card) => card.kind));

    for (const [index, card] of first.entries()) {
      const citizen = demoCitizens[index]!;
      const uid = card.blocks[0]!.slice(0, 4);
      const image = new Map(recordBlocks.map((block) => [block, card.blocks[block]!] as const));
      const record = decodeCardRecord(image, deriveChipKeys(masterKey, uid));
      if (!record.ok) throw new Error(`the ${citizen.kind} chip does not verify: ${record.error.message}`);
      expect(record.value.cardType).toBe(citizen.cardType);
      // The same physical card at every start: the second seeding made the same chip.
      expect(Buffer.from(again[index]!.blocks[0]!.slice(0, 4))).toEqual(Buffer.from(uid));

      const onFile = await t.store.cardByNumber(record.value.cardNumber);
      expect(onFile?.status).toBe(citizen.hotListed ? 'hot-listed' : 'active');
      const wallet = await t.store.wallet.walletOf(record.value.cardNumber);
      expect(wallet).toMatchObject({ known: true, balance: 0, counter: 0, monthlyPoints: citizen.monthlyPoints });
    }
  });
});
