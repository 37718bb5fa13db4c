import { describe, expect, it } from 'vitest';
import { deriveChipKeys } from '../../../hardware/card-record/keys';
import { decodeCardRecord, encodeWalletBlock, headerBlock, recordBlocks, walletBlock } from '../../../hardware/card-record/layout';
import { personalisedBlocks } from '../../../hardware/card-record/personalised-chip';
import { writeWalletOnCard } from '../../../hardware/card-record/wallet-write';
import { createCardSession, type Transmit } from '../../../hardware/nfc/card-session';
import { parseCommand } from '../../../hardware/nfc/protocol/apdu';
import { createClassic1k } from '../../../hardware/nfc/virtual-card';
import { masterKey, modelTransport, sampleRecord, uid } from '../nfc/fixtures';

/** The wallet mirror write on the card model (the driver's card session, no pcscd): every removal point. */
const keys = deriveChipKeys(masterKey, uid);
const record = sampleRecord({ wallet: { balance: 500, transactionCounter: 1 } });
const request = { cardNumber: record.cardNumber, balance: 1_500, counter: 2 };
const written = { ...record, wallet: { balance: 1_500, transactionCounter: 2 } };

function chipOf(blocks: Uint8Array[]) {
  return decodeCardRecord(new Map(recordBlocks.map((block) => [block, blocks[block] ?? new Uint8Array(16)])), keys);
}

const isWrite = (apdu: Uint8Array): boolean => parseCommand(apdu).kind === 'write';

describe('writing the wallet mirror (card model)', () => {
  it('writes block 56 only, and the card then reads with the new wallet under the same record', async () => {
    const card = createClassic1k(uid, personalisedBlocks(uid, record, keys));
    const before = card.blocks();
    const result = await writeWalletOnCard(createCardSession(modelTransport(card)), keys, request);
    expect(result).toEqual({ ok: true, value: { balance: 1_500, counter: 2 } });
    expect(chipOf(card.blocks())).toEqual({ ok: true, value: written });
    const after = card.blocks();
    expect(after.map((block, n) => (n === walletBlock ? 'wallet' : Buffer.from(block).toString('hex')))).toEqual(before.map((block, n) => (n === walletBlock ? 'wallet' : Buffer.from(block).toString('hex'))));
  });

  it('refuses another card number as wrong_card and writes nothing', async () => {
    const card = createClassic1k(uid, personalisedBlocks(uid, record, keys));
    const writes: Uint8Array[] = [];
    const base = modelTransport(card);
    const transmit: Transmit = (apdu, max) => (isWrite(apdu) && writes.push(apdu), base(apdu, max));
    const result = await writeWalletOnCard(createCardSession(transmit), keys, { ...request, cardNumber: '8860000099999999' });
    expect(result).toEqual({ ok: false, error: { kind: 'wrong_card', expectedUid: '04A1B2C3', actualUid: '04A1B2C3', reason: 'card_number', message: expect.any(String) } });
    expect(writes).toEqual([]);
    expect(chipOf(card.blocks())).toEqual({ ok: true, value: record });
  });

  it('refuses a card whose record does not verify (edited header) and writes nothing', async () => {
    const blocks = personalisedBlocks(uid, record, keys);
    const header = blocks[headerBlock];
    if (!header) throw new Error('no header block');
    header[6] = (header[6] ?? 0) ^ 0x01;
    const card = createClassic1k(uid, blocks);
    const result = await writeWalletOnCard(createCardSession(modelTransport(card)), keys, request);
    expect(result.ok ? 'ok' : result.error).toMatchObject({ kind: 'record_invalid', error: { kind: 'mac_mismatch' } });
    expect(card.blocks()[walletBlock]).toEqual(blocks[walletBlock]);
  });

  it('mends a torn wallet (wallet_invalid under a verified record)', async () => {
    const blocks = personalisedBlocks(uid, record, keys);
    const next = encodeWalletBlock(blocks[headerBlock]!, { balance: 1_500, transactionCounter: 2 }, keys);
    if (!next.ok) throw new Error(next.error.message);
    blocks[walletBlock]!.set(next.value.subarray(0, 8), 0);
    const card = createClassic1k(uid, blocks);
    expect(chipOf(card.blocks())).toMatchObject({ ok: false, error: { kind: 'wallet_invalid' } });
    expect(await writeWalletOnCard(createCardSession(modelTransport(card)), keys, request)).toEqual({ ok: true, value: { balance: 1_500, counter: 2 } });
    expect(chipOf(card.blocks())).toEqual({ ok: true, value: written });
  });

  it('refuses a wallet out of range before writing', async () => {
    const card = createClassic1k(uid, personalisedBlocks(uid, record, keys));
    const result = await writeWalletOnCard(createCardSession(modelTransport(card)), keys, { ...request, balance: 10_001 });
    expect(result.ok ? 'ok' : result.error).toMatchObject({ kind: 'invalid_record', error: { kind: 'invalid_field', field: 'wallet.balance' } });
    expect(chipOf(card.blocks())).toEqual({ ok: true, value: record });
  });

  it('reports a write that never reads back as written as verify_failed', async () => {
    const card = createClassic1k(uid, personalisedBlocks(uid, record, keys));
    const base = modelTransport(card);
    // A weak field: every write stores one wrong byte and still answers 90 00.
    const transmit: Transmit = (apdu, max) => {
      if (!isWrite(apdu)) return base(apdu, max);
      const corrupted = Uint8Array.from(apdu);
      corrupted[5 + 9] = (corrupted[5 + 9] ?? 0) ^ 0xff;
      return base(corrupted, max);
    };
    const result = await writeWalletOnCard(createCardSession(transmit), keys, request);
    expect(result.ok ? 'ok' : result.error).toMatchObject({ kind: 'verify_failed', block: walletBlock });
  });

  for (const timing of ['before-apply', 'after-apply'] as const) {
    it(`card lifted at every point (last command ${timing}): card_removed with an honest state, the chip old or new, never torn`, async () => {
      const probe = modelTransport(createClassic1k(uid, personalisedBlocks(uid, record, keys)));
      expect((await writeWalletOnCard(createCardSession(probe), keys, request)).ok).toBe(true);
      const full = probe.count();
      expect(full).toBeGreaterThan(8);
      const states = new Set<string>();
      for (let removeAfter = 0; removeAfter < full; removeAfter++) {
        const card = createClassic1k(uid, personalisedBlocks(uid, record, keys));
        const result = await writeWalletOnCard(createCardSession(modelTransport(card, removeAfter, timing)), keys, request);
        if (result.ok || result.error.kind !== 'card_removed') throw new Error(`at ${removeAfter}: expected card_removed, got ${JSON.stringify(result)}`);
        states.add(result.error.state);
        const chip = chipOf(card.blocks());
        if (result.error.state === 'untouched') {
          expect({ at: removeAfter, chip }).toEqual({ at: removeAfter, chip: { ok: true, value: record } });
          expect(result.error.notWritten).toEqual([walletBlock]);
        } else {
          expect(result.error).toMatchObject({ state: 'commit_uncertain', inFlight: walletBlock });
          expect([JSON.stringify({ ok: true, value: record }), JSON.stringify({ ok: true, value: written })]).toContain(JSON.stringify(chip));
        }
      }
      expect([...states].sort()).toEqual(['commit_uncertain', 'untouched']);
    });
  }
});
