import { err, ok, type Result } from '../../shared/result';
import type { Alignment, PaperState, QrErrorCorrection, Receipt, ReceiptBuildError, ReceiptPrinterDeviceError, ReceiptPrinterStatus } from './types';

/**
 * ESC/POS, the subset a kiosk receipt needs (Epson "ESC/POS Application Programming Guide"; TM-T20,
 * TM-T88IV..VI). Pure: bytes in, bytes out. The simulator parses with the same constants.
 */
export const LF = 0x0a;
export const ESC = 0x1b;
export const GS = 0x1d;
export const FS = 0x1c;
export const DLE = 0x10;
export const EOT = 0x04;

/** ESC @: initialise (clears the buffer's modes, not the receive buffer). */
export const initialise = (): Buffer => Buffer.from([ESC, 0x40]);
/** ESC t n: character code table; 0 = PC437 (USA), whose 0x20..0x7E is ASCII. */
export const selectCodeTable = (table: number): Buffer => Buffer.from([ESC, 0x74, table]);
/** FS .: leave Kanji (Big5 on Taiwanese models) mode, which a Taiwanese model may have on by default. */
export const cancelKanjiMode = (): Buffer => Buffer.from([FS, 0x2e]);
/** FS &: enter Kanji mode (Big5 on Taiwanese models). Not used by the kiosk: see README. */
export const selectKanjiMode = (): Buffer => Buffer.from([FS, 0x26]);

const alignmentCodes: Record<Alignment, number> = { left: 0, center: 1, right: 2 };
/** ESC a n. */
export const align = (alignment: Alignment): Buffer => Buffer.from([ESC, 0x61, alignmentCodes[alignment]]);
/** ESC E n: emphasised (bold) on / off. */
export const bold = (on: boolean): Buffer => Buffer.from([ESC, 0x45, on ? 1 : 0]);
/** GS ! n: width magnification in the high nibble, height in the low, each 0..7 for 1..8 times. */
export const characterSize = (width: number, height: number): Buffer => Buffer.from([GS, 0x21, ((width - 1) << 4) | (height - 1)]);
/** ESC d n: print the buffer and feed n lines. */
export const feedLines = (lines: number): Buffer => Buffer.from([ESC, 0x64, lines]);
/** GS V 65/66 n: feed to the cutter plus n dots, then cut (65 full, 66 partial). */
export const feedAndCut = (cut: 'partial' | 'full', feedDots = 0): Buffer => Buffer.from([GS, 0x56, cut === 'full' ? 65 : 66, feedDots]);

/** GS ( k with cn = 49 (QR Code): pL pH count the bytes after them (cn, fn and the parameters). */
function qrFunction(fn: number, parameters: Uint8Array): Buffer {
  const length = 2 + parameters.length;
  return Buffer.concat([Buffer.from([GS, 0x28, 0x6b, length & 0xff, length >> 8, 0x31, fn]), parameters]);
}
/** fn 65: model; n1 = 49 model 1, 50 model 2, 51 micro QR; n2 = 0. */
export const qrModel2 = (): Buffer => qrFunction(65, Uint8Array.of(50, 0));
/** fn 67: module size in dots, 1..16. */
export const qrModuleSize = (dots: number): Buffer => qrFunction(67, Uint8Array.of(dots));
export const qrErrorCorrectionCodes: Record<QrErrorCorrection, number> = { L: 48, M: 49, Q: 50, H: 51 };
/** fn 69: error correction level. */
export const qrErrorCorrection = (level: QrErrorCorrection): Buffer => qrFunction(69, Uint8Array.of(qrErrorCorrectionCodes[level]));
/** fn 80: store the data in the symbol storage area (m = 48); pL pH = data length + 3. */
export const qrStore = (data: Uint8Array): Buffer => qrFunction(80, Buffer.concat([Uint8Array.of(48), data]));
/** fn 81: print the stored symbol (m = 48). */
export const qrPrint = (): Buffer => qrFunction(81, Uint8Array.of(48));
/** Byte-mode capacity of a version 40 model 2 symbol at each level: more cannot be printed. */
export const qrCapacity: Record<QrErrorCorrection, number> = { L: 2953, M: 2331, Q: 1663, H: 1273 };

/** DLE EOT n: real-time status; 1 printer, 2 offline cause, 3 error cause, 4 roll paper sensor. One byte back. */
export const realTimeStatus = (n: 1 | 2 | 3 | 4): Buffer => Buffer.from([DLE, EOT, n]);
/**
 * GS r 1: paper sensor status, processed in order after everything before it (unlike DLE EOT): its
 * answer says the printer has printed up to here.
 */
export const transmitPaperStatus = (): Buffer => Buffer.from([GS, 0x72, 1]);

const printable = /^[\x20-\x7e]*$/;
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The receipt as the bytes to send: init, ASCII code table, each line, feed, cut. */
export function encodeReceipt(receipt: Receipt): Result<Buffer, ReceiptBuildError> {
  const parts: Buffer[] = [initialise(), cancelKanjiMode(), selectCodeTable(0)];
  for (const [index, line] of receipt.lines.entries()) {
    switch (line.kind) {
      case 'text': {
        const bad = [...line.text].find((char) => !printable.test(char));
        if (bad !== undefined) return err({ kind: 'unprintable_text', line: index, char: bad });
        const width = line.width ?? 1;
        const height = line.height ?? 1;
        if (!inRange(width, 1, 8)) return err({ kind: 'bad_parameter', line: index, parameter: 'width' });
        if (!inRange(height, 1, 8)) return err({ kind: 'bad_parameter', line: index, parameter: 'height' });
        parts.push(align(line.align ?? 'left'), bold(line.bold ?? false), characterSize(width, height), Buffer.from(line.text, 'ascii'), Buffer.of(LF));
        break;
      }
      case 'qr': {
        const moduleSize = line.moduleSize ?? 6;
        const level = line.errorCorrection ?? 'M';
        if (!inRange(moduleSize, 1, 16)) return err({ kind: 'bad_parameter', line: index, parameter: 'moduleSize' });
        const data = Buffer.from(line.data, 'utf8');
        // Control bytes could form DLE EOT n inside the data, which a printer acts on wherever it arrives.
        if (data.length === 0 || /[\x00-\x1f]/.test(line.data)) return err({ kind: 'bad_parameter', line: index, parameter: 'data' });
        // Half a surrogate pair has no UTF-8: it would be stored as U+FFFD, a QR code of other data.
        if (loneSurrogate.test(line.data)) return err({ kind: 'bad_parameter', line: index, parameter: 'data' });
        if (data.length > qrCapacity[level]) return err({ kind: 'qr_too_long', line: index, bytes: data.length, max: qrCapacity[level] });
        parts.push(align(line.align ?? 'center'), qrModel2(), qrModuleSize(moduleSize), qrErrorCorrection(level), qrStore(data), qrPrint());
        break;
      }
      case 'feed':
        if (!inRange(line.lines, 1, 255)) return err({ kind: 'bad_parameter', line: index, parameter: 'lines' });
        parts.push(feedLines(line.lines));
        break;
      default: {
        const unknown: never = line;
        throw new Error(`unknown receipt line ${JSON.stringify(unknown)}`);
      }
    }
  }
  // Back to plain left text, so the next receipt starts clean even without ESC @; then past the cutter.
  parts.push(align('left'), bold(false), characterSize(1, 1), feedLines(3), feedAndCut(receipt.cut ?? 'partial'));
  return ok(Buffer.concat(parts));
}

const inRange = (value: number, min: number, max: number): boolean => Number.isInteger(value) && value >= min && value <= max;

// --- Status bytes -------------------------------------------------------------------------------

/** A DLE EOT reply has bit 1 and bit 4 set, bit 0 and bit 7 clear. */
export const isRealTimeStatusByte = (byte: number): boolean => (byte & 0x93) === 0x12;
/** A GS r reply has bit 4 and bit 7 clear (how a host tells it from a DLE EOT reply). */
export const isPaperStatusReplyByte = (byte: number): boolean => (byte & 0x90) === 0;

export interface PrinterStatusBits {
  readonly offline: boolean;
}
/** DLE EOT 1: bit 3 = offline. */
export const decodePrinterStatus = (byte: number): PrinterStatusBits => ({ offline: (byte & 0x08) !== 0 });

export interface OfflineCauseBits {
  readonly coverOpen: boolean;
  readonly feedButton: boolean;
  readonly stoppedByPaperEnd: boolean;
  readonly error: boolean;
}
/** DLE EOT 2: bit 2 cover open, bit 3 feed button pressed, bit 5 stopped by paper end, bit 6 error. */
export const decodeOfflineCause = (byte: number): OfflineCauseBits => ({
  coverOpen: (byte & 0x04) !== 0,
  feedButton: (byte & 0x08) !== 0,
  stoppedByPaperEnd: (byte & 0x20) !== 0,
  error: (byte & 0x40) !== 0,
});

/** DLE EOT 4: bits 2-3 near end, bits 5-6 paper end (each pair set together). */
export function decodePaperSensor(byte: number): PaperState {
  if ((byte & 0x60) !== 0) return 'out';
  if ((byte & 0x0c) !== 0) return 'near-end';
  return 'ok';
}

/** GS r 1: bits 0-1 near end, bits 2-3 paper end. */
export function decodePaperStatusReply(byte: number): PaperState {
  if ((byte & 0x0c) !== 0) return 'out';
  if ((byte & 0x03) !== 0) return 'near-end';
  return 'ok';
}

export function combineStatus(printer: number, offlineCause: number, paperSensor: number): ReceiptPrinterStatus {
  const cause = decodeOfflineCause(offlineCause);
  return {
    online: !decodePrinterStatus(printer).offline,
    coverOpen: cause.coverOpen,
    paper: decodePaperSensor(paperSensor),
    stoppedByPaperEnd: cause.stoppedByPaperEnd,
    error: cause.error,
  };
}

/** Encoders for the printer side (the simulator): the status bytes a printer in this state sends. */
export const statusByte = {
  printer: (offline: boolean): number => 0x12 | (offline ? 0x08 : 0),
  offlineCause: (bits: { coverOpen: boolean; stoppedByPaperEnd: boolean; error: boolean }): number =>
    0x12 | (bits.coverOpen ? 0x04 : 0) | (bits.stoppedByPaperEnd ? 0x20 : 0) | (bits.error ? 0x40 : 0),
  /** DLE EOT 3: bit 3 autocutter error, bit 5 unrecoverable, bit 6 auto-recoverable. */
  errorCause: (bits: { cutter: boolean }): number => 0x12 | (bits.cutter ? 0x08 : 0),
  paperSensor: (paper: PaperState): number => 0x12 | (paper === 'out' ? 0x6c : paper === 'near-end' ? 0x0c : 0),
  paperStatusReply: (paper: PaperState): number => (paper === 'out' ? 0x0f : paper === 'near-end' ? 0x03 : 0),
};

/** Why a printer in this state cannot print now, or null when it can. The paper comes first: it is the usual cause. */
export function refusalFor(status: ReceiptPrinterStatus): ReceiptPrinterDeviceError | null {
  if (status.paper === 'out' || status.stoppedByPaperEnd) return { kind: 'paper_out', status };
  if (status.coverOpen) return { kind: 'cover_open', status };
  if (status.error) return { kind: 'printer_error', status };
  if (!status.online) return { kind: 'offline', status };
  return null;
}
