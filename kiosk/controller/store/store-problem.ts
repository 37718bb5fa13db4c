import { assertNever } from '../../../shared/result';
import { keyFileProblem } from './crypto';
import type { OpenStoreError, RecordsLost } from './store';

/** What to do about a store that will not open, in words a technician can act on. */
export function storeProblem(error: OpenStoreError, keyFile: string): string {
  switch (error.kind) {
    case 'wrong_key':
      return `${keyFile} is not the key this database was made with: put the right key file back (from the kiosk's key backup)`;
    case 'kiosk_mismatch':
      return `this data belongs to kiosk ${error.storedKioskId}: set KIOSK_ID=${error.storedKioskId} or use another data directory`;
    case 'schema_too_new':
      return `the database was made by a newer version of this software (schema ${error.found}, this one knows ${error.supported}): update the software`;
    case 'invalid_kiosk_id':
      return 'the kiosk id may hold only letters, digits and dashes (KIOSK_ID)';
    case 'records_lost':
      return recordsLostProblem(error);
    case 'key_file_unreadable':
    case 'key_file_insecure':
    case 'key_file_malformed':
      return keyFileProblem('store key', keyFile, error);
    default:
      return assertNever(error);
  }
}

/** The WAL lost its newest commits: what is missing and the two ways to mend it (README "Records lost"). */
export function recordsLostProblem(lost: RecordsLost): string {
  const what = lost.overwritten
    ? `its audit record number ${lost.markSeq} is not the one ${lost.markFile} says was committed (records were lost and others written after them)`
    : `its newest audit record is number ${lost.foundSeq}, but ${lost.markFile} says ${lost.markSeq} were committed (${lost.markSeq - lost.foundSeq} audited change(s) lost)`;
  return (
    `committed records are missing from the database: ${what}, e.g. a cut-off kiosk.sqlite-wal. Put back the database ` +
    'with its complete kiosk.sqlite-wal (from where they were copied) and start again; if they are gone, a supervisor counts the ' +
    'blanks and the cash box, then runs `kioskctl lost-records accept --card <supervisor card>` (see the store README, "Records lost")'
  );
}
