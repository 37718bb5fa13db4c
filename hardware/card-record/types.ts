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
  readRecord(keys: ChipKeys): Promise<Result<ReadRecordValue, CitizenCardError>>;
}
