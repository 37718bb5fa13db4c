import { randomBytes } from 'node:crypto';
import { parseMasterKey } from '../../hardware/card-record/keys';
import { keyFileProblem, loadOrCreateSecretKeyFile, type KeyFileFormat } from './store/crypto';

const freshKeyBytes = 32;

const chipMasterKeyFormat: KeyFileFormat<Uint8Array> = {
  expected: 'at least 16 bytes as hex',
  fresh: () => randomBytes(freshKeyBytes).toString('hex'),
  parse: parseMasterKey,
};

/**
 * The city master key from which every card's chip keys and MAC key are diversified. In the field
 * the city installs it (hex, in a 0600 file); a development kiosk makes its own on first start.
 * Same rules as the store key: created atomically with mode 0600, refused (not repaired) when other
 * users may read it. Throws with what is wrong, which file and how to fix it.
 */
export function loadOrCreateChipMasterKey(path: string): Uint8Array {
  const key = loadOrCreateSecretKeyFile(path, chipMasterKeyFormat);
  if (!key.ok) throw new Error(keyFileProblem('chip master key', path, key.error));
  return key.value;
}
