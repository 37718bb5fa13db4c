import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { closeSync, existsSync, fchmodSync, fstatSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { assertNever, err, ok, type Result } from '../../../shared/result';

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
  | { readonly kind: 'key_file_malformed'; readonly expected: string };

/** What a key file holds: the store key here, the chip master key in ../chip-master-key.ts. */
export interface KeyFileFormat<T> {
  /** What the file must hold, for the error message ("64 lowercase hex digits (32 bytes)"). */
  readonly expected: string;
  /** A fresh random key as the file's text. */
  fresh(): string;
  /** The key in the file's (trimmed) text, or undefined when it holds none. */
  parse(text: string): T | undefined;
}

const masterKeyBytes = 32;
const ivBytes = 12;
const tagBytes = 16;
const formatVersion = 1;
const keyFileMode = 0o600;
const keyDirMode = 0o700;

const storeKeyFormat: KeyFileFormat<Buffer> = {
  expected: `${masterKeyBytes * 2} lowercase hex digits (${masterKeyBytes} bytes)`,
  fresh: () => randomBytes(masterKeyBytes).toString('hex'),
  parse: (text) => (/^[0-9a-f]{64}$/.test(text) ? Buffer.from(text, 'hex') : undefined),
};

/** Reads the store key file, creating it (0600, fresh random key) when it does not exist. */
export function loadOrCreateKeyFile(path: string): Result<Buffer, KeyFileError> {
  return loadOrCreateSecretKeyFile(path, storeKeyFormat);
}

/**
 * Reads a key file, creating it with a fresh key when it does not exist. A new file appears whole or
 * not at all (written to a temporary file, 0600, synced, then linked into place: unlike a rename, a
 * link never replaces a key another process created meanwhile). A file that others may read or
 * write is refused, not repaired: it may already have been copied, and a silent chmod would hide that.
 */
export function loadOrCreateSecretKeyFile<T>(path: string, format: KeyFileFormat<T>): Result<T, KeyFileError> {
  try {
    createKeyFileIfMissing(path, `${format.fresh()}\n`);
  } catch (error) {
    return err({ kind: 'key_file_unreadable', message: (error as Error).message });
  }
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    return err({ kind: 'key_file_unreadable', message: (error as Error).message });
  }
  try {
    const mode = fstatSync(fd).mode & 0o777;
    if ((mode & 0o077) !== 0) return err({ kind: 'key_file_insecure', mode: mode.toString(8).padStart(4, '0') });
    const key = format.parse(readFileSync(fd, 'utf8').trim());
    return key === undefined ? err({ kind: 'key_file_malformed', expected: format.expected }) : ok(key);
  } finally {
    closeSync(fd);
  }
}

/** One sentence for an operator: what is wrong, with which file, and what to do about it. */
export function keyFileProblem(label: string, path: string, error: KeyFileError): string {
  switch (error.kind) {
    case 'key_file_unreadable':
      return `the ${label} file ${path} cannot be read or created: ${error.message}`;
    case 'key_file_insecure':
      return `the ${label} file ${path} is open to other users (mode ${error.mode}); a key file must be readable by the kiosk's user only: check who may have copied it, then run chmod 600 ${path}`;
    case 'key_file_malformed':
      return `the ${label} file ${path} does not hold a key (expected ${error.expected}): put the right key file back from the key backup`;
    default:
      return assertNever(error);
  }
}

function createKeyFileIfMissing(path: string, text: string): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: keyDirMode });
  if (existsSync(path)) return;
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', keyFileMode);
  try {
    try {
      fchmodSync(fd, keyFileMode); // the umask may have narrowed it; make it exact
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(temp, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error; // another process won: use its key
    }
  } finally {
    rmSync(temp, { force: true });
  }
  const dirFd = openSync(dir, 'r'); // make the new name itself durable
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
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
