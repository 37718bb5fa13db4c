import { createHmac, timingSafeEqual } from 'node:crypto';
import { dateFromDaysSinceEpoch, daysSinceEpoch, formatIsoDate, parseIsoDate } from '../../shared/domain/calendar-date';
import { cardTypes, transitSchemes, type CardType, type TransitScheme } from '../../shared/domain/card-types';
import { err, ok, type Result } from '../../shared/result';
import type { ChipKeys } from './keys';
import { applicationAccess, blockSize, buildTrailer, trailerBlockOf } from '../nfc/mifare';

/**
 * The citizen-card application area on a MIFARE Classic 1K chip (see README.md for the map).
 * Pure: bytes in, a verified record out, and back.
 * Sectors 13 and 14 belong to the city; the transit operator's sectors are never touched.
 *
 *   block 52  header: magic "TC", version, card type, scheme, card number (BCD), issue date
 *   block 53  expiry date, issuing kiosk id
 *   block 54  keyed hash of the holder's ID number
 *   block 56  e-wallet balance mirror, transaction counter
 *   block 57  MAC: HMAC-SHA256(card MAC key, "TCMAC" ‖ UID ‖ 52 ‖ 53 ‖ 54 ‖ 56 ‖ 58)[0..16]; zero = incomplete
 *   block 58  reserved (zeros, covered by the MAC)
 */
export const formatVersion = 1;
export const recordSectors = [13, 14] as const;
export const headerBlock = 52;
export const detailsBlock = 53;
export const holderBlock = 54;
export const walletBlock = 56;
export const macBlock = 57;
export const reservedBlock = 58;
/** Blocks covered by the MAC, in MAC order. */
export const macCoveredBlocks = [headerBlock, detailsBlock, holderBlock, walletBlock, reservedBlock] as const;
export const recordBlocks = [headerBlock, detailsBlock, holderBlock, walletBlock, macBlock, reservedBlock] as const;
export const macLength = 16;

const magic = [0x54, 0x43]; // "TC"
const macLabel = new TextEncoder().encode('TCMAC');
const kioskIdLength = 12;
const cardNumberDigits = 16;
const maxDate = '2149-06-06'; // uint16 days since 1970-01-01
export const walletCap = 10_000;

export interface CitizenCardRecord {
  readonly formatVersion: typeof formatVersion;
  /** 16 digits. */
  readonly cardNumber: string;
  readonly cardType: CardType;
  readonly scheme: TransitScheme;
  /** ISO dates, YYYY-MM-DD. */
  readonly issuedOn: string;
  readonly expiresOn: string;
  /** 1..12 printable ASCII characters. */
  readonly issuingKioskId: string;
  /** `holderIdHash()` of the holder's ID number: 32 hex characters. Never the number itself. */
  readonly holderIdHash: string;
  /** Mirror of the ledger's balance (whole NT dollars, 0..10,000) and its transaction counter. */
  readonly wallet: { readonly balance: number; readonly transactionCounter: number };
}

/** Block number → 16 bytes. */
export type CardImage = ReadonlyMap<number, Uint8Array>;

export type RecordError =
  | { readonly kind: 'invalid_field'; readonly field: keyof CitizenCardRecord | 'wallet.balance' | 'wallet.transactionCounter'; readonly message: string }
  | { readonly kind: 'truncated'; readonly missingBlocks: readonly number[]; readonly message: string }
  | { readonly kind: 'not_personalised'; readonly message: string }
  | { readonly kind: 'incomplete'; readonly message: string }
  | { readonly kind: 'unsupported_version'; readonly version: number; readonly message: string }
  | { readonly kind: 'malformed'; readonly field: string; readonly message: string }
  /** Forged, edited or copied to another chip. The unverified content is there for display only. */
  | { readonly kind: 'mac_mismatch'; readonly unverified: CitizenCardRecord; readonly message: string };

/** The data blocks and MAC of a record for this UID (trailers come from `sectorTrailers`). */
export function encodeCardRecord(record: CitizenCardRecord, keys: ChipKeys): Result<CardImage, RecordError> {
  const invalid = (field: Extract<RecordError, { kind: 'invalid_field' }>['field'], message: string) => err({ kind: 'invalid_field' as const, field, message });
  if (record.formatVersion !== formatVersion) return invalid('formatVersion', `only format version ${formatVersion} can be written`);
  if (!new RegExp(`^\\d{${cardNumberDigits}}$`).test(record.cardNumber)) return invalid('cardNumber', `card number must be ${cardNumberDigits} digits`);
  const cardTypeCode = cardTypes.indexOf(record.cardType) + 1;
  if (cardTypeCode === 0) return invalid('cardType', 'unknown card type');
  const schemeCode = transitSchemes.indexOf(record.scheme) + 1;
  if (schemeCode === 0) return invalid('scheme', 'unknown transit scheme');
  const issued = daysFromIsoDate(record.issuedOn);
  if (issued === undefined) return invalid('issuedOn', `issue date must be a date between 1970-01-01 and ${maxDate}`);
  const expires = daysFromIsoDate(record.expiresOn);
  if (expires === undefined) return invalid('expiresOn', `expiry date must be a date between 1970-01-01 and ${maxDate}`);
  if (expires < issued) return invalid('expiresOn', 'expiry date is before the issue date');
  if (!/^[\x21-\x7e]{1,12}$/.test(record.issuingKioskId)) return invalid('issuingKioskId', `kiosk id must be 1..${kioskIdLength} printable ASCII characters`);
  if (!/^[0-9a-f]{32}$/.test(record.holderIdHash)) return invalid('holderIdHash', 'holder ID hash must be 32 lowercase hex characters');
  const { balance, transactionCounter } = record.wallet;
  if (!Number.isInteger(balance) || balance < 0 || balance > walletCap) return invalid('wallet.balance', `balance must be a whole number of NT dollars, 0..${walletCap}`);
  if (!Number.isInteger(transactionCounter) || transactionCounter < 0 || transactionCounter > 0xffffffff) return invalid('wallet.transactionCounter', 'transaction counter must be a 32-bit unsigned integer');

  const header = new Uint8Array(blockSize);
  header.set(magic, 0);
  header[2] = formatVersion;
  header[3] = cardTypeCode;
  header[4] = schemeCode;
  header.set(encodeBcd(record.cardNumber), 5);
  new DataView(header.buffer).setUint16(13, issued);

  const details = new Uint8Array(blockSize);
  new DataView(details.buffer).setUint16(0, expires);
  details.set(new TextEncoder().encode(record.issuingKioskId), 2);

  const holder = new Uint8Array(Buffer.from(record.holderIdHash, 'hex'));

  const wallet = new Uint8Array(blockSize);
  new DataView(wallet.buffer).setUint32(0, balance);
  new DataView(wallet.buffer).setUint32(4, transactionCounter);

  const image = new Map<number, Uint8Array>([
    [headerBlock, header],
    [detailsBlock, details],
    [holderBlock, holder],
    [walletBlock, wallet],
    [reservedBlock, new Uint8Array(blockSize)],
  ]);
  image.set(macBlock, computeMac(keys, image));
  return ok(image);
}

/** The trailers of the record sectors: diversified keys and the application access conditions. */
export function sectorTrailers(keys: ChipKeys): CardImage {
  const trailers = new Map<number, Uint8Array>();
  for (const sector of recordSectors) {
    const sectorKeys = keys.sectors[sector];
    if (!sectorKeys) throw new Error(`no keys for sector ${sector}`);
    trailers.set(trailerBlockOf(sector), buildTrailer(sectorKeys.keyA, applicationAccess, sectorKeys.keyB));
  }
  return trailers;
}

export function decodeCardRecord(image: CardImage, keys: ChipKeys): Result<CitizenCardRecord, RecordError> {
  const missingBlocks = recordBlocks.filter((block) => image.get(block)?.length !== blockSize);
  if (missingBlocks.length > 0) return err({ kind: 'truncated', missingBlocks, message: `blocks ${missingBlocks.join(', ')} missing or short` });
  const block = (n: number): Uint8Array => image.get(n) ?? new Uint8Array(blockSize);
  const header = block(headerBlock);
  const mac = block(macBlock);
  if (header[0] !== magic[0] || header[1] !== magic[1]) {
    return err({ kind: 'not_personalised', message: 'no citizen-card record on this chip' });
  }
  // The MAC is written last and zeroed first: zero means personalisation was interrupted.
  if (mac.every((byte) => byte === 0)) return err({ kind: 'incomplete', message: 'personalisation was interrupted: no MAC' });
  const version = header[2] ?? 0;
  if (version !== formatVersion) return err({ kind: 'unsupported_version', version, message: `record format version ${version} is not supported` });

  const malformed = (field: string, message: string) => err({ kind: 'malformed' as const, field, message });
  const cardType = cardTypes[(header[3] ?? 0) - 1];
  if (!cardType) return malformed('cardType', `unknown card type code ${header[3]}`);
  const scheme = transitSchemes[(header[4] ?? 0) - 1];
  if (!scheme) return malformed('scheme', `unknown scheme code ${header[4]}`);
  const cardNumber = decodeBcd(header.slice(5, 13));
  if (cardNumber === undefined) return malformed('cardNumber', 'card number is not BCD');
  const details = block(detailsBlock);
  const kioskBytes = details.slice(2, 2 + kioskIdLength);
  const kioskEnd = kioskBytes.indexOf(0);
  const issuingKioskId = new TextDecoder().decode(kioskBytes.slice(0, kioskEnd === -1 ? kioskIdLength : kioskEnd));
  const walletView = new DataView(block(walletBlock).buffer, block(walletBlock).byteOffset, blockSize);
  const record: CitizenCardRecord = {
    formatVersion,
    cardNumber,
    cardType,
    scheme,
    issuedOn: isoDateFromDays(new DataView(header.buffer, header.byteOffset, blockSize).getUint16(13)),
    expiresOn: isoDateFromDays(new DataView(details.buffer, details.byteOffset, blockSize).getUint16(0)),
    issuingKioskId,
    holderIdHash: Buffer.from(block(holderBlock)).toString('hex'),
    wallet: { balance: walletView.getUint32(0), transactionCounter: walletView.getUint32(4) },
  };
  const expected = computeMac(keys, image);
  if (!timingSafeEqual(expected, mac)) {
    return err({ kind: 'mac_mismatch', unverified: record, message: 'MAC does not verify: forged, edited or copied record' });
  }
  // A record that verifies must also be one we could have written (defends against a future encoder bug).
  const reencoded = encodeCardRecord(record, keys);
  if (!reencoded.ok) return malformed(reencoded.error.kind, reencoded.error.message);
  return ok(record);
}

function computeMac(keys: ChipKeys, image: CardImage): Uint8Array {
  const mac = createHmac('sha256', keys.macKey);
  mac.update(macLabel);
  mac.update(keys.uid);
  for (const block of macCoveredBlocks) mac.update(image.get(block) ?? new Uint8Array(blockSize));
  return new Uint8Array(mac.digest()).slice(0, macLength);
}

function encodeBcd(digits: string): Uint8Array {
  const bytes = new Uint8Array(digits.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (Number(digits[2 * i]) << 4) | Number(digits[2 * i + 1]);
  return bytes;
}

function decodeBcd(bytes: Uint8Array): string | undefined {
  let digits = '';
  for (const byte of bytes) {
    if (byte >> 4 > 9 || (byte & 0xf) > 9) return undefined;
    digits += `${byte >> 4}${byte & 0xf}`;
  }
  return digits;
}

/** Days since 1970-01-01 of a strict YYYY-MM-DD that fits the chip's uint16; undefined otherwise. */
function daysFromIsoDate(iso: string): number | undefined {
  const date = parseIsoDate(iso);
  if (date === null) return undefined;
  const days = daysSinceEpoch(date);
  return days >= 0 && days <= 0xffff ? days : undefined;
}

function isoDateFromDays(days: number): string {
  return formatIsoDate(dateFromDaysSinceEpoch(days));
}
