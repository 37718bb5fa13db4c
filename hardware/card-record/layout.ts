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
 *   block 56  e-wallet mirror: balance ‖ transaction counter ‖ wallet MAC (8 bytes, its own: see below)
 *   block 57  record MAC: HMAC-SHA256(card MAC key, "TCMAC" ‖ UID ‖ 52 ‖ 53 ‖ 54 ‖ 58)[0..16]; zero = incomplete
 *   block 58  reserved (zeros, covered by the MAC)
 *
 * Version 2: the wallet is signed apart from the record, in the same block as the values it signs,
 *   wallet MAC = HMAC-SHA256(card MAC key, "TCWAL" ‖ UID ‖ block 52 ‖ block 56[0..8])[0..8],
 * so a top-up changes the card with one block write: no window where two blocks disagree. A write
 * that tears leaves a wallet that does not verify under a record that still does (`wallet_invalid`).
 */
export const formatVersion = 2;
export const recordSectors = [13, 14] as const;
export const headerBlock = 52;
export const detailsBlock = 53;
export const holderBlock = 54;
export const walletBlock = 56;
export const macBlock = 57;
export const reservedBlock = 58;
/** Blocks covered by the record MAC, in MAC order (the wallet has its own MAC). */
export const macCoveredBlocks = [headerBlock, detailsBlock, holderBlock, reservedBlock] as const;
export const recordBlocks = [headerBlock, detailsBlock, holderBlock, walletBlock, macBlock, reservedBlock] as const;
export const macLength = 16;
/** Bytes 8..16 of the wallet block. */
export const walletMacLength = 8;
const walletValuesLength = blockSize - walletMacLength;

const magic = [0x54, 0x43]; // "TC"
const macLabel = new TextEncoder().encode('TCMAC');
const walletMacLabel = new TextEncoder().encode('TCWAL');
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
  readonly wallet: WalletMirror;
}

/** The e-wallet mirror on the chip: the ledger's balance (whole NT dollars) and its transaction counter. */
export interface WalletMirror {
  readonly balance: number;
  readonly transactionCounter: number;
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
  | { readonly kind: 'mac_mismatch'; readonly unverified: CitizenCardRecord; readonly message: string }
  /**
   * The record MAC verifies but the wallet MAC does not: a wallet write that tore, or an edited wallet.
   * `record` is the verified static record (card number, type, dates...); its `wallet` is the block as
   * read and is NOT verified (it may even be out of range): never trust it as a balance.
   */
  | { readonly kind: 'wallet_invalid'; readonly record: CitizenCardRecord; readonly message: string };

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
  const walletInvalid = invalidWallet(record.wallet);
  if (walletInvalid) return err(walletInvalid);

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

  const wallet = walletBlockBytes(header, record.wallet, keys);

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
  const record: CitizenCardRecord = {
    formatVersion,
    cardNumber,
    cardType,
    scheme,
    issuedOn: isoDateFromDays(new DataView(header.buffer, header.byteOffset, blockSize).getUint16(13)),
    expiresOn: isoDateFromDays(new DataView(details.buffer, details.byteOffset, blockSize).getUint16(0)),
    issuingKioskId,
    holderIdHash: Buffer.from(block(holderBlock)).toString('hex'),
    wallet: decodeWalletBlock(block(walletBlock)),
  };
  const expected = computeMac(keys, image);
  if (!timingSafeEqual(expected, mac)) {
    return err({ kind: 'mac_mismatch', unverified: record, message: 'MAC does not verify: forged, edited or copied record' });
  }
  // A record that verifies must also be one we could have written (defends against a future encoder bug).
  const staticReencoded = encodeCardRecord({ ...record, wallet: { balance: 0, transactionCounter: 0 } }, keys);
  if (!staticReencoded.ok) return malformed(staticReencoded.error.kind, staticReencoded.error.message);
  // Byte for byte: bytes the decoder skips (after the kiosk id's NUL, ...) must be the encoder's zeros.
  for (const covered of macCoveredBlocks) {
    if (!timingSafeEqual(staticReencoded.value.get(covered) ?? new Uint8Array(blockSize), block(covered))) {
      return malformed(`block ${covered}`, `block ${covered} holds bytes the encoder never writes`);
    }
  }
  if (!walletMacVerifies(header, block(walletBlock), keys)) {
    return err({ kind: 'wallet_invalid', record, message: 'the wallet MAC does not verify: a torn or edited wallet write' });
  }
  const walletInvalid = invalidWallet(record.wallet);
  if (walletInvalid) return malformed(walletInvalid.field, walletInvalid.message);
  return ok(record);
}

/**
 * The wallet block (56) for the record whose header block (52) is `header`: balance ‖ counter ‖ wallet
 * MAC. What a top-up writes, in one block write, after checking the header is this card's.
 */
export function encodeWalletBlock(header: Uint8Array, wallet: WalletMirror, keys: ChipKeys): Result<Uint8Array, RecordError> {
  if (header.length !== blockSize) return err({ kind: 'truncated', missingBlocks: [headerBlock], message: `block ${headerBlock} missing or short` });
  const invalid = invalidWallet(wallet);
  return invalid ? err(invalid) : ok(walletBlockBytes(header, wallet, keys));
}

/** Balance and counter as stored in a wallet block (not verified: see `walletMacVerifies`). */
export function decodeWalletBlock(block: Uint8Array): WalletMirror {
  const view = new DataView(block.buffer, block.byteOffset, block.byteLength);
  return { balance: view.getUint32(0), transactionCounter: view.getUint32(4) };
}

/** Whether the wallet block's MAC is the one this card's key gives for its values under this header. */
export function walletMacVerifies(header: Uint8Array, wallet: Uint8Array, keys: ChipKeys): boolean {
  if (header.length !== blockSize || wallet.length !== blockSize) return false;
  return timingSafeEqual(computeWalletMac(keys, header, wallet.subarray(0, walletValuesLength)), wallet.subarray(walletValuesLength));
}

function invalidWallet(wallet: WalletMirror): Extract<RecordError, { kind: 'invalid_field' }> | undefined {
  const { balance, transactionCounter } = wallet;
  if (!Number.isInteger(balance) || balance < 0 || balance > walletCap) {
    return { kind: 'invalid_field', field: 'wallet.balance', message: `balance must be a whole number of NT dollars, 0..${walletCap}` };
  }
  if (!Number.isInteger(transactionCounter) || transactionCounter < 0 || transactionCounter > 0xffffffff) {
    return { kind: 'invalid_field', field: 'wallet.transactionCounter', message: 'transaction counter must be a 32-bit unsigned integer' };
  }
  return undefined;
}

function walletBlockBytes(header: Uint8Array, wallet: WalletMirror, keys: ChipKeys): Uint8Array {
  const block = new Uint8Array(blockSize);
  const view = new DataView(block.buffer);
  view.setUint32(0, wallet.balance);
  view.setUint32(4, wallet.transactionCounter);
  block.set(computeWalletMac(keys, header, block.subarray(0, walletValuesLength)), walletValuesLength);
  return block;
}

function computeWalletMac(keys: ChipKeys, header: Uint8Array, values: Uint8Array): Uint8Array {
  const mac = createHmac('sha256', keys.macKey);
  mac.update(walletMacLabel);
  mac.update(keys.uid);
  mac.update(header);
  mac.update(values);
  return new Uint8Array(mac.digest()).slice(0, walletMacLength);
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
