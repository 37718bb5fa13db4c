import type { Result } from '../../shared/result';
import type { CardSession } from './card-session';

/**
 * What the contactless station reports and does: cards coming and going, and one operation at a time
 * on the card on the reader. It knows blocks, keys and authentication, not what a card application
 * stores (the citizen-card record is `hardware/card-record`). Implemented over nfc-pcsc by driver.ts.
 */
export type CardKind = 'mifare-classic-1k' | 'unsupported';

export interface CardTap {
  /** Hex, upper case (e.g. "04A1B2C3"); empty when an unsupported card gave none. */
  readonly uid: string;
  readonly atr: string;
  readonly kind: CardKind;
}

export type WriteState =
  /** Nothing was written: the chip is as it was. */
  | 'untouched'
  /** Some blocks were written and the MAC was not: the chip reads as `incomplete`. */
  | 'incomplete'
  /** The card left while the MAC was being written: it may or may not verify; read it to know. */
  | 'commit_uncertain'
  /** Everything was written, the final read-back did not finish: read it to know. */
  | 'written_unverified';

/** What a personalisation that stopped half-way had done to the chip. */
export interface WriteReport {
  readonly written: readonly number[];
  readonly notWritten: readonly number[];
  /** The block being written when the card left or fell silent: it may or may not have landed. */
  readonly inFlight: number | null;
  readonly state: WriteState;
}

export type NfcError =
  | { readonly kind: 'no_card'; readonly message: string }
  | { readonly kind: 'unsupported_card'; readonly atr: string; readonly message: string }
  /** The keys were derived for another UID: another card is on the reader now. */
  | { readonly kind: 'wrong_card'; readonly expectedUid: string; readonly actualUid: string; readonly message: string }
  | ({ readonly kind: 'card_removed'; readonly message: string } & WriteReport)
  | { readonly kind: 'auth_failed'; readonly sector: number; readonly message: string }
  | { readonly kind: 'write_verify_failed'; readonly block: number; readonly message: string }
  | { readonly kind: 'command_failed'; readonly command: string; readonly status: number; readonly message: string }
  /** The card (or reader) did not answer `command` within the command timeout; it may still be on the reader. */
  | ({ readonly kind: 'timeout'; readonly command: string; readonly message: string } & WriteReport)
  | { readonly kind: 'reader_unavailable'; readonly message: string };

export interface NfcStationEvents {
  card: [tap: CardTap];
  removed: [tap: CardTap];
  readerAttached: [reader: { readonly name: string }];
  readerDetached: [reader: { readonly name: string }];
  /** A card is on the reader but could not be talked to: more than one card, or a card that does not answer. */
  cardUnreadable: [info: { readonly message: string }];
  /** The unreadable card(s) left the reader (clear the `cardUnreadable` message). */
  unreadableGone: [];
}

export interface NfcStation {
  on<E extends keyof NfcStationEvents>(event: E, listener: (...args: NfcStationEvents[E]) => void): void;
  off<E extends keyof NfcStationEvents>(event: E, listener: (...args: NfcStationEvents[E]) => void): void;
  /** The attached reader's name, if any. */
  readerName(): string | undefined;
  /** The card on the reader now, if any. */
  currentCard(): CardTap | undefined;
  /**
   * Runs `operation` on the MIFARE Classic card on the reader, after every other operation has finished
   * (one command in flight). `uid` is the card the caller's keys were derived for: another card on the
   * reader is `wrong_card`, and nothing is sent to it.
   */
  withCard<T, E>(uid: Uint8Array, operation: (session: CardSession, tap: CardTap) => Promise<Result<T, E>>): Promise<Result<T, E | NfcError>>;
  close(): Promise<void>;
}
