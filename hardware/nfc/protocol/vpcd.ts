/**
 * vpcd framing (docs/protocols.md, "pcscd + vpcd"): both ways a 2-byte big-endian length, then the
 * payload. From vpcd, a 1-byte payload is a control message (00 power off, 01 power on, 02 reset,
 * 04 get ATR), a longer one a command APDU; the card answers with the ATR or R-APDU ‖ SW1 SW2.
 */
export const maxVpcdPayload = 0xffff;

export function encodeVpcdFrame(payload: Uint8Array): Buffer {
  if (payload.length > maxVpcdPayload) throw new Error(`a vpcd payload holds at most ${maxVpcdPayload} bytes, got ${payload.length}`);
  const frame = Buffer.alloc(2 + payload.length);
  frame.writeUInt16BE(payload.length, 0);
  frame.set(payload, 2);
  return frame;
}

/** Splits what vpcd sends into payloads, however the socket chunks it; holds at most one frame's worth. */
export class VpcdFrameReader {
  private pending: Buffer = Buffer.alloc(0);

  get bufferedBytes(): number {
    return this.pending.length;
  }

  push(chunk: Uint8Array): Uint8Array[] {
    let pending = this.pending.length === 0 ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length) : Buffer.concat([this.pending, chunk]);
    const payloads: Uint8Array[] = [];
    while (pending.length >= 2) {
      const length = pending.readUInt16BE(0);
      if (pending.length < 2 + length) break;
      payloads.push(new Uint8Array(pending.subarray(2, 2 + length)));
      pending = pending.subarray(2 + length);
    }
    // A copy: the caller may reuse its chunk, and a slice of a big one would keep all of it alive.
    this.pending = Buffer.from(pending);
    return payloads;
  }
}
