import { describe, expect, it } from 'vitest';
import { deriveChipKeys } from '../../../hardware/card-record/keys';
import { decodeCardRecord, macBlock, recordBlocks } from '../../../hardware/card-record/layout';
import { transportKey } from '../../../hardware/nfc/mifare';
import { startPcscd } from '../../../hardware/nfc/pcscd';
import { ok } from '../../../shared/result';
import { masterKey, otherMasterKey, sampleRecord, uid } from './fixtures';
import { cardPollMs, useStation } from './station-harness';

/**
 * Through the real stack: a private pcscd (child process) + vpcd + nfc-pcsc + @pokusew/pcsclite, with
 * the virtual card on vpcd's TCP port. One daemon for the file: libpcsclite binds one socket per process.
 */
const h = useStation();
const { tap, lift, next } = h;
const record = sampleRecord();

describe('NFC station through pcscd + vpcd + nfc-pcsc', () => {
  it('reports a tapped MIFARE Classic 1K with its UID and ATR, and its removal', async () => {
    const { card, tap: seen } = await tap({ uid });
    expect(seen).toEqual({ uid: '04A1B2C3', atr: '3B8F8001804F0CA000000306030001000000006A', kind: 'mifare-classic-1k' });
    expect(h.station().currentCard()).toEqual(seen);
    await lift(card);
    expect(h.station().currentCard()).toBeUndefined();
  });

  it('personalises a blank card, and reads the record back verified on the next tap', async () => {
    const keys = deriveChipKeys(masterKey, uid);
    const { card } = await tap({ uid });
    const written = await h.station().personalise(record, keys);
    expect(written).toEqual({ ok: true, value: { uid: '04A1B2C3', written: [57, 56, 58, 59, 52, 53, 54, 55, 57], record } });
    const image = new Map(recordBlocks.map((block) => [block, card.blocks()[block] ?? new Uint8Array(16)]));
    expect(decodeCardRecord(image, keys)).toEqual({ ok: true, value: record });
    await lift(card);
    const again = next('card');
    await card.placeAgain();
    await again;
    expect(await h.station().readRecord(keys)).toEqual({ ok: true, value: { uid: '04A1B2C3', record, mac: 'verified' } });
  });

  it('answers unsupported_card for a phone (ISO 14443-4 ATR), without crashing', async () => {
    const { tap: seen } = await tap({ kind: 'iso14443-4-phone' });
    expect(seen.kind).toBe('unsupported');
    expect(seen.atr).toBe('3B80800101');
    const keys = deriveChipKeys(masterKey, uid);
    const written = await h.station().personalise(record, keys);
    expect(written.ok ? 'ok' : written.error.kind).toBe('unsupported_card');
    const read = await h.station().readRecord(keys);
    expect(read.ok ? 'ok' : read.error.kind).toBe('unsupported_card');
  });

  it('refuses keys derived for another card (the card was swapped)', async () => {
    await tap({ uid: Uint8Array.of(1, 2, 3, 4) });
    const result = await h.station().personalise(record, deriveChipKeys(masterKey, uid));
    expect(result.ok ? 'ok' : result.error).toMatchObject({ kind: 'wrong_card', expectedUid: '04A1B2C3', actualUid: '01020304' });
  });

  it('runs one operation on the card with keys as bytes, knowing no record; another UID is wrong_card and nothing is sent', async () => {
    const { card } = await tap({ uid });
    const data = Uint8Array.from({ length: 16 }, (_, i) => i + 1);
    const written = await h.nfcStation().withCard(uid, async (session, seen) => {
      const opened = await session.authenticate(1, [{ keyType: 'A', key: transportKey }]);
      if (!opened.ok) return opened;
      const write = await session.writeVerified(4, data);
      if (!write.ok) return write;
      const back = await session.read(4);
      return back.ok ? ok({ uid: seen.uid, block: Array.from(back.value) }) : back;
    });
    expect(written).toEqual({ ok: true, value: { uid: '04A1B2C3', block: Array.from(data) } });
    expect(card.blocks()[4]).toEqual(data);
    let ran = false;
    const swapped = await h.nfcStation().withCard(Uint8Array.of(1, 2, 3, 4), async () => {
      ran = true;
      return ok(undefined);
    });
    expect(swapped.ok ? 'ok' : swapped.error).toMatchObject({ kind: 'wrong_card', expectedUid: '01020304', actualUid: '04A1B2C3' });
    expect(ran).toBe(false);
  });

  it('fails with auth_failed on a card keyed by another master key', async () => {
    const { card } = await tap({ uid });
    expect((await h.station().personalise(record, deriveChipKeys(otherMasterKey, uid))).ok).toBe(true);
    const read = await h.station().readRecord(deriveChipKeys(masterKey, uid));
    expect(read.ok ? 'ok' : read.error.kind).toBe('auth_failed');
    const rewrite = await h.station().personalise(record, deriveChipKeys(masterKey, uid));
    expect(rewrite.ok ? 'ok' : rewrite.error.kind).toBe('auth_failed');
    await lift(card);
  });

  it('still personalises a slow card', async () => {
    await tap({ uid, faults: { responseDelayMs: 15 } });
    expect((await h.station().personalise(record, deriveChipKeys(masterKey, uid))).ok).toBe(true);
  });

  it('answers no_card when nothing is on the reader', async () => {
    const read = await h.station().readRecord(deriveChipKeys(masterKey, uid));
    expect(read.ok ? 'ok' : read.error.kind).toBe('no_card');
  });
});

describe('tearing through the real stack', () => {
  // Re-personalised cards too, without pcscd: personalise.test.ts (card model).
  // About 150 taps through the real daemon: seconds on a quiet machine, far more on a loaded one.
  it('at every removal point: card_removed with an honest report, the chip verifies only if complete', { timeout: 120_000 }, async () => {
    const keys = deriveChipKeys(masterKey, uid);
    // How many APDUs a full personalisation of a blank card takes (the card counts them).
    const { card: probe } = await tap({ uid });
    expect((await h.station().personalise(record, keys)).ok).toBe(true);
    const fullRun = probe.apduCount - 1; // minus GET UID at the tap
    await lift(probe);
    h.forgetCards();

    const states = new Set<string>();
    // The card answers `removeAfter` personalisation APDUs, then leaves: every point 0 .. fullRun-1, with
    // the last command lost ('before-apply') or executed with its answer lost ('after-apply').
    const timings = ['before-apply', 'after-apply'] as const;
    const points = timings.flatMap((removalTiming) => Array.from({ length: fullRun }, (_, removeAfter) => ({ removeAfter, removalTiming })));
    for (const { removeAfter, removalTiming } of points) {
      // +1: the tap's GET UID is the first APDU the card answers.
      const { card } = await tap({ uid, faults: { removeAfterApdus: removeAfter + 1, removalTiming } });
      // Listen before personalising: the card leaves mid-way, and pcscd may report it before personalise returns.
      const removed = next('removed');
      const result = await h.station().personalise(record, keys);
      if (result.ok) throw new Error(`personalisation succeeded although the card left after ${removeAfter} APDUs`);
      expect(result.error.kind).toBe('card_removed');
      if (result.error.kind !== 'card_removed') continue;
      states.add(result.error.state);
      const image = new Map(recordBlocks.map((block) => [block, card.blocks()[block] ?? new Uint8Array(16)]));
      const chip = decodeCardRecord(image, keys);
      if (chip.ok) {
        expect(chip.value).toEqual(record);
        expect(result.error.state).toMatch(/commit_uncertain|written_unverified/);
      } else {
        expect(['incomplete', 'not_personalised']).toContain(chip.error.kind);
        expect(result.error.written.includes(macBlock) && result.error.state === 'written_unverified').toBe(false);
      }
      if (card.present) await card.remove();
      await removed;
      h.forgetCards();
    }
    expect(states).toEqual(new Set(['untouched', 'incomplete', 'commit_uncertain', 'written_unverified']));
  });
});

describe('reader unplugged and back (pcscd stops and restarts)', () => {
  it('reports readerDetached, then readerAttached, and works again', async () => {
    const { card } = await tap({ uid });
    const detached = next('readerDetached');
    const removed = next('removed');
    const port = h.port();
    await h.pcscd()?.stop();
    h.setPcscd(undefined);
    expect(await detached).toEqual({ name: 'Virtual PCD 00 00' });
    await removed;
    const keys = deriveChipKeys(masterKey, uid);
    const read = await h.station().readRecord(keys);
    expect(read.ok ? 'ok' : read.error.kind).toBe('reader_unavailable');
    await card.remove();
    h.forgetCards();

    const attached = next('readerAttached');
    h.setPcscd(await startPcscd({ runDir: h.runDir(), vpcdPort: port, cardPollMs }));
    expect(await attached).toEqual({ name: 'Virtual PCD 00 00' });
    await tap({ uid });
    expect((await h.station().personalise(record, keys)).ok).toBe(true);
  });
});
