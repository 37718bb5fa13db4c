import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deriveChipKeys, holderIdHash } from '../../../hardware/card-record/keys';

/**
 * The key diversification test vector lives in one place: the README a second implementation is written
 * from. This reads its table and checks it twice: the HMAC of each documented message gives the
 * documented value (the byte-by-byte description is right), and keys.ts derives the same values.
 */
const readme = readFileSync(new URL('../../../hardware/card-record/README.md', import.meta.url), 'utf8');

interface Row {
  readonly message: string;
  readonly expected: string;
}

function vectorTable(): Map<string, Row> {
  const start = readme.indexOf('<!-- key-vector:start -->');
  const end = readme.indexOf('<!-- key-vector:end -->');
  if (start < 0 || end < start) throw new Error('no key-vector table in hardware/card-record/README.md');
  const rows = new Map<string, Row>();
  for (const line of readme.slice(start, end).split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    const [name, message, expected] = cells.slice(1, 4);
    if (!name || name === 'name' || name.startsWith('---') || expected === undefined) continue;
    // The first `...` of a cell is its value.
    const code = (cell: string): string => /`([^`]*)`/.exec(cell)?.[1] ?? '';
    rows.set(name, { message: code(message ?? ''), expected: code(expected) });
  }
  return rows;
}

const table = vectorTable();
function row(name: string): Row {
  const found = table.get(name);
  if (!found) throw new Error(`README key vector has no row "${name}"`);
  return found;
}
const bytes = (hex: string): Buffer => Buffer.from(hex, 'hex');
const hmac = (key: Uint8Array, message: Uint8Array): Buffer => createHmac('sha256', key).update(message).digest();

const master = bytes(row('master key').expected);
const uid = bytes(row('UID').expected);
const sectorRows = [13, 14].flatMap((sector) => (['A', 'B'] as const).map((type) => ({ sector, type, name: `sector ${sector} key ${type}` })));

describe('key diversification test vector (hardware/card-record/README.md)', () => {
  it('has every row, with the inputs of the derivation', () => {
    expect(master.length).toBe(16);
    expect(uid.length).toBe(4);
    for (const name of ['card MAC key', 'holder-ID key K', 'holder ID hash', ...sectorRows.map((r) => r.name)]) expect(row(name).message).toMatch(/^([0-9A-F]{2})+$/);
  });

  it('is self-consistent: the HMAC of each documented message gives the documented value', () => {
    for (const name of ['card MAC key', ...sectorRows.map((r) => r.name)]) {
      const { message, expected } = row(name);
      expect({ name, value: hmac(master, bytes(message)).subarray(0, expected.length / 2).toString('hex').toUpperCase() }).toEqual({ name, value: expected });
    }
    const k = hmac(master, bytes(row('holder-ID key K').message));
    const hash = row('holder ID hash');
    expect(hmac(k, bytes(hash.message)).subarray(0, 16).toString('hex').toUpperCase()).toBe(hash.expected);
  });

  it('matches keys.ts', () => {
    const keys = deriveChipKeys(master, uid);
    const hex = (value: Uint8Array | undefined): string => Buffer.from(value ?? []).toString('hex').toUpperCase();
    expect(hex(keys.macKey)).toBe(row('card MAC key').expected);
    for (const { sector, type, name } of sectorRows) {
      const sectorKeys = keys.sectors[sector];
      expect({ name, key: hex(type === 'A' ? sectorKeys?.keyA : sectorKeys?.keyB) }).toEqual({ name, key: row(name).expected });
    }
    // The ID number row gives the number as the kiosk may receive it: with spaces and in lower case.
    expect(holderIdHash(master, ' a123456789 ').toUpperCase()).toBe(row('holder ID hash').expected);
    expect(bytes(row('holder ID hash').message).toString('utf8')).toBe(row('ID number').expected);
  });
});
