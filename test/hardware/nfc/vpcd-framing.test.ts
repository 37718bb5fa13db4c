import { describe, expect, it } from 'vitest';
import { encodeVpcdFrame, VpcdFrameReader } from '../../../hardware/nfc/protocol/vpcd';

describe('vpcd framing (2-byte big-endian length, then the payload)', () => {
  it('frames a payload and reads it back however the socket chunks it', () => {
    const apdu = Uint8Array.of(0xff, 0xb0, 0x00, 0x34, 0x10);
    const stream = Buffer.concat([encodeVpcdFrame(Uint8Array.of(0x04)), encodeVpcdFrame(apdu), encodeVpcdFrame(new Uint8Array(0))]);
    expect([...stream.subarray(0, 3)]).toEqual([0x00, 0x01, 0x04]);
    for (const size of [1, 2, 3, stream.length]) {
      const reader = new VpcdFrameReader();
      const payloads: Uint8Array[] = [];
      for (let at = 0; at < stream.length; at += size) payloads.push(...reader.push(stream.subarray(at, at + size)));
      expect(payloads.map((payload) => [...payload])).toEqual([[0x04], [...apdu], []]);
      expect(reader.bufferedBytes).toBe(0);
    }
  });

  it('holds a frame until it is whole, and refuses a payload longer than the length word can say', () => {
    const reader = new VpcdFrameReader();
    expect(reader.push(Uint8Array.of(0x00, 0x05, 0xff, 0xca))).toEqual([]);
    expect(reader.bufferedBytes).toBe(4);
    expect(() => encodeVpcdFrame(new Uint8Array(0x10000))).toThrow(/at most 65535/);
  });
});
