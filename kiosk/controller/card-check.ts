import { deriveChipKeys } from '../../hardware/card-record/keys';
import type { CardTap } from '../../hardware/nfc/types';
import type { CitizenCardStation } from '../../hardware/card-record/types';
import type { Bilingual, CardCheckView, VoidReason } from '../../shared/contract/kiosk-api';
import { err, ok, type Result } from '../../shared/result';
import type { Store } from './store/store';

/**
 * A signed-in operator taps a citizen's card on the counter reader: the chip record is verified
 * under the city's keys and checked against the kiosk's records, so the operator sees at once
 * whether it is a genuine, active card — or one already reported lost and replaced.
 */
export interface CardCheck {
  view(): CardCheckView | null;
  /**
   * Voids the card on show (permission already checked by the caller) and shows its new status.
   * Refused when another card is on show or the kiosk's record is not active.
   */
  voidShown(input: { cardNumber: string; reason: VoidReason; operatorId: string | null; approvedBy: string | null }): Promise<Result<void, Bilingual>>;
  close(): void;
  onChange(listener: () => void): () => void;
  stop(): void;
}

export interface CardCheckOptions {
  readonly counter: CitizenCardStation;
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
      if (read.error.kind === 'timeout') return { verified: false, problem: { zh: '卡片沒有及時回應，請再感應一次', en: 'The card did not answer in time: tap it again' } };
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
      notice: null,
    };
  }

  return {
    view: () => current,
    async voidShown(input) {
      // The screen may move on to another card meanwhile: only this card's view is ever updated.
      const stillShown = () => (current?.verified && current.cardNumber === input.cardNumber ? current : null);
      const refuse = (problem: Bilingual): Result<void, Bilingual> => {
        const now = stillShown();
        if (now) show({ ...now, notice: problem });
        return err(problem);
      };
      const shown = stillShown();
      if (!shown) return err({ zh: '這張卡已不在畫面上，請重新感應', en: 'That card is no longer on show: tap it again' });
      if (shown.status !== 'active') return refuse({ zh: '只有本機發行且使用中的卡片可以作廢', en: `Only an active card issued by this kiosk can be voided (this one is ${shown.status})` });
      const changed = await options.store.setCardStatus({
        cardNumber: input.cardNumber,
        status: 'void',
        reason: input.reason,
        operatorId: input.operatorId,
        ...(input.approvedBy ? { approvedBy: input.approvedBy } : {}),
      });
      if (!changed.ok) return refuse({ zh: '本機的紀錄已變更，這張卡無法作廢', en: `The kiosk's record changed: the card cannot be voided (${changed.error.kind === 'card_not_found' ? 'no record' : changed.error.status})` });
      const voided = stillShown();
      if (voided) show({ ...voided, status: 'void', notice: { zh: '已作廢', en: 'Voided' } });
      return ok(undefined);
    },
    close: () => show(null),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop: () => options.counter.off('card', onTap),
  };
}
