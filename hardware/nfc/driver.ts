import { EventEmitter } from 'node:events';
import { silentLog, type LogSink } from '../../shared/log';
import { err, ok, type Result } from '../../shared/result';
import { createCardSession, type CardSession, type Reselect, type Transmit, type TransmitFailure } from './card-session';
import { classic1kCardName, equalBytes, toHex } from './mifare';
import { bindPcscSocket, createNfcContext, currentPcscSocket, type NfcPcsc, type NfcPcscReader } from './nfc-pcsc-binding';
import { acceptsConnections } from './pcscd';
import type { CardKind, CardTap, NfcError, NfcStation, NfcStationEvents } from './types';

/**
 * The contactless station over nfc-pcsc: `autoProcessing = false` and our own APDUs, `error` listeners
 * on every emitter, one card command at a time (a promise queue), and recovery when pcscd goes away
 * and comes back (the reader is "unplugged": `readerDetached`, then `readerAttached`).
 */
export interface NfcTimeouts {
  /** One APDU round trip; past it the card is treated as gone. */
  readonly commandMs: number;
  /** How often to look for pcscd while it is away. */
  readonly daemonPollMs: number;
}

export const defaultNfcTimeouts: NfcTimeouts = { commandMs: 2_000, daemonPollMs: 250 };

export interface OpenNfcStationOptions {
  /** Use this reader (exact name); by default the first one that appears. */
  readonly readerName?: string;
  /** pcscd socket (a private daemon's `socketPath`); one per process, see `bindPcscSocket`. */
  readonly socketPath?: string;
  readonly log?: LogSink;
  readonly timeouts?: Partial<NfcTimeouts>;
}

interface ActiveCard {
  readonly tap: CardTap;
  readonly reader: NfcPcscReader;
  /** The `card` event went out (the UID was read). */
  readonly announced: boolean;
}

const pcscCode = /\(0x([0-9a-f]{8})\)/i;
/** How long a card may sit on the reader without nfc-pcsc's `card` event before the driver connects it itself. */
const missedCardMs = 2_000;
/** Connect attempts for such a card (one every `missedCardMs` while it stays) before it is left to a new tap. */
const missedCardAttempts = 5;
/** How long to wait for nfc-pcsc's pending disconnect of a removed card before ending it ourselves. */
const lateDisconnectWaitMs = 1_000;
const lateDisconnectPollMs = 10;
/** PC/SC codes meaning the reader or the daemon went away (rather than the card). */
const readerGoneCodes = new Set([0x8010001d, 0x8010001e, 0x80100017, 0x80100009]);

export async function openNfcStation(options: OpenNfcStationOptions = {}): Promise<NfcStation> {
  const log = options.log ?? silentLog;
  const timeouts: NfcTimeouts = { ...defaultNfcTimeouts, ...options.timeouts };
  if (options.socketPath !== undefined) {
    const bound = bindPcscSocket(options.socketPath);
    if (!bound.ok) throw new Error(bound.error.message);
  }
  const socketPath = currentPcscSocket();
  const events = new EventEmitter();
  events.on('error', () => {}); // never thrown at callers: errors travel as events and Results
  let context: NfcPcsc | undefined;
  let reader: NfcPcscReader | undefined;
  let card: ActiveCard | undefined;
  /** A `cardUnreadable` went out and its card has not left yet. */
  let unreadableShown = false;
  let closed = false;
  let queue: Promise<unknown> = Promise.resolve();
  let pollTimer: NodeJS.Timeout | undefined;
  /** Every reader of the current context (each has a native status thread). */
  const readers = new Set<NfcPcscReader>();

  /** One command at a time per reader: every card operation runs through here. */
  function exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const run = queue.then(operation, operation);
    queue = run.catch(() => undefined);
    return run;
  }

  function transmitOn(target: ActiveCard): Transmit {
    return async (apdu, responseMaxLength) => {
      if (card !== target) return err({ kind: 'card_removed', message: 'card left the reader' });
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<Result<Uint8Array, TransmitFailure>>((resolve) => {
        timer = setTimeout(() => resolve(err({ kind: 'timeout', message: `no answer within ${timeouts.commandMs} ms` })), timeouts.commandMs);
      });
      const sent = (async (): Promise<Result<Uint8Array, TransmitFailure>> => {
        try {
          return ok(new Uint8Array(await target.reader.transmit(Buffer.from(apdu), responseMaxLength)));
        } catch (error) {
          return err(classifyTransmitError(error));
        }
      })();
      // Even after a timeout the queue waits for the native call: never two commands in flight.
      const result = await Promise.race([sent, timedOut]);
      clearTimeout(timer);
      if (!result.ok && result.error.kind === 'timeout') await sent;
      return result;
    };
  }

  /**
   * Wakes a card that a failed authentication halted: ends the connection powering the card down
   * (pcscd powers it up again at once; an ACR122U-class reader cuts its field), connects again, and
   * checks with GET UID that the same card answers. Key slots are lost with it: the session loads a key
   * before every authentication. The PC/SC equivalent of SCardReconnect(SCARD_UNPOWER_CARD), which
   * pcsclite's binding does not offer.
   */
  function reselectOn(target: ActiveCard): Reselect {
    return async () => {
      if (card !== target) return err({ kind: 'card_removed', message: 'card left the reader' });
      const r = target.reader;
      try {
        await new Promise<void>((resolve, reject) => r.reader.disconnect(r.reader.SCARD_UNPOWER_CARD, (error) => (error ? reject(error) : resolve())));
        r.connection = null;
        await r.connect();
      } catch (error) {
        return err(classifyTransmitError(error));
      }
      const uid = await createCardSession(transmitOn(target)).getUid();
      if (!uid.ok) {
        const failure = uid.error;
        if (failure.kind === 'card_removed' || failure.kind === 'reader_unavailable' || failure.kind === 'timeout') return err({ kind: failure.kind, message: failure.message });
        return err({ kind: 'card_removed', message: `no UID after re-selection: ${failure.message}` });
      }
      if (toHex(uid.value) !== target.tap.uid) return err({ kind: 'card_removed', message: 'another card answered the re-selection' });
      return ok(undefined);
    };
  }

  /** A connection that can carry APDUs: made by pcsclite for this card, with its protocol. */
  function connectionUsable(r: NfcPcscReader): boolean {
    return typeof r.connection?.protocol === 'number';
  }

  /** Lets nfc-pcsc's disconnect of the previous card finish (or ends a connection it left), then connects. */
  async function connectAfterLateDisconnect(r: NfcPcscReader): Promise<void> {
    for (let waited = 0; r.connection !== null && waited < lateDisconnectWaitMs; waited += lateDisconnectPollMs) {
      await new Promise((resolve) => setTimeout(resolve, lateDisconnectPollMs));
    }
    if (r.connection !== null) await r.disconnect().catch(() => undefined);
    await r.connect();
  }

  function classifyTransmitError(error: unknown): TransmitFailure {
    const previous = (error as { previous?: unknown }).previous;
    const message = previous instanceof Error ? previous.message : error instanceof Error ? error.message : String(error);
    const code = pcscCode.exec(message)?.[1];
    if (code !== undefined && readerGoneCodes.has(Number.parseInt(code, 16))) return { kind: 'reader_unavailable', message };
    return { kind: 'card_removed', message };
  }

  function classify(atr: Uint8Array): CardKind {
    // Storage card (PC/SC part 3) with card name 00 01: MIFARE Classic 1K. Everything else is not ours.
    const storage = atr.length === 20 && atr[0] === 0x3b && atr[1] === 0x8f && atr[5] === 0x4f;
    const name = ((atr[13] ?? 0) << 8) | (atr[14] ?? 0);
    return storage && name === classic1kCardName ? 'mifare-classic-1k' : 'unsupported';
  }

  function attach(candidate: NfcPcscReader): void {
    readers.add(candidate);
    candidate.on('error', (error) => log({ eventId: 'nfc-reader-error', disposition: 'failure', message: error.message }));
    if (reader || (options.readerName !== undefined && candidate.name !== options.readerName)) {
      candidate.autoProcessing = false;
      return;
    }
    reader = candidate;
    candidate.autoProcessing = false;
    log({ eventId: 'nfc-reader-attached', disposition: 'success', message: 'reader attached', reader: candidate.name });
    events.emit('readerAttached', { name: candidate.name });
    // nfc-pcsc loses connect errors (`this.emit(err)`); the raw status still says a card is there.
    // A card present for `missedCardMs` without nfc-pcsc's `card` event (its connect failed, e.g. racing
    // its own late disconnect of the previous card) is connected here instead: the tap is not lost.
    /** Card events seen (nfc-pcsc's own, or the watchdog's): the watchdog stands down once one came. */
    let cardEvents = 0;
    /** Cards that left; `handledCard` is its value when a card was last handled: one `card` per card. */
    let cardsOff = 0;
    let handledCard = -1;
    let wasPresent = false;
    let missedCardTimer: NodeJS.Timeout | undefined;
    /** Connects a card nfc-pcsc did not announce; a failed connect is tried again while the card stays. */
    const watchForMissedCard = (seen: number, atr: Buffer | undefined, attempt: number): void => {
      clearTimeout(missedCardTimer);
      missedCardTimer = setTimeout(() => {
        // Stands down once the card was announced or left, or the reader itself is gone (removed, pcscd away).
        if (closed || reader !== candidate || cardEvents !== seen || (candidate.reader.state & candidate.reader.SCARD_STATE_PRESENT) === 0) return;
        log({ eventId: 'nfc-card-missed', disposition: 'na', message: `no card event ${missedCardMs} ms after the card arrived: connecting it here`, attempt });
        candidate.connect().then(
          () => onCard({ atr }),
          (error: unknown) => {
            log({ eventId: 'nfc-card-connect-failed', disposition: 'failure', message: String(error), attempt });
            if (attempt < missedCardAttempts) watchForMissedCard(seen, atr, attempt + 1);
          },
        );
      }, missedCardMs);
      missedCardTimer.unref();
    };
    candidate.reader.on('status', (status) => {
      const mute = (status.state & candidate.reader.SCARD_STATE_MUTE) !== 0;
      if (mute) unreadable('a card is on the reader but does not answer: present one card only');
      const present = !mute && (status.state & candidate.reader.SCARD_STATE_PRESENT) !== 0;
      if (present && !wasPresent) {
        watchForMissedCard(cardEvents, status.atr, 1);
      } else if (!present) {
        clearTimeout(missedCardTimer);
      }
      wasPresent = present;
    });
    const onCard = (raw: { atr?: Buffer | undefined }): void => {
      cardEvents += 1;
      if (handledCard === cardsOff) return; // this card was connected already (the watchdog beat nfc-pcsc)
      handledCard = cardsOff;
      const atr = new Uint8Array(raw.atr ?? []);
      exclusive(async () => {
        const kind = classify(atr);
        const pending: ActiveCard = { tap: { uid: '', atr: toHex(atr), kind }, reader: candidate, announced: false };
        card = pending;
        const readUid = () => createCardSession(transmitOn(pending)).getUid();
        let uid = kind === 'mifare-classic-1k' ? await readUid() : undefined;
        // nfc-pcsc disconnects a removed card asynchronously: a card laid down at once is "connected" while
        // that disconnect still runs (pcsclite answers without a protocol), or has its fresh connection
        // cleared by it. The card is still there: connect it properly, once.
        if (uid !== undefined && !uid.ok && card === pending && !connectionUsable(candidate)) {
          log({ eventId: 'nfc-card-reconnect', disposition: 'na', message: 'connection lost to the previous card\'s disconnect: connecting again' });
          uid = await connectAfterLateDisconnect(candidate).then(readUid, () => uid);
        }
        if (card !== pending) return; // gone already
        if (uid !== undefined && !uid.ok) {
          card = undefined;
          unreadable(`card did not give its UID: ${uid.error.message}`);
          return;
        }
        const tap: CardTap = { uid: uid?.ok ? toHex(uid.value) : '', atr: toHex(atr), kind };
        card = { tap, reader: candidate, announced: true };
        log({ eventId: 'nfc-card-present', disposition: 'na', message: 'card on the reader', kind });
        events.emit('card', tap);
      });
    };
    candidate.on('card', onCard);
    candidate.on('card.off', () => {
      cardsOff += 1;
      const gone = card;
      card = undefined;
      // nfc-pcsc reports card.off for a mute card too (it set its card before the connect failed).
      if (unreadableShown) {
        unreadableShown = false;
        events.emit('unreadableGone');
      }
      if (gone) {
        log({ eventId: 'nfc-card-removed', disposition: 'na', message: 'card left the reader' });
        events.emit('removed', gone.tap);
      }
    });
    candidate.on('end', () => detach('reader removed'));
  }

  /** Once per card on the reader: pcscd repeats the mute state on every status change. */
  function unreadable(message: string): void {
    if (unreadableShown) return;
    unreadableShown = true;
    log({ eventId: 'nfc-card-unreadable', disposition: 'failure', message });
    events.emit('cardUnreadable', { message });
  }

  function detach(reason: string): void {
    const gone = reader;
    reader = undefined;
    unreadableShown = false;
    if (card) {
      const tap = card.tap;
      card = undefined;
      events.emit('removed', tap);
    }
    if (gone) {
      log({ eventId: 'nfc-reader-detached', disposition: 'failure', message: reason, reader: gone.name });
      events.emit('readerDetached', { name: gone.name });
    }
  }

  function teardownContext(): void {
    // Not `reader.close()`: @pokusew/pcsclite 0.6 can block forever joining the status thread of a reader
    // whose card was connected and then removed (seen here). Its thread ends when pcscd drops the context.
    for (const r of readers) {
      r.removeAllListeners();
      r.on('error', () => {});
    }
    readers.clear();
    const old = context;
    context = undefined;
    if (!old) return;
    old.removeAllListeners();
    old.on('error', () => {});
    try {
      old.close();
    } catch {
      // already closed by the daemon going away
    }
  }

  async function connectWhenDaemonAnswers(): Promise<void> {
    if (closed) return;
    // The native constructor spins until pcscd answers, so only create it once the socket accepts.
    if (!(await acceptsConnections(socketPath))) {
      pollTimer = setTimeout(() => void connectWhenDaemonAnswers(), timeouts.daemonPollMs);
      return;
    }
    if (closed) return;
    const created = createNfcContext();
    context = created;
    created.on('reader', attach);
    created.on('error', (error) => {
      // pcscd stopped: the context is dead for good; make a new one when the daemon is back.
      log({ eventId: 'nfc-pcsc-error', disposition: 'failure', message: error.message });
      if (context !== created) return;
      detach('pcscd went away');
      teardownContext();
      pollTimer = setTimeout(() => void connectWhenDaemonAnswers(), timeouts.daemonPollMs);
    });
  }

  await connectWhenDaemonAnswers();

  const station: NfcStation = {
    on(event, listener) {
      events.on(event, listener as (...args: unknown[]) => void);
    },
    off(event, listener) {
      events.off(event, listener as (...args: unknown[]) => void);
    },
    readerName: () => reader?.name,
    currentCard: () => (card?.announced ? card.tap : undefined),
    withCard<T, E>(uid: Uint8Array, operation: (session: CardSession, tap: CardTap) => Promise<Result<T, E>>): Promise<Result<T, E | NfcError>> {
      return exclusive(async (): Promise<Result<T, E | NfcError>> => {
        if (!reader) return err({ kind: 'reader_unavailable' as const, message: 'no reader attached' });
        const active = card;
        if (!active) return err({ kind: 'no_card' as const, message: 'no card on the reader' });
        if (active.tap.kind !== 'mifare-classic-1k') {
          return err({ kind: 'unsupported_card' as const, atr: active.tap.atr, message: 'not a MIFARE Classic 1K card (a phone or another card type)' });
        }
        if (!equalBytes(uid, Uint8Array.from(Buffer.from(active.tap.uid, 'hex')))) {
          return err({ kind: 'wrong_card' as const, expectedUid: toHex(uid), actualUid: active.tap.uid, message: 'the keys belong to another card' });
        }
        return operation(createCardSession(transmitOn(active), reselectOn(active)), active.tap);
      });
    },
    async close() {
      closed = true;
      clearTimeout(pollTimer);
      await queue;
      reader = undefined;
      card = undefined;
      teardownContext();
      events.removeAllListeners();
    },
  };
  return station;
}

export type { NfcStationEvents };
