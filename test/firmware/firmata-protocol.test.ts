import { EventEmitter } from 'node:events';
import firmataIo, { type FirmataTransport } from 'firmata-io';
import { describe, expect, it } from 'vitest';
import {
  arduinoUno,
  decodeExtendedAnalog,
  encodeAnalogMapping,
  encodeCapabilities,
  encodeFirmwareName,
  encodePinState,
  HostCommandParser,
  maxSysexBytes,
  SysexLengthGuard,
} from '../../firmware/firmata-protocol';

/** `F0` and then 8 MiB of data bytes with no `F7`, in 64 KiB chunks. */
function* endlessSysex(): Generator<Uint8Array> {
  yield Uint8Array.of(0xf0, 0x71);
  const chunk = new Uint8Array(64 * 1024).fill(0x41);
  for (let sent = 0; sent < 8 * 1024 * 1024; sent += chunk.length) yield chunk;
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('Firmata board-side framing', () => {
  it('parses the host commands johnny-five sends', () => {
    const parser = new HostCommandParser();
    const commands = parser.push(
      Uint8Array.from([0xf9, 0xf0, 0x79, 0xf7, 0xf4, 0x02, 0x0b, 0xd0, 0x01, 0x90, 0x00, 0x01, 0xe9, 0x48, 0x01, 0xf5, 0x05, 0x01, 0xf0, 0x7a, 0x13, 0x00, 0xf7]),
    );
    expect(commands).toEqual([
      { kind: 'report-version' },
      { kind: 'sysex', command: 0x79, data: [] },
      { kind: 'set-pin-mode', pin: 2, mode: 0x0b },
      { kind: 'report-digital', port: 0, enable: true },
      { kind: 'digital-port', port: 0, value: 0x80 },
      { kind: 'analog-write', pin: 9, value: 200 },
      { kind: 'set-pin-value', pin: 5, value: 1 },
      { kind: 'sysex', command: 0x7a, data: [0x13, 0x00] },
    ]);
  });

  it('resynchronises on a status byte after a truncated message, across chunk boundaries', () => {
    const parser = new HostCommandParser();
    expect(parser.push(Uint8Array.from([0x90, 0x01]))).toEqual([]);
    expect(parser.push(Uint8Array.from([0xf4, 0x07]))).toEqual([]);
    expect(parser.push(Uint8Array.from([0x01, 0x42, 0xf0, 0x6b]))).toEqual([{ kind: 'set-pin-mode', pin: 7, mode: 1 }]);
    expect(parser.push(Uint8Array.from([0xf7]))).toEqual([{ kind: 'sysex', command: 0x6b, data: [] }]);
  });

  it('drops a sysex that never ends (F0 + 8 MiB): its buffer stays under the bound, and the next command is read', () => {
    const parser = new HostCommandParser();
    let largest = 0;
    for (const chunk of endlessSysex()) {
      expect(parser.push(chunk)).toEqual([]);
      largest = Math.max(largest, parser.bufferedBytes);
    }
    expect(largest).toBeLessThanOrEqual(maxSysexBytes);
    expect(parser.badFrames).toBe(1);
    // Its F7, when it comes, ends nothing; the next command is whole.
    expect(parser.push(Uint8Array.of(0xf7, 0xf4, 0x07, 0x01))).toEqual([{ kind: 'set-pin-mode', pin: 7, mode: 1 }]);
    expect(parser.bufferedBytes).toBe(0);
    // A sysex up to the bound is still a sysex.
    const longest = [0xf0, 0x71, ...new Array<number>(maxSysexBytes - 1).fill(0x41), 0xf7];
    expect(parser.push(Uint8Array.from(longest))).toEqual([{ kind: 'sysex', command: 0x71, data: longest.slice(2, -1) }]);
  });

  it('decodes an extended analog write of up to 28 bits, and refuses a longer one rather than wrap (found by npm run fuzz)', () => {
    expect(decodeExtendedAnalog([9, 0x48, 0x01])).toEqual({ pin: 9, value: 200 });
    expect(decodeExtendedAnalog([9, 0x7f, 0x7f, 0x7f, 0x7f])).toEqual({ pin: 9, value: 2 ** 28 - 1 });
    // Five chunks once gave 1 << 28 and more wrapped to negative values.
    expect(decodeExtendedAnalog([9, 0, 0, 0, 0, 1])).toBeUndefined();
    expect(decodeExtendedAnalog([9, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f])).toBeUndefined();
  });

  it('encodes the firmware name as 7-bit pairs', () => {
    expect(hex(encodeFirmwareName('AB'))).toBe('f079020541004200f7');
  });

  it('describes an Uno as StandardFirmataPlus does', () => {
    const caps = [...encodeCapabilities(arduinoUno)];
    expect(caps.slice(0, 2)).toEqual([0xf0, 0x6c]);
    const pins = caps.slice(2, -1).join(',').split(',127').map((p) => p.replace(/^,/, '')).slice(0, -1);
    expect(pins).toHaveLength(20);
    expect(pins[0]).toBe('10,0'); // RX0
    expect(pins[2]).toBe('0,1,11,1,1,1,4,14'); // digital: input, pull-up, output, servo
    expect(pins[9]).toBe('0,1,11,1,1,1,3,8,4,14'); // PWM
    expect(pins[18]).toBe('0,1,11,1,1,1,2,10,4,14,6,1'); // A4: analog + I2C
    expect([...encodeAnalogMapping(arduinoUno)].slice(2, -1)).toEqual([...Array(14).fill(127), 0, 1, 2, 3, 4, 5]);
    expect(hex(encodePinState(9, 3, 200))).toBe('f06e09034801f7');
  });
});

describe('Firmata host side: the sysex guard in front of firmata-io', () => {
  it('keeps firmata-io\'s buffer under the bound through F0 + 8 MiB, and firmata-io reads what follows', () => {
    const transport: FirmataTransport = Object.assign(new EventEmitter(), { write: () => true });
    const firmata = new firmataIo.Firmata(transport, { reportVersionTimeout: 2 ** 30 });
    clearTimeout(firmata.reportVersionTimeoutId);
    const guard = new SysexLengthGuard();
    const feed = (chunk: Uint8Array): void => {
      const { bytes, tooLong } = guard.filter(chunk);
      if (tooLong > 0) firmata.buffer.length = 0;
      if (bytes.length > 0) transport.emit('data', Buffer.from(bytes));
    };
    let largest = 0;
    for (const chunk of endlessSysex()) {
      feed(chunk);
      largest = Math.max(largest, firmata.buffer.length, guard.bufferedBytes);
    }
    expect(largest).toBeLessThanOrEqual(maxSysexBytes + 1);
    expect(guard.badFrames).toBe(1);
    // The F7 of the dropped sysex, then a version report: firmata-io reads it.
    const versions: unknown[] = [];
    firmata.on('reportversion', () => versions.push(firmata.version));
    feed(Uint8Array.of(0xf7, 0xf9, 0x02, 0x05));
    expect(versions).toEqual([{ major: 2, minor: 5 }]);
    expect(firmata.buffer.length).toBe(0);
  });

  it('counts garbage, one per run: data bytes after a whole message, status bytes no board sends, messages cut short', () => {
    const guard = new SysexLengthGuard();
    const run = (bytes: number[]): number => guard.filter(Uint8Array.from(bytes)).garbage;
    expect(run([0x90, 0x04, 0x00])).toBe(0);
    expect(run([0x41, 0x42, 0x43])).toBe(1); // a data byte after a whole message, and more of the same run
    expect(run([0x44, 0x91, 0x00, 0x00])).toBe(0); // the same run goes on, then a digital message ends it
    expect(run([0xc5, 0x01, 0x90, 0x01, 0x00])).toBe(1); // 0xC5 is sent by hosts, never by a board
    expect(run([0x90, 0x01, 0xe0, 0x01, 0x02])).toBe(1); // a digital message cut short by an analog one
    expect(run([0xf7])).toBe(1); // an F7 outside any sysex
    expect(guard.badFrames).toBe(4);
    // Every byte still goes to firmata-io, which drops garbage by itself.
    expect(guard.filter(Uint8Array.of(0x41, 0x42)).bytes).toEqual(Uint8Array.of(0x41, 0x42));
  });

  it('passes every byte of ordinary traffic through unchanged, across chunks', () => {
    const guard = new SysexLengthGuard();
    const traffic = Uint8Array.from([...encodeFirmwareName('StandardFirmataPlus.ino'), 0x90, 0x04, 0x00, ...encodeCapabilities(arduinoUno)]);
    const out: number[] = [];
    for (let at = 0; at < traffic.length; at += 7) out.push(...guard.filter(traffic.subarray(at, at + 7)).bytes);
    expect(Uint8Array.from(out)).toEqual(traffic);
    expect(guard.badFrames).toBe(0);
  });
});
