import { checkTaiwanId } from '../../shared/identity/taiwan-id';
import type { BadFrame, BadFrameReason, DecodedScan, ScanMode } from './types';

/**
 * Pure framing for serial MRZ / barcode readers (protocols.md, "ID document scanner"): bytes in,
 * documents and bad frames out. No I/O, no timers: the driver calls `flush()` when the line goes quiet.
 *
 * Three output modes are accepted on the same line, told apart by their first byte:
 * - RTE (3M/Thales):  SOH len_lo len_hi 'O' 'U' STX flag line1 CR line2 CR line3 CR ETX BCC
 * - Desko:            STX line1 CR line2 CR [line3 CR] ETX
 * - plain lines:      line CR ... then a blank line; a lone 10-character Taiwan ID number + CR is a barcode.
 *
 * Line noise is any byte, so it may open a frame or glue text onto the next line. The decoder resynchronises
 * on the document's own structure: a Desko frame never holds a blank line (so one that does was opened by a
 * stray STX, and a plain-mode document is behind it), and an MRZ's lines all have the width of its bottom
 * line (so text glued before the first line is cut off), a barcode is ten characters with a check digit.
 */

export const SOH = 0x01;
export const STX = 0x02;
export const ETX = 0x03;
export const LF = 0x0a;
export const CR = 0x0d;
const OPTICAL_DEVICE = 0x4f; // 'O': the optical reader
const UNSOLICITED = 0x55; // 'U': unsolicited data

/**
 * The RTE length word counts the whole block, SOH through BCC (3M RTE6701-OEM manual §9.1.1.1: "number of
 * bytes (including check character)"); 14 significant bits. The BCC is the XOR of every byte from SOH
 * through ETX. Both are the readings we could verify least: change them here, in one place.
 */
const RTE_LENGTH_MASK = 0x3fff;
/** SOH, two length bytes, 'O', 'U', STX, flag. */
const RTE_HEADER_LENGTH = 7;
/** Header, ETX, BCC: a block with no text at all. */
const RTE_MIN_LENGTH = RTE_HEADER_LENGTH + 2;
/** Three lines of 44 (the longest MRZ) with their CRs, plus the envelope, with room to spare. */
export const MAX_FRAME_LENGTH = 512;
/** Longer than any MRZ line (44) with room for a reader's stray spaces; beyond it a line is garbage. */
export const MAX_LINE_LENGTH = 64;
/** The RTE reader pads every line with '_' to the MRZ width (30 for three lines, 44 for two). */
const RTE_PAD = '_';
const RTE_THREE_LINE_WIDTH = 30;
const RTE_TWO_LINE_WIDTH = 44;
/** The flag byte our encoder sends by default; its meaning is reader-specific and we only pass it on. */
export const DEFAULT_RTE_FLAG = 0x30;

/** A line that could belong to an MRZ (OCR-B upper case, digits, filler), possibly truncated. */
const MRZ_LINE = /^[A-Z0-9<]{20,44}$/;
/** The MRZ characters that end a line: what is left of a first line after noise glued onto its front. */
const MRZ_TAIL = /[A-Z0-9<]{20,}$/;
/** The widths of TD1, TD2 and TD3 lines. */
const MRZ_WIDTHS: readonly number[] = [30, 36, 44];
/** National ID, new and old resident numbers: letter, digit-or-letter, eight digits. */
const TAIWAN_ID = /^[A-Z][A-Z0-9][0-9]{8}$/;
const TAIWAN_ID_LENGTH = 10;
const MIN_MRZ_LINES = 2;
const MAX_MRZ_LINES = 3;

export interface ScanDecoder {
  /** Feeds bytes as they arrive (any chunking); returns what they completed. Never throws. */
  push(bytes: Uint8Array): DecodedScan[];
  /** The line went quiet: whatever is half received becomes a bad frame. */
  flush(): DecodedScan[];
  /** Bytes held back waiting for the rest of a frame; never more than `MAX_FRAME_LENGTH`. */
  readonly bufferedBytes: number;
  /** True when nothing is half received (no bytes, no pending plain-mode lines, no noise run). */
  readonly idle: boolean;
}

type Step =
  | { readonly kind: 'need-more' }
  | { readonly kind: 'consumed'; readonly bytes: number; readonly events: readonly DecodedScan[] };

const needMore: Step = { kind: 'need-more' };

export function createScanDecoder(): ScanDecoder {
  let buffer: Uint8Array = new Uint8Array(0);
  let plainLines: string[] = [];
  let plainBytes = 0;
  let noiseRun = 0;
  let lastWasCr = false;
  let skippingLongLine = false;

  const takePlainLines = (reason: BadFrameReason): DecodedScan[] => {
    if (plainLines.length === 0) return [];
    const event = bad(reason, 'plain', plainBytes);
    plainLines = [];
    plainBytes = 0;
    return [event];
  };

  const endNoise = (): DecodedScan[] => {
    if (noiseRun === 0) return [];
    const event = bad('noise', null, noiseRun);
    noiseRun = 0;
    return [event];
  };

  const onLine = (line: string, bytes: number): DecodedScan[] => {
    if (line.length === 0) {
      // The blank line that ends a plain-mode document (extra blank lines are harmless).
      if (plainLines.length === 0) return [];
      if (plainLines.length < MIN_MRZ_LINES) return takePlainLines('half_document');
      const aligned = alignFirstLine(plainLines);
      if (aligned === null) return takePlainLines('unrecognised_line');
      plainLines = [];
      plainBytes = 0;
      const glued = aligned.cut > 0 ? [bad('noise', null, aligned.cut)] : [];
      return [...glued, { kind: 'mrz-lines', mode: 'plain', lines: aligned.lines, flag: null }];
    }
    if (TAIWAN_ID.test(line)) {
      return [...takePlainLines('half_document'), { kind: 'barcode', mode: 'plain', text: line }];
    }
    if (MRZ_LINE.test(line)) {
      plainLines.push(line);
      plainBytes += bytes;
      return plainLines.length > MAX_MRZ_LINES ? takePlainLines('too_many_lines') : [];
    }
    if (plainLines.length === 0) {
      // The first line of a document may carry noise glued onto its front: keep its MRZ tail (cut to the
      // document's width at the blank line), or a barcode whose check digit holds.
      const tail = MRZ_TAIL.exec(line)?.[0];
      if (tail !== undefined) {
        plainLines.push(tail);
        plainBytes += bytes;
        return line.length > tail.length ? [bad('noise', null, line.length - tail.length)] : [];
      }
      const barcode = line.slice(-TAIWAN_ID_LENGTH);
      if (TAIWAN_ID.test(barcode) && checkTaiwanId(barcode).valid) {
        return [bad('noise', null, line.length - TAIWAN_ID_LENGTH), { kind: 'barcode', mode: 'plain', text: barcode }];
      }
    }
    // Garbage spoils the document it interrupts: one bad frame for both.
    const event = bad('unrecognised_line', 'plain', plainBytes + bytes);
    plainLines = [];
    plainBytes = 0;
    return [event];
  };

  const step = (data: Uint8Array, at: number): Step => {
    const first = data[at] ?? 0;
    if (skippingLongLine) {
      let end = at;
      while (end < data.length && isPrintable(data[end] ?? 0)) end++;
      if (end === data.length) return { kind: 'consumed', bytes: end - at, events: [] };
      skippingLongLine = false;
      const terminator = data[end] === CR || data[end] === LF ? 1 : 0;
      if (terminator === 1) lastWasCr = data[end] === CR;
      return { kind: 'consumed', bytes: end - at + terminator, events: [] };
    }
    if (isNoise(first)) {
      let end = at;
      while (end < data.length && isNoise(data[end] ?? 0)) end++;
      noiseRun += end - at;
      lastWasCr = false;
      return { kind: 'consumed', bytes: end - at, events: [] };
    }
    if (first === STX && holdsPlainDocument(data, at)) {
      // A stray STX (noise) in front of a plain-mode document: part of the noise run, read on behind it.
      noiseRun += 1;
      lastWasCr = false;
      return { kind: 'consumed', bytes: 1, events: [] };
    }
    const events = endNoise();
    if (first === CR || first === LF) {
      const isLfOfCrLf = first === LF && lastWasCr;
      lastWasCr = first === CR;
      return { kind: 'consumed', bytes: 1, events: isLfOfCrLf ? events : [...events, ...onLine('', 1)] };
    }
    lastWasCr = false;
    if (first === SOH || first === STX) {
      const frame = first === SOH ? stepRte(data, at) : stepDesko(data, at);
      if (frame.kind === 'need-more') return events.length > 0 ? { kind: 'consumed', bytes: 0, events } : frame;
      // A frame start ends any plain-mode document in progress: it was only half sent.
      return { kind: 'consumed', bytes: frame.bytes, events: [...events, ...takePlainLines('half_document'), ...frame.events] };
    }
    const line = stepLine(data, at);
    if (line.kind === 'need-more') return events.length > 0 ? { kind: 'consumed', bytes: 0, events } : line;
    if (line.kind === 'too-long') {
      skippingLongLine = true;
      return { kind: 'consumed', bytes: line.bytes, events: [...events, ...takePlainLines('line_too_long'), bad('line_too_long', 'plain', line.bytes)] };
    }
    if (line.kind === 'interrupted') {
      return { kind: 'consumed', bytes: line.bytes, events: [...events, bad('interrupted', 'plain', line.bytes + plainBytes), ...clearPlain()] };
    }
    lastWasCr = line.terminator === CR;
    return { kind: 'consumed', bytes: line.bytes, events: [...events, ...onLine(line.text, line.bytes)] };
  };

  const clearPlain = (): DecodedScan[] => {
    plainLines = [];
    plainBytes = 0;
    return [];
  };

  return {
    push(bytes) {
      const data = concat(buffer, bytes);
      const out: DecodedScan[] = [];
      let at = 0;
      while (at < data.length) {
        const result = step(data, at);
        if (result.kind === 'need-more') break;
        out.push(...result.events);
        at += result.bytes;
      }
      buffer = data.slice(at);
      return out;
    },
    flush() {
      const out: DecodedScan[] = [...endNoise()];
      const behindStrayStx = buffer[0] === STX ? readBehindStrayStx(buffer) : null;
      if (behindStrayStx !== null) out.push(bad('noise', null, 1), ...behindStrayStx);
      else if (buffer.length > 0) out.push(bad('incomplete', modeOf(buffer[0] ?? 0), buffer.length));
      buffer = new Uint8Array(0);
      out.push(...takePlainLines('incomplete'));
      skippingLongLine = false;
      lastWasCr = false;
      return out;
    },
    get bufferedBytes() {
      return buffer.length;
    },
    get idle() {
      return buffer.length === 0 && plainLines.length === 0 && noiseRun === 0;
    },
  };
}

/**
 * A Desko frame that never got its ETX, when the line went quiet: if the STX was noise, what follows may be
 * a plain-mode line (a barcode: one line, no blank line behind it). The documents read behind it, or null.
 */
function readBehindStrayStx(frame: Uint8Array): DecodedScan[] | null {
  const decoder = createScanDecoder();
  // The rest holds no SOH or STX (it would have ended the frame), so this goes one level deep only.
  const events = [...decoder.push(frame.subarray(1)), ...decoder.flush()];
  return events.some((event) => event.kind !== 'bad-frame') ? events : null;
}

/** SOH len_lo len_hi 'O' 'U' STX flag text ETX BCC, delimited by its length word. */
function stepRte(data: Uint8Array, at: number): Step {
  const available = data.length - at;
  const headerBad = (reason: BadFrameReason): Step =>
    // Drop only the SOH: the bytes after it are looked at again, so a real frame right behind is not lost.
    ({ kind: 'consumed', bytes: 1, events: [bad(reason, 'rte', 1)] });
  if (available < 3) return needMore;
  const length = ((data[at + 1] ?? 0) | ((data[at + 2] ?? 0) << 8)) & RTE_LENGTH_MASK;
  if (length < RTE_MIN_LENGTH || length > MAX_FRAME_LENGTH) return headerBad('bad_length');
  const expected = [OPTICAL_DEVICE, UNSOLICITED, STX];
  for (let i = 0; i < expected.length; i++) {
    if (available <= 3 + i) return needMore;
    if (data[at + 3 + i] !== expected[i]) return headerBad('bad_header');
  }
  // The text is printable MRZ characters and CRs: a new SOH/STX before the BCC means this frame was cut.
  const bccAt = at + length - 1;
  const interruptedAt = findFrameStart(data, at + RTE_HEADER_LENGTH, Math.min(bccAt, data.length));
  if (interruptedAt !== -1) return { kind: 'consumed', bytes: interruptedAt - at, events: [bad('interrupted', 'rte', interruptedAt - at)] };
  if (available < length) return needMore;
  if (data[bccAt - 1] !== ETX) {
    // Keep the last byte: if the length word was one too long, it is the start of the next frame.
    return { kind: 'consumed', bytes: length - 1, events: [bad('bad_trailer', 'rte', length - 1)] };
  }
  if (rteBcc(data.subarray(at, bccAt)) !== data[bccAt]) {
    return { kind: 'consumed', bytes: length, events: [bad('bad_bcc', 'rte', length)] };
  }
  const flag = data[at + RTE_HEADER_LENGTH - 1] ?? 0;
  const text = data.subarray(at + RTE_HEADER_LENGTH, bccAt - 1);
  return { kind: 'consumed', bytes: length, events: [frameText(text, 'rte', flag, length)] };
}

/** STX text ETX, delimited by the ETX. */
function stepDesko(data: Uint8Array, at: number): Step {
  const end = Math.min(data.length, at + MAX_FRAME_LENGTH);
  for (let i = at + 1; i < end; i++) {
    const byte = data[i];
    if (byte === ETX) {
      const bytes = i - at + 1;
      return { kind: 'consumed', bytes, events: [frameText(data.subarray(at + 1, i), 'desko', null, bytes)] };
    }
    if (byte === SOH || byte === STX) return { kind: 'consumed', bytes: i - at, events: [bad('interrupted', 'desko', i - at)] };
  }
  if (end - at >= MAX_FRAME_LENGTH) return { kind: 'consumed', bytes: end - at, events: [bad('frame_too_long', 'desko', end - at)] };
  return needMore;
}

/**
 * Whether the "Desko frame" at `at` holds a blank line after a line of text before its ETX: a Desko reader
 * never sends one, a plain-mode document ends with one. False while the answer is not in yet.
 */
function holdsPlainDocument(data: Uint8Array, at: number): boolean {
  const end = Math.min(data.length, at + MAX_FRAME_LENGTH);
  let lineHasText = false;
  let sawText = false;
  for (let i = at + 1; i < end; i++) {
    const byte = data[i] ?? 0;
    if (byte === ETX || byte === SOH || byte === STX) return false;
    if (byte === LF && data[i - 1] === CR) continue;
    if (byte === CR || byte === LF) {
      if (!lineHasText && sawText) return true;
      sawText ||= lineHasText;
      lineHasText = false;
    } else {
      lineHasText = true;
    }
  }
  return false;
}

/**
 * A plain-mode document with its first line cut to the bottom line's width (noise glued onto its front);
 * null when the first line is no MRZ line even so. Lines no longer than the bottom one are left as they
 * came: a short (damaged) line is the identity module's to judge.
 */
function alignFirstLine(lines: readonly string[]): { readonly lines: readonly string[]; readonly cut: number } | null {
  const width = lines[lines.length - 1]?.length ?? 0;
  const [first = '', ...rest] = lines;
  const asReceived = MRZ_LINE.test(first) ? { lines, cut: 0 } : null;
  if (first.length <= width) return asReceived;
  // Only a first line longer than the rest, the rest all of one MRZ width, can be mended.
  if (!MRZ_WIDTHS.includes(width) || rest.some((line) => line.length !== width)) return asReceived;
  return { lines: [first.slice(-width), ...rest], cut: first.length - width };
}

type LineStep =
  | { readonly kind: 'need-more' }
  | { readonly kind: 'line'; readonly text: string; readonly terminator: number; readonly bytes: number }
  | { readonly kind: 'too-long'; readonly bytes: number }
  | { readonly kind: 'interrupted'; readonly bytes: number };

function stepLine(data: Uint8Array, at: number): LineStep {
  const end = Math.min(data.length, at + MAX_LINE_LENGTH + 1);
  for (let i = at; i < end; i++) {
    const byte = data[i] ?? 0;
    if (byte === CR || byte === LF) return { kind: 'line', text: ascii(data.subarray(at, i)), terminator: byte, bytes: i - at + 1 };
    if (!isPrintable(byte)) return { kind: 'interrupted', bytes: i - at };
  }
  if (end - at > MAX_LINE_LENGTH) return { kind: 'too-long', bytes: end - at };
  return { kind: 'need-more' };
}

/** The text of a framed document: CR-separated lines (LF ignored), RTE padding removed. */
function frameText(text: Uint8Array, mode: ScanMode, flag: number | null, bytes: number): DecodedScan {
  for (const byte of text) {
    if (byte !== CR && byte !== LF && !isPrintable(byte)) return bad('bad_bytes', mode, bytes);
  }
  const raw = ascii(text.filter((byte) => byte !== LF)).split('\r');
  // Every line ends in CR, so the last piece is empty; a reader that forgot the last CR loses nothing.
  if (raw.length > 1 && raw[raw.length - 1] === '') raw.pop();
  const lines = raw.map((line) => stripPadding(line));
  // The bottom line of the document is always the last one: missing lines are leading empty ones.
  const firstPresent = lines.findIndex((line) => line.length > 0);
  if (firstPresent === -1) return bad('empty_frame', mode, bytes);
  const present = lines.slice(firstPresent);
  if (present.some((line) => line.length === 0)) return bad('half_document', mode, bytes);
  if (present.length === 1) {
    const only = present[0] ?? '';
    return TAIWAN_ID.test(only) ? { kind: 'barcode', mode, text: only } : bad('half_document', mode, bytes);
  }
  if (present.length > MAX_MRZ_LINES) return bad('too_many_lines', mode, bytes);
  return { kind: 'mrz-lines', mode, lines: present, flag };
}

function stripPadding(line: string): string {
  let end = line.length;
  while (end > 0 && line[end - 1] === RTE_PAD) end--;
  return line.slice(0, end);
}

// ---------------------------------------------------------------------------------------------------
// Encoders: what a reader sends. The simulator speaks through these; tests build bad frames from them.

/** XOR of every byte given (the RTE block from SOH through ETX). */
export function rteBcc(block: Uint8Array): number {
  let bcc = 0;
  for (const byte of block) bcc ^= byte;
  return bcc;
}

/**
 * An RTE block as the reader sends it: always three CR-terminated lines, the bottom line of the document
 * last (a two-line document sends an empty first line), each padded with '_' to 30 or 44 characters.
 */
export function encodeRteFrame(lines: readonly string[], options: { readonly flag?: number } = {}): Uint8Array {
  const width = lines.length === MAX_MRZ_LINES ? RTE_THREE_LINE_WIDTH : RTE_TWO_LINE_WIDTH;
  const padded = lines.map((line) => line.slice(0, width).padEnd(width, RTE_PAD));
  while (padded.length < MAX_MRZ_LINES) padded.unshift('');
  const text = fromAscii(padded.map((line) => `${line}\r`).join(''));
  const length = RTE_HEADER_LENGTH + text.length + 2;
  const block = new Uint8Array(length);
  block.set([SOH, length & 0xff, (length >> 8) & 0xff, OPTICAL_DEVICE, UNSOLICITED, STX, options.flag ?? DEFAULT_RTE_FLAG]);
  block.set(text, RTE_HEADER_LENGTH);
  block[length - 2] = ETX;
  block[length - 1] = rteBcc(block.subarray(0, length - 1));
  return block;
}

/** STX line1 CR line2 CR [line3 CR] ETX. */
export function encodeDeskoFrame(lines: readonly string[]): Uint8Array {
  return concat(concat(Uint8Array.of(STX), fromAscii(lines.map((line) => `${line}\r`).join(''))), Uint8Array.of(ETX));
}

/** Keyboard-line mode: each line and CR, then a blank line. */
export function encodePlainDocument(lines: readonly string[], newline = '\r'): Uint8Array {
  return fromAscii(`${lines.map((line) => `${line}${newline}`).join('')}${newline}`);
}

/** A barcode scanner in keyboard mode: the 10 characters and CR. */
export function encodeTaiwanIdBarcode(id: string): Uint8Array {
  return fromAscii(`${id}\r`);
}

// ---------------------------------------------------------------------------------------------------

function bad(reason: BadFrameReason, mode: ScanMode | null, bytes: number): BadFrame {
  return { kind: 'bad-frame', reason, mode, bytes };
}

function modeOf(first: number): ScanMode | null {
  if (first === SOH) return 'rte';
  if (first === STX) return 'desko';
  return isPrintable(first) ? 'plain' : null;
}

function findFrameStart(data: Uint8Array, from: number, to: number): number {
  for (let i = from; i < to; i++) if (data[i] === SOH || data[i] === STX) return i;
  return -1;
}

function isPrintable(byte: number): boolean {
  return byte >= 0x20 && byte <= 0x7e;
}

/** A byte that can start nothing: not a frame start, not a line terminator, not text. */
function isNoise(byte: number): boolean {
  return byte !== SOH && byte !== STX && byte !== CR && byte !== LF && !isPrintable(byte);
}

function ascii(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return text;
}

function fromAscii(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0x7f;
  return bytes;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b.slice();
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
