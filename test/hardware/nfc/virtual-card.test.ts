import { describe, expect, it } from 'vitest';
import { applicationAccess, buildTrailer, toHex, transportKey } from '../../../hardware/nfc/mifare';
import { authenticateApdu, getUidApdu, loadKeyApdu, readBlockApdu, writeBlockApdu } from '../../../hardware/nfc/protocol/apdu';
import { createClassic1k, createPhone } from '../../../hardware/nfc/virtual-card';
import { uid } from './fixtures';

const keyA = Uint8Array.of(1, 2, 3, 4, 5, 6);
const keyB = Uint8Array.of(7, 8, 9, 10, 11, 12);
const status = (response: Uint8Array) => toHex(response.slice(-2));
const data16 = Uint8Array.from({ length: 16 }, (_, i) => i + 1);

function authenticate(card: ReturnType<typeof createClassic1k>, block: number, type: 'A' | 'B', key: Uint8Array): string {
  card.process(loadKeyApdu(0, key));
  return status(card.process(authenticateApdu(block, type, 0)));
}

describe('virtual MIFARE Classic 1K', () => {
  it('answers GET UID with its UID', () => {
    const card = createClassic1k(uid);
    expect(toHex(card.process(getUidApdu()))).toBe(`${toHex(uid)}9000`);
  });

  it('requires authentication of the sector before reading or writing', () => {
    const card = createClassic1k(uid);
    expect(status(card.process(readBlockApdu(4)))).toBe('6300');
    expect(authenticate(card, 4, 'A', transportKey)).toBe('9000');
    expect(status(card.process(readBlockApdu(4)))).toBe('9000');
    expect(status(card.process(readBlockApdu(8)))).toBe('6300'); // another sector
  });

  it('answers 63 00 to a wrong key and forgets the previous authentication', () => {
    const card = createClassic1k(uid);
    authenticate(card, 4, 'A', transportKey);
    expect(authenticate(card, 4, 'A', keyA)).toBe('6300');
    expect(status(card.process(readBlockApdu(4)))).toBe('6300');
  });

  it('reads and writes 16-byte blocks, never block 0', () => {
    const card = createClassic1k(uid);
    authenticate(card, 4, 'A', transportKey);
    expect(status(card.process(writeBlockApdu(5, data16)))).toBe('9000');
    expect(toHex(card.process(readBlockApdu(5)))).toBe(`${toHex(data16)}9000`);
    authenticate(card, 0, 'A', transportKey);
    expect(status(card.process(writeBlockApdu(0, data16)))).toBe('6300');
  });

  it('honours access bits: key A reads, only key B writes; keys read as zeros', () => {
    const card = createClassic1k(uid);
    authenticate(card, 52, 'A', transportKey);
    expect(status(card.process(writeBlockApdu(55, buildTrailer(keyA, applicationAccess, keyB))))).toBe('9000');
    expect(authenticate(card, 52, 'A', transportKey)).toBe('6300');
    card.reset(); // the failed authentication halted the card: select it again
    expect(authenticate(card, 52, 'A', keyA)).toBe('9000');
    expect(status(card.process(readBlockApdu(52)))).toBe('9000');
    expect(status(card.process(writeBlockApdu(52, data16)))).toBe('6300');
    const trailer = card.process(readBlockApdu(55));
    expect(toHex(trailer.slice(0, 6))).toBe('000000000000');
    expect(toHex(trailer.slice(10, 16))).toBe('000000000000');
    expect(authenticate(card, 52, 'B', keyB)).toBe('9000');
    expect(status(card.process(writeBlockApdu(52, data16)))).toBe('9000');
    expect(card.blocks()[52]).toEqual(data16);
  });

  it('refuses access bits that would lock the sector', () => {
    const card = createClassic1k(uid);
    authenticate(card, 4, 'A', transportKey);
    const broken = buildTrailer(keyA, applicationAccess, keyB);
    broken[6] = (broken[6] ?? 0) ^ 0xff;
    expect(status(card.process(writeBlockApdu(7, broken)))).toBe('6300');
  });

  it('halts after a failed authentication: every command fails, even with the right key, until a reset', () => {
    const card = createClassic1k(uid);
    expect(authenticate(card, 4, 'A', keyA)).toBe('6300');
    expect(status(card.process(readBlockApdu(4)))).toBe('6300');
    expect(authenticate(card, 4, 'A', transportKey)).toBe('6300');
    expect(status(card.process(readBlockApdu(4)))).toBe('6300');
    expect(status(card.process(getUidApdu()))).toBe('6300');
    // Loading a key is the reader's own memory: it still works.
    expect(status(card.process(loadKeyApdu(0, transportKey)))).toBe('9000');
    card.reset();
    expect(authenticate(card, 4, 'A', transportKey)).toBe('9000');
    expect(toHex(card.process(readBlockApdu(4)))).toBe(`${'00'.repeat(16)}9000`);
  });

  it('halts on a key B that is readable (plain data) as on a wrong key', () => {
    const card = createClassic1k(uid);
    expect(authenticate(card, 4, 'B', transportKey)).toBe('6300');
    expect(authenticate(card, 4, 'A', transportKey)).toBe('6300');
    card.reset();
    expect(authenticate(card, 4, 'A', transportKey)).toBe('9000');
  });

  it('keeps its memory across a reset but forgets keys and authentication', () => {
    const card = createClassic1k(uid);
    authenticate(card, 4, 'A', transportKey);
    card.process(writeBlockApdu(4, data16));
    card.reset();
    expect(status(card.process(readBlockApdu(4)))).toBe('6300');
    expect(card.blocks()[4]).toEqual(data16);
  });
});

describe('virtual phone (ISO 14443-4)', () => {
  it('gives a random UID and refuses MIFARE commands', () => {
    const phone = createPhone();
    expect(status(phone.process(getUidApdu()))).toBe('9000');
    expect(status(phone.process(loadKeyApdu(0, transportKey)))).toBe('6A81');
    expect(toHex(phone.atr)).toBe('3B80800101');
  });
});
