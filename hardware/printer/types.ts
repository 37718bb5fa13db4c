import type { Result } from '../../shared/result';

/**
 * The card printer as the kiosk sees it: an Evolis-class YMCKO printer on a serial / USB-CDC line.
 * Every operation returns a Result; the driver runs one command at a time.
 */

/** Card geometry in printer dots: CR80 at 300 dpi, landscape (x along the 85.6 mm edge). */
export const cardWidthDots = 1016;
export const cardHeightDots = 648;

/** Ribbon types the `Pr` command accepts. */
export const ribbonTypes = ['ymcko', 'ymckos', 'ymckok', 'ko', 'kb', 'k'] as const;
export type RibbonType = (typeof ribbonTypes)[number];

export const panelNames = ['y', 'm', 'c', 'k', 'o'] as const;
export type PanelName = (typeof panelNames)[number];

/** Grey levels per dot: 2 = 1 bit, 32 = 5 bits, 64 = 6 bits, 128 = 7 bits. */
export const panelLevels = [2, 32, 64, 128] as const;
export type PanelLevels = (typeof panelLevels)[number];

/**
 * One panel, bit-packed as the printer wants it: 1016 lines × 648 dots, `bitsPerDot(levels)` bits a
 * dot, most significant bit first, lines end to end. Line n is column x = n of the landscape face,
 * dot d is row y = d (top first). At 2 levels bit 1 = ink; at more levels the value is the ink amount.
 */
export interface Panel {
  readonly name: PanelName;
  readonly levels: PanelLevels;
  readonly data: Buffer;
}

export interface CardSide {
  readonly panels: readonly Panel[];
}

export interface PrintJob {
  readonly ribbon: RibbonType;
  readonly front: CardSide;
  readonly back?: CardSide;
}

/** Where the card is, as `Rlr;p` reports it. */
export type CardPosition = 'none' | 'inside' | 'contact-station' | 'contactless-station';

export interface PrinterStatus {
  readonly connected: boolean;
  readonly card: CardPosition | 'unknown';
  /** A card waiting in the exit slot to be taken (`Rse;b`); `unknown` on models without that sensor. */
  readonly output: 'card' | 'empty' | 'unknown';
  readonly cover: 'open' | 'closed' | 'unknown';
  readonly feeder: 'loaded' | 'empty' | 'unknown';
  readonly ribbon: RibbonType | 'unknown';
  /** Prints left on the ribbon (`Rco;I`), null when unknown. */
  readonly printsLeft: number | null;
  /** The ribbon is at its end mark (`Rcr`). */
  readonly ribbonAtEnd: boolean;
  /** When this status was read (ms since epoch, from the injected clock). */
  readonly readAt: number;
}

/** Errors the printer reports itself, by the reply text it sends. */
export type PrinterDeviceError =
  | { readonly kind: 'feeder_empty'; readonly command: string }
  | { readonly kind: 'ribbon_out'; readonly command: string }
  | { readonly kind: 'cover_open'; readonly command: string }
  | { readonly kind: 'jam'; readonly command: string; readonly reply: string }
  | { readonly kind: 'hopper_full'; readonly command: string }
  | { readonly kind: 'need_cleaning'; readonly command: string }
  | { readonly kind: 'head_error'; readonly command: string }
  | { readonly kind: 'unknown_command'; readonly command: string }
  | { readonly kind: 'rejected'; readonly command: string; readonly reply: string };

/** Errors found by the driver itself. */
export type PrinterLinkError =
  | { readonly kind: 'timeout'; readonly command: string; readonly timeout: PrinterTimeoutName }
  | { readonly kind: 'bad_reply'; readonly command: string; readonly reply: string }
  | { readonly kind: 'disconnected'; readonly command?: string }
  | { readonly kind: 'closed' };

export type PrinterError = PrinterDeviceError | PrinterLinkError;
export type PrinterErrorKind = PrinterError['kind'];

/** Named timeouts, in ms. */
export interface PrinterTimeouts {
  /** A status or sensor read (`R…`) or a setting (`P…`). */
  readonly query: number;
  /** Taking a card from the feeder (`Ss`, `Si`). */
  readonly insert: number;
  /** Receiving one panel (`Db`/`Dbc`): the transfer itself plus the reply. */
  readonly panel: number;
  /** Printing a side: `Sv`, or the end of a sequence (`Se`, `Sic`). */
  readonly print: number;
  /** Moving a card (`Sic`, `Se`, `Ser` outside a sequence). */
  readonly move: number;
  /** A bare reply (no terminator) is complete after this much silence. */
  readonly replyQuiet: number;
}
export type PrinterTimeoutName = Exclude<keyof PrinterTimeouts, 'replyQuiet'>;

export const defaultPrinterTimeouts: PrinterTimeouts = {
  query: 3_000,
  insert: 15_000,
  panel: 30_000,
  print: 60_000,
  move: 15_000,
  replyQuiet: 25,
};

export interface PrintReceipt {
  readonly sides: 1 | 2;
  readonly panels: number;
  readonly bytesSent: number;
  /** The card is now at the contactless station, waiting for NFC encoding and then `ejectCard()`. */
  readonly position: 'contactless-station';
}

/**
 * A step of a print job the printer confirmed (its `OK` to the command that does it): the card taken in
 * (`Ss`), a side printed (`Sv` turns the card after the front; `Sic` prints the last side and parks the
 * card at the contactless station), the card ejected (`Se`). The kiosk times them to show progress.
 */
export type PrinterStep = 'insert' | 'print-front' | 'print-back' | 'park' | 'eject';

export interface PrinterEvents {
  connected: [];
  /** A step of the job under way ended, as the printer's reply said. */
  step: [step: PrinterStep];
  disconnected: [reason: string];
  /** A status read while idle that differs from the previous one. */
  status: [status: PrinterStatus];
  /** The line keeps sending bytes that are no reply (true), or is quiet again (false). */
  lineNoise: [noisy: boolean];
}

export interface CardPrinter {
  readonly isConnected: boolean;
  /** Reads every sensor and counter now (queued behind a command in flight). */
  status(): Promise<Result<PrinterStatus, PrinterError>>;
  /** The latest status, from the idle poll or the last `status()`: never waits. */
  lastStatus(): PrinterStatus;
  /** Takes a card from the feeder, prints the job and parks the card at the contactless station. */
  printCard(job: PrintJob): Promise<Result<PrintReceipt, PrinterError>>;
  /**
   * Takes a blank card from the feeder (`Si`) and parks it at the contactless station (`Sic`) without
   * printing: for chip-only work, e.g. encoding pre-printed stock.
   */
  insertToContactless(): Promise<Result<void, PrinterError>>;
  /** Ejects the card to the exit slot (`Se`). */
  ejectCard(): Promise<Result<void, PrinterError>>;
  /** Sends the card to the reject box (`Ser`). */
  rejectCard(): Promise<Result<void, PrinterError>>;
  /** Subscribes to an event; returns the unsubscribe function. */
  on<E extends keyof PrinterEvents>(event: E, listener: (...args: PrinterEvents[E]) => void): () => void;
  close(): Promise<void>;
}
