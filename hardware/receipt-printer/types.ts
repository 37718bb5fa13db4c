import type { Result } from '../../shared/result';

/**
 * The receipt printer as the kiosk sees it: an ESC/POS 80 mm thermal printer (Epson TM-T20 / TM-T88
 * class) on a serial line. Every operation returns a Result; the driver runs one command at a time.
 */

export type Alignment = 'left' | 'center' | 'right';

/** QR error correction levels (GS ( k fn 69): L 7 %, M 15 %, Q 25 %, H 30 %. */
export type QrErrorCorrection = 'L' | 'M' | 'Q' | 'H';

/** One line (or block) of a receipt, as the kiosk describes it. Text is printable ASCII only (see README). */
export type ReceiptLine =
  | {
      readonly kind: 'text';
      readonly text: string;
      readonly align?: Alignment;
      readonly bold?: boolean;
      /** Character magnification (GS !), 1..8 each way; default 1 × 1. */
      readonly width?: number;
      readonly height?: number;
    }
  | {
      readonly kind: 'qr';
      readonly data: string;
      readonly align?: Alignment;
      /** Module size in dots (GS ( k fn 67), 1..16; default 6 (≈ 0.75 mm a module at 203 dpi). */
      readonly moduleSize?: number;
      /** Default M. */
      readonly errorCorrection?: QrErrorCorrection;
    }
  /** Blank lines (ESC d n). */
  | { readonly kind: 'feed'; readonly lines: number };

export interface Receipt {
  readonly lines: readonly ReceiptLine[];
  /** Default `partial` (a tab holds the receipt, the person tears it off). */
  readonly cut?: 'partial' | 'full';
}

/** Why the builder refused a receipt: the kiosk's own mistake, never sent to the printer. */
export type ReceiptBuildError =
  | { readonly kind: 'unprintable_text'; readonly line: number; readonly char: string }
  | { readonly kind: 'bad_parameter'; readonly line: number; readonly parameter: string }
  | { readonly kind: 'qr_too_long'; readonly line: number; readonly bytes: number; readonly max: number };

export type PaperState = 'ok' | 'near-end' | 'out';

/** The printer's real-time status (DLE EOT 1, 2 and 4), decoded. */
export interface ReceiptPrinterStatus {
  /** DLE EOT 1 bit 3 clear. */
  readonly online: boolean;
  /** DLE EOT 2 bit 2. */
  readonly coverOpen: boolean;
  /** DLE EOT 4: bits 5-6 paper end, bits 2-3 paper near end. */
  readonly paper: PaperState;
  /** DLE EOT 2 bit 5: printing stopped because the paper ran out. */
  readonly stoppedByPaperEnd: boolean;
  /** DLE EOT 2 bit 6: an error (cutter jam, head overheated, mechanical) took the printer offline. */
  readonly error: boolean;
}

/** Errors the printer's status reports. */
export type ReceiptPrinterDeviceError =
  | { readonly kind: 'paper_out'; readonly status: ReceiptPrinterStatus; readonly partial?: boolean }
  | { readonly kind: 'cover_open'; readonly status: ReceiptPrinterStatus; readonly partial?: boolean }
  | { readonly kind: 'printer_error'; readonly status: ReceiptPrinterStatus; readonly partial?: boolean }
  /** Offline for no reason it names (e.g. the feed button held). */
  | { readonly kind: 'offline'; readonly status: ReceiptPrinterStatus; readonly partial?: boolean };

/** Errors found by the driver itself. */
export type ReceiptPrinterLinkError =
  | { readonly kind: 'timeout'; readonly command: string }
  | { readonly kind: 'disconnected'; readonly command?: string }
  | { readonly kind: 'closed' }
  | { readonly kind: 'invalid_receipt'; readonly cause: ReceiptBuildError };

export type ReceiptPrinterError = ReceiptPrinterDeviceError | ReceiptPrinterLinkError;

export interface PrintedReceiptInfo {
  readonly bytesSent: number;
  /** The roll is nearly used up: staff should change it soon (the receipt did print). */
  readonly paperNearEnd: boolean;
}

export interface ReceiptPrinterTimeouts {
  /** One real-time status byte (DLE EOT n). */
  readonly status: number;
  /** A whole receipt: sending it and the in-order GS r reply that follows its cut. */
  readonly print: number;
}

export const defaultReceiptPrinterTimeouts: ReceiptPrinterTimeouts = { status: 1_000, print: 15_000 };

export interface ReceiptPrinter {
  readonly isConnected: boolean;
  /** Reads DLE EOT 1, 2 and 4 now (queued behind a command in flight). */
  status(): Promise<Result<ReceiptPrinterStatus, ReceiptPrinterError>>;
  /**
   * Checks the status first (paper out, cover open, offline: refused as values, nothing sent), sends the
   * receipt and waits until the printer has processed it up to the cut.
   */
  print(receipt: Receipt): Promise<Result<PrintedReceiptInfo, ReceiptPrinterError>>;
  close(): Promise<void>;
}
