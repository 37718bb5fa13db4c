import { describe, expect, it } from 'vitest';
import { deriveChipKeys } from '../../../hardware/card-record/keys';
import { decodeCardRecord, recordBlocks } from '../../../hardware/card-record/layout';
import { toHex } from '../../../hardware/nfc/mifare';
import { writeBlockApdu } from '../../../hardware/nfc/protocol/apdu';
import type { VirtualCard } from '../../../hardware/nfc/simulator';
import { masterKey, sampleRecord, uid } from './fixtures';
import { useStation } from './station-harness';

/**
 * Card faults through the real stack (pcscd + vpcd + nfc-pcsc): writes that do not stick, overlapping
 * calls, a card slower than the command timeout, two cards in the field. The command timeout is
 * shortened so that a slow card costs about a second; not shorter: every APDU of every test here
 * must beat it, through pcscd, on a loaded machine.
 */
const commandMs = 1000;
const h = useStation({ timeouts: { commandMs } });
const record = sampleRecord();
const keys = deriveChipKeys(masterKey, uid);
/** Each write is tried twice (one retry), then the personalisation stops (README). */
const attempts = 2;
/** Blocks in personalisation order (MAC zeroed first, committed last). */
const writeOrder = [57, 56, 58, 59, 52, 53, 54, 55, 57];

function chipRecord(card: VirtualCard) {
  return decodeCardRecord(new Map(recordBlocks.map((block) => [block, card.blocks()[block] ?? new Uint8Array(16)])), keys);
}

/** How many write APDUs for `block` the card received. */
function writesTo(card: VirtualCard, block: number): number {
  const prefix = toHex(writeBlockApdu(block, new Uint8Array(16)).slice(0, 5));
  return card.apdus().filter((apdu) => apdu.startsWith(prefix)).length;
}

describe('writes that do not stick (read back and compared, bounded retries)', () => {
  it('retries a corrupted write: personalisation succeeds and verifies', async () => {
    const { card } = await h.tap({ uid, faults: { corruptWrites: attempts - 1, faultyBlock: 53 } });
    const result = await h.station().personalise(record, keys);
    expect(result).toEqual({ ok: true, value: { uid: '04A1B2C3', written: writeOrder, record } });
    expect(writesTo(card, 53)).toBe(attempts);
    expect(chipRecord(card)).toEqual({ ok: true, value: record });
    expect(await h.station().readRecord(keys)).toEqual({ ok: true, value: { uid: '04A1B2C3', record, mac: 'verified' } });
  });

  it('retries a refused write (63 00): personalisation succeeds and verifies', async () => {
    const { card } = await h.tap({ uid, faults: { refuseWrites: attempts - 1, faultyBlock: 59 } });
    expect((await h.station().personalise(record, keys)).ok).toBe(true);
    expect(writesTo(card, 59)).toBe(attempts);
    expect(chipRecord(card)).toEqual({ ok: true, value: record });
  });

  it.each([...new Set(writeOrder)])('a write to block %i that never sticks: write_verify_failed naming it, the chip does not verify', async (block) => {
    const { card } = await h.tap({ uid, faults: { corruptWrites: Infinity, faultyBlock: block } });
    const result = await h.station().personalise(record, keys);
    expect(result.ok ? 'ok' : result.error).toMatchObject({ kind: 'write_verify_failed', block });
    expect(writesTo(card, block)).toBe(attempts); // bounded: no third attempt
    // Detectably unfinished: neither the chip image nor the station's verified read accepts it.
    expect(chipRecord(card).ok).toBe(false);
    card.setFaults({});
    const read = await h.station().readRecord(keys);
    expect(read.ok ? 'ok' : read.error.kind).toBe('record_invalid');
    // Not bricked: the same card personalises once the field is good again.
    expect((await h.station().personalise(record, keys)).ok).toBe(true);
    expect(chipRecord(card)).toEqual({ ok: true, value: record });
  });

  it('a write that is always refused: command_failed naming the block, the chip reads as incomplete', async () => {
    const { card } = await h.tap({ uid, faults: { refuseWrites: Infinity, faultyBlock: 54 } });
    const result = await h.station().personalise(record, keys);
    expect(result.ok ? 'ok' : result.error).toMatchObject({ kind: 'command_failed', command: 'write block 54', status: 0x6300 });
    expect(chipRecord(card)).toMatchObject({ ok: false, error: { kind: 'incomplete' } });
  });
});

describe('one command at a time per reader', () => {
  it('overlapping personalise and readRecord never interleave their APDUs, and both complete', async () => {
    // The APDUs of each operation alone, on the same (blank) card.
    const { card: solo } = await h.tap({ uid });
    const atTap = solo.apdus().length; // GET UID
    expect((await h.station().personalise(record, keys)).ok).toBe(true);
    const personaliseApdus = solo.apdus().slice(atTap);
    expect((await h.station().readRecord(keys)).ok).toBe(true);
    const readApdus = solo.apdus().slice(atTap + personaliseApdus.length);
    await h.lift(solo);
    h.forgetCards();

    // Started together (a slow answer widens the window): the second waits for the first as a whole.
    const { card } = await h.tap({ uid, faults: { responseDelayMs: 2 } });
    const [written, read] = await Promise.all([h.station().personalise(record, keys), h.station().readRecord(keys)]);
    expect(written.ok ? 'ok' : written.error).toBe('ok');
    expect(read).toEqual({ ok: true, value: { uid: '04A1B2C3', record, mac: 'verified' } });
    expect(card.apdus().slice(atTap)).toEqual([...personaliseApdus, ...readApdus]);
  });
});

describe('a card slower than the command timeout', () => {
  it('gives timeout with what was and was not written, then the station works again', async () => {
    // GET UID at the tap + sector 14 opened with the transport key (load key, authenticate) + MAC zeroed
    // and read back (2): the wallet write is late.
    const answeredBeforeWallet = 5;
    const { card } = await h.tap({ uid, faults: { responseDelayMs: commandMs + 200, delayAfterApdus: answeredBeforeWallet } });
    const result = await h.station().personalise(record, keys);
    expect(result.ok ? 'ok' : result.error).toMatchObject({
      kind: 'timeout',
      command: 'write block 56',
      written: [57],
      inFlight: 56,
      notWritten: [56, 58, 59, 52, 53, 54, 55, 57],
      state: 'incomplete',
    });
    expect(chipRecord(card).ok).toBe(false);
    // The late answer was waited for (never two commands in flight): once the card is quick again the
    // station goes on with it, without a new tap.
    card.setFaults({});
    expect(h.station().currentCard()?.uid).toBe('04A1B2C3');
    expect((await h.station().personalise(record, keys)).ok).toBe(true);
    expect(chipRecord(card)).toEqual({ ok: true, value: record });
  });

  it('a read that times out is a timeout too, the chip untouched', async () => {
    const { card } = await h.tap({ uid, faults: { responseDelayMs: commandMs + 200, delayAfterApdus: 1 } });
    const read = await h.station().readRecord(keys);
    expect(read.ok ? 'ok' : read.error).toMatchObject({ kind: 'timeout', command: 'load_key', state: 'untouched', written: [] });
    card.setFaults({});
  });
});

describe('two cards in the field', () => {
  it('pcscd reports the card mute: cardUnreadable once, unreadableGone when lifted, then the next card is served', async () => {
    const unreadable: string[] = [];
    const onUnreadable = ({ message }: { message: string }) => unreadable.push(message);
    h.station().on('cardUnreadable', onUnreadable);
    const first = h.next('cardUnreadable');
    const mute = await h.place({ uid, faults: { collision: true } });
    expect(await first).toEqual({ message: expect.stringMatching(/present one card only/) });
    expect(h.station().currentCard()).toBeUndefined();
    const read = await h.station().readRecord(keys);
    expect(read.ok ? 'ok' : read.error.kind).toBe('no_card');
    const gone = h.next('unreadableGone');
    await mute.remove();
    await gone;
    h.forgetCards();
    h.station().off('cardUnreadable', onUnreadable);
    expect(unreadable).toHaveLength(1);
    const { tap } = await h.tap({ uid });
    expect(tap.kind).toBe('mifare-classic-1k');
    expect(await h.station().personalise(record, keys)).toMatchObject({ ok: true });
  });
});
