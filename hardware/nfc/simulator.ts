import { connect, type Socket } from 'node:net';
import { toHex } from './mifare';
import { parseCommand, sw, withStatus } from './protocol/apdu';
import { createClassic1k, createPhone, type VirtualCardKind, type VirtualCardModel } from './virtual-card';

/**
 * A virtual card behind the real pcscd: connects to vpcd's TCP port ("card inserted"), answers its
 * framed messages, and closes the socket to leave ("card removed"). vpcd framing (docs/protocols.md):
 * 2-byte big-endian length ‖ payload; 1-byte payloads are control messages (00 power off, 01 power on,
 * 02 reset, 04 get ATR), longer ones are command APDUs answered with R-APDU ‖ SW1 SW2.
 */
export interface VirtualCardFaults {
  /** The card leaves the field on the APDU after this many answered ones (tearing). */
  readonly removeAfterApdus?: number;
  /**
   * 'before-apply' (default): the last APDU never reaches the chip. 'after-apply': the chip executes it
   * (a write lands) but the answer is lost, as when a card is pulled during the reply.
   */
  readonly removalTiming?: 'before-apply' | 'after-apply';
  /** Delay before every APDU answer (a weak coupling, a slow chip). The command is executed first. */
  readonly responseDelayMs?: number;
  /** The delay starts after this many answered APDUs (default 0: every answer is late). */
  readonly delayAfterApdus?: number;
  /**
   * The next N writes store wrong bytes and answer `90 00` (a weak field). Byte 9 of the block is
   * inverted: in a trailer that is the user byte, so keys and access bits still land. `Infinity` = always.
   */
  readonly corruptWrites?: number;
  /** The next N writes are answered `63 00` and store nothing. `Infinity` = always. */
  readonly refuseWrites?: number;
  /** `corruptWrites` / `refuseWrites` count and hit only writes of this block. */
  readonly faultyBlock?: number;
  /**
   * Two cards in the field: the reader cannot power the card up. The card answers vpcd's ATR request
   * with more bytes than an ATR may have (33): vpcd's power-up fails, pcscd marks the slot SWALLOWED,
   * and PC/SC clients see the card present but SCARD_STATE_MUTE, as with a real reader's failed power-up.
   */
  readonly collision?: boolean;
}

export interface InsertVirtualCardOptions {
  /** vpcd TCP port (the reader slot): `startPcscd().vpcdPort`. */
  readonly port: number;
  readonly host?: string;
  /** 4-byte UID; random when absent. */
  readonly uid?: Uint8Array;
  readonly kind?: VirtualCardKind;
  /** Start from this memory (64 blocks) instead of a blank card: a card personalised earlier. */
  readonly blocks?: readonly Uint8Array[];
  readonly faults?: VirtualCardFaults;
}

export interface VirtualCard {
  readonly uid: Uint8Array;
  readonly kind: VirtualCardKind;
  /** True while the card is on the reader. */
  readonly present: boolean;
  /** APDUs answered since the card was last placed. */
  readonly apduCount: number;
  /** The command APDUs received since the card was last placed (hex, in arrival order). */
  apdus(): string[];
  /** Resolves when vpcd has asked for the ATR (pcscd has seen the card). */
  readonly powered: Promise<void>;
  /** Resolves when the card leaves the reader (removed by a test or by a fault). */
  readonly gone: Promise<void>;
  /** A copy of the chip memory (64 blocks), for tests. */
  blocks(): Uint8Array[];
  /** Lifts the card off the reader. */
  remove(): Promise<void>;
  /** Puts the same card (same memory) back on the reader; faults can be changed or cleared. */
  placeAgain(faults?: VirtualCardFaults): Promise<void>;
  /** Changes the faults while the card stays on the reader (write-fault counts start again). */
  setFaults(faults: VirtualCardFaults): void;
}

/** Longer than any ATR (ISO 7816-3: at most 33 bytes), so vpcd's power-up fails: see `collision`. */
const collisionAtr = new Uint8Array(40).fill(0x3b);

const defaultHost = '127.0.0.1';
/** A write APDU is FF D6 00 <block> 10 ‖ 16 data bytes. */
const writeDataOffset = 5;
const corruptedByte = 9;

export async function insertVirtualCard(options: InsertVirtualCardOptions): Promise<VirtualCard> {
  const uid = options.uid ?? randomUid();
  const model: VirtualCardModel =
    (options.kind ?? 'classic-1k') === 'classic-1k' ? createClassic1k(uid, options.blocks) : createPhone();
  const host = options.host ?? defaultHost;
  let faults: VirtualCardFaults = {};
  let corruptLeft = 0;
  let refuseLeft = 0;
  let socket: Socket | undefined;
  let apduCount = 0;
  let received: string[] = [];
  let powered: Promise<void> = Promise.resolve();
  let gone: Promise<void> = Promise.resolve();

  function setFaults(next: VirtualCardFaults): void {
    faults = next;
    corruptLeft = next.corruptWrites ?? 0;
    refuseLeft = next.refuseWrites ?? 0;
  }

  async function place(): Promise<void> {
    model.reset();
    apduCount = 0;
    received = [];
    const s = connect({ host, port: options.port });
    socket = s;
    s.setNoDelay(true);
    let markPowered: () => void = () => {};
    powered = new Promise((resolve) => (markPowered = resolve));
    gone = new Promise((resolve) => s.once('close', () => resolve()));
    s.on('error', () => s.destroy()); // a reset by vpcd is just "gone"
    let pending = Buffer.alloc(0);
    // One message at a time, in order, even with a response delay.
    let chain = Promise.resolve();
    s.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 2) {
        const length = pending.readUInt16BE(0);
        if (pending.length < 2 + length) break;
        const message = new Uint8Array(pending.subarray(2, 2 + length));
        pending = pending.subarray(2 + length);
        chain = chain.then(() => handle(s, message, markPowered));
      }
    });
    await new Promise<void>((resolve, reject) => {
      s.once('connect', () => resolve());
      s.once('error', reject);
    });
  }

  async function handle(s: Socket, message: Uint8Array, markPowered: () => void): Promise<void> {
    if (s.destroyed) return;
    if (message.length === 1) {
      switch (message[0]) {
        case 0x00: // power off
        case 0x01: // power on
        case 0x02: // reset
          model.reset();
          return;
        case 0x04: // get ATR (also vpcd's presence check)
          send(s, faults.collision ? collisionAtr : model.atr);
          markPowered();
          return;
        default:
          return;
      }
    }
    received.push(toHex(message));
    const { removeAfterApdus, removalTiming = 'before-apply', responseDelayMs = 0, delayAfterApdus = 0 } = faults;
    if (removeAfterApdus !== undefined && apduCount >= removeAfterApdus) {
      if (removalTiming === 'after-apply') model.process(message);
      s.destroy();
      return;
    }
    const response = execute(message);
    if (responseDelayMs > 0 && apduCount >= delayAfterApdus) await new Promise((resolve) => setTimeout(resolve, responseDelayMs));
    if (s.destroyed) return;
    apduCount++;
    send(s, response);
  }

  /** The model answers the APDU, unless a write fault takes this write. */
  function execute(apdu: Uint8Array): Uint8Array {
    const command = parseCommand(apdu);
    const hit = command.kind === 'write' && (faults.faultyBlock === undefined || faults.faultyBlock === command.block);
    if (hit && refuseLeft > 0) {
      refuseLeft--;
      return withStatus(new Uint8Array(), sw.failure);
    }
    if (hit && corruptLeft > 0) {
      corruptLeft--;
      const corrupted = Uint8Array.from(apdu);
      corrupted[writeDataOffset + corruptedByte] = (corrupted[writeDataOffset + corruptedByte] ?? 0) ^ 0xff;
      return model.process(corrupted);
    }
    return model.process(apdu);
  }

  function send(s: Socket, payload: Uint8Array): void {
    const frame = Buffer.alloc(2 + payload.length);
    frame.writeUInt16BE(payload.length, 0);
    frame.set(payload, 2);
    s.write(frame);
  }

  async function remove(): Promise<void> {
    const s = socket;
    socket = undefined;
    if (!s) return;
    if (!s.destroyed) s.destroy();
    await gone;
  }

  setFaults(options.faults ?? {});
  await place();
  return {
    get uid() {
      return model.uid;
    },
    kind: model.kind,
    get present() {
      return socket !== undefined && !socket.destroyed;
    },
    get apduCount() {
      return apduCount;
    },
    apdus: () => [...received],
    get powered() {
      return powered;
    },
    get gone() {
      return gone;
    },
    blocks: () => model.blocks(),
    remove,
    async placeAgain(nextFaults?: VirtualCardFaults) {
      await remove();
      setFaults(nextFaults ?? {});
      await place();
    },
    setFaults,
  };
}

function randomUid(): Uint8Array {
  return Uint8Array.from({ length: 4 }, () => Math.floor(Math.random() * 256));
}
