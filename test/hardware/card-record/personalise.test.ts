import { describe, expect, it } from 'vitest';
import { createCardSession } from '../../../hardware/nfc/card-session';
import { deriveChipKeys } from '../../../hardware/card-record/keys';
import { decodeCardRecord, encodeCardRecord, macBlock, recordBlocks, sectorTrailers, type CitizenCardRecord } from '../../../hardware/card-record/layout';
import { personaliseCard, readCardRecord } from '../../../hardware/card-record/personalise';
import { createClassic1k } from '../../../hardware/nfc/virtual-card';
import type { CitizenCardError } from '../../../hardware/card-record/types';
import { masterKey, modelSession, modelTransport, otherMasterKey, sampleRecord, uid } from '../nfc/fixtures';

const keys = deriveChipKeys(masterKey, uid);
const record = sampleRecord();
const previous = sampleRecord({ cardNumber: '8860000099999999', cardType: 'general', wallet: { balance: 9_000, transactionCounter: 42 } });

/** What a reader in the field would conclude from the chip memory alone. */
function verdict(blocks: Uint8Array[]): { verifies: CitizenCardRecord } | { error: string } {
  const image = new Map(recordBlocks.map((block) => [block, blocks[block] ?? new Uint8Array(16)]));
  const decoded = decodeCardRecord(image, keys);
  return decoded.ok ? { verifies: decoded.value } : { error: decoded.error.kind };
}

const plannedImage = (() => {
  const image = encodeCardRecord(record, keys);
  if (!image.ok) throw new Error(image.error.message);
  return new Map([...image.value, ...sectorTrailers(keys)]);
})();
function plannedBlock(block: number): Uint8Array {
  return plannedImage.get(block) ?? new Uint8Array(16);
}

async function personalisedCard(content: CitizenCardRecord): Promise<Uint8Array[]> {
  const card = createClassic1k(uid);
  const result = await personaliseCard(modelSession(card), content, keys);
  if (!result.ok) throw new Error(result.error.message);
  return card.blocks();
}

describe('personalisation through the card session (card model, no pcscd)', () => {
  it('writes a blank card, MAC last, and reads it back verified', async () => {
    const card = createClassic1k(uid);
    const result = await personaliseCard(modelSession(card), record, keys);
    expect(result).toEqual({ ok: true, value: { written: [57, 56, 58, 59, 52, 53, 54, 55, 57] } });
    expect(await readCardRecord(modelSession(card), keys)).toEqual({ ok: true, value: record });
  });

  it('re-personalises a card with our keys already on it', async () => {
    const card = createClassic1k(uid, await personalisedCard(previous));
    const result = await personaliseCard(modelSession(card), record, keys);
    expect(result.ok).toBe(true);
    expect(verdict(card.blocks())).toEqual({ verifies: record });
  });

  it('fails with auth_failed on a card keyed by another city master key', async () => {
    const foreignKeys = deriveChipKeys(otherMasterKey, uid);
    const card = createClassic1k(uid);
    await personaliseCard(modelSession(card), previous, foreignKeys);
    const result = await personaliseCard(modelSession(card), record, keys);
    expect(result.ok ? 'ok' : result.error.kind).toBe('auth_failed');
    const read = await readCardRecord(modelSession(card), keys);
    expect(read.ok ? 'ok' : read.error.kind).toBe('auth_failed');
  });

  it('reads a blank card as not personalised', async () => {
    const read = await readCardRecord(modelSession(createClassic1k(uid)), keys);
    expect(read.ok ? 'ok' : read.error.kind === 'record_invalid' ? read.error.error.kind : read.error.kind).toBe('not_personalised');
  });

  it('refuses an invalid record before touching the card', async () => {
    const card = createClassic1k(uid);
    const transport = modelTransport(card);
    const result = await personaliseCard(createCardSession(transport, transport.reselect), sampleRecord({ cardNumber: 'x' }), keys);
    expect(result.ok ? 'ok' : result.error.kind).toBe('invalid_record');
    expect(transport.count()).toBe(0);
  });
});

describe('tearing: the card leaves at every possible point of personalisation', () => {
  async function apdusOfFullRun(initial: Uint8Array[] | undefined): Promise<number> {
    const transport = modelTransport(createClassic1k(uid, initial));
    await personaliseCard(createCardSession(transport, transport.reselect), record, keys);
    return transport.count();
  }

  for (const start of ['blank', 'previously personalised'] as const) {
    for (const timing of ['before-apply', 'after-apply'] as const) {
      it(`${start} card, last command ${timing}: fully personalised and verified, or detectably not`, async () => {
        const initial = start === 'blank' ? undefined : await personalisedCard(previous);
        const apduCount = await apdusOfFullRun(initial);
        expect(apduCount).toBeGreaterThan(30);
        const outcomes = new Set<string>();
        for (let removeAfter = 0; removeAfter <= apduCount; removeAfter++) {
          const card = createClassic1k(uid, initial);
          const result = await personaliseCard(modelSession(card, removeAfter, timing), record, keys);
          const chip = verdict(card.blocks());
          if (result.ok) {
            expect(removeAfter).toBe(apduCount);
            expect(chip).toEqual({ verifies: record });
            outcomes.add('personalised');
            continue;
          }
          const error: CitizenCardError = result.error;
          if (error.kind !== 'card_removed') throw new Error(`at ${removeAfter}: unexpected ${error.kind}`);
          outcomes.add(error.state);
          if ('verifies' in chip) {
            // Only two records may ever verify: the one being written, or the old one left untouched.
            const untouchedOld = initial !== undefined && chip.verifies.cardNumber === previous.cardNumber && !error.written.includes(macBlock);
            const committed = chip.verifies.cardNumber === record.cardNumber && ['commit_uncertain', 'written_unverified'].includes(error.state);
            expect({ at: removeAfter, ok: untouchedOld || committed }).toEqual({ at: removeAfter, ok: true });
            expect(chip.verifies).toEqual(untouchedOld ? previous : record);
          } else {
            expect(['incomplete', 'not_personalised']).toContain(chip.error);
            expect(error.state).not.toBe('written_unverified');
          }
          // What the error says was written is on the chip; what it says was not is as it was.
          const now = card.blocks();
          const before = createClassic1k(uid, initial).blocks();
          for (const block of error.written.filter((b) => b !== macBlock)) {
            const planned = plannedBlock(block);
            expect(block % 4 === 3 ? now[block]?.slice(6, 10) : now[block]).toEqual(block % 4 === 3 ? planned.slice(6, 10) : planned);
          }
          for (const block of error.notWritten.filter((b) => !error.written.includes(b) && b !== error.inFlight)) {
            expect(now[block]).toEqual(before[block]);
          }
        }
        expect(outcomes.has('personalised')).toBe(true);
        expect(outcomes.has('incomplete')).toBe(true);
      });
    }
  }
});
