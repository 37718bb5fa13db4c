import { isoDay, type Clock } from '../../../shared/clock';
import type { HistoryLine, MirrorState, TopUpRefusal, WalletCardView } from '../../../shared/contract/top-up';
import type { CardLookupStatus } from '../../../shared/domain/card-status';
import { monthOf, notesThatFit, roomUnderCap } from '../../../shared/domain/wallet';
import type { LogSink } from '../../../shared/log';
import type { WalletExceptionKind, WalletState, WalletTable } from '../store/wallet-types';

/**
 * The wallet part of a self-service tap (ISSUE15 "The card mirror", "Welfare points"): the ledger's
 * balance and history, this month's points (loaded on the first tap of the month), the chip's mirror
 * compared with the ledger and brought forward when it lags, and whether the card may be topped up
 * here now. Codes and numbers only; the card number never leaves the controller.
 */

/** What the chip said of its wallet: the mirror as read, or a mirror whose MAC did not verify. */
export type ChipWallet = { readonly kind: 'read'; readonly balance: number; readonly counter: number } | { readonly kind: 'invalid' };

/** Where the kiosk's cash stands for a new top-up. */
export type CashReadiness = 'ready' | 'unavailable' | 'none';

export interface WalletLookUpDeps {
  readonly wallet: Pick<WalletTable, 'walletOf' | 'history' | 'loadMonthlyPoints' | 'pointsOf' | 'raiseException' | 'exceptions' | 'confirmMirror'>;
  readonly cap: number;
  readonly accepted: readonly number[];
  /** The cash device takes every accepted note or none (a pulse acceptor): top-up only while they all fit. */
  readonly allOrNothing?: boolean;
  readonly clock: Clock;
  readonly cash: () => CashReadiness;
  /** Writes the ledger's mirror to the card on the reader and reads it back: true when it is there. */
  readonly writeMirror: (mirror: { cardNumber: string; balance: number; counter: number }) => Promise<boolean>;
  readonly log: LogSink;
}

export interface WalletTapInput {
  readonly cardNumber: string;
  readonly status: CardLookupStatus;
  readonly expired: boolean;
  readonly chip: ChipWallet;
}

/** The ledger's wallet of a tapped card for its holder's screen, or null when this kiosk keeps none for it. */
export async function walletOnTap(deps: WalletLookUpDeps, tap: WalletTapInput): Promise<WalletCardView | null> {
  const state = await deps.wallet.walletOf(tap.cardNumber);
  if (!state.known) return null;
  const usable = tap.status === 'active' && !tap.expired;
  const points = await pointsOnTap(deps, tap.cardNumber, state, usable);
  const mirror = usable ? await mirrorOnTap(deps, tap, state) : { state: pendingOf(state, tap.chip) > 0 ? ('pending' as const) : ('up-to-date' as const), exception: false };
  const history = await deps.wallet.history(tap.cardNumber, 10);
  const lines: HistoryLine[] = history.slice(0, 10).map((row) => ({ day: isoDay({ now: () => new Date(row.at) }), kind: row.kind, amount: row.amount, kioskId: row.kioskId }));
  const refusal = refusalFor(deps, tap, state.balance, mirror.exception);
  return {
    balance: state.balance,
    cap: deps.cap,
    mirror: mirror.state,
    pendingAmount: mirror.state === 'pending' ? pendingOf(state, tap.chip) : 0,
    points,
    history: lines,
    topUp: refusal
      ? { available: false, reason: refusal }
      : { available: true, room: roomUnderCap(state.balance, deps.cap), notes: notesThatFit(state.balance, deps.accepted, deps.cap, deps.allOrNothing) },
  };
}

function refusalFor(deps: WalletLookUpDeps, tap: WalletTapInput, balance: number, mirrorException: boolean): TopUpRefusal | null {
  if (tap.status === 'hot-listed' || tap.status === 'void') return 'hot-listed';
  if (tap.expired) return 'expired';
  if (tap.status !== 'active') return 'not-issued-here';
  if (mirrorException) return 'mirror-exception';
  const cash = deps.cash();
  if (cash === 'none') return 'no-cash-device';
  if (cash === 'unavailable') return 'cash-unavailable';
  if (notesThatFit(balance, deps.accepted, deps.cap).length === 0) return 'cap-reached';
  // Room for a small note, but a pulse acceptor could not refuse a large one.
  if (notesThatFit(balance, deps.accepted, deps.cap, deps.allOrNothing).length === 0) return 'near-cap';
  return null;
}

/** The month's points: loaded on the first tap of the month of an active card that gets them, else as they stand. */
async function pointsOnTap(deps: WalletLookUpDeps, cardNumber: string, state: WalletState, usable: boolean): Promise<WalletCardView['points']> {
  const monthly = state.monthlyPoints ?? 0;
  if (monthly <= 0) return null;
  const month = monthOf(isoDay(deps.clock));
  const points = usable ? await deps.wallet.loadMonthlyPoints({ cardNumber, month, points: monthly }) : await deps.wallet.pointsOf(cardNumber, month);
  if (points.loadedNow) deps.log({ eventId: 'wallet-points-loaded', disposition: 'success', message: `the month's points loaded (card …${cardNumber.slice(-4)})`, month, points: monthly });
  return { month: points.month, balance: points.balance, monthly, loadedNow: points.loadedNow };
}

const pendingOf = (state: WalletState, chip: ChipWallet): number => Math.max(0, state.balance - (chip.kind === 'read' ? chip.balance : (state.confirmed?.balance ?? 0)));

/**
 * The chip's mirror against the ledger: equal → up to date; behind → brought forward now (pending if
 * the write fails); ahead, or a different balance at the same counter, or a bad MAC with no credit
 * pending → an exception for staff, and no top-up until they have looked.
 */
async function mirrorOnTap(deps: WalletLookUpDeps, tap: WalletTapInput, state: WalletState): Promise<{ state: MirrorState; exception: boolean }> {
  const { chip } = tap;
  const confirmedCounter = state.confirmed?.counter ?? 0;
  const bringForward = async (): Promise<{ state: MirrorState; exception: boolean }> => {
    const written = await deps.writeMirror({ cardNumber: tap.cardNumber, balance: state.balance, counter: state.counter });
    if (!written) return { state: 'pending', exception: false };
    await deps.wallet.confirmMirror({ cardNumber: tap.cardNumber, counter: state.counter, balance: state.balance });
    deps.log({ eventId: 'wallet-mirror-written', disposition: 'success', message: `mirror brought forward on tap (card …${tap.cardNumber.slice(-4)})`, counter: state.counter });
    return { state: 'brought-forward', exception: false };
  };
  if (chip.kind === 'invalid') {
    // A torn write of a pending credit leaves a bad MAC: the ledger's mirror is written again.
    if (state.counter > confirmedCounter) return bringForward();
    await raiseOnce(deps, 'mirror-bad-mac', tap.cardNumber, { ledgerCounter: state.counter });
    return { state: 'up-to-date', exception: true };
  }
  if (chip.counter === state.counter && chip.balance === state.balance) {
    if (state.confirmed?.counter !== state.counter) await deps.wallet.confirmMirror({ cardNumber: tap.cardNumber, counter: state.counter, balance: state.balance });
    return { state: 'up-to-date', exception: false };
  }
  if (chip.counter < state.counter) return bringForward();
  const kind: WalletExceptionKind = chip.counter > state.counter ? 'mirror-ahead' : 'mirror-bad-mac';
  await raiseOnce(deps, kind, tap.cardNumber, { chipCounter: chip.counter, ledgerCounter: state.counter, chipBalance: chip.balance, ledgerBalance: state.balance });
  return { state: 'up-to-date', exception: true };
}

/** One open exception per card and kind: a card tapped again does not pile them up. */
async function raiseOnce(deps: WalletLookUpDeps, kind: WalletExceptionKind, cardNumber: string, details: Record<string, number>): Promise<void> {
  const open = await deps.wallet.exceptions({ open: true });
  if (open.some((exception) => exception.kind === kind && exception.cardNumber === cardNumber)) return;
  await deps.wallet.raiseException({ kind, cardNumber, journalId: null, amount: null, details });
  deps.log({ eventId: 'wallet-mirror-exception', disposition: 'failure', message: `${kind} (card …${cardNumber.slice(-4)}): top-up refused until staff look`, kind });
}
