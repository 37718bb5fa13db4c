import { Worker } from 'node:worker_threads';
import { blankClassic1k, type VirtualCardKind } from './virtual-card';
import { VirtualCardMirror } from './virtual-card-mirror';
import type { CardThreadEvent, CardThreadRequest } from './virtual-card-thread';

/**
 * A virtual card behind the real pcscd: connects to vpcd's TCP port ("card inserted"), answers its
 * framed messages, and closes the socket to leave ("card removed").
 *
 * The card is served on a worker thread (virtual-card-thread.ts), never on the caller's thread: a PC/SC
 * client in the same process can block its main thread in native code while a transmit waits for this
 * very card (pcsclite's CardReader holds its mutex during SCardTransmit, and a reader status change
 * handled on the main thread waits for that mutex). A card on the main thread could then never answer:
 * a deadlock no timeout ends. The getters read a shared-memory mirror, so they stay synchronous.
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
   * The card is lifted just as the next write of `block` (of any block when absent) is sent: the write
   * never reaches the chip and gets no answer (a card taken away before the kiosk wrote to it).
   */
  readonly liftBeforeWrite?: WriteTarget;
  /**
   * The next write of `block` (of any block when absent) tears: the chip keeps the first 8 bytes new
   * and the last 8 old, and the card leaves without answering (a card pulled away mid-write).
   */
  readonly tearWrite?: WriteTarget;
  /**
   * Two cards in the field: the reader cannot power the card up. The card answers vpcd's ATR request
   * with more bytes than an ATR may have (33): vpcd's power-up fails, pcscd marks the slot SWALLOWED,
   * and PC/SC clients see the card present but SCARD_STATE_MUTE, as with a real reader's failed power-up.
   */
  readonly collision?: boolean;
}

/** The write a lift or tear fault waits for: of this block, or of any block when `block` is absent. */
export interface WriteTarget {
  readonly block?: number;
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

const defaultHost = '127.0.0.1';
/** How long an idle card thread is kept for the next card (a tap after a lift) before it is ended. */
export const idleThreadLingerMs = 2_000;

interface CardSubscriber {
  event(event: CardThreadEvent): void;
  /** The thread ended (crashed, or killed) while the card was placed; true if a placement took the error. */
  ended(error: Error): boolean;
}

/**
 * The process's card thread. It keeps the process alive while a card is placed (as the card's socket
 * did on the main thread), and is ended once no card has been placed for `idleThreadLingerMs`.
 */
class CardThread {
  private readonly worker = new Worker(new URL('./virtual-card-thread.mjs', import.meta.url), { execArgv: [] });
  /** The cards placed (or being placed) and not gone yet. */
  private readonly placed = new Map<number, CardSubscriber>();
  private linger: NodeJS.Timeout | undefined;
  private failure: Error | undefined;
  ended = false;

  constructor() {
    this.worker.on('message', (event: CardThreadEvent) => this.placed.get(event.card)?.event(event));
    this.worker.on('error', (error) => (this.failure = error));
    this.worker.on('exit', (code) => {
      this.ended = true;
      clearTimeout(this.linger);
      if (current === this) current = undefined;
      const error = this.failure ?? new Error(`the virtual card thread exited (code ${code})`);
      const orphans = [...this.placed.values()];
      this.placed.clear();
      const reported = orphans.map((card) => card.ended(error)).includes(true);
      // A bug in the card thread fails loudly, as it did when the card ran on the main thread.
      if (this.failure && !reported) {
        const failure = this.failure;
        queueMicrotask(() => {
          throw failure;
        });
      }
    });
  }

  hold(card: number, subscriber: CardSubscriber): void {
    clearTimeout(this.linger);
    this.linger = undefined;
    this.placed.set(card, subscriber);
    this.worker.ref();
  }

  release(card: number): void {
    if (!this.placed.delete(card) || this.placed.size > 0 || this.ended) return;
    this.worker.unref();
    this.linger = setTimeout(() => this.end(), idleThreadLingerMs);
    this.linger.unref();
  }

  send(request: CardThreadRequest): void {
    if (!this.ended) this.worker.postMessage(request);
  }

  private end(): void {
    if (this.placed.size > 0) return;
    this.ended = true;
    if (current === this) current = undefined;
    void this.worker.terminate();
  }
}

let current: CardThread | undefined;
let nextCardId = 1;

function cardThread(): CardThread {
  current ??= new CardThread();
  return current;
}

export async function insertVirtualCard(options: InsertVirtualCardOptions): Promise<VirtualCard> {
  const kind = options.kind ?? 'classic-1k';
  const host = options.host ?? defaultHost;
  const id = nextCardId++;
  // The memory the card keeps between placements; a phone makes up a new UID each time.
  const mirror = new VirtualCardMirror();
  if (kind === 'classic-1k') {
    const uid = options.uid ?? randomUid();
    mirror.writeMemory(uid, options.blocks ?? blankClassic1k(uid));
  }
  let thread: CardThread | undefined;
  let epoch = 0;
  let lifted = true;
  let powered: Promise<void> = Promise.resolve();
  let gone: Promise<void> = Promise.resolve();

  function place(faults: VirtualCardFaults): Promise<void> {
    const on = cardThread();
    thread = on;
    const placement = ++epoch;
    let markPowered: () => void = () => {};
    let markGone: () => void = () => {};
    powered = new Promise((resolve) => (markPowered = resolve));
    gone = new Promise((resolve) => (markGone = resolve));
    lifted = false;
    let settled = false;
    const left = (): void => {
      markGone();
      on.release(id);
    };
    return new Promise<void>((resolve, reject) => {
      on.hold(id, {
        event(event) {
          if (event.epoch !== placement) return;
          switch (event.type) {
            case 'placed':
              settled = true;
              resolve();
              return;
            case 'powered':
              markPowered();
              return;
            case 'place-failed':
              settled = true;
              reject(new Error(event.message));
              left();
              return;
            case 'gone':
              left();
              return;
            default:
              event satisfies never;
          }
        },
        ended(error) {
          mirror.writerGone();
          markGone();
          if (settled) return false;
          settled = true;
          reject(error);
          return true;
        },
      });
      on.send({ type: 'place', card: id, epoch: placement, host, port: options.port, kind, mirror: mirror.buffer, faults });
    });
  }

  async function remove(): Promise<void> {
    if (lifted) return;
    lifted = true;
    thread?.send({ type: 'remove', card: id });
    await gone;
  }

  await place(options.faults ?? {});
  return {
    get uid() {
      return mirror.memory().uid;
    },
    kind,
    get present() {
      return !lifted && mirror.present;
    },
    get apduCount() {
      return mirror.apduCount;
    },
    apdus: () => mirror.apdus(),
    get powered() {
      return powered;
    },
    get gone() {
      return gone;
    },
    blocks: () => mirror.memory().blocks,
    remove,
    async placeAgain(nextFaults?: VirtualCardFaults) {
      await remove();
      await place(nextFaults ?? {});
    },
    setFaults(faults: VirtualCardFaults) {
      thread?.send({ type: 'faults', card: id, faults });
    },
  };
}

function randomUid(): Uint8Array {
  return Uint8Array.from({ length: 4 }, () => Math.floor(Math.random() * 256));
}
