import { describe, expect, it } from 'vitest';
import { deriveChipKeys } from '../../../hardware/card-record/keys';
import type { CardTap } from '../../../hardware/nfc/types';
import { fakeCounter } from './fake-counter';

/** The fake counter reader reads real chip bytes as the driver does: keys and MAC decide, not the test. */
describe('the fake counter reader', () => {
  const masterKey = new Uint8Array(32).fill(7);
  const setUp = () => {
    const counter = fakeCounter({ masterKey });
    const taps: CardTap[] = [];
    counter.station.on('card', (tap) => taps.push(tap));
    const read = (key = masterKey) => {
      const tap = taps.at(-1);
      if (!tap) throw new Error('no tap');
      return counter.station.readRecord(deriveChipKeys(key, Buffer.from(tap.uid, 'hex')));
    };
    return { counter, taps, read };
  };

  it('reads a card personalised under its master key, with the keys derived for the tapped UID', async () => {
    const { counter, read } = setUp();
    counter.tap({ cardNumber: '3300011300000015', balance: 420 });
    expect(await read()).toMatchObject({ ok: true, value: { mac: 'verified', record: { cardNumber: '3300011300000015', cardType: 'senior', wallet: { balance: 420 } } } });
  });

  it('fails a card made under another master key at its sector keys, as the reader does', async () => {
    const { counter, read } = setUp();
    counter.tap({ cardNumber: '3300011300000015' }, { masterKey: new Uint8Array(32).fill(9) });
    expect(await read()).toMatchObject({ ok: false, error: { kind: 'auth_failed', sector: 13 } });
    // Read with the keys it was made under, it verifies: the bytes are a real card's.
    expect(await read(new Uint8Array(32).fill(9))).toMatchObject({ ok: true, value: { mac: 'verified' } });
  });

  it('fails a card with one byte changed at its MAC, the unverified content kept for display only', async () => {
    const { counter, read } = setUp();
    counter.tap({ cardNumber: '3300011300000015', balance: 420 }, { flip: { block: 52, byte: 3, bits: 0x01 } });
    expect(await read()).toMatchObject({ ok: false, error: { kind: 'record_invalid', error: { kind: 'mac_mismatch', unverified: { cardNumber: '3300011300000015' } } } });
  });

  it('fails a card whose balance was changed at its wallet MAC: the static record verified, the wallet only as read', async () => {
    const { counter, read } = setUp();
    counter.tap({ cardNumber: '3300011300000015', balance: 420 }, { flip: { block: 56, byte: 2, bits: 0x10 } });
    expect(await read()).toMatchObject({ ok: false, error: { kind: 'record_invalid', error: { kind: 'wallet_invalid', record: { cardNumber: '3300011300000015', cardType: 'senior', wallet: { balance: 4516 } } } } });
    counter.tapForged();
    expect(await read()).toMatchObject({ ok: false, error: { kind: 'record_invalid', error: { kind: 'wallet_invalid', record: { cardNumber: '3300011300000015' } } } });
  });

  it("refuses keys derived for another card's UID, a phone, and an empty reader", async () => {
    const { counter, taps } = setUp();
    counter.tap({ cardNumber: '3300011300000015' });
    const first = taps.at(-1);
    counter.tap({ cardNumber: '3300011300000023' });
    if (!first) throw new Error('no tap');
    expect(await counter.station.readRecord(deriveChipKeys(masterKey, Buffer.from(first.uid, 'hex')))).toMatchObject({ ok: false, error: { kind: 'wrong_card' } });
    counter.tapPhone();
    expect(await counter.station.readRecord(deriveChipKeys(masterKey, Buffer.from(first.uid, 'hex')))).toMatchObject({ ok: false, error: { kind: 'unsupported_card' } });
    counter.remove();
    expect(await counter.station.readRecord(deriveChipKeys(masterKey, Buffer.from(first.uid, 'hex')))).toMatchObject({ ok: false, error: { kind: 'no_card' } });
  });
});
