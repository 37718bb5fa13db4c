import {
  blockCount,
  blockSize,
  buildTrailer,
  classic1kAtr,
  dataBlockPermissions,
  decodeAccessBits,
  equalBytes,
  keyLength,
  permits,
  sectorCount,
  sectorOf,
  trailerBlockOf,
  trailerPermissions,
  transportAccess,
  transportKey,
  type KeyType,
  type SectorAccess,
} from './mifare';
import { parseCommand, sw, withStatus } from './protocol/apdu';

/**
 * The card side of the virtual reader+card: answers PC/SC storage-card pseudo-APDUs the way an
 * ACR122U with a MIFARE Classic 1K on it does. Pure state machine, no I/O (the vpcd transport is in
 * simulator.ts). Every failure answers `63 00`, like the reader firmware.
 *
 * A failed authentication halts the card, as a real MF1S50 does (datasheet: any error sends the card
 * back to IDLE/HALT, and only a new selection wakes it; seen with PN532- and ACR122U-class readers):
 * every card command then fails — even with the right key — until `reset()` (power off, reset, a new
 * placement). Loading a key is the reader's own memory and still works.
 */
export type VirtualCardKind = 'classic-1k' | 'iso14443-4-phone';

/** A phone doing host card emulation: ISO 14443-4, random UID per tap, no MIFARE commands. */
export const phoneAtr: Uint8Array = Uint8Array.of(0x3b, 0x80, 0x80, 0x01, 0x01);

export interface VirtualCardModel {
  readonly kind: VirtualCardKind;
  readonly uid: Uint8Array;
  readonly atr: Uint8Array;
  /** Answers one command APDU (response data ‖ SW1 SW2). */
  process(apdu: Uint8Array): Uint8Array;
  /** A copy of the 64 blocks (trailers as stored, keys included). */
  blocks(): Uint8Array[];
  /** Power cycle / reset / card lifted: reader key slots, authentication and a halt are lost, memory stays. */
  reset(): void;
}

interface Authenticated {
  readonly sector: number;
  readonly keyType: KeyType;
}

/** Block 0 of a blank card: UID ‖ BCC ‖ SAK 08 ‖ ATQA 04 00 ‖ manufacturer data. */
function manufacturerBlock(uid: Uint8Array): Uint8Array {
  const block = new Uint8Array(blockSize);
  block.set(uid, 0);
  block[4] = uid.reduce((acc, byte) => acc ^ byte, 0);
  block.set([0x08, 0x04, 0x00], 5);
  block.set([0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69], 8);
  return block;
}

export function blankClassic1k(uid: Uint8Array): Uint8Array[] {
  const memory: Uint8Array[] = [];
  for (let block = 0; block < blockCount; block++) memory.push(new Uint8Array(blockSize));
  memory[0] = manufacturerBlock(uid);
  for (let sector = 0; sector < sectorCount; sector++) {
    memory[trailerBlockOf(sector)] = buildTrailer(transportKey, transportAccess, transportKey);
  }
  return memory;
}

export function createClassic1k(uid: Uint8Array, initial?: readonly Uint8Array[]): VirtualCardModel {
  if (uid.length !== 4) throw new Error('a MIFARE Classic 1K here has a 4-byte UID');
  const memory = (initial ?? blankClassic1k(uid)).map((block) => Uint8Array.from(block));
  const slots: (Uint8Array | undefined)[] = [undefined, undefined];
  let auth: Authenticated | undefined;
  /** A failed authentication put the card to sleep: nothing but a new selection wakes it. */
  let halted = false;

  const trailer = (sector: number): Uint8Array => memory[trailerBlockOf(sector)] ?? new Uint8Array(blockSize);
  const accessOf = (sector: number): SectorAccess => decodeAccessBits(trailer(sector).slice(6, 9)) ?? [7, 7, 7, 7];
  const keyBReadable = (sector: number): boolean => permits(trailerPermissions(accessOf(sector)[3]).keyBRead, 'A');
  const ok = (data: Uint8Array = new Uint8Array()): Uint8Array => withStatus(data, sw.success);
  const fail = (): Uint8Array => withStatus(new Uint8Array(), sw.failure);

  function authenticate(block: number, keyType: KeyType, slot: number): Uint8Array {
    auth = undefined;
    const key = slots[slot];
    // No key in the slot or no such block: the reader refuses before anything reaches the card.
    if (block >= blockCount || !key) return fail();
    const sector = sectorOf(block);
    const stored = keyType === 'A' ? trailer(sector).slice(0, 6) : trailer(sector).slice(10, 16);
    // A readable key B is plain data and cannot authenticate.
    const opens = !(keyType === 'B' && keyBReadable(sector)) && equalBytes(stored, key);
    if (!opens) {
      halted = true;
      return fail();
    }
    auth = { sector, keyType };
    return ok();
  }

  function read(block: number, length: number): Uint8Array {
    if (block >= blockCount || length > blockSize || !auth || auth.sector !== sectorOf(block)) return fail();
    const access = accessOf(auth.sector);
    const stored = memory[block] ?? new Uint8Array(blockSize);
    if (block % 4 === 3) {
      const permissions = trailerPermissions(access[3]);
      const out = new Uint8Array(blockSize); // key A always reads as zeros
      if (permits(permissions.accessRead, auth.keyType)) out.set(stored.slice(6, 10), 6);
      if (permits(permissions.keyBRead, auth.keyType)) out.set(stored.slice(10, 16), 10);
      return ok(out.slice(0, length));
    }
    const condition = block === 0 ? 0b000 : (access[block % 4] ?? 7);
    if (!permits(dataBlockPermissions(condition, keyBReadable(auth.sector)).read, auth.keyType)) return fail();
    return ok(stored.slice(0, length));
  }

  function write(block: number, data: Uint8Array): Uint8Array {
    if (block === 0 || block >= blockCount || !auth || auth.sector !== sectorOf(block)) return fail();
    const access = accessOf(auth.sector);
    if (block % 4 === 3) return writeTrailer(block, data, trailerPermissions(access[3]), auth.keyType);
    if (!permits(dataBlockPermissions(access[block % 4] ?? 7, keyBReadable(auth.sector)).write, auth.keyType)) return fail();
    memory[block] = Uint8Array.from(data);
    return ok();
  }

  function writeTrailer(block: number, data: Uint8Array, permissions: ReturnType<typeof trailerPermissions>, keyType: KeyType): Uint8Array {
    const stored = memory[block] ?? new Uint8Array(blockSize);
    const next = Uint8Array.from(stored);
    const accessChanges = !equalBytes(stored.slice(6, 10), data.slice(6, 10));
    // Refuse inconsistent access bits: a real card would lock the sector for good.
    if (accessChanges && decodeAccessBits(data.slice(6, 9)) === undefined) return fail();
    if (accessChanges && !permits(permissions.accessWrite, keyType)) return fail();
    // Parts the key may not change are kept (datasheet behaviour), the rest is written.
    if (permits(permissions.keyAWrite, keyType)) next.set(data.slice(0, keyLength), 0);
    if (permits(permissions.accessWrite, keyType)) next.set(data.slice(6, 10), 6);
    if (permits(permissions.keyBWrite, keyType)) next.set(data.slice(10, 16), 10);
    memory[block] = next;
    return ok();
  }

  return {
    kind: 'classic-1k',
    uid: Uint8Array.from(uid),
    atr: classic1kAtr,
    blocks: () => memory.map((block) => Uint8Array.from(block)),
    reset() {
      slots[0] = undefined;
      slots[1] = undefined;
      auth = undefined;
      halted = false;
    },
    process(apdu) {
      const command = parseCommand(apdu);
      // A halted card answers nothing: the reader reports the failure.
      if (halted && command.kind !== 'load_key' && command.kind !== 'unsupported') return fail();
      switch (command.kind) {
        case 'get_uid':
          return ok(uid);
        case 'load_key':
          if (command.slot > 1) return fail();
          slots[command.slot] = command.key;
          return ok();
        case 'authenticate':
          return authenticate(command.block, command.keyType, command.slot);
        case 'read':
          return read(command.block, command.length);
        case 'write':
          return write(command.block, command.data);
        case 'unsupported':
          return withStatus(new Uint8Array(), command.status);
      }
    },
  };
}

export function createPhone(random: () => number = Math.random): VirtualCardModel {
  let uid = randomUid(random);
  return {
    kind: 'iso14443-4-phone',
    get uid() {
      return uid;
    },
    atr: phoneAtr,
    blocks: () => [],
    reset() {
      uid = randomUid(random);
    },
    process(apdu) {
      const command = parseCommand(apdu);
      // Phones answer GET UID with a fresh random UID; everything MIFARE is unknown to them.
      if (command.kind === 'get_uid') return withStatus(uid, sw.success);
      return withStatus(new Uint8Array(), command.kind === 'unsupported' ? command.status : sw.notSupported);
    },
  };
}

function randomUid(random: () => number): Uint8Array {
  // Random UIDs of ISO 14443-A start with 0x08.
  return Uint8Array.of(0x08, ...[0, 1, 2].map(() => Math.floor(random() * 256)));
}
