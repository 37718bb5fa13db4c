import { billStatusCodes, type BillBufferBreak, type BillEvent, type BillEventBuffer, type BillStatus } from './types';

/**
 * ccTalk framing for a bill validator (docs/protocols.md, "Bill validator with escrow"), pure: bytes in,
 * packets and events out. The driver and the simulator both build on it.
 *
 * Packet: [dest] [data length] [source] [header] [data…] [checksum], simple checksum: every byte of the
 * packet, checksum included, sums to 0 mod 256.
 */

export const hostAddress = 1;
export const validatorAddress = 40;

export const headers = {
  ack: 0,
  nak: 5,
  busy: 6,
  reset: 1,
  operatingMode: 153,
  routeBill: 154,
  countryScaling: 156,
  billId: 157,
  readBufferedEvents: 159,
  modifyMasterInhibit: 228,
  modifyInhibit: 231,
  selfCheck: 232,
  serialNumber: 242,
  productCode: 244,
  equipmentCategory: 245,
  manufacturer: 246,
  simplePoll: 254,
} as const;

/** Route bill (154) data and its error replies. */
export const routeCodes = { return: 0, stack: 1, extendEscrow: 255 } as const;
export const routeErrors = { escrowEmpty: 254, failedToRoute: 255 } as const;

/** Operating mode (153) bits. */
export const operatingModeBits = { useStacker: 0b01, useEscrow: 0b10 } as const;

/** The most data a packet can hold (the length byte). */
export const maxDataLength = 255;
/** Events a validator buffers (header 159). */
export const bufferedEvents = 5;

export interface Packet {
  readonly dest: number;
  readonly source: number;
  readonly header: number;
  readonly data: Uint8Array;
}

export function checksum(bytes: Uint8Array): number {
  let sum = 0;
  for (const byte of bytes) sum = (sum + byte) & 0xff;
  return (256 - sum) & 0xff;
}

export function encodePacket(packet: Packet): Buffer {
  if (packet.data.length > maxDataLength) throw new Error(`ccTalk data too long: ${packet.data.length} bytes`);
  const body = Buffer.from([packet.dest, packet.data.length, packet.source, packet.header, ...packet.data]);
  return Buffer.concat([body, Buffer.from([checksum(body)])]);
}

export type DecodedPacket = { readonly ok: true; readonly packet: Packet } | { readonly ok: false; readonly reason: 'short' | 'length' | 'checksum' };

/** One whole frame (as `@serialport/parser-cctalk` emits them) → a packet, checked. */
export function decodePacket(frame: Uint8Array): DecodedPacket {
  if (frame.length < 5) return { ok: false, reason: 'short' };
  if (frame.length !== frame[1]! + 5) return { ok: false, reason: 'length' };
  let sum = 0;
  for (const byte of frame) sum = (sum + byte) & 0xff;
  if (sum !== 0) return { ok: false, reason: 'checksum' };
  return { ok: true, packet: { dest: frame[0]!, source: frame[2]!, header: frame[3]!, data: Uint8Array.from(frame.subarray(4, frame.length - 1)) } };
}

/** A host command to the validator. */
export function command(header: number, data: readonly number[] = []): Buffer {
  return encodePacket({ dest: validatorAddress, source: hostAddress, header, data: Uint8Array.from(data) });
}

/** The validator's reply to `to` (ACK with data by default). */
export function reply(to: number, data: readonly number[] | Uint8Array = [], header: number = headers.ack): Buffer {
  return encodePacket({ dest: to, source: validatorAddress, header, data: Uint8Array.from(data) });
}

/**
 * Splits a byte stream into frames by the length byte, for the simulator (the driver uses
 * `@serialport/parser-cctalk`). Like a device, it drops a half frame after an inter-byte gap.
 */
export class FrameSplitter {
  /** Bytes of the frame not yet complete: never a whole frame, so less than 260. */
  private bytes: Uint8Array = new Uint8Array(0);

  push(chunk: Uint8Array): Uint8Array[] {
    // No spread of the chunk into an array: a chunk of 100k+ bytes would overflow the call stack.
    const data = this.bytes.length === 0 ? chunk : Buffer.concat([this.bytes, chunk]);
    const frames: Uint8Array[] = [];
    let at = 0;
    while (data.length - at >= 2 && data.length - at >= data[at + 1]! + 5) {
      const length = data[at + 1]! + 5;
      frames.push(Uint8Array.from(data.subarray(at, at + length)));
      at += length;
    }
    this.bytes = Uint8Array.from(data.subarray(at));
    return frames;
  }

  reset(): void {
    this.bytes = new Uint8Array(0);
  }

  get idle(): boolean {
    return this.bytes.length === 0;
  }
}

// ---------------------------------------------------------------- the event counter

/** The counter after `counter`: 1…255, wrapping to 1 (0 only after power-up or reset). */
export function nextCounter(counter: number): number {
  return counter >= 255 ? 1 : counter + 1;
}

/** The counter before `counter` (the one before 1 is 255: the counter wrapped). */
export function previousCounter(counter: number): number {
  return counter <= 1 ? 255 : counter - 1;
}

/** How many events happened from `from` to `to` (both non-zero, or `from` 0 after a restart). */
export function counterDistance(from: number, to: number): number {
  if (from === 0) return to;
  return (to - from + 255) % 255;
}

// ---------------------------------------------------------------- events

export interface EventSlot {
  readonly a: number;
  readonly b: number;
}

/** Header 159's reply, as sent: the counter and five slots, newest first. */
export interface RawEventBuffer {
  readonly counter: number;
  readonly slots: readonly EventSlot[];
}

export function decodeRawBuffer(data: Uint8Array): RawEventBuffer | undefined {
  if (data.length !== 1 + 2 * bufferedEvents) return undefined;
  const slots: EventSlot[] = [];
  for (let i = 0; i < bufferedEvents; i++) slots.push({ a: data[1 + 2 * i]!, b: data[2 + 2 * i]! });
  return { counter: data[0]!, slots };
}

export function encodeRawBuffer(buffer: RawEventBuffer): number[] {
  const slots = [...buffer.slots];
  while (slots.length < bufferedEvents) slots.push({ a: 0, b: 0 });
  return [buffer.counter, ...slots.slice(0, bufferedEvents).flatMap((slot) => [slot.a, slot.b])];
}

export function statusName(code: number): BillStatus | undefined {
  return (billStatusCodes as Readonly<Record<number, BillStatus>>)[code];
}

/**
 * One slot as an event: A = 0 a status (B its code), A = bill type with B = 0 stacked, 1 in escrow.
 * `valueOf` gives a bill type's NT dollar value (0 when unknown). Undefined for a pair the spec has no meaning for.
 */
export function decodeSlot(slot: EventSlot, counter: number, valueOf: (billType: number) => number): BillEvent | undefined {
  if (slot.a === 0) {
    const status = statusName(slot.b);
    return status === undefined ? undefined : { kind: 'status', counter, status, code: slot.b };
  }
  if (slot.b === 0) return { kind: 'stacked', counter, billType: slot.a, value: valueOf(slot.a) };
  if (slot.b === 1) return { kind: 'escrow', counter, billType: slot.a, value: valueOf(slot.a) };
  return undefined;
}

export function encodeEvent(event: BillEvent): EventSlot {
  switch (event.kind) {
    case 'status':
      return { a: 0, b: event.code };
    case 'stacked':
      return { a: event.billType, b: 0 };
    case 'escrow':
      return { a: event.billType, b: 1 };
  }
}

/**
 * The buffer decoded, oldest first. The counter proves the slots of events max(1, C−4)…C; when C is
 * below 5 the older slots hold events 255, 254… only if the counter wrapped since power-up (else they
 * are empty), which only a host that knows its last counter can tell: they go in `earlierSlots`.
 * Undefined when a slot the counter proves holds a pair with no meaning.
 */
export function decodeEventBuffer(raw: RawEventBuffer, valueOf: (billType: number) => number): BillEventBuffer | undefined {
  const proven: BillEvent[] = [];
  const earlier: BillEvent[] = [];
  let counter = raw.counter;
  const certain = raw.counter === 0 ? 0 : Math.min(bufferedEvents, raw.counter);
  for (let i = 0; i < bufferedEvents; i++) {
    const event = raw.counter === 0 ? undefined : decodeSlot(raw.slots[i]!, counter, valueOf);
    if (i < certain) {
      if (!event) return undefined;
      proven.unshift(event);
    } else if (raw.counter !== 0 && event) {
      earlier.unshift(event);
    }
    counter = previousCounter(counter);
  }
  return earlier.length > 0 ? { counter: raw.counter, events: proven, earlierSlots: earlier } : { counter: raw.counter, events: proven };
}

export type BufferNews =
  | { readonly kind: 'events'; readonly events: readonly BillEvent[] }
  | { readonly kind: 'break'; readonly break: BillBufferBreak };

/**
 * What a poll found, given the counter seen last (null: none yet, the buffer is a baseline and nothing
 * in it is news): the new events oldest first, or a break — the counter back at 0 (restarted) or moved
 * by more than 5 (events lost; going backwards counts as that too, it cannot be told apart).
 */
export function eventsSince(lastCounter: number | null, buffer: BillEventBuffer): BufferNews {
  if (lastCounter === null || buffer.counter === lastCounter) return { kind: 'events', events: [] };
  if (buffer.counter === 0) return { kind: 'break', break: { kind: 'restarted', lastCounter } };
  const count = counterDistance(lastCounter, buffer.counter);
  if (count > bufferedEvents) return { kind: 'break', break: { kind: 'events-lost', lastCounter, counter: buffer.counter } };
  const all = [...(buffer.earlierSlots ?? []), ...buffer.events];
  const fresh = all.slice(-count);
  // A slot the counter should hold but whose pair means nothing: treat as lost rather than guess.
  if (fresh.length !== count) return { kind: 'break', break: { kind: 'events-lost', lastCounter, counter: buffer.counter } };
  return { kind: 'events', events: fresh };
}

// ---------------------------------------------------------------- replies

/** Bill id (157): "TW0100A" → country TW, value code 100, issue A; empty (all spaces/zeros) → undefined. */
export function parseBillId(text: string): { readonly country: string; readonly valueCode: number; readonly issue: string } | undefined {
  const match = /^([A-Z]{2})(\d{4})([A-Z])$/.exec(text.trim());
  if (!match) return undefined;
  return { country: match[1]!, valueCode: Number(match[2]), issue: match[3]! };
}

/** Country scaling factor (156) reply: [scaling LSB][scaling MSB][decimal places]. */
export function parseScaling(data: Uint8Array): { readonly factor: number; readonly decimals: number } | undefined {
  if (data.length !== 3) return undefined;
  return { factor: data[0]! | (data[1]! << 8), decimals: data[2]! };
}

/** Whole NT dollars of a bill id's value code under a scaling factor. */
export function billValue(valueCode: number, scaling: { readonly factor: number; readonly decimals: number }): number {
  return Math.round((valueCode * scaling.factor) / 10 ** scaling.decimals);
}

/** Inhibit mask (231): a bit set = that bill type (1…16) enabled. */
export function inhibitMask(billTypes: readonly number[]): [number, number] {
  let mask = 0;
  for (const type of billTypes) {
    if (type < 1 || type > 16) throw new Error(`bill type ${type} is outside 1…16`);
    mask |= 1 << (type - 1);
  }
  return [mask & 0xff, (mask >> 8) & 0xff];
}

export function typesInMask(mask1: number, mask2: number): number[] {
  const mask = mask1 | (mask2 << 8);
  const types: number[] = [];
  for (let type = 1; type <= 16; type++) if (mask & (1 << (type - 1))) types.push(type);
  return types;
}

/** Serial number (242): three bytes, LSB first. */
export function parseSerialNumber(data: Uint8Array): number | undefined {
  return data.length === 3 ? data[0]! | (data[1]! << 8) | (data[2]! << 16) : undefined;
}

export function encodeSerialNumber(serial: number): number[] {
  return [serial & 0xff, (serial >> 8) & 0xff, (serial >> 16) & 0xff];
}

export function ascii(data: Uint8Array): string {
  return Buffer.from(data).toString('latin1');
}
