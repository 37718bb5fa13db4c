import { describe, expect, it } from 'vitest';
import {
  applicationAccess,
  classic1kAtr,
  dataBlockPermissions,
  decodeAccessBits,
  encodeAccessBits,
  toHex,
  transportAccess,
  type SectorAccess,
} from '../../../hardware/nfc/mifare';
import fc from 'fast-check';

describe('MIFARE Classic access bits', () => {
  it('encodes the factory conditions as FF 07 80', () => {
    expect(toHex(encodeAccessBits(transportAccess))).toBe('FF0780');
  });

  it('round-trips every combination of conditions', () => {
    const condition = fc.integer({ min: 0, max: 7 });
    fc.assert(
      fc.property(fc.tuple(condition, condition, condition, condition), (access) => {
        expect(decodeAccessBits(encodeAccessBits(access as SectorAccess))).toEqual(access);
      }),
    );
  });

  it('rejects access bytes whose complements do not match', () => {
    const bytes = encodeAccessBits(applicationAccess);
    bytes[0] = (bytes[0] ?? 0) ^ 0x01;
    expect(decodeAccessBits(bytes)).toBeUndefined();
  });

  it('lets only key B write our application blocks', () => {
    expect(dataBlockPermissions(applicationAccess[0], false)).toEqual({ read: 'AB', write: 'B' });
  });
});

describe('storage-card ATR', () => {
  it('is the PC/SC part 3 ATR of a Classic 1K, with TCK 6A', () => {
    expect(toHex(classic1kAtr)).toBe('3B8F8001804F0CA000000306030001000000006A');
  });
});
