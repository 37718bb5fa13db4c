import { err, ok, type Result } from '../../shared/result';
import {
  cardHeightDots,
  cardWidthDots,
  panelLevels,
  panelNames,
  type CardPosition,
  type Panel,
  type PanelLevels,
  type PanelName,
  type PrinterDeviceError,
} from './types';

/**
 * Pure framing of the Evolis command set (Programming Guide A5013 Rev E): bytes in, messages out.
 * No I/O and no timers, so that the driver and the simulator are both checked against it.
 *
 * Host → printer: `ESC command [';' p1 ... ';' pn] CR`; panels carry binary data that is parsed by its
 * length, never by delimiter. Printer → host: one bare ASCII reply per command.
 */
export const ESC = 0x1b;
export const CR = 0x0d;
export const SEP = 0x3b; // ';'
export const ACK = 0x06;
export const NACK = 0x15;

/** Bytes in one panel line at 2 levels (648 dots). */
export const bytesPerBitLine = cardHeightDots / 8;
/** The longest compressed 2-level panel: every line as `N=81` + 81 bytes. */
export const maxCompressedPanelBytes = cardWidthDots * (bytesPerBitLine + 1);
/** Longest command text before a panel payload or CR; anything longer is garbage. */
export const maxCommandTextBytes = 512;
/**
 * Longest reply we keep while waiting for its end (the longest real one, a firmware or serial
 * number read, is well under 64). A longer run of bytes is line noise: dropped up to its CR/LF and
 * counted as a bad frame, never returned as a reply.
 */
export const maxReplyBytes = 256;

export function bitsPerDot(levels: PanelLevels): number {
  switch (levels) {
    case 2:
      return 1;
    case 32:
      return 5;
    case 64:
      return 6;
    case 128:
      return 7;
  }
}

/** Bytes of an uncompressed panel: 1016 lines × 648 dots, bits packed end to end. */
export function panelBytes(levels: PanelLevels): number {
  return (cardWidthDots * cardHeightDots * bitsPerDot(levels)) / 8;
}

export function isPanelName(value: string): value is PanelName {
  return (panelNames as readonly string[]).includes(value);
}

export function parsePanelLevels(value: string): PanelLevels | undefined {
  if (!/^\d{1,3}$/.test(value)) return undefined;
  const n = Number(value);
  return (panelLevels as readonly number[]).includes(n) ? (n as PanelLevels) : undefined;
}

// ---------------------------------------------------------------- host → printer: encoding

export function encodeCommand(name: string, params: readonly (string | number)[] = []): Buffer {
  const text = [name, ...params.map(String)].join(';');
  return Buffer.concat([Buffer.from([ESC]), Buffer.from(text, 'latin1'), Buffer.from([CR])]);
}

/**
 * `Dbc` records, one a line: `00` white, `FF` black, else N (1–81) and the line's first N bytes.
 * Only 2-level panels can be compressed.
 */
export function compressBitPanel(data: Buffer): Buffer {
  if (data.length !== panelBytes(2)) throw new Error(`a 2-level panel is ${panelBytes(2)} bytes, got ${data.length}`);
  const out = Buffer.allocUnsafe(maxCompressedPanelBytes);
  let at = 0;
  for (let line = 0; line < cardWidthDots; line++) {
    const start = line * bytesPerBitLine;
    let last = -1;
    let allInk = true;
    for (let i = 0; i < bytesPerBitLine; i++) {
      const byte = data[start + i] ?? 0;
      if (byte !== 0) last = i;
      if (byte !== 0xff) allInk = false;
    }
    if (last < 0) {
      out[at++] = 0x00;
    } else if (allInk) {
      out[at++] = 0xff;
    } else {
      out[at++] = last + 1;
      data.copy(out, at, start, start + last + 1);
      at += last + 1;
    }
  }
  return out.subarray(0, at);
}

export function decompressBitPanel(payload: Buffer): Result<Buffer, string> {
  const out = Buffer.alloc(panelBytes(2));
  let at = 0;
  let line = 0;
  while (at < payload.length) {
    if (line >= cardWidthDots) return err(`more than ${cardWidthDots} lines`);
    const head = payload[at++] ?? 0;
    const lineStart = line * bytesPerBitLine;
    if (head === 0x00) {
      // white line: already zero
    } else if (head === 0xff) {
      out.fill(0xff, lineStart, lineStart + bytesPerBitLine);
    } else if (head <= bytesPerBitLine) {
      if (at + head > payload.length) return err(`line ${line} is cut short`);
      payload.copy(out, lineStart, at, at + head);
      at += head;
    } else {
      return err(`line ${line} has a bad length ${head}`);
    }
    line++;
  }
  if (line !== cardWidthDots) return err(`${line} lines instead of ${cardWidthDots}`);
  return ok(out);
}

/** `Db;<panel>;<levels>;<data>CR`, or `Dbc` when that is shorter (2-level K and O only). */
export function encodePanel(panel: Panel, options: { readonly compress?: boolean } = {}): Buffer {
  if (panel.data.length !== panelBytes(panel.levels)) {
    throw new Error(`panel ${panel.name} at ${panel.levels} levels must be ${panelBytes(panel.levels)} bytes, got ${panel.data.length}`);
  }
  const compressible = panel.levels === 2 && (panel.name === 'k' || panel.name === 'o');
  if ((options.compress ?? true) && compressible) {
    const packed = compressBitPanel(panel.data);
    if (packed.length < panel.data.length) {
      return Buffer.concat([Buffer.from(`\x1bDbc;${panel.name};2;${packed.length};`, 'latin1'), packed, Buffer.from([CR])]);
    }
  }
  return Buffer.concat([Buffer.from(`\x1bDb;${panel.name};${panel.levels};`, 'latin1'), panel.data, Buffer.from([CR])]);
}

// ---------------------------------------------------------------- host → printer: parsing (simulator side)

export type HostMessage =
  | { readonly kind: 'command'; readonly name: string; readonly params: readonly string[] }
  | {
      readonly kind: 'panel';
      readonly compressed: boolean;
      readonly panel: PanelName;
      readonly levels: PanelLevels;
      /** The full uncompressed panel. */
      readonly data: Buffer;
    }
  | { readonly kind: 'malformed'; readonly command: string; readonly reason: string }
  | { readonly kind: 'garbage'; readonly bytes: number };

interface Delimiters {
  start: number;
  sep: number;
  end: number;
}

const defaultDelimiters = (): Delimiters => ({ start: ESC, sep: SEP, end: CR });

type ParserState =
  | { mode: 'seek' }
  | { mode: 'text'; bytes: number[] }
  | { mode: 'binary'; header: string; panel: PanelName; levels: PanelLevels; compressed: boolean; data: Buffer; filled: number }
  | { mode: 'binary-end'; header: string; panel: PanelName; levels: PanelLevels; compressed: boolean; data: Buffer };

/**
 * The printer's side of the line: turns the host's byte stream into commands and panels.
 * NUL bytes between commands are ignored; other stray bytes are reported as garbage; the buffer it
 * holds is bounded by the largest panel.
 */
export class CommandParser {
  private state: ParserState = { mode: 'seek' };
  private delimiters: Delimiters = defaultDelimiters();
  private garbage = 0;

  /** Bytes held while waiting for the rest of a command (for tests of boundedness). */
  get bufferedBytes(): number {
    switch (this.state.mode) {
      case 'seek':
        return 0;
      case 'text':
        return this.state.bytes.length;
      case 'binary':
      case 'binary-end':
        return this.state.data.length;
    }
  }

  reset(): void {
    this.state = { mode: 'seek' };
    this.delimiters = defaultDelimiters();
    this.garbage = 0;
  }

  feed(chunk: Uint8Array): HostMessage[] {
    const out: HostMessage[] = [];
    let i = 0;
    while (i < chunk.length) {
      const state = this.state;
      switch (state.mode) {
        case 'seek': {
          const byte = chunk[i++] ?? 0;
          if (byte === this.delimiters.start) {
            this.flushGarbage(out);
            this.state = { mode: 'text', bytes: [] };
          } else if (byte !== 0x00) {
            this.garbage++;
          }
          break;
        }
        case 'text': {
          const byte = chunk[i++] ?? 0;
          if (byte === this.delimiters.end) {
            this.state = { mode: 'seek' };
            this.finishCommand(state.bytes, out);
          } else if (byte === this.delimiters.start) {
            out.push({ kind: 'malformed', command: headerName(state.bytes), reason: 'a new command began before the end of this one' });
            this.state = { mode: 'text', bytes: [] };
          } else if (state.bytes.length >= maxCommandTextBytes) {
            out.push({ kind: 'malformed', command: headerName(state.bytes), reason: 'command too long' });
            this.garbage += state.bytes.length;
            this.state = { mode: 'seek' };
          } else {
            state.bytes.push(byte);
            if (byte === this.delimiters.sep) this.maybeStartPanel(state.bytes, out);
          }
          break;
        }
        case 'binary': {
          const take = Math.min(chunk.length - i, state.data.length - state.filled);
          state.data.set(chunk.subarray(i, i + take), state.filled);
          state.filled += take;
          i += take;
          if (state.filled === state.data.length) {
            this.state = { mode: 'binary-end', header: state.header, panel: state.panel, levels: state.levels, compressed: state.compressed, data: state.data };
          }
          break;
        }
        case 'binary-end': {
          const byte = chunk[i] ?? 0;
          this.state = { mode: 'seek' };
          if (byte !== this.delimiters.end) {
            out.push({ kind: 'malformed', command: state.header, reason: 'panel data longer than announced' });
            break; // the byte is looked at again in seek mode
          }
          i++;
          out.push(this.finishPanel(state));
          break;
        }
      }
    }
    this.flushGarbage(out);
    return out;
  }

  private flushGarbage(out: HostMessage[]): void {
    if (this.garbage > 0) out.push({ kind: 'garbage', bytes: this.garbage });
    this.garbage = 0;
  }

  /** After each separator: is this the header of a panel (`Db;k;2;`, `Dbc;k;2;1024;`)? */
  private maybeStartPanel(bytes: number[], out: HostMessage[]): void {
    const fields = splitFields(bytes, this.delimiters.sep);
    const name = fields[0];
    if (name !== 'Db' && name !== 'Dbc') return;
    const wanted = name === 'Db' ? 4 : 5; // the last field is the empty one after the final separator
    if (fields.length !== wanted) return;
    const header = fields.slice(0, -1).join(';');
    const [, panel = '', levelsText = '', lengthText = ''] = fields;
    const levels = parsePanelLevels(levelsText);
    if (!isPanelName(panel) || levels === undefined) {
      out.push({ kind: 'malformed', command: header, reason: 'unknown panel or levels' });
      this.state = { mode: 'seek' };
      return;
    }
    if (name === 'Db') {
      this.state = { mode: 'binary', header, panel, levels, compressed: false, data: Buffer.alloc(panelBytes(levels)), filled: 0 };
      return;
    }
    const length = /^\d{1,6}$/.test(lengthText) ? Number(lengthText) : NaN;
    if (levels !== 2 || !Number.isInteger(length) || length < cardWidthDots || length > maxCompressedPanelBytes) {
      out.push({ kind: 'malformed', command: header, reason: 'bad compressed panel header' });
      this.state = { mode: 'seek' };
      return;
    }
    this.state = { mode: 'binary', header, panel, levels, compressed: true, data: Buffer.alloc(length), filled: 0 };
  }

  private finishPanel(state: { header: string; panel: PanelName; levels: PanelLevels; compressed: boolean; data: Buffer }): HostMessage {
    if (!state.compressed) return { kind: 'panel', compressed: false, panel: state.panel, levels: state.levels, data: state.data };
    const data = decompressBitPanel(state.data);
    if (!data.ok) return { kind: 'malformed', command: state.header, reason: data.error };
    return { kind: 'panel', compressed: true, panel: state.panel, levels: state.levels, data: data.value };
  }

  private finishCommand(bytes: number[], out: HostMessage[]): void {
    const [name = '', ...params] = splitFields(bytes, this.delimiters.sep);
    if (name === 'Db' || name === 'Dbc') {
      out.push({ kind: 'malformed', command: name, reason: 'panel header cut short' });
      return;
    }
    if (name === 'Psc') {
      // Psc;start;sep;end changes the delimiters; a bare Psc restores them (p27)
      if (params.length === 0) {
        this.delimiters = defaultDelimiters();
      } else {
        const codes = params.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : NaN));
        const [start, sep, end] = codes;
        if (codes.length !== 3 || start === undefined || sep === undefined || end === undefined || codes.some((c) => !(c >= 1 && c <= 255)) || new Set(codes).size !== 3) {
          out.push({ kind: 'malformed', command: 'Psc', reason: 'bad delimiter codes' });
          return;
        }
        out.push({ kind: 'command', name, params });
        this.delimiters = { start, sep, end };
        return;
      }
    }
    out.push({ kind: 'command', name, params });
  }
}

function splitFields(bytes: number[], sep: number): string[] {
  const fields: string[] = [];
  let current: number[] = [];
  for (const byte of bytes) {
    if (byte === sep) {
      fields.push(Buffer.from(current).toString('latin1'));
      current = [];
    } else {
      current.push(byte);
    }
  }
  fields.push(Buffer.from(current).toString('latin1'));
  return fields;
}

function headerName(bytes: number[]): string {
  return (splitFields(bytes.slice(0, 16), SEP)[0] ?? '').replace(/[^\x20-\x7e]/g, '?');
}

// ---------------------------------------------------------------- printer → host: replies (driver side)

/**
 * Collects reply bytes. A reply ends at CR/LF when the printer sends one; bare replies (the usual
 * case) are completed by `flush()`, which the driver calls after a short silence. `OK` (no other
 * reply begins with it), ACK and NACK + code (flow control `Pem;4`) are complete by themselves.
 */
export class ReplyReader {
  private pending: number[] = [];
  /** The reply in progress grew past `maxReplyBytes`: its bytes are skipped up to its CR/LF. */
  private skipping = false;
  private dropped = 0;

  get bufferedBytes(): number {
    return this.pending.length;
  }

  /** Replies dropped for being longer than `maxReplyBytes`. */
  get badFrames(): number {
    return this.dropped;
  }

  feed(chunk: Uint8Array): string[] {
    const out: string[] = [];
    for (const byte of chunk) {
      if (byte === 0x00) continue;
      if (byte === CR || byte === 0x0a) {
        if (this.pending.length > 0) out.push(this.take());
        this.skipping = false;
        continue;
      }
      if (this.skipping) continue;
      if (this.pending.length === 0 && byte === ACK) {
        out.push('\x06');
        continue;
      }
      this.pending.push(byte);
      if (this.pending.length === 2 && this.pending[0] === 0x4f && this.pending[1] === 0x4b) out.push(this.take()); // OK
      else if (this.pending[0] === NACK && this.pending.length === 2) out.push(this.take());
      else if (this.pending.length >= maxReplyBytes) {
        this.pending = [];
        this.skipping = true;
        this.dropped++;
      }
    }
    return out;
  }

  /** Whatever has arrived since the last reply, as one reply (undefined when nothing). */
  flush(): string | undefined {
    return this.pending.length > 0 ? this.take() : undefined;
  }

  clear(): void {
    this.pending = [];
    this.skipping = false;
  }

  private take(): string {
    const text = Buffer.from(this.pending).toString('latin1');
    this.pending = [];
    return text;
  }
}

/** Error replies as Evolis's sample code spells them, and what each means to the kiosk. */
const errorReplies: Record<string, PrinterDeviceError['kind'] | 'rejected'> = {
  ERROR: 'rejected',
  'ERROR CDE': 'unknown_command',
  'ERROR PARAMETRES': 'rejected',
  'ERROR TIME OUT': 'jam',
  'ERROR HEAD': 'head_error',
  'ERROR RIBBON': 'ribbon_out',
  'ERR RIB DETECTION': 'ribbon_out',
  'ERROR HOPPER': 'feeder_empty',
  'HOPPER FULL': 'hopper_full',
  'HOPPER DOOR': 'cover_open',
  'COVER OPEN': 'cover_open',
  'FEEDER EMPTY': 'feeder_empty',
  'CARD JAM': 'jam',
  'NEED CLEANING': 'need_cleaning',
  'ERROR CHECKSUM': 'rejected',
  'OPT NOT AVAILABLE': 'rejected',
};

/** NACK codes (`Pem;4`): 1 command, 2 parameter, T mechanical, C cover, F feeder, R ribbon. */
const nackCodes: Record<string, string> = { '1': 'ERROR CDE', '2': 'ERROR PARAMETRES', T: 'ERROR TIME OUT', C: 'COVER OPEN', F: 'FEEDER EMPTY', R: 'ERROR RIBBON' };

export type ReplyMeaning = { readonly kind: 'ok' } | { readonly kind: 'error'; readonly error: PrinterDeviceError } | { readonly kind: 'text'; readonly text: string };

/** What a reply to `command` means: success, a device error, or data (for `R…` reads). */
export function interpretReply(command: string, raw: string): ReplyMeaning {
  let text = raw.trim();
  if (text === '\x06') return { kind: 'ok' };
  if (text.startsWith('\x15')) text = nackCodes[text.slice(1)] ?? 'ERROR';
  if (text === 'OK') return { kind: 'ok' };
  const kind = errorReplies[text];
  if (kind === undefined) return { kind: 'text', text };
  return { kind: 'error', error: deviceError(kind, command, text) };
}

function deviceError(kind: PrinterDeviceError['kind'], command: string, reply: string): PrinterDeviceError {
  switch (kind) {
    case 'jam':
    case 'rejected':
      return { kind, command, reply };
    case 'feeder_empty':
    case 'ribbon_out':
    case 'cover_open':
    case 'hopper_full':
    case 'need_cleaning':
    case 'head_error':
    case 'unknown_command':
      return { kind, command };
  }
}

/** `5,00 Volts` (decimal comma) → 5. */
export function parseVolts(text: string): number | undefined {
  const match = /^(\d{1,2})[,.](\d{1,3}) ?V(?:olts?)?$/i.exec(text.trim());
  if (!match) return undefined;
  return Number(`${match[1]}.${match[2]}`);
}

/** A sensor reads high (closed / loaded / card present) above half of 5 V. */
export const sensorHighVolts = 2.5;

/** `Rlr;p`: current firmware `OK`/`CARD`/`SMART CARD`/`CONTACTLESS CARD`; the 2004 guide `NO CARD`/`ERR CARD`. */
export function parseCardPresence(text: string): CardPosition | undefined {
  switch (text.trim()) {
    case 'OK':
    case 'NO CARD':
      return 'none';
    case 'CARD':
    case 'ERR CARD':
      return 'inside';
    case 'SMART CARD':
      return 'contact-station';
    case 'CONTACTLESS CARD':
      return 'contactless-station';
    default:
      return undefined;
  }
}

/** `Sk;f` (Quantum/Kiosk): `0` loaded, `1`/`2` one feeder empty, `3` all empty. */
export function parseFeederState(text: string): 'loaded' | 'empty' | undefined {
  switch (text.trim()) {
    case '0':
    case '1':
    case '2':
      return 'loaded';
    case '3':
      return 'empty';
    default:
      return undefined;
  }
}

/** A decimal counter (`Rco;I`). */
export function parseCounter(text: string): number | undefined {
  const trimmed = text.trim();
  return /^\d{1,9}$/.test(trimmed) ? Number(trimmed) : undefined;
}
