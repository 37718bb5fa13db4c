import { describe, expect, it } from 'vitest';
import { apduLogCapacity, VirtualCardMirror } from '../../../hardware/nfc/virtual-card-mirror';
import { blankClassic1k } from '../../../hardware/nfc/virtual-card';
import { uid } from './fixtures';

describe('virtual card mirror (shared memory between the card thread and its owner)', () => {
  it('shows on one side what the other wrote: presence, count, log, UID and blocks', () => {
    const writer = new VirtualCardMirror();
    const reader = new VirtualCardMirror(writer.buffer);
    const blocks = blankClassic1k(uid);
    writer.writeMemory(uid, blocks);
    writer.setPresent(true);
    writer.logApdu(Uint8Array.of(0xff, 0xca, 0x00, 0x00, 0x00));
    writer.countAnswer();
    expect(reader.present).toBe(true);
    expect(reader.apduCount).toBe(1);
    expect(reader.apdus()).toEqual(['FFCA000000']);
    expect(reader.memory()).toEqual({ uid, blocks });
    writer.clearLog();
    expect([reader.apduCount, reader.apdus()]).toEqual([0, []]);
  });

  it('a full APDU log makes apdus() throw rather than return a truncated log', () => {
    const mirror = new VirtualCardMirror();
    const write = new Uint8Array(21);
    for (let logged = 0; logged * (2 + write.length) <= apduLogCapacity; logged++) mirror.logApdu(write);
    expect(() => mirror.apdus()).toThrow(/log is full/);
  });
});
