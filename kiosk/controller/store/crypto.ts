import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, closeSync, fstatSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { err, ok, type Result } from '../../../shared/result';

/**
 * Personal data at rest: AES-256-GCM under a key kept OUTSIDE the database (a 0600 key file), so a
 * copied database file reveals nothing. One master key; sub-keys for encryption, look-up hashes and the
 * audit chain are derived with HKDF so that no key serves two purposes.
 */
export interface Vault {
  /** `context` is bound as associated data: a ciphertext moved to another row or column fails to open. */
  encrypt(plain: Buffer, context: string): Buffer;
  decrypt(sealed: Buffer, context: string): Buffer;
  encryptJson(value: unknown, context: string): Buffer;
  decryptJson<T>(sealed: Buffer, context: string): T;
  /** Keyed hash for look-ups (ID numbers, staff card numbers): equal inputs, equal hashes; useless without the key. */
  lookupHash(purpose: string, value: string): Buffer;
  /** MAC of one audit row over the previous row's MAC. */
  auditMac(previous: Buffer, payload: string): Buffer;
  /** Identifies the key without revealing it: stored in the database to refuse a wrong key file. */
  readonly fingerprint: string;
}

export type KeyFileError =
  | { readonly kind: 'key_file_unreadable'; readonly message: string }
  | { readonly kind: 'key_file_insecure'; readonly mode: string }
  | { readonly kind: 'key_file_malformed' };

const masterKeyBytes = 32;
const ivBytes = 12;
const tagBytes = 16;
const formatVersion = 1;
const keyFileMode = 0o600;
const keyDirMode = 0o700;

/** Reads the key file, creating it (0600, fresh random key) when it does not exist. */
export function loadOrCreateKeyFile(path: string): Result<Buffer, KeyFileError> {
  let fd: number;
  try {
    mkdirSync(dirname(path), { recursive: true, mode: keyDirMode });
    fd = openSync(path, 'wx', keyFileMode);
    try {
      writeSync(fd, `${randomBytes(masterKeyBytes).toString('hex')}\n`);
    } finally {
      closeSync(fd);
    }
    chmodSync(path, keyFileMode); // the umask may have narrowed it; make it exact
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      return err({ kind: 'key_file_unreadable', message: (error as Error).message });
    }
  }
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    return err({ kind: 'key_file_unreadable', message: (error as Error).message });
  }
  try {
    const mode = fstatSync(fd).mode & 0o777;
    if ((mode & 0o077) !== 0) return err({ kind: 'key_file_insecure', mode: mode.toString(8) });
    const text = readFileSync(fd, 'utf8').trim();
    if (!/^[0-9a-f]{64}$/.test(text)) return err({ kind: 'key_file_malformed' });
    return ok(Buffer.from(text, 'hex'));
  } finally {
    closeSync(fd);
  }
}

function derive(master: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `citizen-card-kiosk/${purpose}`, 32));
}

export function createVault(masterKey: Buffer): Vault {
  const encryptionKey = derive(masterKey, 'encryption');
  const lookupKey = derive(masterKey, 'lookup');
  const auditKey = derive(masterKey, 'audit');
  const fingerprint = createHmac('sha256', derive(masterKey, 'fingerprint')).update('key-check').digest('hex').slice(0, 32);

  const encrypt = (plain: Buffer, context: string): Buffer => {
    const iv = randomBytes(ivBytes);
    const cipher = createCipheriv('aes-256-gcm', encryptionKey, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([Buffer.of(formatVersion), iv, cipher.getAuthTag(), body]);
  };
  const decrypt = (sealed: Buffer, context: string): Buffer => {
    if (sealed.length < 1 + ivBytes + tagBytes || sealed[0] !== formatVersion) throw new Error('sealed value: unknown format');
    const iv = sealed.subarray(1, 1 + ivBytes);
    const tag = sealed.subarray(1 + ivBytes, 1 + ivBytes + tagBytes);
    const decipher = createDecipheriv('aes-256-gcm', encryptionKey, iv);
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(sealed.subarray(1 + ivBytes + tagBytes)), decipher.final()]);
  };
  return {
    encrypt,
    decrypt,
    encryptJson: (value, context) => encrypt(Buffer.from(JSON.stringify(value), 'utf8'), context),
    decryptJson: <T>(sealed: Buffer, context: string) => JSON.parse(decrypt(sealed, context).toString('utf8')) as T,
    lookupHash: (purpose, value) => createHmac('sha256', lookupKey).update(`${purpose}\u0000${value}`).digest(),
    auditMac: (previous, payload) => createHmac('sha256', auditKey).update(previous).update(payload).digest(),
    fingerprint,
  };
}

export function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
