import fc from 'fast-check';
import { applicationAccess, blockCount, blockSize, buildTrailer, decodeAccessBits, keyLength, sectorCount, trailerBlockOf, transportAccess, transportKey } from '../../../hardware/nfc/mifare';
import { authenticateApdu, getUidApdu, loadKeyApdu, readBlockApdu, sw, writeBlockApdu } from '../../../hardware/nfc/protocol/apdu';
import { encodeVpcdFrame, maxVpcdPayload, VpcdFrameReader } from '../../../hardware/nfc/protocol/vpcd';
import { createClassic1k, createPhone, type VirtualCardModel } from '../../../hardware/nfc/virtual-card';
import { broken, chunksOf, concatBytes, hostileStream, sameValue, type ChunkedStream } from '../byte-mutations';
import type { FuzzTarget } from '../target';

/**
 * What vpcd sends the virtual card (hardware/nfc/protocol/vpcd.ts framing, then the card models of
 * hardware/nfc/virtual-card.ts, as the card thread does): control messages and the reader's pseudo-APDUs
 * (get UID, load key, authenticate, read, write, trailers included) framed, mutated and mixed with noise,
 * in random socket chunks. Promises: never throws; holds at most one frame; chunking changes no payload;
 * clean frames come back exactly; every answer is an ATR or data ‖ a status word the reader knows, a
 * read gives at most 16 bytes, and answers fit a frame; the card's block 0 never changes and no sector's
 * access bits become unreadable (a real card would lock the sector for good).
 */
const uid = Uint8Array.of(0x04, 0x6d, 0x3a, 0x91);
const knownStatus = new Set<number>(Object.values(sw));
const someKey = fc.oneof(fc.constant(transportKey), fc.uint8Array({ minLength: keyLength, maxLength: keyLength }));
const block = fc.nat(blockCount - 1);
const trailer = fc
  .tuple(someKey, fc.constantFrom(transportAccess, applicationAccess), someKey)
  .map(([keyA, access, keyB]) => buildTrailer(keyA, access, keyB));

/** What vpcd sends: a control byte, or a command APDU the driver sends. */
const message: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(0x00, 0x01, 0x02, 0x04).map((control) => Uint8Array.of(control)) },
  { weight: 1, arbitrary: fc.constant(getUidApdu()) },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom<0 | 1>(0, 1), someKey).map(([slot, key]) => loadKeyApdu(slot, key)) },
  { weight: 3, arbitrary: fc.tuple(block, fc.constantFrom<'A' | 'B'>('A', 'B'), fc.constantFrom<0 | 1>(0, 1)).map(([at, type, slot]) => authenticateApdu(at, type, slot)) },
  { weight: 3, arbitrary: fc.tuple(block, fc.integer({ min: 0, max: 20 })).map(([at, length]) => readBlockApdu(at, length)) },
  { weight: 2, arbitrary: fc.tuple(block, fc.uint8Array({ minLength: blockSize, maxLength: blockSize })).map(([at, data]) => writeBlockApdu(at, data)) },
  { weight: 1, arbitrary: fc.tuple(fc.nat(sectorCount - 1), trailer).map(([sector, data]) => writeBlockApdu(trailerBlockOf(sector), data)) },
);

type Input =
  | { readonly kind: 'hostile'; readonly stream: ChunkedStream; readonly phone: boolean }
  | { readonly kind: 'clean'; readonly messages: readonly Uint8Array[]; readonly cuts: readonly number[]; readonly phone: boolean };

function readFrames(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const reader = new VpcdFrameReader();
  const payloads: Uint8Array[] = [];
  for (const chunk of chunksOf(bytes, cuts)) {
    for (const item of reader.push(chunk)) payloads.push(item);
    if (reader.bufferedBytes > 2 + maxVpcdPayload) broken(`the reader holds ${reader.bufferedBytes} bytes`);
  }
  return payloads;
}

/** The card thread's answer to one payload (without its fault injection). */
function answer(model: VirtualCardModel, payload: Uint8Array): Uint8Array | null {
  if (payload.length === 1) {
    if (payload[0] === 0x04) return model.atr;
    model.reset();
    return null;
  }
  const response = model.process(payload);
  if (response.length < 2) broken('an answer with no status word', { payload, response });
  const status = ((response[response.length - 2] ?? 0) << 8) | (response[response.length - 1] ?? 0);
  if (!knownStatus.has(status)) broken('an answer with a status word the reader does not know', { payload, response });
  if (payload[1] === 0xb0 && response.length - 2 > blockSize) broken('a read of more than one block', { payload, response });
  return response;
}

function serve(payloads: readonly Uint8Array[], phone: boolean): void {
  const model = phone ? createPhone(() => 0.5) : createClassic1k(uid);
  const block0 = model.blocks()[0];
  for (const payload of payloads) {
    const response = answer(model, payload);
    if (response !== null && !sameValue(readFrames(encodeVpcdFrame(response), []), [response])) broken('an answer that does not frame', response);
  }
  const blocks = model.blocks();
  if (!phone && !sameValue(blocks[0], block0)) broken('block 0 (UID, manufacturer data) changed', blocks[0]);
  for (let sector = 0; sector < (phone ? 0 : sectorCount); sector++) {
    const access = blocks[trailerBlockOf(sector)]?.slice(6, 9) ?? new Uint8Array(3);
    if (decodeAccessBits(access) === undefined) broken(`sector ${sector}'s access bits became unreadable`, access);
  }
}

export const target: FuzzTarget<Input> = {
  name: 'vpcd-frame',
  subject: 'hardware/nfc/protocol/vpcd.ts VpcdFrameReader + hardware/nfc/virtual-card.ts process',
  input: fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('hostile' as const), stream: hostileStream(message.map(encodeVpcdFrame), { maxPieces: 10 }), phone: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('clean' as const), messages: fc.array(message, { maxLength: 12 }), cuts: fc.array(fc.nat(), { maxLength: 8 }), phone: fc.boolean() }) },
  ),
  feed(input) {
    if (input.kind === 'clean') {
      const payloads = readFrames(concatBytes(...input.messages.map(encodeVpcdFrame)), input.cuts);
      if (!sameValue(payloads, input.messages)) broken('clean frames did not come back exactly', { payloads, sent: input.messages });
      serve(payloads, input.phone);
      return;
    }
    const payloads = readFrames(input.stream.bytes, input.stream.cuts);
    if (!sameValue(payloads, readFrames(input.stream.bytes, []))) broken('chunking changed the payloads');
    serve(payloads, input.phone);
  },
};
