import { createRequire } from 'node:module';
import { err, ok, type Result } from '../../shared/result';

/**
 * The slice of nfc-pcsc 0.8.1 (untyped JavaScript) that the driver uses, and the process-wide choice
 * of pcscd socket.
 */
export interface PcscCardReader {
  readonly name: string;
  state: number;
  readonly SCARD_STATE_PRESENT: number;
  readonly SCARD_STATE_MUTE: number;
  /** Disconnect dispositions: reset the card, or power it down (and pcscd powers it up again). */
  readonly SCARD_RESET_CARD: number;
  readonly SCARD_UNPOWER_CARD: number;
  /**
   * pcsclite's own disconnect with a disposition (nfc-pcsc's `disconnect()` always leaves the card as it
   * is). Calls back at once when not connected.
   */
  disconnect(disposition: number, callback: (error?: Error) => void): void;
  on(event: 'status', listener: (status: { state: number; atr?: Buffer }) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  close(): void;
}

export interface NfcPcscReader {
  readonly name: string;
  readonly reader: PcscCardReader;
  autoProcessing: boolean;
  card: { atr?: Buffer } | null;
  on(event: 'card', listener: (card: { atr?: Buffer }) => void): void;
  on(event: 'card.off', listener: (card: { atr?: Buffer }) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  on(event: 'end', listener: () => void): void;
  removeAllListeners(): void;
  transmit(data: Buffer, responseMaxLength: number): Promise<Buffer>;
  /**
   * The card's connection; null once nfc-pcsc disconnected (possibly the next card's, see the driver).
   * Without a protocol when pcsclite was still connected to the previous card.
   */
  connection: { readonly protocol?: number } | null;
  /** Connects (SCARD_SHARE_SHARED) and sets `connection`; pcsclite skips it while still connected. */
  connect(mode?: number): Promise<object>;
  /** Ends the connection (pcsclite disconnect); rejects when there is none. */
  disconnect(): Promise<void>;
}

export interface NfcPcsc {
  on(event: 'reader', listener: (reader: NfcPcscReader) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  removeAllListeners(): void;
  close(): void;
}

interface NfcPcscModule {
  NFC: new () => NfcPcsc;
}

export const defaultPcscSocket = '/run/pcscd/pcscd.comm';
const socketVariable = 'PCSCLITE_CSOCK_NAME';

let contextCreated = false;

/** The socket this process talks to: PCSCLITE_CSOCK_NAME, else the system daemon's. */
export function currentPcscSocket(): string {
  return process.env[socketVariable] ?? defaultPcscSocket;
}

/**
 * libpcsclite reads PCSCLITE_CSOCK_NAME once per process, on the first SCardEstablishContext
 * (pthread_once in winscard_msg.c), i.e. on the first `new NFC()`. So one process talks to ONE pcscd:
 * bind it before opening a station; rebinding to another socket afterwards is refused. A daemon restarted
 * on the same socket path is fine. (Set it through process.env in the main thread or a forked process:
 * a worker thread's process.env is a copy that the C library never sees.)
 */
export function bindPcscSocket(socketPath: string): Result<void, { readonly kind: 'socket_already_bound'; readonly bound: string; readonly message: string }> {
  const bound = currentPcscSocket();
  if (contextCreated && bound !== socketPath) {
    return err({ kind: 'socket_already_bound', bound, message: `this process already talks to pcscd at ${bound}; libpcsclite cannot switch sockets` });
  }
  process.env[socketVariable] = socketPath;
  return ok(undefined);
}

/** Creates an nfc-pcsc context. Call only when the daemon answers: the native constructor spins until it does. */
export function createNfcContext(): NfcPcsc {
  const require = createRequire(import.meta.url);
  const module = require('nfc-pcsc') as NfcPcscModule;
  contextCreated = true;
  return new module.NFC();
}
