import fc from 'fast-check';
import {
  ascii,
  billValue,
  bufferedEvents,
  command,
  decodeEventBuffer,
  decodePacket,
  decodeRawBuffer,
  encodeEvent,
  encodePacket,
  encodeRawBuffer,
  encodeSerialNumber,
  eventsSince,
  FrameSplitter,
  headers,
  hostAddress,
  nextCounter,
  parseBillId,
  parseScaling,
  parseSerialNumber,
  reply,
  validatorAddress,
} from '../../../hardware/bill-validator/protocol';
import { billStatusCodes, type BillEvent } from '../../../hardware/bill-validator/types';
import { broken, chunksOf, hostileStream, sameValue, type ChunkedStream } from '../byte-mutations';
import type { FuzzTarget } from '../target';

/**
 * The bill validator's ccTalk frames (hardware/bill-validator/protocol.ts): a byte stream of real host
 * commands and validator replies (event buffers, bill ids, scaling, serial numbers, NAK, BUSY), mutated
 * and mixed with noise, split by `FrameSplitter` in random chunks, each frame checked by `decodePacket`
 * and its data read by the reply parsers as the driver reads them.
 * Promises: never throws; holds less than one longest frame; a frame is as long as its length byte says;
 * chunking changes no frame; a packet accepted re-encodes to its frame (the checksum was checked); an
 * event buffer gives at most five events, numbered one after another up to the buffer's counter; a bill
 * value is a whole number of dollars.
 */
const valueOf = (billType: number): number => [0, 100, 500, 1000, 200, 2000][billType] ?? 0;
const statusCodes = Object.keys(billStatusCodes).map(Number);
const event: fc.Arbitrary<BillEvent> = fc.oneof(
  fc.record({ kind: fc.constant('stacked' as const), counter: fc.constant(0), billType: fc.integer({ min: 1, max: 16 }), value: fc.constant(0) }),
  fc.record({ kind: fc.constant('escrow' as const), counter: fc.constant(0), billType: fc.integer({ min: 1, max: 16 }), value: fc.constant(0) }),
  fc.constantFrom(...statusCodes).map((code) => ({ kind: 'status' as const, counter: 0, status: billStatusCodes[code as keyof typeof billStatusCodes], code })),
);
const eventBufferData = fc.record({ counter: fc.nat(255), events: fc.array(event, { maxLength: bufferedEvents }) }).map(({ counter, events }) => encodeRawBuffer({ counter, slots: events.map(encodeEvent) }));
const asciiData = (text: string): number[] => [...text].map((char) => char.charCodeAt(0));

/** What goes over the wire: host commands, and the validator's replies to them. */
const realFrame: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.constantFrom(headers.simplePoll, headers.readBufferedEvents, headers.reset, headers.selfCheck, headers.serialNumber, headers.manufacturer).map((header) => command(header)),
  fc.tuple(fc.integer({ min: 1, max: 16 }), fc.constantFrom(headers.billId, headers.countryScaling)).map(([type, header]) => command(header, [type])),
  fc.tuple(fc.nat(255), fc.nat(255)).map(([a, b]) => command(headers.modifyInhibit, [a, b])),
  eventBufferData.map((data) => reply(hostAddress, data)),
  fc.constantFrom('TW0100A', 'TW0500A', 'TW1000B', '       ', 'TW0000A').map((id) => reply(hostAddress, asciiData(id))),
  fc.tuple(fc.nat(0xffff), fc.nat(4)).map(([factor, decimals]) => reply(hostAddress, [factor & 0xff, factor >> 8, decimals])),
  fc.nat(0xffffff).map((serial) => reply(hostAddress, encodeSerialNumber(serial))),
  fc.constantFrom(headers.nak, headers.busy).map((header) => reply(hostAddress, [], header)),
  fc.uint8Array({ maxLength: 255 }).map((data) => encodePacket({ dest: hostAddress, source: validatorAddress, header: headers.ack, data })),
).map((bytes) => new Uint8Array(bytes));

const longestFrame = 255 + 5;

type Input = { readonly stream: ChunkedStream; readonly lastCounter: number | null };

function split(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const splitter = new FrameSplitter();
  const frames: Uint8Array[] = [];
  let consumed = 0;
  for (const chunk of chunksOf(bytes, cuts)) {
    for (const frame of splitter.push(chunk)) {
      if (frame.length !== (frame[1] ?? -1) + 5) broken('a frame whose length is not its length byte + 5', frame);
      if (!sameValue(frame, bytes.subarray(consumed, consumed + frame.length))) broken('a frame that is not the bytes received', frame);
      consumed += frame.length;
      frames.push(frame);
    }
  }
  if (bytes.length - consumed >= longestFrame) broken(`the splitter holds ${bytes.length - consumed} bytes`);
  return frames;
}

function checkFrame(frame: Uint8Array, lastCounter: number | null): void {
  const decoded = decodePacket(frame);
  if (!decoded.ok) {
    if (!['short', 'length', 'checksum'].includes(decoded.reason)) broken('a refusal with no known reason', decoded);
    return;
  }
  if (!sameValue(new Uint8Array(encodePacket(decoded.packet)), frame)) broken('an accepted packet does not re-encode to its frame', frame);
  const data = decoded.packet.data;
  const raw = decodeRawBuffer(data);
  if (raw !== undefined) {
    const buffer = decodeEventBuffer(raw, valueOf);
    if (buffer !== undefined) checkBuffer(buffer, lastCounter);
  }
  const id = parseBillId(ascii(data));
  const scaling = parseScaling(data);
  if (id !== undefined && scaling !== undefined) {
    const value = billValue(id.valueCode, scaling);
    if (!Number.isSafeInteger(value) || value < 0) broken('a bill value that is no whole number of dollars', { id, scaling, value });
  }
  const serial = parseSerialNumber(data);
  if (serial !== undefined && !sameValue(encodeSerialNumber(serial), [...data])) broken('a serial number that does not round-trip', data);
}

function checkBuffer(buffer: ReturnType<typeof decodeEventBuffer> & object, lastCounter: number | null): void {
  const events = buffer.events;
  if (events.length > bufferedEvents) broken('more events than the buffer holds', buffer);
  events.forEach((item, index) => {
    const next = events[index + 1];
    if (next !== undefined && next.counter !== nextCounter(item.counter)) broken('events not numbered one after another', buffer);
  });
  if (events.length > 0 && events[events.length - 1]?.counter !== buffer.counter) broken('the newest event is not the counter', buffer);
  const news = eventsSince(lastCounter, buffer);
  if (news.kind === 'events') {
    if (news.events.length > bufferedEvents) broken('more news than the buffer holds', news);
    if (news.events.length > 0 && news.events[news.events.length - 1]?.counter !== buffer.counter) broken('news that does not end at the counter', { news, buffer });
    if (lastCounter === buffer.counter && news.events.length > 0) broken('news from a buffer that did not move', news);
  } else if (!['restarted', 'events-lost'].includes(news.break.kind)) {
    broken('a break of no known kind', news);
  }
}

export const target: FuzzTarget<Input> = {
  name: 'bill-validator',
  subject: 'hardware/bill-validator/protocol.ts FrameSplitter, decodePacket, event buffer and reply parsers',
  input: fc.record({ stream: hostileStream(realFrame, { maxPieces: 6, maxRandom: 64 }), lastCounter: fc.option(fc.nat(255), { freq: 4 }) }),
  feed({ stream, lastCounter }) {
    const frames = split(stream.bytes, stream.cuts);
    const whole = split(stream.bytes, []);
    if (!sameValue(frames, whole)) broken('chunking changed the frames', { frames, whole });
    for (const frame of frames) checkFrame(frame, lastCounter);
  },
};
