/**
 * The board side of the Firmata protocol (v2.5, as StandardFirmataPlus speaks it): pure framing,
 * bytes in and messages out, no I/O and no timers. The host side is firmata-io itself; this module
 * is written from the protocol text (docs/protocols.md, firmata/protocol) so that the simulator
 * checks firmata-io rather than mirroring it.
 */

export const firmata = {
  digitalMessage: 0x90,
  analogMessage: 0xe0,
  reportAnalog: 0xc0,
  reportDigital: 0xd0,
  setPinMode: 0xf4,
  setPinValue: 0xf5,
  reportVersion: 0xf9,
  systemReset: 0xff,
  startSysex: 0xf0,
  endSysex: 0xf7,
  // sysex commands
  analogMappingQuery: 0x69,
  analogMappingResponse: 0x6a,
  capabilityQuery: 0x6b,
  capabilityResponse: 0x6c,
  pinStateQuery: 0x6d,
  pinStateResponse: 0x6e,
  extendedAnalog: 0x6f,
  stringData: 0x71,
  queryFirmware: 0x79,
  samplingInterval: 0x7a,
} as const;

/** Protocol version that StandardFirmataPlus 2.5 reports: `F9 02 05`. */
export const protocolVersion = { major: 2, minor: 5 } as const;

export const pinModes = {
  input: 0x00,
  output: 0x01,
  analog: 0x02,
  pwm: 0x03,
  servo: 0x04,
  i2c: 0x06,
  serial: 0x0a,
  pullup: 0x0b,
} as const;

/** A command sent by the host to the board. */
export type HostCommand =
  | { readonly kind: 'report-version' }
  | { readonly kind: 'system-reset' }
  | { readonly kind: 'set-pin-mode'; readonly pin: number; readonly mode: number }
  | { readonly kind: 'set-pin-value'; readonly pin: number; readonly value: number }
  | { readonly kind: 'digital-port'; readonly port: number; readonly value: number }
  | { readonly kind: 'analog-write'; readonly pin: number; readonly value: number }
  | { readonly kind: 'report-digital'; readonly port: number; readonly enable: boolean }
  | { readonly kind: 'report-analog'; readonly channel: number; readonly enable: boolean }
  | { readonly kind: 'sysex'; readonly command: number; readonly data: readonly number[] };

/**
 * The longest sysex either side keeps while waiting for its `F7`: the Uno's capability response
 * (the longest a board sends) is under 300 bytes, StandardFirmata's own input buffer 64. A longer
 * one is line noise or a bug: it is dropped, counted as a bad frame, and its bytes skipped up to
 * the next status byte, so that no buffer grows with what the line sends.
 */
export const maxSysexBytes = 1024;

/**
 * Splits the host's byte stream into commands. Like the Arduino library it resynchronises on any
 * status byte (>= 0x80), so a truncated message is dropped rather than misread. A sysex longer than
 * `maxSysexBytes` is dropped too.
 */
export class HostCommandParser {
  private message: number[] = [];
  private inSysex = false;
  /** Inside a sysex already dropped as too long: data bytes are skipped until a status byte. */
  private skipping = false;
  private dropped = 0;

  /** Bytes held while waiting for the rest of a message; never more than `maxSysexBytes`. */
  get bufferedBytes(): number {
    return this.message.length;
  }

  /** Sysex messages dropped for being longer than `maxSysexBytes`. */
  get badFrames(): number {
    return this.dropped;
  }

  push(bytes: Uint8Array): HostCommand[] {
    const out: HostCommand[] = [];
    for (const byte of bytes) {
      const command = this.pushByte(byte);
      if (command) out.push(command);
    }
    return out;
  }

  private pushByte(byte: number): HostCommand | undefined {
    if (this.skipping) {
      if (byte < 0x80) return undefined;
      this.skipping = false;
      if (byte === firmata.endSysex) return undefined;
    }
    if (this.inSysex) {
      if (byte === firmata.endSysex) {
        this.inSysex = false;
        const [command = 0, ...data] = this.message;
        this.message = [];
        return { kind: 'sysex', command, data };
      }
      if (byte >= 0x80) {
        // A status byte inside a sysex: the sysex was cut short; start over with this byte.
        this.inSysex = false;
        this.message = [];
      } else if (this.message.length >= maxSysexBytes) {
        this.inSysex = false;
        this.message = [];
        this.skipping = true;
        this.dropped++;
        return undefined;
      } else {
        this.message.push(byte);
        return undefined;
      }
    }
    if (byte >= 0x80) {
      this.message = [byte];
      if (byte === firmata.startSysex) {
        this.inSysex = true;
        this.message = [];
        return undefined;
      }
      if (byte === firmata.reportVersion) {
        this.message = [];
        return { kind: 'report-version' };
      }
      if (byte === firmata.systemReset) {
        this.message = [];
        return { kind: 'system-reset' };
      }
      return undefined;
    }
    if (this.message.length === 0) return undefined; // data byte without a status byte: noise
    this.message.push(byte);
    const [status = 0, a = 0, b = 0] = this.message;
    const needed = messageLength(status);
    if (this.message.length < needed) return undefined;
    this.message = [];
    const type = status < 0xf0 ? status & 0xf0 : status;
    const channel = status & 0x0f;
    switch (type) {
      case firmata.digitalMessage:
        return { kind: 'digital-port', port: channel, value: a | (b << 7) };
      case firmata.analogMessage:
        return { kind: 'analog-write', pin: channel, value: a | (b << 7) };
      case firmata.reportDigital:
        return { kind: 'report-digital', port: channel, enable: a !== 0 };
      case firmata.reportAnalog:
        return { kind: 'report-analog', channel, enable: a !== 0 };
      case firmata.setPinMode:
        return { kind: 'set-pin-mode', pin: a, mode: b };
      case firmata.setPinValue:
        return { kind: 'set-pin-value', pin: a, value: b };
      default:
        return undefined;
    }
  }
}

/**
 * Guards the host's Firmata parser (firmata-io), which does not bound its sysex buffer (it grows with
 * every byte until an `F7` or a status byte comes): the bytes of a sysex past `maxSysexBytes` are not
 * passed on, up to and including its `F7`; the next status byte is. The caller drops the parser's
 * partial sysex when `filter` reports one too long. It also counts garbage, which firmata-io drops
 * silently: a run of bytes that starts no message a board sends (a data byte after a whole message,
 * a status byte a board never sends, a message cut short), so that a noisy line can be told.
 */
export class SysexLengthGuard {
  private inSysex = false;
  private length = 0;
  private skipping = false;
  /** Data bytes still due for the message in progress (digital, analog, version: two). */
  private due = 0;
  private inGarbage = false;
  private dropped = 0;
  private garbageRuns = 0;

  /** Sysex bytes passed on for the sysex in progress; never more than `maxSysexBytes`. */
  get bufferedBytes(): number {
    return this.inSysex ? this.length : 0;
  }

  /** Sysex messages dropped as too long, and runs of garbage. */
  get badFrames(): number {
    return this.dropped + this.garbageRuns;
  }

  /** The bytes to pass on; how many sysex messages were too long, and how many garbage runs began. */
  filter(chunk: Uint8Array): { readonly bytes: Uint8Array; readonly tooLong: number; readonly garbage: number } {
    let out: Uint8Array | undefined;
    let kept = 0;
    let tooLong = 0;
    let garbage = 0;
    const drop = (at: number): void => {
      // Copy lazily: most chunks pass through whole.
      if (!out) {
        out = new Uint8Array(chunk.length);
        out.set(chunk.subarray(0, at));
        kept = at;
      }
    };
    const bad = (isBad: boolean): void => {
      if (isBad && !this.inGarbage) garbage++;
      this.inGarbage = isBad;
    };
    for (let at = 0; at < chunk.length; at++) {
      const byte = chunk[at] ?? 0;
      let pass = true;
      if (this.skipping) {
        if (byte < 0x80 || byte === firmata.endSysex) pass = false;
        if (byte >= 0x80) this.skipping = false;
        if (byte >= 0x80 && byte !== firmata.endSysex) bad(this.statusByte(byte));
      } else if (byte >= 0x80) {
        // A message cut short is garbage; what the status byte starts may be a good message.
        if (this.due > 0 || (this.inSysex && byte !== firmata.endSysex)) bad(true);
        bad(this.statusByte(byte));
      } else if (this.inSysex) {
        if (this.length >= maxSysexBytes) {
          this.inSysex = false;
          this.skipping = true;
          this.dropped++;
          tooLong++;
          pass = false;
        } else {
          this.length++;
        }
      } else if (this.due > 0) {
        this.due--;
      } else {
        bad(true);
      }
      if (!pass) drop(at);
      else if (out) out[kept++] = byte;
    }
    this.garbageRuns += garbage;
    return { bytes: out ? out.subarray(0, kept) : chunk, tooLong, garbage };
  }

  /** Starts what a status byte starts; true when a board never sends it (or an F7 outside a sysex). */
  private statusByte(byte: number): boolean {
    const wasSysex = this.inSysex;
    this.inSysex = byte === firmata.startSysex;
    this.length = 0;
    this.due = 0;
    const type = byte < 0xf0 ? byte & 0xf0 : byte;
    if (type === firmata.digitalMessage || type === firmata.analogMessage || type === firmata.reportVersion) {
      this.due = 2;
      return false;
    }
    if (byte === firmata.startSysex) return false;
    return !(byte === firmata.endSysex && wasSysex);
  }
}

/** Total length (status byte included) of a non-sysex message. */
function messageLength(status: number): number {
  const type = status < 0xf0 ? status & 0xf0 : status;
  switch (type) {
    case firmata.reportDigital:
    case firmata.reportAnalog:
      return 2;
    default:
      return 3;
  }
}

/** What a board can do, pin by pin: the data behind the capability and analog mapping responses. */
export interface BoardDescription {
  readonly totalPins: number;
  readonly digitalPins: readonly number[];
  /** pin -> analog channel */
  readonly analogChannels: ReadonlyMap<number, number>;
  readonly pwmPins: readonly number[];
  readonly i2cPins: readonly number[];
  /** pin -> serial pin type (RES_RX0 = 0, RES_TX0 = 1, ...) */
  readonly serialPins: ReadonlyMap<number, number>;
}

/** An Arduino Uno (ATmega328P) as StandardFirmataPlus 2.5 describes it (Boards.h). */
export const arduinoUno: BoardDescription = {
  totalPins: 20,
  digitalPins: range(2, 19),
  analogChannels: new Map(range(14, 19).map((pin) => [pin, pin - 14])),
  pwmPins: [3, 5, 6, 9, 10, 11],
  i2cPins: [18, 19],
  serialPins: new Map([
    [0, 0x00],
    [1, 0x01],
  ]),
};

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

export function encodeVersion(): Uint8Array {
  return Uint8Array.of(firmata.reportVersion, protocolVersion.major, protocolVersion.minor);
}

/** `F0 79 major minor <name as 7-bit LSB/MSB pairs> F7` */
export function encodeFirmwareName(name: string): Uint8Array {
  const chars = [...name].flatMap((ch) => {
    const c = ch.charCodeAt(0) & 0xff;
    return [c & 0x7f, (c >> 7) & 0x7f];
  });
  return Uint8Array.of(firmata.startSysex, firmata.queryFirmware, protocolVersion.major, protocolVersion.minor, ...chars, firmata.endSysex);
}

/** The capability response, in the order StandardFirmataPlus writes it. */
export function encodeCapabilities(board: BoardDescription): Uint8Array {
  const bytes: number[] = [firmata.startSysex, firmata.capabilityResponse];
  for (let pin = 0; pin < board.totalPins; pin++) {
    const digital = board.digitalPins.includes(pin);
    if (digital) bytes.push(pinModes.input, 1, pinModes.pullup, 1, pinModes.output, 1);
    if (board.analogChannels.has(pin)) bytes.push(pinModes.analog, 10);
    if (board.pwmPins.includes(pin)) bytes.push(pinModes.pwm, 8);
    if (digital) bytes.push(pinModes.servo, 14);
    if (board.i2cPins.includes(pin)) bytes.push(pinModes.i2c, 1);
    const serial = board.serialPins.get(pin);
    if (serial !== undefined) bytes.push(pinModes.serial, serial);
    bytes.push(0x7f);
  }
  bytes.push(firmata.endSysex);
  return Uint8Array.from(bytes);
}

export function encodeAnalogMapping(board: BoardDescription): Uint8Array {
  const channels = Array.from({ length: board.totalPins }, (_, pin) => board.analogChannels.get(pin) ?? 0x7f);
  return Uint8Array.of(firmata.startSysex, firmata.analogMappingResponse, ...channels, firmata.endSysex);
}

/** `F0 6E pin mode state(7-bit chunks, as many as needed) F7` */
export function encodePinState(pin: number, mode: number, state: number): Uint8Array {
  const bytes = [firmata.startSysex, firmata.pinStateResponse, pin, mode, state & 0x7f];
  if (state & 0xff80) bytes.push((state >> 7) & 0x7f);
  if (state & 0xc000) bytes.push((state >> 14) & 0x7f);
  bytes.push(firmata.endSysex);
  return Uint8Array.from(bytes);
}

/** A digital port report: `0x90+port lsb msb`. */
export function encodeDigitalPort(port: number, value: number): Uint8Array {
  return Uint8Array.of(firmata.digitalMessage | (port & 0x0f), value & 0x7f, (value >> 7) & 0x7f);
}

/** A value of more 7-bit chunks than this (28 bits) is no PWM or servo value; past 4, `<<` would wrap. */
const maxExtendedAnalogChunks = 4;

/** Decodes the 14-bit value of an extended analog sysex body (`pin lsb msb [more]`); undefined past 28 bits. */
export function decodeExtendedAnalog(data: readonly number[]): { pin: number; value: number } | undefined {
  const [pin, ...chunks] = data;
  if (pin === undefined || chunks.length === 0 || chunks.length > maxExtendedAnalogChunks) return undefined;
  const value = chunks.reduce((acc, chunk, i) => acc | ((chunk & 0x7f) << (7 * i)), 0);
  return { pin, value };
}
