import { createPrivateKey, createPublicKey, generateKeyPairSync, sign as signBytes, verify as verifyBytes, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeReceiptPayload, formatReceipt, parseReceipt, type ReceiptFields, type ReceiptParseError } from '../../../shared/contract/receipt';
import { err, ok, type Result } from '../../../shared/result';
import { loadOrCreateSecretKeyFile, type KeyFileError, type KeyFileFormat } from '../store/crypto';

/**
 * Signs top-up receipts with the kiosk's Ed25519 key (shared/contract/receipt.ts has the text format).
 * The key pair is created on first use: `<dataDir>/keys/receipt-signing.key` (PKCS8 PEM, 0600, created
 * whole or not at all, never replaced) and `receipt-signing.pub` (SPKI PEM, anyone may read it: it is
 * what a citizen's receipt is checked against).
 */

export const receiptKeyFile = (dataDir: string): string => join(dataDir, 'keys', 'receipt-signing.key');
export const receiptPublicKeyFile = (dataDir: string): string => join(dataDir, 'keys', 'receipt-signing.pub');

const ed25519Format: KeyFileFormat<KeyObject> = {
  expected: 'an Ed25519 private key in PKCS8 PEM',
  fresh: () => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString().trim(),
  parse: (text) => {
    try {
      const key = createPrivateKey(text);
      return key.asymmetricKeyType === 'ed25519' ? key : undefined;
    } catch {
      return undefined;
    }
  },
};

export interface ReceiptSigner {
  /** The receipt's text: what the QR code holds. */
  sign(fields: ReceiptFields): string;
  /** SPKI PEM: what `kioskctl receipt verify` checks against by default. */
  readonly publicKeyPem: string;
}

/** The kiosk's signer, its key pair created on first use. */
export function openReceiptSigner(dataDir: string): Result<ReceiptSigner, KeyFileError> {
  const privateKey = loadOrCreateSecretKeyFile(receiptKeyFile(dataDir), ed25519Format);
  if (!privateKey.ok) return privateKey;
  const publicKeyPem = createPublicKey(privateKey.value).export({ type: 'spki', format: 'pem' }).toString();
  const publicFile = receiptPublicKeyFile(dataDir);
  // The public half follows the private key: rewritten when missing or not the key's own.
  if (!existsSync(publicFile) || readFileSync(publicFile, 'utf8') !== publicKeyPem) writeFileSync(publicFile, publicKeyPem, { mode: 0o644 });
  return ok({
    publicKeyPem,
    sign(fields) {
      const payload = encodeReceiptPayload(fields);
      return formatReceipt(payload, signBytes(null, payload, privateKey.value));
    },
  });
}

export type ReceiptVerifyError =
  | ReceiptParseError
  | { readonly kind: 'bad_public_key'; readonly message: string }
  /** Altered, or signed by another key (another kiosk's). */
  | { readonly kind: 'signature_invalid' };

/** The receipt's fields when its signature verifies under `publicKeyPem` (SPKI PEM). */
export function verifyReceipt(text: string, publicKeyPem: string): Result<ReceiptFields, ReceiptVerifyError> {
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey(publicKeyPem);
  } catch (error) {
    return err({ kind: 'bad_public_key', message: (error as Error).message });
  }
  if (publicKey.asymmetricKeyType !== 'ed25519') return err({ kind: 'bad_public_key', message: `an ${publicKey.asymmetricKeyType ?? 'unknown'} key, not Ed25519` });
  const parsed = parseReceipt(text);
  if (!parsed.ok) return parsed;
  const { payload, signature, fields } = parsed.value;
  return verifyBytes(null, payload, publicKey, signature) ? ok(fields) : err({ kind: 'signature_invalid' });
}
