import { z } from 'zod';
import { err, ok, type Result } from '../result';

/**
 * The signed top-up receipt as text (the QR code holds it; `kioskctl receipt verify` checks it):
 *   TCR1.<base64url(JSON payload)>.<base64url(Ed25519 signature of the payload bytes)>
 * The payload is `{"k": kiosk id, "c": card last 4, "a": amount (NT$), "t": ISO instant, "j": journal id}`
 * in that order; a receipt of another kind than a top-up adds `"r": kind` last (issue 16: `fee`, a
 * replacement's fee, whose journal id is the card job's id and card the new card's last 4). The signature covers the payload bytes as they stand in the text, so a verifier never
 * re-serialises anything. Pure (no Node): the UI and the controller share it; signing is
 * kiosk/controller/receipt/receipt-signer.ts.
 */

export const receiptVersion = 'TCR1';
const ed25519SignatureBytes = 64;

/** What a receipt is for: a top-up (the first kind: its payload names no kind) or a replacement's fee. */
export const receiptKinds = ['top-up', 'fee'] as const;
export type ReceiptKind = (typeof receiptKinds)[number];

export interface ReceiptFields {
  readonly kioskId: string;
  /** The card number's last 4 digits: never the whole number. */
  readonly last4: string;
  /** Whole NT dollars. */
  readonly amount: number;
  /** ISO instant (UTC), e.g. 2026-03-01T09:00:00.000Z. */
  readonly at: string;
  /** The top-up's journal id (a fee's: its card job's id). */
  readonly journalId: string;
  /** Absent: a top-up. */
  readonly kind?: ReceiptKind;
}

const payloadSchema = z
  .object({
    k: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,31}$/),
    c: z.string().regex(/^\d{4}$/),
    a: z.number().int().nonnegative(),
    t: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/),
    j: z.string().min(1).max(64).regex(/^[A-Za-z0-9-]+$/),
    /** Only for a kind other than a top-up (a top-up's payload stays as it always was). */
    r: z.enum(receiptKinds).exclude(['top-up']).optional(),
  })
  .strict();

export type ReceiptParseError = {
  readonly kind: 'malformed_receipt';
  readonly reason: 'not-a-receipt' | 'unknown-version' | 'bad-base64' | 'bad-payload' | 'bad-fields' | 'bad-signature-length';
  /** One sentence for whoever verifies. */
  readonly message: string;
};

export interface ParsedReceipt {
  readonly fields: ReceiptFields;
  /** The signed bytes, as they stand in the text. */
  readonly payload: Uint8Array;
  readonly signature: Uint8Array;
}

/** The canonical payload bytes of a receipt. Throws on fields no receipt may carry (a programming error). */
export function encodeReceiptPayload(fields: ReceiptFields): Uint8Array {
  const base = { k: fields.kioskId, c: fields.last4, a: fields.amount, t: fields.at, j: fields.journalId };
  const payload = fields.kind === undefined || fields.kind === 'top-up' ? base : { ...base, r: fields.kind };
  const checked = payloadSchema.safeParse(payload);
  if (!checked.success) throw new Error(`receipt fields invalid: ${checked.error.issues.map((issue) => issue.path.join('.')).join(', ')}`);
  return new TextEncoder().encode(JSON.stringify(payload));
}

/** The receipt's text from its payload bytes and their signature. */
export function formatReceipt(payload: Uint8Array, signature: Uint8Array): string {
  return `${receiptVersion}.${toBase64Url(payload)}.${toBase64Url(signature)}`;
}

/** The fields, payload bytes and signature of a receipt's text; says clearly what is wrong with one that is not. */
export function parseReceipt(text: string): Result<ParsedReceipt, ReceiptParseError> {
  const malformed = (reason: ReceiptParseError['reason'], message: string) => err<ReceiptParseError>({ kind: 'malformed_receipt', reason, message });
  const parts = text.trim().split('.');
  if (parts.length !== 3 || parts.some((part) => part.length === 0)) {
    return malformed('not-a-receipt', `not a receipt: expected ${receiptVersion}.<payload>.<signature> (three parts separated by dots), found ${parts.length} part(s)`);
  }
  const [version = '', payloadText = '', signatureText = ''] = parts;
  if (version !== receiptVersion) return malformed('unknown-version', `unknown receipt version "${version.slice(0, 8)}" (this kiosk reads ${receiptVersion})`);
  const payload = fromBase64Url(payloadText);
  if (!payload) return malformed('bad-base64', 'the payload part is not base64url text');
  const signature = fromBase64Url(signatureText);
  if (!signature) return malformed('bad-base64', 'the signature part is not base64url text');
  if (signature.length !== ed25519SignatureBytes) {
    return malformed('bad-signature-length', `the signature is ${signature.length} bytes; an Ed25519 signature is ${ed25519SignatureBytes}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
  } catch {
    return malformed('bad-payload', 'the payload is not JSON text');
  }
  const checked = payloadSchema.safeParse(json);
  if (!checked.success) {
    const fields = [...new Set(checked.error.issues.map((issue) => issue.path.join('.') || 'payload'))].join(', ');
    return malformed('bad-fields', `the payload's fields are not a receipt's (k, c, a, t, j, r): wrong or missing ${fields}`);
  }
  const { k, c, a, t, j, r } = checked.data;
  return ok({ fields: { kioskId: k, last4: c, amount: a, at: t, journalId: j, ...(r ? { kind: r } : {}) }, payload, signature });
}

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** base64url without padding (RFC 4648 §5). */
export function toBase64Url(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i] ?? 0;
    const b1 = bytes[i + 1] ?? 0;
    const b2 = bytes[i + 2] ?? 0;
    const n = (b0 << 16) | (b1 << 8) | b2;
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let c = 0; c < chars; c++) out += alphabet[(n >> (18 - 6 * c)) & 63];
  }
  return out;
}

/** The bytes of base64url text (no padding, no other characters), or null. */
export function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((text.length * 6) / 8));
  let bits = 0;
  let value = 0;
  let index = 0;
  for (const char of text) {
    value = (value << 6) | alphabet.indexOf(char);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[index++] = (value >> bits) & 0xff;
      value &= (1 << bits) - 1; // only the bits not yet written
    }
  }
  // Leftover bits must be zero: one text, one byte string (a changed last character would verify otherwise).
  if (value !== 0) return null;
  return out;
}
