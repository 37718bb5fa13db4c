import { connect, type Socket } from 'node:net';
import type { ChipKeys } from './keys';
import { encodeCardRecord, sectorTrailers, type CitizenCardRecord } from './layout';
import { blankClassic1k, createClassic1k, createPhone, type VirtualCardKind, type VirtualCardModel } from './virtual-card';

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
  /** Delay before every APDU answer (a weak coupling, a slow chip). */
  readonly responseDelayMs?: number;
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
}

const defaultHost = '127.0.0.1';

export async function insertVirtualCard(options: InsertVirtualCardOptions): Promise<VirtualCard> {
  const uid = options.uid ?? randomUid();
  const model: VirtualCardModel =
    (options.kind ?? 'classic-1k') === 'classic-1k' ? createClassic1k(uid, options.blocks) : createPhone();
  const host = options.host ?? defaultHost;
  let faults: VirtualCardFaults = options.faults ?? {};
  let socket: Socket | undefined;
  let apduCount = 0;
  let powered: Promise<void> = Promise.resolve();
  let gone: Promise<void> = Promise.resolve();

  async function place(): Promise<void> {
    model.reset();
    apduCount = 0;
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
        case 0x04: // get ATR
          send(s, model.atr);
          markPowered();
          return;
        default:
          return;
      }
    }
    const { removeAfterApdus, removalTiming = 'before-apply', responseDelayMs = 0 } = faults;
    if (removeAfterApdus !== undefined && apduCount >= removeAfterApdus) {
      if (removalTiming === 'after-apply') model.process(message);
      s.destroy();
      return;
    }
    const response = model.process(message);
    if (responseDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, responseDelayMs));
    if (s.destroyed) return;
    apduCount++;
    send(s, response);
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
      faults = nextFaults ?? {};
      await place();
    },
  };
}

function randomUid(): Uint8Array {
  return Uint8Array.from({ length: 4 }, () => Math.floor(Math.random() * 256));
}

/** Chip memory of a card already personalised with `record` (for dev-panel presets and tests). */
export function personalisedBlocks(uid: Uint8Array, record: CitizenCardRecord, keys: ChipKeys): Uint8Array[] {
  const image = encodeCardRecord(record, keys);
  if (!image.ok) throw new Error(`cannot encode the record: ${image.error.message}`);
  const memory = blankClassic1k(uid);
  for (const [block, data] of [...image.value, ...sectorTrailers(keys)]) memory[block] = Uint8Array.from(data);
  return memory;
}
