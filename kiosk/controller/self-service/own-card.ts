import { deriveChipKeys } from '../../../hardware/card-record/keys';
import type { CitizenCardRecord } from '../../../hardware/card-record/layout';
import type { CardTap } from '../../../hardware/nfc/types';
import type { CitizenCardStation } from '../../../hardware/card-record/types';
import { isoDay, type Clock } from '../../../shared/clock';
import type { RecordedCardStatus } from '../../../shared/domain/card-status';
import type { SelfServiceCardView, SelfServiceClosure, SelfServiceProblem, SelfServiceView } from '../../../shared/contract/kiosk-api';
import type { LogSink } from '../../../shared/log';
import { assertNever } from '../../../shared/result';

/**
 * The unattended kiosk's home: a citizen taps their own card on the counter reader and sees that
 * card's chip data and the kiosk's status for it — never a name, an ID number or the whole card
 * number. What is on show goes away when the card is taken off the reader, after `showMs`, when
 * the citizen presses Done, when staff step up, or when the kiosk goes out of service, so the next
 * person sees nothing of the previous one.
 */
export interface SelfService {
  view(): SelfServiceView;
  onChange(listener: () => void): () => void;
  /** The citizen pressed Done: clear the screen now. */
  dismiss(): void;
  stop(): void;
}

export interface SelfServiceOptions {
  readonly counter: CitizenCardStation;
  /** The kiosk's record of a card (null when another kiosk issued it). */
  readonly cardStatus: (cardNumber: string) => Promise<RecordedCardStatus | null>;
  readonly chipMasterKey: Uint8Array;
  /** Staff at the kiosk (a staff card tapped, a PIN being typed, or signed in): no look-ups then. */
  readonly staffPresent: () => boolean;
  /** Why the kiosk is out of service now, or null. */
  readonly closure: () => SelfServiceClosure | null;
  readonly clock: Clock;
  readonly log: LogSink;
  readonly showMs?: number;
}

/** Long enough to read a balance slowly; short enough that the next person does not see it. */
const defaultShowMs = 30_000;

type Shown =
  | { readonly kind: 'reading' }
  | { readonly kind: 'card'; readonly card: SelfServiceCardView }
  | { readonly kind: 'problem'; readonly problem: SelfServiceProblem };

export function createSelfService(options: SelfServiceOptions): SelfService {
  const showMs = options.showMs ?? defaultShowMs;
  const listeners = new Set<() => void>();
  let shown: Shown | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** Bumped by every tap and removal: a read that finishes after either is stale and dropped. */
  let generation = 0;

  const changed = (): void => {
    for (const listener of listeners) listener();
  };
  const available = (): boolean => !options.staffPresent() && options.closure() === null;
  const clear = (): void => {
    clearTimeout(timer);
    timer = undefined;
    if (shown === null) return;
    shown = null;
    changed();
  };
  const show = (next: Shown): void => {
    clearTimeout(timer);
    shown = next;
    if (next.kind !== 'reading') {
      timer = setTimeout(clear, showMs);
      timer.unref();
    }
    changed();
  };

  const onTap = (tap: CardTap): void => {
    generation += 1;
    if (!available()) return clear();
    const mine = generation;
    show({ kind: 'reading' });
    void lookUp(tap).then(
      (result) => {
        if (mine !== generation) return;
        if (!result || !available()) return clear();
        show(result);
      },
      (error: unknown) => {
        options.log({ eventId: 'self-service-lookup-failed', disposition: 'failure', message: String(error) });
        if (mine === generation) show({ kind: 'problem', problem: 'unreadable' });
      },
    );
  };
  const onRemoved = (): void => {
    generation += 1;
    clear();
  };
  const onUnreadable = (): void => {
    generation += 1;
    if (available()) show({ kind: 'problem', problem: 'several-cards' });
  };
  /** The cards that could not be read left the reader: their message goes with them. */
  const onUnreadableGone = (): void => {
    if (shown?.kind === 'problem' && shown.problem === 'several-cards') clear();
  };
  options.counter.on('card', onTap);
  options.counter.on('removed', onRemoved);
  options.counter.on('cardUnreadable', onUnreadable);
  options.counter.on('unreadableGone', onUnreadableGone);

  async function lookUp(tap: CardTap): Promise<Shown | null> {
    if (tap.kind !== 'mifare-classic-1k') return { kind: 'problem', problem: 'not-a-citizen-card' };
    const read = await options.counter.readRecord(deriveChipKeys(options.chipMasterKey, Buffer.from(tap.uid, 'hex')));
    if (!read.ok) {
      if (read.error.kind === 'card_removed' || read.error.kind === 'no_card') return null;
      options.log({ eventId: 'self-service-card-unreadable', disposition: 'failure', message: read.error.kind });
      return { kind: 'problem', problem: 'unreadable' };
    }
    const { record } = read.value;
    if (record.cardType === 'employee') return null; // a staff card: the staff sign-in takes it
    const status = (await options.cardStatus(record.cardNumber)) ?? 'unknown';
    options.log({ eventId: 'self-service-card-shown', disposition: 'success', message: `a ${record.cardType} card (${status}) looked up by its holder`, status });
    return { kind: 'card', card: ownCardView(record, status, isoDay(options.clock)) };
  }

  return {
    view() {
      const closure = options.closure();
      // Whatever was on show is forgotten, not just hidden: it must not come back afterwards.
      if (closure || options.staffPresent()) {
        generation += 1;
        clearTimeout(timer);
        shown = null;
      }
      if (closure) return { state: 'out-of-service', reason: closure };
      if (!shown) return { state: 'ready' };
      switch (shown.kind) {
        case 'reading':
          return { state: 'reading' };
        case 'card':
          return { state: 'card', card: shown.card, showSeconds: Math.round(showMs / 1000) };
        case 'problem':
          return { state: 'problem', problem: shown.problem };
        default:
          return assertNever(shown);
      }
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dismiss() {
      generation += 1;
      clear();
    },
    stop() {
      clearTimeout(timer);
      options.counter.off('card', onTap);
      options.counter.off('removed', onRemoved);
      options.counter.off('cardUnreadable', onUnreadable);
      options.counter.off('unreadableGone', onUnreadableGone);
    },
  };
}

/** Only what the card itself carries plus its status: the number masked, no balance on a card not to be used. */
function ownCardView(record: CitizenCardRecord, status: SelfServiceCardView['status'], today: string): SelfServiceCardView {
  const usable = status === 'active' || status === 'unknown';
  return {
    last4: record.cardNumber.slice(-4),
    cardType: record.cardType,
    scheme: record.scheme,
    status,
    expiresOn: record.expiresOn,
    expired: record.expiresOn < today,
    balance: usable ? record.wallet.balance : null,
  };
}
