import { blockSize, keyLength, type KeyType } from '../mifare';

/**
 * PC/SC part 3 pseudo-APDUs for storage cards (ACR122U class readers). Pure: bytes in, bytes out.
 * See docs/protocols.md "NFC reader".
 */
export const sw = {
  success: 0x9000,
  failure: 0x6300,
  notSupported: 0x6a81,
  wrongLength: 0x6700,
  insNotSupported: 0x6d00,
} as const;

export type KeySlot = 0 | 1;

export function getUidApdu(): Uint8Array {
  return Uint8Array.of(0xff, 0xca, 0x00, 0x00, 0x00);
}

export function loadKeyApdu(slot: KeySlot, key: Uint8Array): Uint8Array {
  if (key.length !== keyLength) throw new Error('a MIFARE key is 6 bytes');
  return Uint8Array.of(0xff, 0x82, 0x00, slot, keyLength, ...key);
}

export function authenticateApdu(block: number, keyType: KeyType, slot: KeySlot): Uint8Array {
  return Uint8Array.of(0xff, 0x86, 0x00, 0x00, 0x05, 0x01, 0x00, block, keyType === 'A' ? 0x60 : 0x61, slot);
}

export function readBlockApdu(block: number, length = blockSize): Uint8Array {
  return Uint8Array.of(0xff, 0xb0, 0x00, block, length);
}

export function writeBlockApdu(block: number, data: Uint8Array): Uint8Array {
  if (data.length !== blockSize) throw new Error('a MIFARE Classic block is 16 bytes');
  return Uint8Array.of(0xff, 0xd6, 0x00, block, blockSize, ...data);
}

export interface ResponseApdu {
  readonly data: Uint8Array;
  /** SW1 SW2 as one number, e.g. 0x9000. */
  readonly status: number;
}

/** Undefined when the response is too short to carry a status word. */
export function parseResponse(bytes: Uint8Array): ResponseApdu | undefined {
  if (bytes.length < 2) return undefined;
  const status = ((bytes[bytes.length - 2] ?? 0) << 8) | (bytes[bytes.length - 1] ?? 0);
  return { data: bytes.slice(0, -2), status };
}

export function withStatus(data: Uint8Array, status: number): Uint8Array {
  return Uint8Array.of(...data, status >> 8, status & 0xff);
}

/** What a command APDU asks for, as the virtual card sees it. */
export type StorageCommand =
  | { readonly kind: 'get_uid' }
  | { readonly kind: 'load_key'; readonly slot: number; readonly key: Uint8Array }
  | { readonly kind: 'authenticate'; readonly block: number; readonly keyType: KeyType; readonly slot: number }
  | { readonly kind: 'read'; readonly block: number; readonly length: number }
  | { readonly kind: 'write'; readonly block: number; readonly data: Uint8Array }
  | { readonly kind: 'unsupported'; readonly status: number };

export function parseCommand(apdu: Uint8Array): StorageCommand {
  const [cla, ins, p1, p2, lc] = apdu;
  if (cla !== 0xff) return { kind: 'unsupported', status: sw.insNotSupported };
  switch (ins) {
    case 0xca:
      return p1 === 0x00 ? { kind: 'get_uid' } : { kind: 'unsupported', status: sw.notSupported };
    case 0x82:
      if (lc !== keyLength || apdu.length !== 5 + keyLength) return { kind: 'unsupported', status: sw.wrongLength };
      return { kind: 'load_key', slot: p2 ?? 0, key: apdu.slice(5, 5 + keyLength) };
    case 0x86: {
      if (lc !== 5 || apdu.length !== 10) return { kind: 'unsupported', status: sw.wrongLength };
      const keyCode = apdu[8];
      if (keyCode !== 0x60 && keyCode !== 0x61) return { kind: 'unsupported', status: sw.notSupported };
      return { kind: 'authenticate', block: apdu[7] ?? 0, keyType: keyCode === 0x60 ? 'A' : 'B', slot: apdu[9] ?? 0 };
    }
    case 0xb0:
      return { kind: 'read', block: p2 ?? 0, length: lc === 0 || lc === undefined ? blockSize : lc };
    case 0xd6:
      if (lc !== blockSize || apdu.length !== 5 + blockSize) return { kind: 'unsupported', status: sw.wrongLength };
      return { kind: 'write', block: p2 ?? 0, data: apdu.slice(5) };
    default:
      return { kind: 'unsupported', status: sw.notSupported };
  }
}
