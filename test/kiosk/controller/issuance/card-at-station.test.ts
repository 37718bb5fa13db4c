import { describe, expect, it } from 'vitest';
import { deriveChipKeys } from '../../../../hardware/card-record/keys';
import { cardAtStationIs } from '../../../../kiosk/controller/issuance/recover-interrupted-jobs';
import { masterKey, otherMasterKey, sampleRecord, uid } from '../../../hardware/nfc/fixtures';
import { useStation } from '../../../hardware/nfc/station-harness';

/**
 * The restart's check of a card left at the printer's station after a crash right after the commit:
 * through a real pcscd and a virtual MIFARE card, only the chip we issued, with its card number, is
 * handed over.
 */
const h = useStation();
const record = sampleRecord();
const issued = { cardNumber: record.cardNumber, uid: '04a1b2c3' };

describe('the issued card at the station, read back after a restart', () => {
  it('is recognised by its UID and the card number in its verified record', async () => {
    await h.tap({ uid });
    expect((await h.station().personalise(record, deriveChipKeys(masterKey, uid))).ok).toBe(true);
    expect(await cardAtStationIs(h.station(), masterKey, issued, 1_000)).toBe(true);
    expect(await cardAtStationIs(h.station(), masterKey, { ...issued, cardNumber: '3300012000000022' }, 1_000)).toBe(false);
    expect(await cardAtStationIs(h.station(), masterKey, { ...issued, uid: '04A1B2C4' }, 1_000)).toBe(false);
  });

  it('is not a blank, a card written under other keys, nor an empty station', async () => {
    const { card } = await h.tap({ uid });
    expect(await cardAtStationIs(h.station(), masterKey, issued, 1_000)).toBe(false);
    expect((await h.station().personalise(record, deriveChipKeys(otherMasterKey, uid))).ok).toBe(true);
    expect(await cardAtStationIs(h.station(), masterKey, issued, 1_000)).toBe(false);
    await h.lift(card);
    expect(await cardAtStationIs(h.station(), masterKey, issued, 200)).toBe(false);
  });
});
