import { connect, type Socket } from 'node:net';
import { parentPort, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { parseCommand, sw, withStatus } from './protocol/apdu';
import { encodeVpcdFrame, VpcdFrameReader } from './protocol/vpcd';
import { blockSize } from './mifare';
import type { VirtualCardFaults, WriteTarget } from './simulator';
import { createClassic1k, createPhone, type VirtualCardKind, type VirtualCardModel } from './virtual-card';
import { VirtualCardMirror } from './virtual-card-mirror';

/**
 * The card thread: serves the virtual cards of a process on vpcd's TCP ports, away from the main thread.
 * The main thread may be blocked in native code waiting on pcscd (pcsclite's reader mutex, held by
 * SCardTransmit while pcscd waits for vpcd, which waits for the card): the card must still answer.
 * simulator.ts is the main-thread side; the card model lives here, its memory is mirrored to the owner.
 *
 * vpcd framing (docs/protocols.md): 2-byte big-endian length ‖ payload; 1-byte payloads are control
 * messages (00 power off, 01 power on, 02 reset, 04 get ATR), longer ones are command APDUs answered
 * with R-APDU ‖ SW1 SW2.
 */
export type CardThreadRequest =
  | {
      readonly type: 'place';
      readonly card: number;
      readonly epoch: number;
      readonly host: string;
      readonly port: number;
      readonly kind: VirtualCardKind;
      /** UID, blocks (the memory the card keeps between placements) and the live view for the owner. */
      readonly mirror: SharedArrayBuffer;
      readonly faults: VirtualCardFaults;
    }
  | { readonly type: 'faults'; readonly card: number; readonly faults: VirtualCardFaults }
  | { readonly type: 'remove'; readonly card: number };

export type CardThreadEvent =
  | { readonly type: 'placed'; readonly card: number; readonly epoch: number }
  | { readonly type: 'place-failed'; readonly card: number; readonly epoch: number; readonly message: string }
  | { readonly type: 'powered'; readonly card: number; readonly epoch: number }
  | { readonly type: 'gone'; readonly card: number; readonly epoch: number };

/** Longer than any ATR (ISO 7816-3: at most 33 bytes), so vpcd's power-up fails: see `collision`. */
const collisionAtr = new Uint8Array(40).fill(0x3b);
/** A write APDU is FF D6 00 <block> 10 ‖ 16 data bytes. */
const writeDataOffset = 5;
const corruptedByte = 9;
/** A torn write lands this many leading bytes of the new data; the rest of the block stays as it was. */
export const tornWriteBytes = 8;

interface Placement {
  readonly socket: Socket;
  setFaults(faults: VirtualCardFaults): void;
}

const placements = new Map<number, Placement>();

function post(event: CardThreadEvent): void {
  port().postMessage(event);
}

function port(): MessagePort {
  if (!parentPort) throw new Error('virtual-card-thread.ts runs in a worker thread (see simulator.ts)');
  return parentPort;
}

function dispatch(request: CardThreadRequest): void {
  switch (request.type) {
    case 'place':
      place(request);
      return;
    case 'faults':
      placements.get(request.card)?.setFaults(request.faults);
      return;
    case 'remove': {
      const placement = placements.get(request.card);
      if (placement && !placement.socket.destroyed) placement.socket.destroy();
      return;
    }
    default:
      request satisfies never;
  }
}

/**
 * The owner's requests sent before a vpcd message reached us are applied before it is answered (as
 * when the card model lived on the owner's thread): `setFaults()` then a transmit meets the new faults.
 */
function drainRequests(): void {
  for (let next = receiveMessageOnPort(port()); next; next = receiveMessageOnPort(port())) {
    dispatch(next.message as CardThreadRequest);
  }
}

function place(request: Extract<CardThreadRequest, { type: 'place' }>): void {
  const { card, epoch } = request;
  const mirror = new VirtualCardMirror(request.mirror);
  let model: VirtualCardModel;
  try {
    const { uid, blocks } = mirror.memory();
    model = request.kind === 'classic-1k' ? createClassic1k(uid, blocks) : createPhone();
  } catch (error) {
    post({ type: 'place-failed', card, epoch, message: error instanceof Error ? error.message : String(error) });
    return;
  }
  const publish = (): void => mirror.writeMemory(model.uid, model.blocks());
  let faults: VirtualCardFaults = {};
  let corruptLeft = 0;
  let refuseLeft = 0;
  const setFaults = (next: VirtualCardFaults): void => {
    faults = next;
    corruptLeft = next.corruptWrites ?? 0;
    refuseLeft = next.refuseWrites ?? 0;
  };
  setFaults(request.faults);
  mirror.clearLog();
  publish();

  const s = connect({ host: request.host, port: request.port });
  s.setNoDelay(true);
  const placement: Placement = { socket: s, setFaults };
  placements.set(card, placement);
  let connected = false;
  let powered = false;
  const hangUp = (): void => {
    mirror.setPresent(false);
    s.destroy();
  };
  s.once('connect', () => {
    connected = true;
    mirror.setPresent(true);
    post({ type: 'placed', card, epoch });
  });
  s.on('error', (error) => {
    if (!connected) post({ type: 'place-failed', card, epoch, message: error.message });
    hangUp(); // a reset by vpcd is just "gone"
  });
  s.once('close', () => {
    mirror.setPresent(false);
    if (placements.get(card) === placement) placements.delete(card);
    post({ type: 'gone', card, epoch });
  });

  const frames = new VpcdFrameReader();
  // One message at a time, in order, even with a response delay.
  let chain = Promise.resolve();
  s.on('data', (chunk: Buffer) => {
    for (const message of frames.push(chunk)) chain = chain.then(() => handle(message));
  });

  async function handle(message: Uint8Array): Promise<void> {
    drainRequests();
    if (s.destroyed) return;
    if (message.length === 1) {
      switch (message[0]) {
        case 0x00: // power off
        case 0x01: // power on
        case 0x02: // reset
          model.reset();
          publish(); // a phone has a new UID
          return;
        case 0x04: // get ATR (also vpcd's presence check)
          send(faults.collision ? collisionAtr : model.atr);
          if (!powered) post({ type: 'powered', card, epoch });
          powered = true;
          return;
        default:
          return;
      }
    }
    mirror.logApdu(message);
    const { removeAfterApdus, removalTiming = 'before-apply', responseDelayMs = 0, delayAfterApdus = 0 } = faults;
    if (removeAfterApdus !== undefined && mirror.apduCount >= removeAfterApdus) {
      if (removalTiming === 'after-apply') model.process(message);
      publish();
      hangUp();
      return;
    }
    const command = parseCommand(message);
    if (command.kind === 'write' && targets(faults.liftBeforeWrite, command.block)) {
      hangUp(); // the write never reaches the chip
      return;
    }
    if (command.kind === 'write' && targets(faults.tearWrite, command.block)) {
      model.process(tornWrite(message, command.block));
      publish();
      hangUp();
      return;
    }
    const response = execute(message);
    publish();
    if (responseDelayMs > 0 && mirror.apduCount >= delayAfterApdus) await new Promise((resolve) => setTimeout(resolve, responseDelayMs));
    if (s.destroyed) return;
    mirror.countAnswer();
    send(response);
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

  /** The write APDU with the block's old last bytes: what a chip pulled from the field mid-write keeps. */
  function tornWrite(apdu: Uint8Array, block: number): Uint8Array {
    const torn = Uint8Array.from(apdu);
    const old = model.blocks()[block] ?? new Uint8Array(blockSize);
    torn.set(old.subarray(tornWriteBytes, blockSize), writeDataOffset + tornWriteBytes);
    return torn;
  }

  function send(payload: Uint8Array): void {
    s.write(encodeVpcdFrame(payload));
  }
}

function targets(target: WriteTarget | undefined, block: number): boolean {
  return target !== undefined && (target.block === undefined || target.block === block);
}

port().on('message', (request: CardThreadRequest) => dispatch(request));
