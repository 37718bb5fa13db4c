import { deriveChipKeys } from '../../hardware/card-record/keys';
import type { CardTap } from '../../hardware/nfc/types';
import type { CitizenCardStation } from '../../hardware/card-record/types';
import type { CardCheckView, VoidReason } from '../../shared/contract/kiosk-api';
import { message, type Message } from '../../shared/contract/messages';
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
  voidShown(input: { cardNumber: string; reason: VoidReason; operatorId: string | null; approvedBy: string | null }): Promise<Result<void, Message>>;
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
      return { verified: false, problem: message('card-check.not-a-citizen-card') };
    }
    const read = await options.counter.readRecord(deriveChipKeys(options.chipMasterKey, Buffer.from(tap.uid, 'hex')));
    if (!read.ok) {
      if (read.error.kind === 'timeout') return { verified: false, problem: message('card-check.no-answer') };
      return read.error.kind === 'card_removed'
        ? null
        : { verified: false, problem: message('card-check.not-verified') };
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
      const refuse = (problem: Message): Result<void, Message> => {
        const now = stillShown();
        if (now) show({ ...now, notice: problem });
        return err(problem);
      };
      const shown = stillShown();
      if (!shown) return err(message('card-check.not-on-show'));
      if (shown.status !== 'active') return refuse(message('card-check.void-not-active', { status: shown.status }));
      const changed = await options.store.setCardStatus({
        cardNumber: input.cardNumber,
        status: 'void',
        reason: input.reason,
        operatorId: input.operatorId,
        ...(input.approvedBy ? { approvedBy: input.approvedBy } : {}),
      });
      if (!changed.ok) return refuse(message('card-check.record-changed', { detail: changed.error.kind === 'card_not_found' ? 'no record' : changed.error.status }));
      const voided = stillShown();
      if (voided) show({ ...voided, status: 'void', notice: message('card-check.voided') });
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
