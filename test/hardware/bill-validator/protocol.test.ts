import { describe, expect, it } from 'vitest';
import {
  billValue,
  checksum,
  command,
  counterDistance,
  decodeEventBuffer,
  decodePacket,
  decodeRawBuffer,
  encodeRawBuffer,
  eventsSince,
  FrameSplitter,
  inhibitMask,
  nextCounter,
  parseBillId,
  parseSerialNumber,
  previousCounter,
  reply,
  typesInMask,
  type EventSlot,
} from '../../../hardware/bill-validator/protocol';
import { billStatusCodes, type BillEventBuffer } from '../../../hardware/bill-validator/types';

const values: Record<number, number> = { 1: 100, 2: 200, 3: 500, 4: 1000, 5: 2000 };
const valueOf = (type: number): number => values[type] ?? 0;

/** The buffer the validator would send: counter and slots newest first. */
function buffer(counter: number, slots: readonly EventSlot[]): BillEventBuffer {
  const raw = decodeRawBuffer(Uint8Array.from(encodeRawBuffer({ counter, slots })));
  const decoded = raw && decodeEventBuffer(raw, valueOf);
  if (!decoded) throw new Error('undecodable buffer');
  return decoded;
}

describe('ccTalk packets', () => {
  it('encodes a simple poll to the validator with the simple checksum of the spec', () => {
    // dest 40, 0 bytes of data, source 1, header 254: 40 + 0 + 1 + 254 = 295 → checksum 256 − 39 = 217.
    expect([...command(254)]).toEqual([40, 0, 1, 254, 217]);
    expect([...command(231, [0x0d, 0x00])]).toEqual([40, 2, 1, 231, 0x0d, 0, (512 - (40 + 2 + 1 + 231 + 0x0d)) % 256]);
    expect(checksum(Uint8Array.from([1, 0, 40, 0]))).toBe(215);
  });

  it('decodes a reply and refuses a wrong checksum or length', () => {
    const ack = reply(1, [...Buffer.from('Bill Validator')]);
    const decoded = decodePacket(ack);
    expect(decoded.ok && decoded.packet).toMatchObject({ dest: 1, source: 40, header: 0 });
    expect(decoded.ok && Buffer.from(decoded.packet.data).toString()).toBe('Bill Validator');
    const broken = Buffer.from(ack);
    broken[5] = broken[5]! ^ 0x01;
    expect(decodePacket(broken)).toEqual({ ok: false, reason: 'checksum' });
    expect(decodePacket(ack.subarray(0, ack.length - 1))).toEqual({ ok: false, reason: 'length' });
    expect(decodePacket(Uint8Array.from([1, 0, 40]))).toEqual({ ok: false, reason: 'short' });
  });

  it('splits a stream into frames by the length byte', () => {
    const splitter = new FrameSplitter();
    const both = Buffer.concat([command(254), command(157, [3])]);
    expect(splitter.push(both.subarray(0, 3))).toEqual([]);
    const frames = splitter.push(both.subarray(3));
    expect(frames.map((frame) => [...frame])).toEqual([[...command(254)], [...command(157, [3])]]);
    expect(splitter.idle).toBe(true);
  });

  it('splits a chunk of any size (a 300 kB flood once overflowed the call stack; found by npm run fuzz)', () => {
    const splitter = new FrameSplitter();
    const frame = command(254);
    const flood = Buffer.concat(Array.from({ length: 60_000 }, () => frame));
    const frames = splitter.push(flood);
    expect(frames).toHaveLength(60_000);
    expect([...(frames.at(-1) ?? [])]).toEqual([...frame]);
    expect(splitter.idle).toBe(true);
  });

  it('reads bill ids, scaling, masks and serial numbers', () => {
    expect(parseBillId('TW0500A')).toEqual({ country: 'TW', valueCode: 500, issue: 'A' });
    expect(parseBillId('       ')).toBeUndefined();
    expect(billValue(100, { factor: 1, decimals: 0 })).toBe(100);
    expect(billValue(5, { factor: 1000, decimals: 1 })).toBe(500);
    expect(inhibitMask([1, 3, 4])).toEqual([0b1101, 0]);
    expect(inhibitMask([9, 16])).toEqual([0, 0b1000_0001]);
    expect(typesInMask(0b1101, 0b1)).toEqual([1, 3, 4, 9]);
    expect(parseSerialNumber(Uint8Array.from([0x2c, 0x1b, 0x0a]))).toBe(0x0a1b2c);
  });
});

describe('the event counter', () => {
  it('wraps from 255 to 1, never 0', () => {
    expect(nextCounter(0)).toBe(1);
    expect(nextCounter(254)).toBe(255);
    expect(nextCounter(255)).toBe(1);
    expect(previousCounter(1)).toBe(255);
    expect(counterDistance(255, 1)).toBe(1);
    expect(counterDistance(250, 3)).toBe(8);
    expect(counterDistance(0, 3)).toBe(3);
  });
});

describe('decoding the event buffer', () => {
  it('decodes every status code by name, newest first on the wire, oldest first decoded', () => {
    for (const [code, status] of Object.entries(billStatusCodes)) {
      const decoded = buffer(7, [{ a: 0, b: Number(code) }, { a: 3, b: 1 }]);
      expect(decoded.events.at(-1)).toEqual({ kind: 'status', counter: 7, status, code: Number(code) });
      expect(decoded.events.at(-2)).toEqual({ kind: 'escrow', counter: 6, billType: 3, value: 500 });
    }
  });

  it('tells escrow (B = 1) from stacked (B = 0) and refuses a pair with no meaning', () => {
    expect(buffer(2, [{ a: 4, b: 0 }, { a: 4, b: 1 }]).events).toEqual([
      { kind: 'escrow', counter: 1, billType: 4, value: 1000 },
      { kind: 'stacked', counter: 2, billType: 4, value: 1000 },
    ]);
    const raw = decodeRawBuffer(Uint8Array.from(encodeRawBuffer({ counter: 1, slots: [{ a: 4, b: 7 }] })))!;
    expect(decodeEventBuffer(raw, valueOf)).toBeUndefined();
    expect(decodeRawBuffer(Uint8Array.from([1, 2, 3]))).toBeUndefined();
  });

  it('holds only what the counter proves: nothing at 0, C events below 5, the rest as earlier slots', () => {
    expect(buffer(0, []).events).toEqual([]);
    const young = buffer(2, [{ a: 1, b: 0 }, { a: 1, b: 1 }]);
    expect(young.events.map((event) => event.counter)).toEqual([1, 2]);
    expect(young.earlierSlots?.map((event) => event.counter)).toEqual([253, 254, 255]);
    expect(buffer(9, []).events.map((event) => event.counter)).toEqual([5, 6, 7, 8, 9]);
  });
});

describe('eventsSince: what a poll found', () => {
  const slots: EventSlot[] = [{ a: 3, b: 0 }, { a: 3, b: 1 }, { a: 0, b: 1 }, { a: 1, b: 1 }, { a: 0, b: 10 }];

  it('takes a first buffer as a baseline and an unchanged counter as nothing new', () => {
    expect(eventsSince(null, buffer(9, slots))).toEqual({ kind: 'events', events: [] });
    expect(eventsSince(9, buffer(9, slots))).toEqual({ kind: 'events', events: [] });
  });

  it('returns the new events oldest first', () => {
    const news = eventsSince(7, buffer(9, slots));
    expect(news).toEqual({
      kind: 'events',
      events: [
        { kind: 'escrow', counter: 8, billType: 3, value: 500 },
        { kind: 'stacked', counter: 9, billType: 3, value: 500 },
      ],
    });
    const five = eventsSince(4, buffer(9, slots));
    expect(five.kind === 'events' && five.events.map((event) => event.counter)).toEqual([5, 6, 7, 8, 9]);
  });

  it('follows the counter across the wrap 255 → 1', () => {
    const news = eventsSince(254, buffer(2, slots));
    expect(news.kind).toBe('events');
    expect(news.kind === 'events' && news.events.map((event) => [event.counter, event.kind])).toEqual([
      [255, 'status'],
      [1, 'escrow'],
      [2, 'stacked'],
    ]);
    // The first events after power-up: the empty slots are not events.
    const fresh = eventsSince(0, buffer(2, [{ a: 1, b: 0 }, { a: 1, b: 1 }]));
    expect(fresh.kind === 'events' && fresh.events.map((event) => event.counter)).toEqual([1, 2]);
  });

  it('reports a restart when the counter is back at 0', () => {
    expect(eventsSince(42, buffer(0, []))).toEqual({ kind: 'break', break: { kind: 'restarted', lastCounter: 42 } });
    expect(eventsSince(0, buffer(0, []))).toEqual({ kind: 'events', events: [] });
  });

  it('reports lost events when the counter moved by more than 5 (or went back)', () => {
    expect(eventsSince(3, buffer(8, slots))).toEqual({ kind: 'events', events: buffer(8, slots).events });
    expect(eventsSince(3, buffer(9, slots))).toEqual({ kind: 'break', break: { kind: 'events-lost', lastCounter: 3, counter: 9 } });
    expect(eventsSince(252, buffer(3, slots))).toEqual({ kind: 'break', break: { kind: 'events-lost', lastCounter: 252, counter: 3 } });
    expect(eventsSince(10, buffer(9, slots)).kind).toBe('break');
  });
});
