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

  it('writes the wallet mirror as the station does; a lift before the write or a torn write leaves the card lifted', async () => {
    const { counter, read, taps } = setUp();
    counter.tap({ cardNumber: '3300011300000015', balance: 420 });
    const keys = () => deriveChipKeys(masterKey, Buffer.from(taps.at(-1)!.uid, 'hex'));
    const request = { cardNumber: '3300011300000015', balance: 920, counter: 4 };
    expect(await counter.station.writeWallet(keys(), request)).toMatchObject({ ok: true, value: { balance: 920, counter: 4 } });
    expect(await read()).toMatchObject({ ok: true, value: { record: { wallet: { balance: 920, transactionCounter: 4 } } } });
    expect(await counter.station.writeWallet(keys(), { ...request, cardNumber: '3300011300000023' })).toMatchObject({ ok: false, error: { kind: 'wrong_card', reason: 'card_number' } });

    const removed: unknown[] = [];
    counter.station.on('removed', (tap) => removed.push(tap));
    counter.walletWriteFault('lift');
    expect(await counter.station.writeWallet(keys(), { ...request, balance: 1_420, counter: 5 })).toMatchObject({ ok: false, error: { kind: 'card_removed' } });
    await Promise.resolve();
    expect(removed).toHaveLength(1);
    counter.tapAgain();
    expect(await read()).toMatchObject({ ok: true, value: { record: { wallet: { balance: 920, transactionCounter: 4 } } } });

    counter.walletWriteFault('tear');
    expect(await counter.station.writeWallet(keys(), { ...request, balance: 1_420, counter: 5 })).toMatchObject({ ok: false, error: { kind: 'card_removed', state: 'commit_uncertain' } });
    counter.tapAgain();
    expect(await read()).toMatchObject({ ok: false, error: { kind: 'record_invalid', error: { kind: 'wallet_invalid', record: { wallet: { balance: 1_420, transactionCounter: 5 } } } } });
    expect(await counter.station.writeWallet(keys(), { ...request, balance: 1_420, counter: 5 })).toMatchObject({ ok: true });
    expect(await read()).toMatchObject({ ok: true, value: { record: { wallet: { balance: 1_420, transactionCounter: 5 } } } });
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
