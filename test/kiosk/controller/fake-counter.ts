import { EventEmitter } from 'node:events';
import { expect } from 'vitest';
import { deriveChipKeys, type ChipKeys } from '../../../hardware/card-record/keys';
import { formatVersion, walletBlock, type CitizenCardRecord } from '../../../hardware/card-record/layout';
import { readCardRecord } from '../../../hardware/card-record/personalise';
import { personalisedBlocks } from '../../../hardware/card-record/personalised-chip';
import type { CitizenCardError, CitizenCardStation, ReadRecordValue, WalletWriteError, WalletWriteRequest, WalletWritten } from '../../../hardware/card-record/types';
import { writeWalletOnCard } from '../../../hardware/card-record/wallet-write';
import { createCardSession, type Transmit } from '../../../hardware/nfc/card-session';
import { parseCommand } from '../../../hardware/nfc/protocol/apdu';
import { equalBytes, toHex } from '../../../hardware/nfc/mifare';
import type { CardTap } from '../../../hardware/nfc/types';
import { createClassic1k, type VirtualCardModel } from '../../../hardware/nfc/virtual-card';
import type { CardType } from '../../../shared/domain/card-types';
import { err, ok, type Result } from '../../../shared/result';
import { modelTransport } from '../../hardware/nfc/fixtures';

/** The fields of the chip record a test chooses; the rest of the record is fixed and realistic. */
export interface ChipOnReader {
  readonly cardType: CardType;
  readonly cardNumber: string;
  readonly balance: number;
  readonly expiresOn: string;
  /** The wallet mirror's transaction counter (3 unless told). */
  readonly counter: number;
}

/** How the chip was made, when not simply personalised by this city. */
export interface ChipMaking {
  /** The master key the card was personalised under (default: the city's, the counter's own). */
  readonly masterKey?: Uint8Array;
  /** Flips `bits` (default: all 8) of one byte of chip memory after personalisation: a forged or damaged chip. */
  readonly flip?: { readonly block: number; readonly byte: number; readonly bits?: number };
}

/** What a tap fills in when the test does not say: a senior card with some money on it. */
const tapDefaults = { cardType: 'senior', balance: 420, expiresOn: '2031-01-04', counter: 3 } as const;
const classicAtr = '3B8F8001804F0CA000000306030001000000006A';

/** A 4-byte UID per card number, so that two cards never share their diversified keys. */
function uidOf(cardNumber: string): Uint8Array {
  let hash = 0x811c9dc5;
  for (const char of cardNumber) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return Uint8Array.of(0x04, (hash >>> 16) & 0xff, (hash >>> 8) & 0xff, hash & 0xff);
}

function chipRecord(card: ChipOnReader): CitizenCardRecord {
  return {
    formatVersion, cardNumber: card.cardNumber, cardType: card.cardType, scheme: 'easycard',
    issuedOn: '2026-01-05', expiresOn: card.expiresOn, issuingKioskId: 'TY-K01', holderIdHash: 'ab'.repeat(16),
    wallet: { balance: card.balance, transactionCounter: card.counter },
  };
}

type OnReader = { readonly kind: 'card'; readonly tap: CardTap; readonly chip: VirtualCardModel } | { readonly kind: 'phone'; readonly tap: CardTap };

/**
 * A counter reader holding real chip bytes: a tapped card is the MIFARE Classic memory of a record
 * personalised under a master key, and `readRecord(keys)` reads it as the driver does (the driver's
 * card session and record decoding over the virtual card model: sector keys, then the MAC), so a
 * card of another city or a tampered byte fails as on the real reader. Only pcscd is left out.
 */
export function fakeCounter(options: { readonly masterKey: Uint8Array }) {
  const events = new EventEmitter();
  let onReader: OnReader | null = null;
  /** While set, reads wait for the test to let them finish (a slow chip). */
  let gate: Promise<void> | null = null;

  /** The last card laid (its chip keeps what was written to it), for `tapAgain`. */
  let lastCard: Extract<OnReader, { kind: 'card' }> | null = null;
  /** A fault waiting for the next wallet write (block 56): the card lifted as it is sent, or the write torn. */
  let walletWriteFault: 'lift' | 'tear' | null = null;

  /** What the driver checks before it talks to the chip (`withCard` in hardware/nfc/driver.ts). */
  function cardFor(reading: OnReader | null, keys: ChipKeys): Result<Extract<OnReader, { kind: 'card' }>, CitizenCardError> {
    if (!reading) return err({ kind: 'no_card', message: 'no card on the reader' });
    if (reading.kind === 'phone') return err({ kind: 'unsupported_card', atr: reading.tap.atr, message: 'not a MIFARE Classic 1K card' });
    if (!equalBytes(keys.uid, reading.chip.uid)) {
      return err({ kind: 'wrong_card', expectedUid: toHex(keys.uid), actualUid: reading.tap.uid, message: 'the keys belong to another card' });
    }
    reading.chip.reset(); // a fresh connection: no key loaded, nothing authenticated
    return ok(reading);
  }

  async function read(reading: OnReader | null, keys: ChipKeys): Promise<Result<ReadRecordValue, CitizenCardError>> {
    const card = cardFor(reading, keys);
    if (!card.ok) return card;
    const record = await readCardRecord(createCardSession(modelTransport(card.value.chip)), keys);
    return record.ok ? ok({ uid: card.value.tap.uid, record: record.value, mac: 'verified' }) : record;
  }

  /** The driver's wallet write over the chip; a pending fault lifts the card at the wallet write (torn or not). */
  async function writeWallet(keys: ChipKeys, wallet: WalletWriteRequest): Promise<Result<WalletWritten, WalletWriteError>> {
    const card = cardFor(onReader, keys);
    if (!card.ok) return card;
    const { chip, tap: seen } = card.value;
    const base = modelTransport(chip);
    let lifted = false;
    const transmit: Transmit = async (apdu, maxLength) => {
      if (lifted) return err({ kind: 'card_removed', message: 'card left the field' });
      const command = parseCommand(apdu);
      if (command.kind !== 'write' || command.block !== walletBlock || !walletWriteFault) return base(apdu, maxLength);
      if (walletWriteFault === 'tear') {
        // First 8 bytes new, the rest old: a card pulled away mid-write.
        const torn = Uint8Array.from(apdu);
        torn.set((chip.blocks()[walletBlock] ?? new Uint8Array(16)).subarray(8), 5 + 8);
        chip.process(torn);
      }
      walletWriteFault = null;
      lifted = true;
      return err({ kind: 'card_removed', message: 'card left the field' });
    };
    const result = await writeWalletOnCard(createCardSession(transmit), keys, wallet);
    if (lifted && onReader === card.value) queueMicrotask(() => remove());
    return result.ok ? ok({ uid: seen.uid, cardNumber: wallet.cardNumber, ...result.value }) : result;
  }

  function remove(): void {
    const gone = onReader;
    onReader = null;
    if (gone) events.emit('removed', gone.tap);
  }

  const station = {
    on: (event: string, listener: (...args: unknown[]) => void) => events.on(event, listener),
    off: (event: string, listener: (...args: unknown[]) => void) => events.off(event, listener),
    readerName: () => 'Fake counter reader',
    currentCard: () => onReader?.tap,
    async readRecord(keys: ChipKeys): Promise<Result<ReadRecordValue, CitizenCardError>> {
      // What was on the reader when the read began, as a real chip read would see it.
      const reading = onReader;
      if (gate) await gate;
      return read(reading, keys);
    },
    writeWallet,
  } as unknown as CitizenCardStation;

  /** Lays a personalised card on the reader. */
  function tap(card: Partial<ChipOnReader> & { cardNumber: string }, making: ChipMaking = {}): void {
    const uid = uidOf(card.cardNumber);
    const blocks = personalisedBlocks(uid, chipRecord({ ...tapDefaults, ...card }), deriveChipKeys(making.masterKey ?? options.masterKey, uid));
    if (making.flip) {
      const block = blocks[making.flip.block];
      if (!block) throw new Error(`no block ${making.flip.block}`);
      block[making.flip.byte] = (block[making.flip.byte] ?? 0) ^ (making.flip.bits ?? 0xff);
    }
    const chip = createClassic1k(uid, blocks);
    lastCard = { kind: 'card', tap: { uid: toHex(uid), atr: classicAtr, kind: 'mifare-classic-1k' }, chip };
    onReader = lastCard;
    events.emit('card', onReader.tap);
  }

  return {
    station,
    /**
     * Lays a card personalised with this record (unspecified fields take `tapDefaults`), by default
     * under the counter's master key: its sector keys open and its MAC verifies.
     */
    tap,
    /** A citizen card whose balance was raised on the chip after personalisation: its wallet MAC does not verify. */
    tapForged(card: Partial<ChipOnReader> & { cardNumber: string } = { cardNumber: '3300011300000015' }) {
      tap(card, { flip: { block: walletBlock, byte: 3 } });
    },
    /** A phone (or any non-MIFARE card): nothing a citizen card reader can read. */
    tapPhone() {
      onReader = { kind: 'phone', tap: { uid: '', atr: '3B8080010101', kind: 'unsupported' } };
      events.emit('card', onReader.tap);
    },
    /** More than one card on the reader at once. */
    twoCards() {
      events.emit('cardUnreadable', { message: 'two cards' });
    },
    twoCardsGone() {
      events.emit('unreadableGone');
    },
    remove,
    /** Lays the last card down again, its chip as it is now (a wallet written, or torn, stays). */
    tapAgain() {
      if (!lastCard) throw new Error('no card was laid yet');
      onReader = lastCard;
      events.emit('card', lastCard.tap);
    },
    /** The next wallet write: the card is lifted as it is sent ('lift', nothing lands) or tears ('tear'). */
    walletWriteFault(fault: 'lift' | 'tear') {
      walletWriteFault = fault;
    },
    /** The chip memory of the last card laid, for tests. */
    lastChip: () => lastCard?.chip.blocks(),
    /** The card on the reader as the chip holds it now (what a write left), read with the counter's keys. */
    async onReader(): Promise<Result<ReadRecordValue, CitizenCardError>> {
      if (!onReader || onReader.kind !== 'card') return err({ kind: 'no_card', message: 'no card on the reader' });
      return read(onReader, deriveChipKeys(options.masterKey, onReader.chip.uid));
    },
    /** Holds every read until the returned function is called. */
    slowReads() {
      let release = (): void => {};
      gate = new Promise((resolve) => (release = resolve));
      return () => {
        gate = null;
        release();
      };
    },
  };
}

export type FakeCounter = ReturnType<typeof fakeCounter>;

/**
 * Polls `check` (every 10 ms, for up to `timeoutMs`, 10 s by default) and fails the test if it never
 * holds. Generous: the controller behind it writes to a real SQLite file, slow on a loaded machine.
 */
export async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  for (let i = 0; i < timeoutMs / 10 && !check(); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(check()).toBe(true);
}
