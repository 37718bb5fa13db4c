import { assertNever } from '../../../shared/result';
import { keyFileProblem } from './crypto';
import type { OpenStoreError } from './store';

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
    case 'key_file_unreadable':
    case 'key_file_insecure':
    case 'key_file_malformed':
      return keyFileProblem('store key', keyFile, error);
    default:
      return assertNever(error);
  }
}
