import fc from 'fast-check';
import {
  arduinoUno,
  decodeExtendedAnalog,
  encodeAnalogMapping,
  encodeCapabilities,
  encodeDigitalPort,
  encodeFirmwareName,
  encodePinState,
  encodeVersion,
  firmata,
  HostCommandParser,
  maxSysexBytes,
  SysexLengthGuard,
  type HostCommand,
} from '../../../firmware/firmata-protocol';
import { broken, chunksOf, concatBytes, hostileStream, sameValue, type ChunkedStream } from '../byte-mutations';
import type { FuzzTarget } from '../target';

/**
 * Firmata both ways (firmware/firmata-protocol.ts). Host → board: `HostCommandParser`, the simulated
 * board's parser, fed real host commands (pin modes, writes, reports, sysex queries, extended analog)
 * mutated and mixed with noise, in random chunks. Board → host: `SysexLengthGuard`, which stands before
 * firmata-io on the kiosk, fed what a board sends (version, firmware name, capabilities, pin states,
 * port reports) broken the same way.
 * Promises: never throws; never holds more than `maxSysexBytes`; chunking changes nothing; every command
 * has its fields in range; a clean stream of commands is parsed back exactly; the guard only ever drops
 * bytes (never adds or reorders), passes a clean board stream whole with no garbage counted, and an
 * extended analog value is a whole number of at most 28 bits.
 */
const data7 = fc.nat(0x7f);
const hostCommand: fc.Arbitrary<HostCommand> = fc.oneof(
  fc.constant({ kind: 'report-version' as const }),
  fc.constant({ kind: 'system-reset' as const }),
  fc.record({ kind: fc.constant('set-pin-mode' as const), pin: data7, mode: data7 }),
  fc.record({ kind: fc.constant('set-pin-value' as const), pin: data7, value: data7 }),
  fc.record({ kind: fc.constant('digital-port' as const), port: fc.nat(15), value: fc.nat(0x3fff) }),
  fc.record({ kind: fc.constant('analog-write' as const), pin: fc.nat(15), value: fc.nat(0x3fff) }),
  fc.record({ kind: fc.constant('report-digital' as const), port: fc.nat(15), enable: fc.boolean() }),
  fc.record({ kind: fc.constant('report-analog' as const), channel: fc.nat(15), enable: fc.boolean() }),
  fc.record({
    kind: fc.constant('sysex' as const),
    command: fc.constantFrom(firmata.capabilityQuery, firmata.analogMappingQuery, firmata.pinStateQuery, firmata.queryFirmware, firmata.extendedAnalog, firmata.samplingInterval, firmata.stringData),
    data: fc.array(data7, { maxLength: 12 }),
  }),
);

/** The bytes firmata-io sends for a command. */
function encodeHost(command: HostCommand): Uint8Array {
  switch (command.kind) {
    case 'report-version':
      return Uint8Array.of(firmata.reportVersion);
    case 'system-reset':
      return Uint8Array.of(firmata.systemReset);
    case 'set-pin-mode':
      return Uint8Array.of(firmata.setPinMode, command.pin, command.mode);
    case 'set-pin-value':
      return Uint8Array.of(firmata.setPinValue, command.pin, command.value);
    case 'digital-port':
      return Uint8Array.of(firmata.digitalMessage | command.port, command.value & 0x7f, command.value >> 7);
    case 'analog-write':
      return Uint8Array.of(firmata.analogMessage | command.pin, command.value & 0x7f, command.value >> 7);
    case 'report-digital':
      return Uint8Array.of(firmata.reportDigital | command.port, command.enable ? 1 : 0);
    case 'report-analog':
      return Uint8Array.of(firmata.reportAnalog | command.channel, command.enable ? 1 : 0);
    case 'sysex':
      return Uint8Array.of(firmata.startSysex, command.command, ...command.data, firmata.endSysex);
  }
}

/** What a board sends. */
const boardMessage: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.constant(encodeVersion()),
  fc.constantFrom('StandardFirmataPlus.ino', 'kiosk-board').map(encodeFirmwareName),
  fc.constant(encodeCapabilities(arduinoUno)),
  fc.constant(encodeAnalogMapping(arduinoUno)),
  fc.tuple(fc.nat(19), fc.nat(11), fc.nat(0xffff)).map(([pin, mode, state]) => encodePinState(pin, mode, state)),
  fc.tuple(fc.nat(2), fc.nat(0xff)).map(([port, value]) => encodeDigitalPort(port, value)),
  fc.tuple(fc.nat(5), fc.nat(1023)).map(([channel, value]) => Uint8Array.of(firmata.analogMessage | channel, value & 0x7f, value >> 7)),
);

type Input =
  | { readonly kind: 'host'; readonly stream: ChunkedStream }
  | { readonly kind: 'host-clean'; readonly commands: readonly HostCommand[]; readonly cuts: readonly number[] }
  | { readonly kind: 'board'; readonly stream: ChunkedStream }
  | { readonly kind: 'board-clean'; readonly messages: readonly Uint8Array[]; readonly cuts: readonly number[] };

function parseHost(bytes: Uint8Array, cuts: readonly number[]): HostCommand[] {
  const parser = new HostCommandParser();
  const commands: HostCommand[] = [];
  for (const chunk of chunksOf(bytes, cuts)) {
    for (const item of parser.push(chunk)) commands.push(item);
    if (parser.bufferedBytes > maxSysexBytes) broken(`the parser holds ${parser.bufferedBytes} bytes`);
  }
  for (const command of commands) checkCommand(command);
  return commands;
}

const in7 = (value: number): boolean => Number.isInteger(value) && value >= 0 && value <= 0x7f;
const in14 = (value: number): boolean => Number.isInteger(value) && value >= 0 && value <= 0x3fff;
const in4 = (value: number): boolean => Number.isInteger(value) && value >= 0 && value <= 15;

function checkCommand(command: HostCommand): void {
  const fine = ((): boolean => {
    switch (command.kind) {
      case 'report-version':
      case 'system-reset':
        return true;
      case 'set-pin-mode':
        return in7(command.pin) && in7(command.mode);
      case 'set-pin-value':
        return in7(command.pin) && in7(command.value);
      case 'digital-port':
        return in4(command.port) && in14(command.value);
      case 'analog-write':
        return in4(command.pin) && in14(command.value);
      case 'report-digital':
        return in4(command.port);
      case 'report-analog':
        return in4(command.channel);
      case 'sysex': {
        if (!in7(command.command) || command.data.length > maxSysexBytes || !command.data.every(in7)) return false;
        if (command.command !== firmata.extendedAnalog) return true;
        const write = decodeExtendedAnalog(command.data);
        return write === undefined || (in7(write.pin) && Number.isSafeInteger(write.value) && write.value >= 0 && write.value < 2 ** 28);
      }
    }
  })();
  if (!fine) broken('a command with a field out of range', command);
}

function guard(bytes: Uint8Array, cuts: readonly number[]): { readonly passed: Uint8Array; readonly tooLong: number; readonly garbage: number } {
  const sysexGuard = new SysexLengthGuard();
  const passed: Uint8Array[] = [];
  let tooLong = 0;
  let garbage = 0;
  for (const chunk of chunksOf(bytes, cuts)) {
    const out = sysexGuard.filter(chunk);
    passed.push(Uint8Array.from(out.bytes));
    tooLong += out.tooLong;
    garbage += out.garbage;
    if (sysexGuard.bufferedBytes > maxSysexBytes) broken(`the guard lets a sysex of ${sysexGuard.bufferedBytes} bytes through`);
  }
  if (sysexGuard.badFrames !== tooLong + garbage) broken('the guard counts bad frames it did not report');
  const all = concatBytes(...passed);
  // Only ever drops bytes: what passed is a subsequence of what came.
  let at = 0;
  for (const byte of all) {
    while (at < bytes.length && bytes[at] !== byte) at++;
    if (at === bytes.length) broken('the guard passed bytes that did not come, or out of order', { bytes, passed: all });
    at++;
  }
  return { passed: all, tooLong, garbage };
}

export const target: FuzzTarget<Input> = {
  name: 'firmata',
  subject: 'firmware/firmata-protocol.ts HostCommandParser, SysexLengthGuard, decodeExtendedAnalog',
  input: fc.oneof(
    { weight: 3, arbitrary: hostileStream(hostCommand.map(encodeHost), { maxPieces: 8 }).map((stream) => ({ kind: 'host' as const, stream })) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('host-clean' as const), commands: fc.array(hostCommand, { maxLength: 8 }), cuts: fc.array(fc.nat(), { maxLength: 8 }) }) },
    { weight: 3, arbitrary: hostileStream(boardMessage, { maxPieces: 6 }).map((stream) => ({ kind: 'board' as const, stream })) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('board-clean' as const), messages: fc.array(boardMessage, { maxLength: 6 }), cuts: fc.array(fc.nat(), { maxLength: 8 }) }) },
  ),
  feed(input) {
    switch (input.kind) {
      case 'host': {
        const chunked = parseHost(input.stream.bytes, input.stream.cuts);
        if (!sameValue(chunked, parseHost(input.stream.bytes, []))) broken('chunking changed the commands');
        return;
      }
      case 'host-clean': {
        const got = parseHost(concatBytes(...input.commands.map(encodeHost)), input.cuts);
        if (!sameValue(got, input.commands)) broken('a clean stream of commands was not parsed back exactly', { got, want: input.commands });
        return;
      }
      case 'board': {
        const chunked = guard(input.stream.bytes, input.stream.cuts);
        if (!sameValue(chunked, guard(input.stream.bytes, []))) broken('chunking changed what the guard passed or counted');
        return;
      }
      case 'board-clean': {
        const bytes = concatBytes(...input.messages);
        const out = guard(bytes, input.cuts);
        if (!sameValue(out, { passed: bytes, tooLong: 0, garbage: 0 })) broken('the guard changed or counted a clean board stream', out);
      }
    }
  },
};
