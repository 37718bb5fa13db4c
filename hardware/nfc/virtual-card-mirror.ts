import { toHex } from './mifare';

/**
 * What the test side may read synchronously about a virtual card served on the card thread
 * (virtual-card-thread.ts): presence, the APDU count and log, the UID and the chip memory. The card
 * thread writes, the owning thread reads; both see the same SharedArrayBuffer, so the reads never wait
 * for the card thread (nor the card for a busy main thread).
 *
 * Layout: Int32 header | UID (16 bytes) | 64 blocks × 16 bytes | APDU log (2-byte length ‖ bytes, appended).
 * Plain bytes are published by an Atomics store that follows them (the header counters, or the even
 * value of `memoryVersion` for UID and blocks: a seqlock, the writer never waits).
 */
const slot = {
  present: 0,
  apduCount: 1,
  blockCount: 2,
  uidLength: 3,
  memoryVersion: 4,
  logEntries: 5,
  logBytes: 6,
  logOverflowed: 7,
} as const;
const headerBytes = 8 * Int32Array.BYTES_PER_ELEMENT;
const uidCapacity = 16;
const blockBytes = 16;
const maxBlocks = 64;
const uidOffset = headerBytes;
const blocksOffset = uidOffset + uidCapacity;
const logOffset = blocksOffset + maxBlocks * blockBytes;
/** Room for ~10 000 storage-card APDUs per placement; a full log makes `apdus()` throw, never lie. */
export const apduLogCapacity = 256 * 1024;

export class VirtualCardMirror {
  readonly buffer: SharedArrayBuffer;
  private readonly header: Int32Array;
  private readonly bytes: Uint8Array;

  constructor(buffer: SharedArrayBuffer = new SharedArrayBuffer(logOffset + apduLogCapacity)) {
    this.buffer = buffer;
    this.header = new Int32Array(buffer, 0, headerBytes / Int32Array.BYTES_PER_ELEMENT);
    this.bytes = new Uint8Array(buffer);
  }

  // --- writer side (the card thread, and the owner before the first placement) ---

  setPresent(present: boolean): void {
    Atomics.store(this.header, slot.present, present ? 1 : 0);
  }

  /** A new placement: the count and the log start again. */
  clearLog(): void {
    Atomics.store(this.header, slot.apduCount, 0);
    Atomics.store(this.header, slot.logEntries, 0);
    Atomics.store(this.header, slot.logBytes, 0);
    Atomics.store(this.header, slot.logOverflowed, 0);
  }

  logApdu(apdu: Uint8Array): void {
    const used = Atomics.load(this.header, slot.logBytes);
    if (Atomics.load(this.header, slot.logOverflowed) === 1 || used + 2 + apdu.length > apduLogCapacity) {
      Atomics.store(this.header, slot.logOverflowed, 1);
      return;
    }
    const at = logOffset + used;
    this.bytes[at] = apdu.length >> 8;
    this.bytes[at + 1] = apdu.length & 0xff;
    this.bytes.set(apdu, at + 2);
    Atomics.store(this.header, slot.logBytes, used + 2 + apdu.length);
    Atomics.add(this.header, slot.logEntries, 1);
  }

  countAnswer(): void {
    Atomics.add(this.header, slot.apduCount, 1);
  }

  writeMemory(uid: Uint8Array, blocks: readonly Uint8Array[]): void {
    if (uid.length > uidCapacity) throw new Error(`a UID of ${uid.length} bytes does not fit the mirror`);
    if (blocks.length > maxBlocks) throw new Error(`a card of ${blocks.length} blocks does not fit the mirror (a 1K card has ${maxBlocks})`);
    Atomics.add(this.header, slot.memoryVersion, 1); // odd: being written
    this.bytes.set(uid, uidOffset);
    blocks.forEach((block, index) => this.bytes.set(block.subarray(0, blockBytes), blocksOffset + index * blockBytes));
    Atomics.store(this.header, slot.uidLength, uid.length);
    Atomics.store(this.header, slot.blockCount, blocks.length);
    Atomics.add(this.header, slot.memoryVersion, 1); // even: consistent
  }

  /** The card thread died: nobody writes any more, so a write it left half done is what there is. */
  writerGone(): void {
    this.setPresent(false);
    if (Atomics.load(this.header, slot.memoryVersion) % 2 === 1) Atomics.add(this.header, slot.memoryVersion, 1);
  }

  // --- reader side ---

  get present(): boolean {
    return Atomics.load(this.header, slot.present) === 1;
  }

  get apduCount(): number {
    return Atomics.load(this.header, slot.apduCount);
  }

  apdus(): string[] {
    if (Atomics.load(this.header, slot.logOverflowed) === 1) {
      throw new Error(`the virtual card's APDU log is full (${apduLogCapacity} bytes in one placement)`);
    }
    const entries = Atomics.load(this.header, slot.logEntries);
    const out: string[] = [];
    let at = logOffset;
    for (let entry = 0; entry < entries; entry++) {
      const length = ((this.bytes[at] ?? 0) << 8) | (this.bytes[at + 1] ?? 0);
      out.push(toHex(this.bytes.subarray(at + 2, at + 2 + length)));
      at += 2 + length;
    }
    return out;
  }

  /** UID and blocks as one consistent copy (retried if the card thread was writing meanwhile). */
  memory(): { uid: Uint8Array; blocks: Uint8Array[] } {
    for (;;) {
      const before = Atomics.load(this.header, slot.memoryVersion);
      if (before % 2 === 1) continue;
      const uid = this.bytes.slice(uidOffset, uidOffset + Atomics.load(this.header, slot.uidLength));
      const count = Atomics.load(this.header, slot.blockCount);
      const blocks = Array.from({ length: count }, (_, index) =>
        this.bytes.slice(blocksOffset + index * blockBytes, blocksOffset + (index + 1) * blockBytes),
      );
      if (Atomics.load(this.header, slot.memoryVersion) === before) return { uid, blocks };
    }
  }
}
