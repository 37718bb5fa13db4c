import { err, ok, type Result } from '../../shared/result';
import { blockSize, equalBytes, sectorOf, trailerBlockOf, type KeyType } from './mifare';
import {
  authenticateApdu,
  getUidApdu,
  loadKeyApdu,
  parseResponse,
  readBlockApdu,
  sw,
  writeBlockApdu,
} from './protocol/apdu';

/**
 * MIFARE Classic operations over one card connection: load key + authenticate, read, write-and-verify.
 * It knows APDUs and status words, not the record; the transport is injected (nfc-pcsc in the driver,
 * the virtual card model in fast tests).
 */
export type TransmitFailure =
  | { readonly kind: 'card_removed'; readonly message: string }
  | { readonly kind: 'timeout'; readonly message: string }
  | { readonly kind: 'reader_unavailable'; readonly message: string };

export type Transmit = (apdu: Uint8Array, responseMaxLength: number) => Promise<Result<Uint8Array, TransmitFailure>>;

/**
 * Selects the card again (power cycle or reset of the field: the card leaves HALT, the reader's key
 * slots and any authentication are lost) and checks that the same card answered.
 */
export type Reselect = () => Promise<Result<void, TransmitFailure>>;

export type SessionError =
  | Exclude<TransmitFailure, { kind: 'timeout' }>
  /** The reader gave no answer in time; `command` says which (a write may have landed). */
  | { readonly kind: 'timeout'; readonly command: string; readonly message: string }
  | { readonly kind: 'command_failed'; readonly command: string; readonly status: number; readonly message: string }
  | { readonly kind: 'auth_failed'; readonly sector: number; readonly message: string }
  | { readonly kind: 'write_verify_failed'; readonly block: number; readonly message: string };

export interface KeyCandidate {
  readonly keyType: KeyType;
  readonly key: Uint8Array;
}

/** Attempts per write before `write_verify_failed` (a weak field can corrupt one write). */
export const writeAttempts = 2;
const statusResponseLength = 2;
const uidResponseLength = 12;
const readResponseLength = blockSize + 2;

export interface CardSession {
  getUid(): Promise<Result<Uint8Array, SessionError>>;
  /**
   * Tries each candidate in turn; resolves with the one that opened the sector. A MIFARE Classic halts
   * after a failed authentication, so every failure is followed by a re-selection (when the transport
   * can): the next candidate, and whatever the caller does after `auth_failed`, meets an awake card.
   */
  authenticate(sector: number, candidates: readonly KeyCandidate[]): Promise<Result<KeyCandidate, SessionError>>;
  read(block: number): Promise<Result<Uint8Array, SessionError>>;
  /**
   * Writes, reads back and compares (for a trailer only the access bytes are compared: keys read as
   * zeros). `onSent` fires when the write APDU has been handed to the reader: from then on the block may
   * have landed even if no answer comes.
   */
  writeVerified(block: number, data: Uint8Array, onSent?: () => void): Promise<Result<void, SessionError>>;
}

/** Without `reselect` a failed authentication leaves the card halted: fine only for a card model that is reset by hand. */
export function createCardSession(transmit: Transmit, reselect?: Reselect): CardSession {
  async function exchange(command: string, apdu: Uint8Array, maxLength: number): Promise<Result<{ data: Uint8Array; status: number }, SessionError>> {
    const sent = await transmit(apdu, maxLength);
    if (!sent.ok) {
      const failure = sent.error;
      return err(failure.kind === 'timeout' ? { kind: 'timeout', command, message: `${command}: ${failure.message}` } : failure);
    }
    const response = parseResponse(sent.value);
    // No status word at all: the card stopped answering (vpcd hands back an empty answer when it leaves).
    if (!response) return err({ kind: 'card_removed', message: `${command}: no answer from the card` });
    return ok(response);
  }

  function failed(command: string, status: number): { ok: false; error: SessionError } {
    return err({ kind: 'command_failed', command, status, message: `${command}: status ${status.toString(16).padStart(4, '0')}` });
  }

  async function read(block: number): Promise<Result<Uint8Array, SessionError>> {
    const response = await exchange(`read block ${block}`, readBlockApdu(block), readResponseLength);
    if (!response.ok) return response;
    if (response.value.status !== sw.success || response.value.data.length !== blockSize) return failed(`read block ${block}`, response.value.status);
    return ok(response.value.data);
  }

  return {
    async getUid() {
      const response = await exchange('get_uid', getUidApdu(), uidResponseLength);
      if (!response.ok) return response;
      if (response.value.status !== sw.success) return failed('get_uid', response.value.status);
      return ok(response.value.data);
    },

    async authenticate(sector, candidates) {
      const block = trailerBlockOf(sector);
      for (const candidate of candidates) {
        const loaded = await exchange('load_key', loadKeyApdu(0, candidate.key), statusResponseLength);
        if (!loaded.ok) return loaded;
        if (loaded.value.status !== sw.success) return failed('load_key', loaded.value.status);
        const authenticated = await exchange(`authenticate sector ${sector}`, authenticateApdu(block, candidate.keyType, 0), statusResponseLength);
        if (!authenticated.ok) return authenticated;
        if (authenticated.value.status === sw.success) return ok(candidate);
        if (reselect) {
          const awake = await reselect();
          if (!awake.ok) return err(awake.error.kind === 'timeout' ? { kind: 'timeout', command: 'reselect', message: `reselect: ${awake.error.message}` } : awake.error);
        }
      }
      return err({ kind: 'auth_failed', sector, message: `no key opened sector ${sector}` });
    },

    read,

    async writeVerified(block, data, onSent) {
      const trailer = trailerBlockOf(sectorOf(block)) === block;
      let last: SessionError = { kind: 'write_verify_failed', block, message: `block ${block} did not read back as written` };
      for (let attempt = 0; attempt < writeAttempts; attempt++) {
        onSent?.();
        const written = await exchange(`write block ${block}`, writeBlockApdu(block, data), statusResponseLength);
        if (!written.ok) return written;
        if (written.value.status !== sw.success) {
          last = { kind: 'command_failed', command: `write block ${block}`, status: written.value.status, message: `write block ${block} refused` };
          continue;
        }
        const back = await read(block);
        if (!back.ok) return back;
        const same = trailer ? equalBytes(back.value.slice(6, 10), data.slice(6, 10)) : equalBytes(back.value, data);
        if (same) return ok(undefined);
        last = { kind: 'write_verify_failed', block, message: `block ${block} did not read back as written` };
      }
      return err(last);
    },
  };
}
