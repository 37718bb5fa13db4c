import type { Result } from '../../shared/result';
import type { NfcError, NfcStation } from '../nfc/types';
import type { ChipKeys } from './keys';
import type { CitizenCardRecord, RecordError } from './layout';

/** What can go wrong writing or reading the citizen-card record: the reader's errors, or the record's own. */
export type CitizenCardError =
  | NfcError
  /** The record to write does not fit the layout. */
  | { readonly kind: 'invalid_record'; readonly error: RecordError; readonly message: string }
  /** What is on the chip does not decode or verify (not personalised, incomplete, forged...). */
  | { readonly kind: 'record_invalid'; readonly error: RecordError; readonly message: string };

/** A top-up's wallet mirror: the ledger's balance and transaction counter for this card number. */
export interface WalletWriteRequest {
  readonly cardNumber: string;
  readonly balance: number;
  readonly counter: number;
}

export interface WalletWritten {
  readonly uid: string;
  readonly cardNumber: string;
  /** What block 56 now holds, read back and compared. */
  readonly balance: number;
  readonly counter: number;
}

/**
 * What can stop a wallet write. `card_removed` / `timeout` carry the write report: `state` 'untouched'
 * (nothing reached the chip: the wallet is as it was) or 'commit_uncertain' (the card left with the
 * write in flight: old, new or torn; read it on the next tap).
 */
export type WalletWriteError =
  | CitizenCardError
  /**
   * The card on the reader (the keys' UID) carries another card number: nothing was written. A card
   * with another UID is the reader's own `wrong_card` (no `reason`).
   */
  | { readonly kind: 'wrong_card'; readonly expectedUid: string; readonly actualUid: string; readonly reason: 'card_number'; readonly message: string }
  /** The wallet block did not read back as written (twice): the chip holds something else; read it to know. */
  | { readonly kind: 'verify_failed'; readonly block: number; readonly message: string };

export interface PersonaliseReport {
  readonly uid: string;
  /** Blocks written and read back equal, in write order. */
  readonly written: readonly number[];
  readonly record: CitizenCardRecord;
}

export interface ReadRecordValue {
  readonly uid: string;
  readonly record: CitizenCardRecord;
  /** Only 'verified' reaches here: a MAC that does not verify is `record_invalid` / `mac_mismatch`. */
  readonly mac: 'verified';
}

/** A contactless station that writes and reads the citizen-card record (`citizenCardStation()` over an `NfcStation`). */
export interface CitizenCardStation extends Omit<NfcStation, 'withCard'> {
  /** Writes the record sector by sector (MAC last), reads everything back and compares. */
  personalise(record: CitizenCardRecord, keys: ChipKeys): Promise<Result<PersonaliseReport, CitizenCardError>>;
  /**
   * A record whose wallet MAC does not verify (a torn wallet write) is `record_invalid` with
   * `error.kind === 'wallet_invalid'`, `error.record` the verified static record (wallet as read).
   */
  readRecord(keys: ChipKeys): Promise<Result<ReadRecordValue, CitizenCardError>>;
  /**
   * In one card session: reads the record (its static part must verify and carry `cardNumber`, else
   * `record_invalid` / `wrong_card`), writes the wallet block (56) with the card's key B, reads it
   * back and compares (`verify_failed`). A torn wallet (`wallet_invalid`) is overwritten.
   */
  writeWallet(keys: ChipKeys, wallet: WalletWriteRequest): Promise<Result<WalletWritten, WalletWriteError>>;
}
