import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openReceiptSigner, receiptKeyFile, receiptPublicKeyFile, verifyReceipt } from '../../../../kiosk/controller/receipt/receipt-signer';
import { encodeReceiptPayload, formatReceipt, fromBase64Url, parseReceipt, toBase64Url, type ReceiptFields } from '../../../../shared/contract/receipt';

const fields: ReceiptFields = { kioskId: 'TY-K01', last4: '0018', amount: 1_500, at: '2026-03-01T09:00:00.000Z', journalId: '0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b' };

function signer(dir: string) {
  const opened = openReceiptSigner(dir);
  if (!opened.ok) throw new Error(opened.error.kind);
  return opened.value;
}

describe('signed receipts', () => {
  let dir: string;
  let other: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'receipt-'));
    other = mkdtempSync(join(tmpdir(), 'receipt-other-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(other, { recursive: true, force: true });
  });

  it('round trip: the text verifies under the kiosk’s public key and gives back the fields', () => {
    const kiosk = signer(dir);
    const text = kiosk.sign(fields);
    expect(text).toMatch(/^TCR1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(verifyReceipt(text, kiosk.publicKeyPem)).toEqual({ ok: true, value: fields });
    const payload = parseReceipt(text);
    expect(payload.ok && JSON.parse(new TextDecoder().decode(payload.value.payload))).toEqual({ k: 'TY-K01', c: '0018', a: 1_500, t: fields.at, j: fields.journalId });
  });

  it('creates the key pair once: private 0600 PKCS8, public SPKI; a second open signs with the same key', () => {
    const first = signer(dir);
    expect(statSync(receiptKeyFile(dir)).mode & 0o777).toBe(0o600);
    expect(readFileSync(receiptKeyFile(dir), 'utf8')).toContain('BEGIN PRIVATE KEY');
    expect(readFileSync(receiptPublicKeyFile(dir), 'utf8')).toBe(first.publicKeyPem);
    expect(first.publicKeyPem).toContain('BEGIN PUBLIC KEY');
    const again = signer(dir);
    expect(again.publicKeyPem).toBe(first.publicKeyPem);
    expect(verifyReceipt(again.sign(fields), first.publicKeyPem).ok).toBe(true);
  });

  it('a changed amount does not verify', () => {
    const kiosk = signer(dir);
    const [, , signature = ''] = kiosk.sign(fields).split('.');
    const forged = formatReceipt(encodeReceiptPayload({ ...fields, amount: 9_500 }), fromBase64Url(signature) ?? new Uint8Array());
    expect(verifyReceipt(forged, kiosk.publicKeyPem)).toEqual({ ok: false, error: { kind: 'signature_invalid' } });
  });

  it('another kiosk’s key does not verify it', () => {
    const text = signer(dir).sign(fields);
    expect(verifyReceipt(text, signer(other).publicKeyPem)).toEqual({ ok: false, error: { kind: 'signature_invalid' } });
  });

  it('a malformed text gives a clear error', () => {
    const kiosk = signer(dir);
    const text = kiosk.sign(fields);
    const [, payload = '', signature = ''] = text.split('.');
    const reason = (candidate: string) => {
      const verified = verifyReceipt(candidate, kiosk.publicKeyPem);
      return verified.ok ? 'ok' : verified.error.kind === 'malformed_receipt' ? `${verified.error.reason}: ${verified.error.message}` : verified.error.kind;
    };
    expect(reason('hello')).toMatch(/^not-a-receipt: not a receipt: expected TCR1\.<payload>\.<signature>/);
    expect(reason(`TCR2.${payload}.${signature}`)).toMatch(/^unknown-version/);
    expect(reason(`TCR1.${payload}!.${signature}`)).toBe('bad-base64: the payload part is not base64url text');
    expect(reason(`TCR1.${payload}.${signature.slice(0, 20)}`)).toMatch(/^bad-signature-length: the signature is 15 bytes/);
    expect(reason(`TCR1.${toBase64Url(new TextEncoder().encode('{"k":1'))}.${signature}`)).toBe('bad-payload: the payload is not JSON text');
    expect(reason(`TCR1.${toBase64Url(new TextEncoder().encode('{"k":"TY-K01","c":"12345","a":1,"t":"x","j":"y"}'))}.${signature}`)).toMatch(/^bad-fields: .*wrong or missing c, t/);
    expect(verifyReceipt(text, 'not a key')).toMatchObject({ ok: false, error: { kind: 'bad_public_key' } });
  });

  it('base64url: every length round-trips; padding and stray bits are refused', () => {
    for (let n = 0; n < 20; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n) & 0xff);
      const text = toBase64Url(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64url'));
      expect(fromBase64Url(text)).toEqual(bytes);
    }
    expect(fromBase64Url('AA==')).toBeNull();
    expect(fromBase64Url('AB')).toBeNull(); // the last character carries bits beyond the byte
    expect(fromBase64Url('A')).toBeNull();
  });
});
