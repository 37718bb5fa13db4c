import { SerialPort } from 'serialport';
import { openPtyCable, plugInto, type CableControls, type PtyCableOptions } from '../serial/pty-cable';
import { DLE, EOT, ESC, FS, GS, LF, qrCapacity, statusByte } from './protocol';
import type { Alignment, PaperState, QrErrorCorrection } from './types';

/**
 * An ESC/POS receipt printer (TM-T20 / TM-T88 class, 80 mm, Font A 48 columns) on the device end of a
 * pty. It parses the byte stream strictly: a sequence it does not know, a parameter out of range or a
 * byte that is no printable ASCII is recorded as a protocol error (never silently printed). It keeps what
 * it printed (text lines with their style, and the QR codes' data), answers DLE EOT with the real status
 * bytes, and can be put into paper-out, cover-open, error and power-off faults: then it prints nothing.
 */

export type PrintedLine =
  | { readonly kind: 'text'; readonly text: string; readonly align: Alignment; readonly bold: boolean; readonly width: number; readonly height: number }
  | { readonly kind: 'qr'; readonly data: string; readonly align: Alignment; readonly moduleSize: number; readonly errorCorrection: QrErrorCorrection };

export interface PrintedReceipt {
  readonly lines: readonly PrintedLine[];
  /** How it was cut; null when the paper ran out before the cut (the receipt is incomplete). */
  readonly cut: 'partial' | 'full' | null;
}

/** The text lines of a receipt, trailing blanks trimmed (QR codes left out). */
export const receiptText = (receipt: PrintedReceipt): string[] =>
  receipt.lines.flatMap((line) => (line.kind === 'text' ? [line.text.trimEnd()] : []));
/** The data of each QR code on a receipt, in order. */
export const receiptQrCodes = (receipt: PrintedReceipt): string[] => receipt.lines.flatMap((line) => (line.kind === 'qr' ? [line.data] : []));

export interface ProtocolError {
  /** Offset in the byte stream since the simulator started. */
  readonly offset: number;
  readonly bytes: string;
  readonly reason: string;
}

export type ReceiptPrinterFault =
  | { readonly kind: 'paper-out' }
  | { readonly kind: 'paper-near-end' }
  /** A new roll: paper ok, and the printer recovers from a paper end. */
  | { readonly kind: 'paper-loaded'; readonly lines?: number }
  | { readonly kind: 'cover-open' }
  | { readonly kind: 'cover-close' }
  /** An autocutter jam: offline with the error bit until cleared. */
  | { readonly kind: 'cutter-jam' }
  | { readonly kind: 'clear-error' }
  /** The printer goes silent (no answer even to DLE EOT). */
  | { readonly kind: 'power-off' }
  | { readonly kind: 'power-on' }
  /** Bytes on the line that answer nothing (XON/XOFF, noise, a late reply). */
  | { readonly kind: 'garbage'; readonly bytes: readonly number[] };

export interface ReceiptPrinterSimulatorState {
  readonly powered: boolean;
  readonly online: boolean;
  readonly paper: PaperState;
  readonly cover: 'open' | 'closed';
  readonly error: boolean;
  /** Lines of paper left on the roll (Infinity: never runs out unless told). */
  readonly paperLines: number;
  readonly receiptsPrinted: number;
  /** Bytes received while offline or powered off, not printed. */
  readonly bytesDropped: number;
}

export interface ReceiptPrinterSimulatorOptions {
  readonly devicePath: string;
  readonly baudRate?: number;
  /** Lines left on the roll (a QR code takes `qrLines`); default: never runs out. */
  readonly paperLines?: number;
  /** The near-end sensor trips below this many lines (default 40). */
  readonly nearEndLines?: number;
}

export interface ReceiptPrinterSimulator {
  receipts(): readonly PrintedReceipt[];
  protocolErrors(): readonly ProtocolError[];
  state(): ReceiptPrinterSimulatorState;
  injectFault(fault: ReceiptPrinterFault): void;
  /** Called after each receipt is cut (or cut short by the paper end); returns the unsubscribe function. */
  onReceipt(listener: (receipt: PrintedReceipt) => void): () => void;
  close(): Promise<void>;
}

export type PluggableReceiptPrinterSimulator = ReceiptPrinterSimulator & CableControls;

const defaultBaudRate = 38400;
/** Font A (12 × 24 dots) on 576 dots of an 80 mm head. */
export const columns = 48;
/** Paper a QR code uses, in text lines (a version 6 symbol at 6 dots a module ≈ 41 lines of 24 dots / 4). */
export const qrLines = 10;

export async function startReceiptPrinterSimulator(options: ReceiptPrinterSimulatorOptions): Promise<ReceiptPrinterSimulator> {
  const line = new PrinterLine(options);
  await line.attach(options.devicePath);
  return line.simulator(() => line.detach());
}

/** A simulator that owns its pty pair, so that `unplug()` really pulls the cable. */
export async function startReceiptPrinterSimulatorOnPty(
  options: Omit<ReceiptPrinterSimulatorOptions, 'devicePath'> & PtyCableOptions = {},
): Promise<PluggableReceiptPrinterSimulator> {
  const cable = await openPtyCable(options.ptyName ?? 'receipt-printer', options.dir);
  const line = new PrinterLine(options);
  return plugInto(cable, line, (close) => line.simulator(close));
}

class PrinterLine {
  private port: SerialPort | undefined;
  readonly printer: EscPosPrinter;

  constructor(private readonly options: Omit<ReceiptPrinterSimulatorOptions, 'devicePath'>) {
    this.printer = new EscPosPrinter(options, (byte) => this.port?.write(Buffer.of(byte)));
  }

  async attach(devicePath: string): Promise<void> {
    const port = new SerialPort({ path: devicePath, baudRate: this.options.baudRate ?? defaultBaudRate, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
    port.on('error', () => {}); // the pty going away is a normal way for this device to end
    port.on('data', (chunk: Buffer) => this.printer.receive(chunk));
    this.port = port;
  }

  async detach(): Promise<void> {
    const port = this.port;
    this.port = undefined;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  simulator(close: () => Promise<void>): ReceiptPrinterSimulator {
    const printer = this.printer;
    return {
      receipts: () => printer.printed,
      protocolErrors: () => printer.errors,
      state: () => printer.state(),
      injectFault: (fault) => printer.injectFault(fault),
      onReceipt: (listener) => {
        printer.listeners.add(listener);
        return () => printer.listeners.delete(listener);
      },
      close,
    };
  }
}

interface Style {
  align: Alignment;
  bold: boolean;
  width: number;
  height: number;
}

const plainStyle = (): Style => ({ align: 'left', bold: false, width: 1, height: 1 });
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const alignments: Record<number, Alignment> = { 0: 'left', 1: 'center', 2: 'right', 48: 'left', 49: 'center', 50: 'right' };
const errorLevels: Record<number, QrErrorCorrection> = { 48: 'L', 49: 'M', 50: 'Q', 51: 'H' };

/** The printer itself: its mechanism, sensors and command interpreter, independent of the line. */
export class EscPosPrinter {
  readonly printed: PrintedReceipt[] = [];
  readonly errors: ProtocolError[] = [];
  readonly listeners = new Set<(receipt: PrintedReceipt) => void>();
  private pending = Buffer.alloc(0);
  /** Offset of `pending[0]` in the whole stream. */
  private offset = 0;
  private powered = true;
  private coverOpen = false;
  private cutterJam = false;
  private paperEnd = false;
  private nearEndFault = false;
  private paperLines: number;
  private readonly nearEndLines: number;
  private bytesDropped = 0;
  private style: Style = plainStyle();
  private codeTable = 0;
  private kanji = false;
  private lineText = '';
  private lineStyle: Style | undefined;
  private lines: PrintedLine[] = [];
  private qr = { model: 50, moduleSize: 3, level: 'L' as QrErrorCorrection, data: null as Buffer | null };

  constructor(options: { readonly paperLines?: number; readonly nearEndLines?: number }, private readonly send: (byte: number) => void) {
    this.paperLines = options.paperLines ?? Infinity;
    this.nearEndLines = options.nearEndLines ?? 40;
  }

  get online(): boolean {
    return this.powered && !this.coverOpen && !this.cutterJam && !this.paperEnd;
  }

  private get paper(): PaperState {
    if (this.paperEnd) return 'out';
    return this.nearEndFault || this.paperLines < this.nearEndLines ? 'near-end' : 'ok';
  }

  state(): ReceiptPrinterSimulatorState {
    return {
      powered: this.powered,
      online: this.online,
      paper: this.paper,
      cover: this.coverOpen ? 'open' : 'closed',
      error: this.cutterJam,
      paperLines: this.paperLines,
      receiptsPrinted: this.printed.length,
      bytesDropped: this.bytesDropped,
    };
  }

  injectFault(fault: ReceiptPrinterFault): void {
    switch (fault.kind) {
      case 'paper-out':
        this.runOutOfPaper();
        break;
      case 'paper-near-end':
        this.nearEndFault = true;
        break;
      case 'paper-loaded':
        this.paperEnd = false;
        this.nearEndFault = false;
        this.paperLines = fault.lines ?? Infinity;
        break;
      case 'cover-open':
        this.coverOpen = true;
        break;
      case 'cover-close':
        this.coverOpen = false;
        break;
      case 'cutter-jam':
        this.cutterJam = true;
        break;
      case 'clear-error':
        this.cutterJam = false;
        break;
      case 'power-off':
        this.powered = false;
        this.pending = Buffer.alloc(0);
        break;
      case 'power-on':
        this.powered = true;
        this.resetModes();
        this.lines = [];
        break;
      case 'garbage':
        for (const byte of fault.bytes) this.send(byte);
        break;
      default: {
        const unknown: never = fault;
        throw new Error(`unknown fault ${JSON.stringify(unknown)}`);
      }
    }
  }

  receive(chunk: Buffer): void {
    if (!this.powered) {
      this.bytesDropped += chunk.length;
      this.offset += chunk.length;
      return;
    }
    this.pending = Buffer.concat([this.pending, chunk]);
    for (;;) {
      const used = this.step(this.pending);
      if (used === 0) break;
      this.pending = this.pending.subarray(used);
      this.offset += used;
    }
  }

  private error(bytes: Uint8Array, reason: string): void {
    this.errors.push({ offset: this.offset, bytes: hex(bytes), reason });
  }

  /**
   * Interprets the command at the start of `bytes`; returns how many bytes it took (0: it needs more).
   * Real-time commands (DLE EOT) are answered even offline; everything else is dropped while offline.
   */
  private step(bytes: Buffer): number {
    if (bytes.length === 0) return 0;
    const first = bytes[0]!;
    if (first === DLE) {
      if (bytes.length < 3) return 0;
      if (bytes[1] === EOT && bytes[2]! >= 1 && bytes[2]! <= 4) {
        this.answerRealTime(bytes[2]!);
        return 3;
      }
      this.error(bytes.subarray(0, 2), 'unknown DLE sequence');
      return 1;
    }
    const length = this.commandLength(bytes);
    if (length === 0) return 0;
    if (!this.online) {
      this.bytesDropped += length;
      return length;
    }
    this.execute(bytes.subarray(0, length));
    return length;
  }

  /** How long the command at the start is (0: not all here yet); an unknown one counts as its prefix. */
  private commandLength(bytes: Buffer): number {
    const first = bytes[0]!;
    if (first !== ESC && first !== GS && first !== FS) return 1;
    if (bytes.length < 2) return 0;
    const second = bytes[1]!;
    const fixed = (n: number): number => (bytes.length < n ? 0 : n);
    if (first === ESC) {
      if (second === 0x40) return 2; // ESC @
      if ([0x74, 0x61, 0x45, 0x64].includes(second)) return fixed(3); // ESC t, a, E, d
      return 2;
    }
    if (first === FS) return 2; // FS &, FS . (others are errors)
    // GS
    if (second === 0x21 || second === 0x72) return fixed(3); // GS !, GS r
    if (second === 0x56) {
      if (bytes.length < 3) return 0;
      return [65, 66, 97, 98, 103, 104].includes(bytes[2]!) ? fixed(4) : 3;
    }
    if (second === 0x28) {
      if (bytes.length < 5) return 0;
      if (bytes[2] !== 0x6b) return 3;
      return fixed(5 + bytes[3]! + bytes[4]! * 256);
    }
    return 2;
  }

  private execute(command: Buffer): void {
    const [first, second, n] = command;
    if (first === LF) return this.endLine();
    if (first === 0x0d) return; // CR: ignored by TM printers on a serial line
    if (first! >= 0x20 && first! <= 0x7e) return this.character(String.fromCharCode(first!));
    if (first === ESC) {
      switch (second) {
        case 0x40:
          return this.resetModes();
        case 0x74:
          if (n !== 0) this.error(command, `code table ${n} (the kiosk prints ASCII with table 0)`);
          this.codeTable = n!;
          return;
        case 0x61: {
          const alignment = alignments[n!];
          if (!alignment) return this.error(command, `ESC a ${n}: no such alignment`);
          // Only honoured at the start of a line: a real printer ignores it elsewhere.
          if (this.lineText !== '') return this.error(command, 'ESC a in the middle of a line (ignored by the printer)');
          this.style.align = alignment;
          return;
        }
        case 0x45:
          this.style.bold = (n! & 1) === 1;
          return;
        case 0x64:
          this.endLine();
          for (let i = 1; i < n!; i++) this.endLine();
          return;
        default:
          return this.error(command, 'unknown ESC sequence');
      }
    }
    if (first === FS) {
      if (second === 0x26) this.kanji = true;
      else if (second === 0x2e) this.kanji = false;
      else this.error(command, 'unknown FS sequence');
      return;
    }
    if (first === GS) {
      switch (second) {
        case 0x21: {
          const width = (n! >> 4) + 1;
          const height = (n! & 0x0f) + 1;
          if (width > 8 || height > 8) return this.error(command, `GS ! ${n}: magnification over 8`);
          this.style.width = width;
          this.style.height = height;
          return;
        }
        case 0x72:
          if (n === 1 || n === 49) this.send(statusByte.paperStatusReply(this.paper));
          else if (n === 2 || n === 50) this.send(0);
          else this.error(command, `GS r ${n}: no such status`);
          return;
        case 0x56:
          if (![0, 1, 48, 49, 65, 66].includes(n!)) return this.error(command, `GS V ${n}: cut mode not supported`);
          return this.cut(n === 0 || n === 48 || n === 65 ? 'full' : 'partial');
        case 0x28:
          if (command[2] !== 0x6b) return this.error(command, 'unknown GS ( sequence');
          return this.qrFunction(command);
        default:
          return this.error(command, 'unknown GS sequence');
      }
    }
    this.error(command, this.kanji ? 'byte outside ASCII (Big5 text is not simulated)' : `byte 0x${first!.toString(16)} is neither a command nor printable ASCII`);
  }

  private qrFunction(command: Buffer): void {
    const declared = command[3]! + command[4]! * 256;
    const body = command.subarray(5);
    const [cn, fn] = body;
    if (declared < 2 || cn !== 0x31) return this.error(command, `GS ( k with cn ${cn}: only QR Code (49) is simulated`);
    const parameters = body.subarray(2);
    const exactly = (count: number): boolean => {
      if (parameters.length === count) return true;
      this.error(command, `GS ( k fn ${fn}: pL pH say ${declared} bytes, the function takes ${count + 2}`);
      return false;
    };
    switch (fn) {
      case 65:
        if (!exactly(2)) return;
        if (![49, 50, 51].includes(parameters[0]!) || parameters[1] !== 0) return this.error(command, 'QR model: n1 must be 49..51 and n2 0');
        this.qr.model = parameters[0]!;
        return;
      case 67:
        if (!exactly(1)) return;
        if (parameters[0]! < 1 || parameters[0]! > 16) return this.error(command, `QR module size ${parameters[0]} out of 1..16`);
        this.qr.moduleSize = parameters[0]!;
        return;
      case 69: {
        if (!exactly(1)) return;
        const level = errorLevels[parameters[0]!];
        if (!level) return this.error(command, `QR error correction ${parameters[0]} out of 48..51`);
        this.qr.level = level;
        return;
      }
      case 80:
        if (parameters.length < 2 || parameters[0] !== 48) return this.error(command, 'QR store: m must be 48 and the data not empty');
        this.qr.data = Buffer.from(parameters.subarray(1));
        return;
      case 81: {
        if (!exactly(1)) return;
        const data = this.qr.data;
        if (!data) return this.error(command, 'QR print with no data stored');
        if (this.qr.model !== 50) return this.error(command, 'QR print: only model 2 is simulated');
        if (data.length > qrCapacity[this.qr.level]) return this.error(command, `QR data of ${data.length} bytes is over the ${this.qr.level} capacity: nothing printed`);
        if (this.lineText !== '') return this.error(command, 'QR print with text in the line buffer: nothing printed');
        this.lines.push({ kind: 'qr', data: data.toString('utf8'), align: this.style.align, moduleSize: this.qr.moduleSize, errorCorrection: this.qr.level });
        this.usePaper(qrLines);
        return;
      }
      default:
        this.error(command, `GS ( k fn ${fn}: not simulated`);
    }
  }

  private answerRealTime(n: number): void {
    switch (n) {
      case 1:
        return this.send(statusByte.printer(!this.online));
      case 2:
        return this.send(statusByte.offlineCause({ coverOpen: this.coverOpen, stoppedByPaperEnd: this.paperEnd, error: this.cutterJam }));
      case 3:
        return this.send(statusByte.errorCause({ cutter: this.cutterJam }));
      default:
        return this.send(statusByte.paperSensor(this.paper));
    }
  }

  private character(char: string): void {
    if (this.codeTable !== 0) this.error(Buffer.from(char), 'text under a code table other than 0');
    this.lineStyle ??= { ...this.style };
    this.lineText += char;
    // Past the right margin the printer wraps (magnified characters take `width` columns).
    if (this.lineText.length * this.lineStyle.width >= columns) this.endLine();
  }

  private endLine(): void {
    if (!this.online) return;
    const style = this.lineStyle ?? this.style;
    this.lines.push({ kind: 'text', text: this.lineText, align: style.align, bold: style.bold, width: style.width, height: style.height });
    this.lineText = '';
    this.lineStyle = undefined;
    this.usePaper(style.height);
  }

  private usePaper(lines: number): void {
    this.paperLines -= lines;
    if (this.paperLines <= 0) {
      this.paperLines = 0;
      this.runOutOfPaper();
    }
  }

  /** The paper end sensor trips: printing stops, and whatever was printed of the receipt is all there is. */
  private runOutOfPaper(): void {
    this.paperEnd = true;
    if (this.lines.length > 0) this.finish(null);
  }

  private cut(cut: 'partial' | 'full'): void {
    if (this.lineText !== '') this.endLine();
    this.finish(cut);
  }

  private finish(cut: PrintedReceipt['cut']): void {
    const receipt: PrintedReceipt = { lines: this.lines, cut };
    this.lines = [];
    this.printed.push(receipt);
    for (const listener of this.listeners) listener(receipt);
  }

  private resetModes(): void {
    this.style = plainStyle();
    this.lineText = '';
    this.lineStyle = undefined;
    this.codeTable = 0;
    this.kanji = false;
    this.qr = { model: 50, moduleSize: 3, level: 'L', data: null };
  }
}
