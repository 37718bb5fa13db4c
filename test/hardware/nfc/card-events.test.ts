import { describe, expect, it } from 'vitest';
import { deriveChipKeys } from '../../../hardware/card-record/keys';
import { masterKey, sampleRecord, uid } from './fixtures';
import { useStation } from './station-harness';

/**
 * vpcd with card events (`startPcscd({ cardEvents: true })`): pcscd's card poll is stretched to a minute,
 * so a card is only seen in time if its arrival (and its leaving) wakes pcscd, as a reader's card
 * interrupt does. The harness gives up on a tap after 15 s.
 */
const oneMinute = 60_000;
const h = useStation({ cardDetection: { cardEvents: true, cardPollMs: oneMinute } });

describe('pcscd woken by the virtual card (card events)', () => {
  it('sees a card arrive and leave without waiting for the poll', async () => {
    const { card, tap } = await h.tap({ uid });
    expect(tap).toMatchObject({ uid: '04A1B2C3', kind: 'mifare-classic-1k' });
    await h.lift(card);
    expect(h.station().currentCard()).toBeUndefined();
  });

  it('sees cards laid down one after another', async () => {
    const seen: string[] = [];
    for (const next of [Uint8Array.of(1, 2, 3, 4), Uint8Array.of(5, 6, 7, 8), uid]) {
      const { card, tap } = await h.tap({ uid: next });
      seen.push(tap.uid);
      await h.lift(card);
    }
    expect(seen).toEqual(['01020304', '05060708', '04A1B2C3']);
  });

  it('personalises and verifies a card while pcscd waits on card events', async () => {
    const keys = deriveChipKeys(masterKey, uid);
    await h.tap({ uid });
    expect((await h.station().personalise(sampleRecord(), keys)).ok).toBe(true);
    expect(await h.station().readRecord(keys)).toMatchObject({ ok: true, value: { mac: 'verified' } });
  });
});
