import { describe, expect, it } from 'vitest';
import { deriveChipKeys } from '../../../hardware/card-record/keys';
import { decodeCardRecord, encodeWalletBlock, headerBlock, recordBlocks, walletBlock } from '../../../hardware/card-record/layout';
import { personalisedBlocks } from '../../../hardware/card-record/personalised-chip';
import type { VirtualCard, VirtualCardFaults } from '../../../hardware/nfc/simulator';
import { masterKey, sampleRecord, uid } from '../nfc/fixtures';
import { useStation } from '../nfc/station-harness';

/**
 * The wallet mirror write through the real stack: a private pcscd + vpcd + nfc-pcsc, the virtual card
 * on vpcd's port with the faults of a card lifted before the write and of a write torn mid-way.
 * One daemon for the file (libpcsclite binds one socket per process; each file has its own port pair).
 */
const h = useStation();
const keys = deriveChipKeys(masterKey, uid);
const record = sampleRecord({ wallet: { balance: 500, transactionCounter: 1 } });
const request = { cardNumber: record.cardNumber, balance: 1_500, counter: 2 };
const written = { ...record, wallet: { balance: 1_500, transactionCounter: 2 } };

function chipOf(card: VirtualCard) {
  const blocks = card.blocks();
  return decodeCardRecord(new Map(recordBlocks.map((block) => [block, blocks[block] ?? new Uint8Array(16)])), keys);
}

async function tapPersonalised(faults: VirtualCardFaults = {}): Promise<VirtualCard> {
  const { card } = await h.tap({ uid, blocks: personalisedBlocks(uid, record, keys), faults });
  return card;
}

/** Lays the same card down again (no faults); the station must have seen it leave. */
async function tapAgain(card: VirtualCard): Promise<void> {
  const seen = h.next('card');
  await card.placeAgain();
  await seen;
}

describe('writeWallet through pcscd + vpcd + the virtual card', () => {
  it('writes the wallet in one session; the next read verifies it under the same record', async () => {
    const card = await tapPersonalised();
    expect(await h.station().writeWallet(keys, request)).toEqual({ ok: true, value: { uid: '04A1B2C3', cardNumber: record.cardNumber, balance: 1_500, counter: 2 } });
    expect(chipOf(card)).toEqual({ ok: true, value: written });
    expect(await h.station().readRecord(keys)).toEqual({ ok: true, value: { uid: '04A1B2C3', record: written, mac: 'verified' } });
  });

  it('card lifted as the write is sent: card_removed with the write in flight (the kiosk cannot know), the chip unchanged', async () => {
    const card = await tapPersonalised({ liftBeforeWrite: { block: walletBlock } });
    const before = card.blocks();
    const removed = h.next('removed');
    const result = await h.station().writeWallet(keys, request);
    await removed;
    expect(result.ok ? 'ok' : result.error).toMatchObject({ kind: 'card_removed', state: 'commit_uncertain', inFlight: walletBlock, written: [] });
    expect(card.present).toBe(false);
    expect(card.blocks()).toEqual(before);
    await tapAgain(card);
    expect(await h.station().readRecord(keys)).toEqual({ ok: true, value: { uid: '04A1B2C3', record, mac: 'verified' } });
  });

  it('card lifted while the record is read: card_removed, state untouched, the chip unchanged', async () => {
    // +1: the tap's GET UID; then load key, authenticate sector 13, and the card leaves at the first read.
    const card = await tapPersonalised({ removeAfterApdus: 3 });
    const before = card.blocks();
    const removed = h.next('removed');
    const result = await h.station().writeWallet(keys, request);
    await removed;
    expect(result.ok ? 'ok' : result.error).toMatchObject({ kind: 'card_removed', state: 'untouched', inFlight: null, notWritten: [walletBlock] });
    expect(card.blocks()).toEqual(before);
  });

  it('write torn mid-way: card_removed with the write in flight; the next read is wallet_invalid, and the next write mends it', async () => {
    const card = await tapPersonalised({ tearWrite: { block: walletBlock } });
    const before = card.blocks();
    const removed = h.next('removed');
    const result = await h.station().writeWallet(keys, request);
    await removed;
    expect(result.ok ? 'ok' : result.error).toMatchObject({ kind: 'card_removed', state: 'commit_uncertain', inFlight: walletBlock });
    // First 8 bytes new (balance, counter), the wallet MAC old.
    const header = before[headerBlock] ?? new Uint8Array(16);
    const intended = encodeWalletBlock(header, { balance: 1_500, transactionCounter: 2 }, keys);
    if (!intended.ok) throw new Error(intended.error.message);
    expect(card.blocks()[walletBlock]).toEqual(Uint8Array.from([...intended.value.subarray(0, 8), ...(before[walletBlock] ?? []).slice(8)]));
    await tapAgain(card);
    const read = await h.station().readRecord(keys);
    expect(read.ok ? 'ok' : read.error).toMatchObject({ kind: 'record_invalid', error: { kind: 'wallet_invalid', record: { cardNumber: record.cardNumber, expiresOn: record.expiresOn, wallet: { balance: 1_500, transactionCounter: 2 } } } });
    expect((await h.station().writeWallet(keys, request)).ok).toBe(true);
    expect(chipOf(card)).toEqual({ ok: true, value: written });
  });

  it('another card number on the chip: wrong_card, nothing written', async () => {
    const card = await tapPersonalised();
    const before = card.blocks();
    const result = await h.station().writeWallet(keys, { ...request, cardNumber: '8860000099999999' });
    expect(result.ok ? 'ok' : result.error).toMatchObject({ kind: 'wrong_card', reason: 'card_number' });
    expect(card.blocks()).toEqual(before);
  });

  it('another card (UID) on the reader: the reader refuses it as wrong_card and sends nothing', async () => {
    const { card } = await h.tap({ uid: Uint8Array.of(1, 2, 3, 4) });
    const sent = card.apduCount;
    const result = await h.station().writeWallet(keys, request);
    expect(result.ok ? 'ok' : result.error).toMatchObject({ kind: 'wrong_card', expectedUid: '04A1B2C3', actualUid: '01020304' });
    expect(card.apduCount).toBe(sent);
  });
});
