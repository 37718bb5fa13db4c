import { EventEmitter } from 'node:events';
import { expect } from 'vitest';
import type { CardTap } from '../../../hardware/nfc/types';
import type { CitizenCardError, CitizenCardStation, ReadRecordValue } from '../../../hardware/card-record/types';
import type { CardType } from '../../../shared/domain/card-types';
import { err, ok, type Result } from '../../../shared/result';

/** The fields of the chip record a test chooses; the rest of the record is fixed and realistic. */
export interface ChipOnReader {
  readonly cardType: CardType;
  readonly cardNumber: string;
  readonly balance: number;
  readonly expiresOn: string;
}

/** What a tap fills in when the test does not say: a senior card with some money on it. */
const tapDefaults = { cardType: 'senior', balance: 420, expiresOn: '2031-01-04' } as const;
const classic: CardTap = { uid: '01020304', atr: '3b8f', kind: 'mifare-classic-1k' };

/** A counter reader: the test lays a card on it (its verified chip record), a phone, or takes it off. */
export function fakeCounter() {
  const events = new EventEmitter();
  let onReader: ChipOnReader | null = null;
  let readError: CitizenCardError | null = null;
  /** While set, reads wait for the test to let them finish (a slow chip). */
  let gate: Promise<void> | null = null;
  const station = {
    on: (event: string, listener: (...args: unknown[]) => void) => events.on(event, listener),
    off: (event: string, listener: (...args: unknown[]) => void) => events.off(event, listener),
    async readRecord(): Promise<Result<ReadRecordValue, CitizenCardError>> {
      // What was on the reader when the read began, as a real chip read would see it.
      const reading = onReader;
      const error = readError;
      if (gate) await gate;
      if (error) return err(error);
      if (!reading) return err({ kind: 'no_card', message: 'no card' });
      return ok({
        uid: '01020304',
        mac: 'verified',
        record: {
          formatVersion: 1, cardNumber: reading.cardNumber, cardType: reading.cardType, scheme: 'easycard',
          issuedOn: '2026-01-05', expiresOn: reading.expiresOn, issuingKioskId: 'TY-K01', holderIdHash: 'ab'.repeat(16),
          wallet: { balance: reading.balance, transactionCounter: 3 },
        },
      });
    },
  } as unknown as CitizenCardStation;
  return {
    station,
    /** Lays a card whose MAC verifies on the reader; unspecified fields take `tapDefaults`. */
    tap(card: Partial<ChipOnReader> & { cardNumber: string }) {
      onReader = { ...tapDefaults, ...card };
      readError = null;
      events.emit('card', classic);
    },
    /** A card whose record does not verify (a forged or corrupted chip). */
    tapForged() {
      onReader = null;
      readError = { kind: 'record_invalid', error: { kind: 'mac_mismatch', message: 'MAC does not verify' }, message: 'forged' } as CitizenCardError;
      events.emit('card', classic);
    },
    /** A phone (or any non-MIFARE card): nothing a citizen card reader can read. */
    tapPhone() {
      events.emit('card', { uid: '', atr: '3b80', kind: 'unsupported' } satisfies CardTap);
    },
    /** More than one card on the reader at once. */
    twoCards() {
      events.emit('cardUnreadable', { message: 'two cards' });
    },
    twoCardsGone() {
      events.emit('unreadableGone');
    },
    remove() {
      onReader = null;
      events.emit('removed', classic);
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
