import { createHmac } from 'node:crypto';
import { keyLength, sectorCount } from '../nfc/mifare';

/**
 * Key diversification. The city holds one master key; every card gets its own keys derived from it and
 * the card's UID, so one card's keys (read out of a reader or a stolen card) open no other card.
 *
 *   cardMacKey        = HMAC-SHA256(master, "tycc/v1/mac"    ‖ UID)
 *   sector key A / B  = HMAC-SHA256(master, "tycc/v1/key-A|B" ‖ sector (1 byte) ‖ UID)[0..6]
 *   holder ID hash    = HMAC-SHA256(HMAC-SHA256(master, "tycc/v1/holder-id"), ID number)[0..16]
 *
 * Byte by byte, with a test vector, in README.md ("Key diversification"): change one and the other.
 */
export interface SectorKeys {
  /** Read key: given to readers in the field. */
  readonly keyA: Uint8Array;
  /** Write key: only the kiosk derives it. */
  readonly keyB: Uint8Array;
}

export interface ChipKeys {
  readonly uid: Uint8Array;
  readonly macKey: Uint8Array;
  /** Per sector (index = sector number). */
  readonly sectors: readonly SectorKeys[];
}

export const minimumMasterKeyLength = 16;

const encoder = new TextEncoder();

function hmac(key: Uint8Array, ...parts: Uint8Array[]): Uint8Array {
  const mac = createHmac('sha256', key);
  for (const part of parts) mac.update(part);
  return new Uint8Array(mac.digest());
}

export function deriveChipKeys(masterKey: Uint8Array, uid: Uint8Array): ChipKeys {
  if (masterKey.length < minimumMasterKeyLength) throw new Error(`master key must be at least ${minimumMasterKeyLength} bytes`);
  const sectorKey = (type: 'A' | 'B', sector: number): Uint8Array =>
    hmac(masterKey, encoder.encode(`tycc/v1/key-${type}`), Uint8Array.of(sector), uid).slice(0, keyLength);
  const sectors: SectorKeys[] = [];
  for (let sector = 0; sector < sectorCount; sector++) sectors.push({ keyA: sectorKey('A', sector), keyB: sectorKey('B', sector) });
  return { uid: Uint8Array.from(uid), macKey: hmac(masterKey, encoder.encode('tycc/v1/mac'), uid), sectors };
}

export const holderIdHashLength = 16;

/** The keyed hash stored on the chip instead of the holder's ID number (hex, 32 characters). */
export function holderIdHash(masterKey: Uint8Array, idNumber: string): string {
  const key = hmac(masterKey, encoder.encode('tycc/v1/holder-id'));
  const digest = hmac(key, encoder.encode(idNumber.trim().toUpperCase()));
  return Buffer.from(digest.slice(0, holderIdHashLength)).toString('hex');
}

/** Parses a master key given as hex (CLI flags, environment); undefined when malformed or too short. */
export function parseMasterKey(hex: string): Uint8Array | undefined {
  if (!/^([0-9a-fA-F]{2})+$/.test(hex)) return undefined;
  const bytes = new Uint8Array(Buffer.from(hex, 'hex'));
  return bytes.length >= minimumMasterKeyLength ? bytes : undefined;
}
