/**
 * MIFARE Classic 1K memory facts: 16 sectors of 4 blocks of 16 bytes; the last block of each sector is its
 * trailer (key A ‖ access bits ‖ general-purpose byte ‖ key B). Pure functions, shared by the layout, the
 * driver and the virtual card.
 */
export const blockSize = 16;
export const sectorCount = 16;
export const blocksPerSector = 4;
export const blockCount = sectorCount * blocksPerSector;
export const keyLength = 6;

/** Factory (transport) key of blank cards. */
export const transportKey: Uint8Array = Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);

export type KeyType = 'A' | 'B';

export function sectorOf(block: number): number {
  return Math.floor(block / blocksPerSector);
}

export function trailerBlockOf(sector: number): number {
  return sector * blocksPerSector + blocksPerSector - 1;
}

/** Access condition bits (C1 C2 C3) of one block, as a number 0..7 = C1<<2 | C2<<1 | C3. */
export type AccessCondition = number;

/** Access conditions of the 4 blocks of a sector (index 3 = trailer). */
export type SectorAccess = readonly [AccessCondition, AccessCondition, AccessCondition, AccessCondition];

/** Factory conditions: data blocks 000 (key A or B read/write), trailer 001 (key A manages everything). */
export const transportAccess: SectorAccess = [0b000, 0b000, 0b000, 0b001];

/**
 * Our application sectors: data 100 (read A|B, write B only), trailer 011 (keys and access bits written
 * with key B only; key B never readable). Readers in the field hold key A; only the kiosk holds key B.
 */
export const applicationAccess: SectorAccess = [0b100, 0b100, 0b100, 0b011];

/** Access bytes 6..8 of a trailer (byte 9, the general-purpose byte, is separate). */
export function encodeAccessBits(access: SectorAccess): Uint8Array {
  let c1 = 0;
  let c2 = 0;
  let c3 = 0;
  access.forEach((condition, block) => {
    c1 |= ((condition >> 2) & 1) << block;
    c2 |= ((condition >> 1) & 1) << block;
    c3 |= (condition & 1) << block;
  });
  return Uint8Array.from([((~c2 & 0xf) << 4) | (~c1 & 0xf), (c1 << 4) | (~c3 & 0xf), (c3 << 4) | c2]);
}

/** Undefined when the complement bits do not match (a real card would lock such a sector forever). */
export function decodeAccessBits(bytes: Uint8Array): SectorAccess | undefined {
  const [b6 = 0, b7 = 0, b8 = 0] = bytes;
  const c1 = b7 >> 4;
  const c2 = b8 & 0xf;
  const c3 = b8 >> 4;
  if ((b6 & 0xf) !== (~c1 & 0xf) || b6 >> 4 !== (~c2 & 0xf) || (b7 & 0xf) !== (~c3 & 0xf)) return undefined;
  const condition = (block: number): AccessCondition =>
    (((c1 >> block) & 1) << 2) | (((c2 >> block) & 1) << 1) | ((c3 >> block) & 1);
  return [condition(0), condition(1), condition(2), condition(3)];
}

/** Which key types may do something: none, A only, B only, or either. */
export type KeyPermission = 'never' | 'A' | 'B' | 'AB';

export function permits(permission: KeyPermission, key: KeyType): boolean {
  return permission === 'AB' || permission === key;
}

/** Data-block permissions by access condition (MF1S50 datasheet, table 8; value operations left out). */
export function dataBlockPermissions(condition: AccessCondition, keyBReadable: boolean): { read: KeyPermission; write: KeyPermission } {
  // When key B is readable it is data, not a key: only key A grants access.
  const b = (permission: KeyPermission): KeyPermission => {
    if (!keyBReadable) return permission;
    return permission === 'AB' || permission === 'A' ? 'A' : 'never';
  };
  switch (condition) {
    case 0b000:
      return { read: b('AB'), write: b('AB') };
    case 0b010:
    case 0b001:
      return { read: b('AB'), write: 'never' };
    case 0b100:
    case 0b110:
      return { read: b('AB'), write: b('B') };
    case 0b011:
      return { read: b('B'), write: b('B') };
    case 0b101:
      return { read: b('B'), write: 'never' };
    default:
      return { read: 'never', write: 'never' };
  }
}

export interface TrailerPermissions {
  readonly keyAWrite: KeyPermission;
  readonly accessRead: KeyPermission;
  readonly accessWrite: KeyPermission;
  readonly keyBRead: KeyPermission;
  readonly keyBWrite: KeyPermission;
}

/** Trailer permissions by access condition (MF1S50 datasheet, table 7). Key A is never readable. */
export function trailerPermissions(condition: AccessCondition): TrailerPermissions {
  const row = (keyAWrite: KeyPermission, accessRead: KeyPermission, accessWrite: KeyPermission, keyBRead: KeyPermission, keyBWrite: KeyPermission): TrailerPermissions => ({
    keyAWrite,
    accessRead,
    accessWrite,
    keyBRead,
    keyBWrite,
  });
  switch (condition) {
    case 0b000:
      return row('A', 'A', 'never', 'A', 'A');
    case 0b010:
      return row('never', 'A', 'never', 'A', 'never');
    case 0b100:
      return row('B', 'AB', 'never', 'never', 'B');
    case 0b110:
      return row('never', 'AB', 'never', 'never', 'never');
    case 0b001:
      return row('A', 'A', 'A', 'A', 'A');
    case 0b011:
      return row('B', 'AB', 'B', 'never', 'B');
    case 0b101:
      return row('never', 'AB', 'B', 'never', 'never');
    default:
      return row('never', 'AB', 'never', 'never', 'never');
  }
}

/** A trailer block: key A ‖ access bits ‖ general-purpose byte ‖ key B. */
export function buildTrailer(keyA: Uint8Array, access: SectorAccess, keyB: Uint8Array, generalPurpose = 0x69): Uint8Array {
  const trailer = new Uint8Array(blockSize);
  trailer.set(keyA, 0);
  trailer.set(encodeAccessBits(access), 6);
  trailer[9] = generalPurpose;
  trailer.set(keyB, 10);
  return trailer;
}

/** Storage-card ATRs (PC/SC part 3): `3B 8F 80 01 80 4F 0C A0 00 00 03 06 03 <NN NN> 00 00 00 00 <TCK>`. */
export function storageCardAtr(cardName: number): Uint8Array {
  const body = [0x3b, 0x8f, 0x80, 0x01, 0x80, 0x4f, 0x0c, 0xa0, 0x00, 0x00, 0x03, 0x06, 0x03, cardName >> 8, cardName & 0xff, 0, 0, 0, 0];
  // TCK: XOR of every byte after TS.
  const tck = body.slice(1).reduce((acc, byte) => acc ^ byte, 0);
  return Uint8Array.from([...body, tck]);
}

export const classic1kCardName = 0x0001;
export const classic1kAtr: Uint8Array = storageCardAtr(classic1kCardName);

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').toUpperCase();
}
