import type { parseMrz } from '../../shared/identity/mrz';
import type { TaiwanIdResult } from '../../shared/identity/taiwan-id';

/**
 * The ID document scanner: a serial MRZ reader (3M/Thales RTE framed mode, Desko framed mode or plain
 * "keyboard line" mode) that may also carry a barcode engine for the Taiwan ID card's 1-D barcode.
 * The reader only ever talks: there are no commands to send it.
 */

/** How the bytes reached us: the reader's output mode. */
export type ScanMode = 'rte' | 'desko' | 'plain';

/** The result of `parseMrz` from the identity module, whatever its exact name there. */
export type MrzReadResult = ReturnType<typeof parseMrz>;

/** One document read off the glass: the MRZ as parsed by the identity module, or a Taiwan ID number. */
export type IdDocumentRead =
  | { readonly kind: 'mrz'; readonly mode: ScanMode; readonly mrz: MrzReadResult; readonly lines: readonly string[] }
  | { readonly kind: 'taiwan-id'; readonly mode: ScanMode; readonly id: TaiwanIdResult };

/** Why a run of bytes was not a document. */
export type BadFrameReason =
  /** RTE frame whose block check character does not match. */
  | 'bad_bcc'
  /** RTE frame with a length word out of range. */
  | 'bad_length'
  /** RTE frame without `'O' 'U' STX` after the length word. */
  | 'bad_header'
  /** RTE frame without ETX where its length word says it ends. */
  | 'bad_trailer'
  /** A frame or line cut short by the start of another one (e.g. the document was pulled away). */
  | 'interrupted'
  /** Fewer MRZ lines than any document has, or a missing line in the middle. */
  | 'half_document'
  /** More lines than any MRZ has before the blank line that ends a plain-mode document. */
  | 'too_many_lines'
  /** A plain-mode line that is neither an MRZ line nor a Taiwan ID barcode. */
  | 'unrecognised_line'
  /** A plain-mode line longer than any MRZ line. */
  | 'line_too_long'
  /** A framed document longer than any reader sends. */
  | 'frame_too_long'
  /** Non-printable bytes inside a frame's text. */
  | 'bad_bytes'
  /** A frame whose text holds no line at all. */
  | 'empty_frame'
  /** Bytes that belong to no frame and no line (line noise). */
  | 'noise'
  /** Something was still being received when the line went quiet (or the decoder was flushed). */
  | 'incomplete';

export interface BadFrame {
  readonly kind: 'bad-frame';
  readonly reason: BadFrameReason;
  /** The mode the bytes looked like, when they looked like any. */
  readonly mode: ScanMode | null;
  /** How many bytes were thrown away. */
  readonly bytes: number;
}

/** What the pure decoder produces: raw MRZ lines, a barcode, or a bad frame. */
export type DecodedScan =
  | { readonly kind: 'mrz-lines'; readonly mode: ScanMode; readonly lines: readonly string[]; readonly flag: number | null }
  | { readonly kind: 'barcode'; readonly mode: ScanMode; readonly text: string }
  | BadFrame;

/** A bad frame as the driver reports it: with the running count. */
export interface BadFrameReport extends BadFrame {
  readonly count: number;
}

export type IdScannerStatus =
  | { readonly kind: 'connecting' }
  | { readonly kind: 'connected' }
  | { readonly kind: 'disconnected'; readonly reason: string }
  | { readonly kind: 'closed' };

export interface IdScannerStats {
  readonly documents: number;
  /** Reads of the same document again within the duplicate window (not reported). */
  readonly duplicates: number;
  readonly badFrames: number;
}

export interface IdScannerEvents {
  document: [IdDocumentRead];
  badFrame: [BadFrameReport];
  connected: [];
  disconnected: [reason: string];
  /** The line keeps sending bad frames (true), or is quiet again (false). */
  lineNoise: [noisy: boolean];
}

type Listener<K extends keyof IdScannerEvents> = (...args: IdScannerEvents[K]) => void;

export interface IdScanner {
  readonly status: IdScannerStatus;
  readonly stats: IdScannerStats;
  /** The line keeps sending bad frames: a loose cable, a wrong baud rate, interference. */
  readonly lineNoisy: boolean;
  on<K extends keyof IdScannerEvents>(event: K, listener: Listener<K>): this;
  once<K extends keyof IdScannerEvents>(event: K, listener: Listener<K>): this;
  off<K extends keyof IdScannerEvents>(event: K, listener: Listener<K>): this;
  /** Resolves true once the port is open (it keeps retrying in the background), false if closed first. */
  whenConnected(): Promise<boolean>;
  close(): Promise<void>;
}
