import { describe, expect, it } from 'vitest';
import {
  arduinoUno,
  encodeAnalogMapping,
  encodeCapabilities,
  encodeFirmwareName,
  encodePinState,
  HostCommandParser,
} from '../../firmware/firmata-protocol';

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
