import { SerialPort } from 'serialport';
import { openPtyCable, plugInto, type CableControls, type PtyCableOptions } from '../serial/pty-cable';
import { assertNever } from '../../shared/result';
import { encodeDeskoFrame, encodePlainDocument, encodeRteFrame, encodeTaiwanIdBarcode } from './protocol';
import type { ScanMode } from './types';

/**
 * A serial MRZ / barcode reader on the device end of a pty: it sends exactly the bytes a real reader sends
 * when a document is laid on the glass (it takes no commands). Faults are bytes too: `feedRaw` sends
 * anything (noise, a half frame, a frame with a bad BCC), and closing the pty is pulling the cable.
 */
export type SimulatedDocument =
  /** The MRZ lines as printed on the document (2 or 3; damaged ones may be short). `MrzFixture` fits. */
  | { readonly kind?: 'mrz'; readonly lines: readonly string[] }
  /** A Taiwan ID card: its barcode. `TaiwanIdFixture` fits. */
  | { readonly kind: 'taiwan-id'; readonly id: string };

export interface FeedOptions {
  readonly mode?: ScanMode;
  /** RTE only: the flag byte. */
  readonly flag?: number;
  /** Send the bytes in pieces of this size, as a slow reader would (the driver must reassemble them). */
  readonly chunkSize?: number;
}

export interface IdScannerSimulatorOptions {
  readonly devicePath: string;
  /** The reader's output mode (default `rte`); `feed` may override it per document. */
  readonly mode?: ScanMode;
  readonly baudRate?: number;
}

export interface IdScannerSimulator {
  readonly mode: ScanMode;
  /** Lays a document on the glass: the reader sends it in `mode` (a Taiwan ID card: its barcode). */
  feed(document: SimulatedDocument, options?: FeedOptions): Promise<void>;
  feedTaiwanIdBarcode(id: string, options?: Pick<FeedOptions, 'mode' | 'chunkSize'>): Promise<void>;
  feedRaw(bytes: Uint8Array | string): Promise<void>;
  close(): Promise<void>;
}

const defaultBaudRate = 9600;

export async function startIdScannerSimulator(options: IdScannerSimulatorOptions): Promise<IdScannerSimulator> {
  const reader = new ScannerLine(options);
  await reader.attach(options.devicePath);
  return reader.simulator(() => reader.detach());
}

/**
 * A reader whose cable can be pulled and plugged back at the same host path (`hostPath`): while it is
 * unplugged the host's device node is gone and a document fed meanwhile is refused.
 */
export type PluggableIdScannerSimulator = IdScannerSimulator & CableControls;

/**
 * A simulator that owns its pty pair (like the I/O board's `startBoardSimulatorOnPty`), so that
 * unplug() really pulls the cable. `dir` holds the pty links (a temporary folder by default).
 */
export async function startIdScannerSimulatorOnPty(
  options: Omit<IdScannerSimulatorOptions, 'devicePath'> & PtyCableOptions = {},
): Promise<PluggableIdScannerSimulator> {
  const cable = await openPtyCable(options.ptyName ?? 'scanner', options.dir);
  const reader = new ScannerLine(options);
  return plugInto(cable, reader, (close) => reader.simulator(close));
}

/** The reader and the serial port it is wired to, which may come and go (the cable). */
class ScannerLine {
  private port: SerialPort | undefined;
  readonly mode: ScanMode;

  constructor(private readonly options: Omit<IdScannerSimulatorOptions, 'devicePath'>) {
    this.mode = options.mode ?? 'rte';
  }

  async attach(devicePath: string): Promise<void> {
    const port = new SerialPort({ path: devicePath, baudRate: this.options.baudRate ?? defaultBaudRate, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
    port.on('error', () => {}); // the pty going away is a normal way for this device to end
    this.port = port;
  }

  async detach(): Promise<void> {
    const port = this.port;
    this.port = undefined;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  private async write(bytes: Uint8Array, chunkSize?: number): Promise<void> {
    const size = chunkSize && chunkSize > 0 ? chunkSize : bytes.length;
    for (let at = 0; at < bytes.length; at += size) {
      const port = this.port;
      if (!port?.isOpen) throw new Error('id-scanner simulator: port is closed (cable unplugged?)');
      port.write(Buffer.from(bytes.subarray(at, at + size)));
      // Drain between pieces so that they reach the driver as separate reads.
      await new Promise<void>((resolve) => port.drain(() => resolve()));
    }
  }

  simulator(close: () => Promise<void>): IdScannerSimulator {
    const feedTaiwanIdBarcode = (id: string, feedOptions: Pick<FeedOptions, 'mode' | 'chunkSize'> = {}): Promise<void> => {
      // The barcode engine is a keyboard-mode scanner; framed readers wrap it like a one-line document.
      const barcodeMode = feedOptions.mode ?? 'plain';
      const bytes = barcodeMode === 'plain' ? encodeTaiwanIdBarcode(id) : encodeDocument([id], barcodeMode, undefined);
      return this.write(bytes, feedOptions.chunkSize);
    };
    return {
      mode: this.mode,
      feed: (document, feedOptions = {}) => {
        if (document.kind === 'taiwan-id') return feedTaiwanIdBarcode(document.id, feedOptions);
        return this.write(encodeDocument(document.lines, feedOptions.mode ?? this.mode, feedOptions.flag), feedOptions.chunkSize);
      },
      feedTaiwanIdBarcode,
      feedRaw: (bytes) => this.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes),
      close,
    };
  }
}

/** The bytes a reader in `mode` sends for these lines. */
export function encodeDocument(lines: readonly string[], mode: ScanMode, flag: number | undefined): Uint8Array {
  switch (mode) {
    case 'rte':
      return encodeRteFrame(lines, flag === undefined ? {} : { flag });
    case 'desko':
      return encodeDeskoFrame(lines);
    case 'plain':
      return encodePlainDocument(lines);
    default:
      return assertNever(mode);
  }
}
