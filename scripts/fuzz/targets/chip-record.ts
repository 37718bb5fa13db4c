import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { deriveChipKeys } from '../../../hardware/card-record/keys';
import {
  decodeCardRecord,
  detailsBlock,
  encodeCardRecord,
  formatVersion,
  headerBlock,
  holderBlock,
  macBlock,
  macCoveredBlocks,
  macLength,
  recordBlocks,
  reservedBlock,
  walletBlock,
  walletMacLength,
  type CardImage,
  type CitizenCardRecord,
  type RecordError,
} from '../../../hardware/card-record/layout';
import { blockSize } from '../../../hardware/nfc/mifare';
import { cardTypes, transitSchemes } from '../../../shared/domain/card-types';
import { broken, mutated, sameValue } from '../byte-mutations';
import type { FuzzTarget } from '../target';

/**
 * The citizen-card record as read from the chip's blocks (hardware/card-record/layout.ts
 * `decodeCardRecord`): real records encoded, then bits flipped, bytes changed, blocks cut short or
 * dropped, and random images. Some mutated images are signed again with the card's keys (what an encoder
 * bug, or anyone holding the key, would write), so that decoding goes past the MAC.
 * Promises: never throws; a refusal is a known kind with a message; an unsigned change is never accepted
 * as a record other than the one written; an accepted record is one the encoder writes byte for byte
 * (the decoder's own promise: "a record that verifies must also be one we could have written").
 */
const masterKey = Uint8Array.from({ length: 32 }, (_, i) => (i * 53 + 7) & 0xff);
const uid = Uint8Array.of(0x04, 0x5e, 0x11, 0x9a);
const keys = deriveChipKeys(masterKey, uid);

const isoDate = fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2149-06-06T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10));
const record: fc.Arbitrary<CitizenCardRecord> = fc
  .record({
    formatVersion: fc.constant(formatVersion),
    cardNumber: fc.stringMatching(/^\d{16}$/),
    cardType: fc.constantFrom(...cardTypes),
    scheme: fc.constantFrom(...transitSchemes),
    issuedOn: isoDate,
    expiresOn: isoDate,
    issuingKioskId: fc.stringMatching(/^[\x21-\x7e]{1,12}$/),
    holderIdHash: fc.uint8Array({ minLength: 16, maxLength: 16 }).map((bytes) => Buffer.from(bytes).toString('hex')),
    wallet: fc.record({ balance: fc.integer({ min: 0, max: 10_000 }), transactionCounter: fc.integer({ min: 0, max: 0xffffffff }) }),
  })
  .map((r) => (r.expiresOn < r.issuedOn ? { ...r, issuedOn: r.expiresOn, expiresOn: r.issuedOn } : r));

function encode(value: CitizenCardRecord): CardImage {
  const image = encodeCardRecord(value, keys);
  if (!image.ok) return broken('a valid record does not encode', image.error);
  return image.value;
}

/** The record MAC and wallet MAC as layout.ts documents them, to sign a changed image again. */
function resign(image: Map<number, Uint8Array>): void {
  const mac = createHmac('sha256', keys.macKey).update('TCMAC').update(keys.uid);
  for (const block of macCoveredBlocks) mac.update(image.get(block) ?? new Uint8Array(blockSize));
  const wallet = image.get(walletBlock);
  const header = image.get(headerBlock);
  if (wallet?.length === blockSize && header?.length === blockSize) {
    const walletMac = createHmac('sha256', keys.macKey).update('TCWAL').update(keys.uid).update(header).update(wallet.subarray(0, blockSize - walletMacLength)).digest();
    wallet.set(walletMac.subarray(0, walletMacLength), blockSize - walletMacLength);
  }
  if (image.get(macBlock)?.length === blockSize || !image.has(macBlock)) image.set(macBlock, new Uint8Array(mac.digest().subarray(0, macLength)));
}

type Input = {
  readonly record: CitizenCardRecord;
  /** Changes to the six record blocks laid end to end (96 bytes), then cut back into blocks. */
  readonly area: Uint8Array;
  readonly dropBlock: number | null;
  readonly resign: boolean;
};

const block16 = fc.uint8Array({ minLength: blockSize * recordBlocks.length, maxLength: blockSize * recordBlocks.length });
const areaOf = (image: CardImage): Uint8Array => Uint8Array.from(recordBlocks.flatMap((block) => [...(image.get(block) ?? new Uint8Array(blockSize))]));

const input: fc.Arbitrary<Input> = record.chain((value) => {
  const real = areaOf(encode(value));
  return fc.record({
    record: fc.constant(value),
    area: fc.oneof({ weight: 1, arbitrary: fc.constant(real) }, { weight: 6, arbitrary: mutated(fc.constant(real)) }, { weight: 1, arbitrary: block16 }),
    dropBlock: fc.option(fc.constantFrom(...recordBlocks), { freq: 8 }),
    resign: fc.boolean(),
  });
});

const errorKinds = new Set<RecordError['kind']>(['invalid_field', 'truncated', 'not_personalised', 'incomplete', 'unsupported_version', 'malformed', 'mac_mismatch', 'wallet_invalid']);

function imageOf(area: Uint8Array, dropBlock: number | null): Map<number, Uint8Array> {
  const image = new Map<number, Uint8Array>();
  recordBlocks.forEach((block, index) => {
    // A mutation may have made the area shorter or longer: the last blocks come out short, or spill over.
    const bytes = area.slice(index * blockSize, index === recordBlocks.length - 1 ? area.length : (index + 1) * blockSize);
    if (block !== dropBlock) image.set(block, bytes);
  });
  return image;
}

export const target: FuzzTarget<Input> = {
  name: 'chip-record',
  subject: 'hardware/card-record/layout.ts decodeCardRecord',
  input,
  feed({ record: written, area, dropBlock, resign: signAgain }) {
    const image = imageOf(area, dropBlock);
    if (signAgain) resign(image);
    const original = encode(written);
    const decoded = decodeCardRecord(image, keys);
    if (!decoded.ok) {
      if (!errorKinds.has(decoded.error.kind) || decoded.error.message.length === 0) broken('a refusal that does not say what is wrong', decoded.error);
      if (!signAgain && dropBlock === null && sameValue(areaOf(image), areaOf(original))) broken('the record as written was refused', decoded.error);
      return;
    }
    if (!signAgain && !sameValue(decoded.value, written)) broken('an unsigned change was accepted as another record', { written, decoded: decoded.value });
    const again = encode(decoded.value);
    for (const block of [headerBlock, detailsBlock, holderBlock, walletBlock, macBlock, reservedBlock]) {
      if (!sameValue(again.get(block), image.get(block))) broken(`an accepted record is not what the encoder writes (block ${block})`, { read: image.get(block), encoded: again.get(block) });
    }
  },
};
