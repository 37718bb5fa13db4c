import { deriveChipKeys } from '../../hardware/nfc/keys';
import type { CardTap, NfcStation } from '../../hardware/nfc/types';
import type { CardCheckView } from '../../shared/contract/kiosk-api';
import type { Store } from './store/store';

/**
 * A signed-in operator taps a citizen's card on the counter reader: the chip record is verified
 * under the city's keys and checked against the kiosk's records, so the operator sees at once
 * whether it is a genuine, active card — or one already reported lost and replaced.
 */
export interface CardCheck {
  view(): CardCheckView | null;
  close(): void;
  onChange(listener: () => void): () => void;
  stop(): void;
}

export interface CardCheckOptions {
  readonly counter: NfcStation;
  readonly store: Store;
  readonly chipMasterKey: Uint8Array;
  /** Only while this is true (an operator is signed in and not asked for an approval). */
  readonly active: () => boolean;
}

export function createCardCheck(options: CardCheckOptions): CardCheck {
  const listeners = new Set<() => void>();
  let current: CardCheckView | null = null;
  const show = (view: CardCheckView | null): void => {
    current = view;
    for (const listener of listeners) listener();
  };

  const onTap = (tap: CardTap): void => {
    if (!options.active()) return;
    void check(tap).then((view) => {
      if (view) show(view);
    });
  };
  options.counter.on('card', onTap);

  async function check(tap: CardTap): Promise<CardCheckView | null> {
    if (tap.kind !== 'mifare-classic-1k') {
      return { verified: false, problem: { zh: '這不是市民卡（可能是手機或其他卡片）', en: 'This is not a citizen card (perhaps a phone or another card)' } };
    }
    const read = await options.counter.readRecord(deriveChipKeys(options.chipMasterKey, Buffer.from(tap.uid, 'hex')));
    if (!read.ok) {
      return read.error.kind === 'card_removed'
        ? null
        : { verified: false, problem: { zh: '晶片資料無法驗證：可能是偽造、毀損或尚未製卡完成的卡片', en: 'The chip record does not verify: a forged, damaged or unfinished card' } };
    }
    const { record } = read.value;
    if (record.cardType === 'employee') return null; // staff cards are for signing in
    const known = await options.store.cardByNumber(record.cardNumber);
    return {
      verified: true,
      cardNumber: record.cardNumber,
      cardType: record.cardType,
      scheme: record.scheme,
      issuedOn: record.issuedOn,
      expiresOn: record.expiresOn,
      balance: record.wallet.balance,
      status: known?.status ?? 'unknown',
    };
  }

  return {
    view: () => current,
    close: () => show(null),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop: () => options.counter.off('card', onTap),
  };
}
