import { describe, expect, it } from 'vitest';
import { deriveChipKeys } from '../../../hardware/card-record/keys';
import { decodeCardRecord, recordBlocks, type CitizenCardRecord } from '../../../hardware/card-record/layout';
import { personalisedBlocks } from '../../../hardware/card-record/personalised-chip';
import type { VirtualCard } from '../../../hardware/nfc/simulator';
import { blankClassic1k } from '../../../hardware/nfc/virtual-card';
import { masterKey, otherMasterKey, sampleRecord, uid } from '../nfc/fixtures';
import { useStation } from '../nfc/station-harness';

/**
 * A MIFARE Classic halts after a failed authentication until it is selected again (the virtual card
 * does, as the MF1S50 does). Through the real stack (private pcscd + vpcd + nfc-pcsc): every path that
 * meets a key that does not open a sector must re-select the card and go on, or fail clearly.
 */
const h = useStation();
const keys = deriveChipKeys(masterKey, uid);
const foreignKeys = deriveChipKeys(otherMasterKey, uid);
const record = sampleRecord();
const previous = sampleRecord({ cardNumber: '8860000099999999', cardType: 'general', wallet: { balance: 9_000, transactionCounter: 42 } });

function chipOf(card: VirtualCard, under = keys): { verifies: CitizenCardRecord } | { error: string } {
  const blocks = card.blocks();
  const decoded = decodeCardRecord(new Map(recordBlocks.map((block) => [block, blocks[block] ?? new Uint8Array(16)])), under);
  return decoded.ok ? { verifies: decoded.value } : { error: decoded.error.kind };
}

/** A card whose earlier personalisation stopped after sector 14: our keys there, sector 13 still blank. */
function interruptedBlocks(): Uint8Array[] {
  const ours = personalisedBlocks(uid, previous, keys);
  const blank = blankClassic1k(uid);
  return ours.map((block, index) => (index >= 52 && index <= 55 ? (blank[index] ?? block) : block));
}

describe('a card that halts after a failed authentication, through pcscd + vpcd', () => {
  it('personalises a blank card', async () => {
    await h.tap({ uid });
    expect(await h.station().personalise(record, keys)).toEqual({ ok: true, value: { uid: '04A1B2C3', written: [57, 56, 58, 59, 52, 53, 54, 55, 57], record } });
  });

  it('re-personalises a card that has our keys (the transport key fails first: the card is re-selected)', async () => {
    const { card } = await h.tap({ uid, blocks: personalisedBlocks(uid, previous, keys) });
    expect((await h.station().personalise(record, keys)).ok).toBe(true);
    expect(chipOf(card)).toEqual({ verifies: record });
  });

  it('re-personalises a card whose personalisation stopped after one sector (each sector needs another key)', async () => {
    const { card } = await h.tap({ uid, blocks: interruptedBlocks() });
    expect((await h.station().personalise(record, keys)).ok).toBe(true);
    expect(chipOf(card)).toEqual({ verifies: record });
  });

  it('reads a blank card as not personalised, and personalises it in the same tap', async () => {
    const { card } = await h.tap({ uid });
    const read = await h.station().readRecord(keys);
    expect(read.ok ? 'ok' : read.error.kind === 'record_invalid' ? read.error.error.kind : read.error.kind).toBe('not_personalised');
    expect((await h.station().personalise(record, keys)).ok).toBe(true);
    expect(chipOf(card)).toEqual({ verifies: record });
  });

  it('answers auth_failed for a card keyed by another master key, writes nothing, and leaves the card awake', async () => {
    const foreign = personalisedBlocks(uid, previous, foreignKeys);
    const { card } = await h.tap({ uid, blocks: foreign });
    // A re-selection is no new tap: the station announces nothing.
    const announced: string[] = [];
    const onCard = (): number => announced.push('card');
    const onRemoved = (): number => announced.push('removed');
    h.station().on('card', onCard);
    h.station().on('removed', onRemoved);
    const read = await h.station().readRecord(keys);
    expect(read.ok ? 'ok' : read.error).toMatchObject({ kind: 'auth_failed', sector: 13, message: expect.stringContaining('another master key') });
    const rewrite = await h.station().personalise(record, keys);
    expect(rewrite.ok ? 'ok' : rewrite.error).toMatchObject({ kind: 'auth_failed', sector: 14, message: expect.stringContaining('another master key') });
    expect(card.blocks()).toEqual(foreign);
    // The station re-selected the card after each failure: the keys it was made with still open it.
    expect(await h.station().readRecord(foreignKeys)).toEqual({ ok: true, value: { uid: '04A1B2C3', record: previous, mac: 'verified' } });
    await new Promise((resolve) => setTimeout(resolve, 200)); // a few of pcscd's 40 ms card polls
    h.station().off('card', onCard);
    h.station().off('removed', onRemoved);
    expect(announced).toEqual([]);
    expect(h.station().currentCard()).toMatchObject({ uid: '04A1B2C3' });
  });
});
