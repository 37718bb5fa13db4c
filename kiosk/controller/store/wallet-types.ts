import type { TransferKind } from '../../../shared/domain/wallet';
import type { Result } from '../../../shared/result';

/**
 * The e-wallet, welfare points and cash journal as the store keeps them (migration 007), exposed as
 * `store.wallet` (./wallet.ts). Every write is one transaction with its audit row (no personal data:
 * a card number is the card's, not the holder's; amounts; ids). Every write is idempotent where a
 * restart may repeat it: crediting a note twice, loading a month's points twice or settling an
 * exception twice changes nothing the second time.
 */

export type CashDeviceKind = 'cctalk' | 'pulse';

export type JournalState = 'escrow' | 'routing' | 'credited' | 'returned' | 'exception';

export interface JournalRow {
  readonly id: string;
  readonly topUpId: string;
  readonly cardNumber: string;
  readonly device: CashDeviceKind;
  readonly billType: number | null;
  readonly amount: number;
  readonly escrowCounter: number | null;
  readonly stackedCounter: number | null;
  readonly state: JournalState;
  readonly openedAt: string;
  readonly closedAt: string | null;
}

/** A card's wallet as the ledger says. */
export interface WalletState {
  /** This kiosk issued the card (its issuance is on file): only then does it keep its wallet. */
  readonly known: boolean;
  /** Derived from the card's transfers. */
  readonly balance: number;
  /** The ledger's transaction counter for the card: the number of its wallet transfers. */
  readonly counter: number;
  /** The mirror last read back from the chip (null: never confirmed; a new card is counter 0, balance 0). */
  readonly confirmed: { readonly counter: number; readonly balance: number } | null;
  /** The month's welfare points for this card (null: not a card this kiosk issued; 0: no points). */
  readonly monthlyPoints: number | null;
}

export interface HistoryRow {
  /** ISO instant. */
  readonly at: string;
  readonly kind: TransferKind;
  /** Signed for the card: + into the card's wallet or points, − out of them. */
  readonly amount: number;
  readonly kioskId: string;
}

export interface PointsState {
  readonly month: string;
  readonly balance: number;
  readonly loadedNow: boolean;
}

export type WalletExceptionKind =
  | 'events-lost'
  | 'validator-restarted'
  | 'note-unsafe-jam'
  | 'note-unknown'
  | 'mirror-ahead'
  | 'mirror-bad-mac'
  | 'note-unclaimed';

export type Settlement = 'credited' | 'refunded' | 'no-money' | 'card-corrected';

export interface WalletException {
  readonly id: string;
  readonly kind: WalletExceptionKind;
  readonly cardNumber: string | null;
  readonly journalId: string | null;
  readonly amount: number | null;
  readonly details: Readonly<Record<string, string | number | boolean | null>>;
  readonly openedAt: string;
  readonly settledAt: string | null;
  readonly settledBy: string | null;
  readonly settlement: Settlement | null;
}

export interface PendingCredit {
  readonly cardNumber: string;
  readonly ledgerCounter: number;
  readonly confirmedCounter: number;
  /** Ledger balance minus the confirmed mirror's balance. */
  readonly amount: number;
}

export type WalletError =
  /** A note is already open in the journal (one note in escrow at a time). */
  | { readonly kind: 'note_open'; readonly journalId: string }
  | { readonly kind: 'journal_not_found'; readonly journalId: string }
  /** The row was closed before (credited, returned or an exception): nothing changed. */
  | { readonly kind: 'already_closed'; readonly journalId: string; readonly state: JournalState }
  /** The credit would take the balance over the cap (checked again inside the transaction). */
  | { readonly kind: 'over_cap'; readonly balance: number; readonly cap: number }
  | { readonly kind: 'exception_not_found'; readonly id: string }
  | { readonly kind: 'already_settled'; readonly id: string }
  /** `credited` needs the exception's card and amount: settle it another way (e.g. `card-corrected`). */
  | { readonly kind: 'cannot_credit'; readonly id: string; readonly missing: 'card' | 'amount' };

/** Notes by denomination (NT dollars → count). */
export type NoteCounts = Readonly<Record<string, number>>;

export interface Reconciliation {
  /** Since the last count (or since the start). */
  readonly since: string | null;
  readonly counted: NoteCounts | null;
  /** Notes credited to cards (cash-top-up transfers) by denomination. */
  readonly credited: NoteCounts;
  /** Notes the journal saw stacked (credited or in an exception) by denomination. */
  readonly stacked: NoteCounts;
  /** Notes in open exceptions by denomination (taken, not credited, waiting for a supervisor). */
  readonly inDoubt: NoteCounts;
  /** Each difference in words a supervisor reads: denomination, which two figures, by how much. */
  readonly differences: readonly string[];
}

export interface WalletTable {
  walletOf(cardNumber: string): Promise<WalletState>;
  history(cardNumber: string, limit: number): Promise<HistoryRow[]>;
  /**
   * The month's points for the card: loads them if this month's are not loaded yet (first lapsing
   * what earlier months left), once per card and month even across a crash or two kiosks on one store.
   */
  loadMonthlyPoints(input: { cardNumber: string; month: string; points: number }): Promise<PointsState>;
  pointsOf(cardNumber: string, month: string): Promise<PointsState>;

  startTopUp(cardNumber: string): Promise<{ readonly topUpId: string }>;
  endTopUp(topUpId: string): Promise<void>;
  /** A note reported in escrow, before anything is sent to the validator. */
  journalEscrow(input: {
    topUpId: string;
    cardNumber: string;
    device: CashDeviceKind;
    billType: number | null;
    amount: number;
    escrowCounter: number | null;
  }): Promise<Result<{ readonly journalId: string }, WalletError>>;
  /** Just before "route to stacker" is sent. */
  markRouting(journalId: string): Promise<Result<void, WalletError>>;
  /** The validator reported the note stacked: credit it and close the row, in one transaction. */
  creditStacked(input: { journalId: string; stackedCounter: number | null; cap: number }): Promise<Result<{ readonly balance: number; readonly counter: number }, WalletError>>;
  /** Returned (by command, timeout or the validator's own refusal): closed, nothing credited. */
  closeReturned(journalId: string, reason: string): Promise<Result<void, WalletError>>;
  /** The open row, if any (at most one per device): what a restart settles. */
  openJournal(device: CashDeviceKind): Promise<JournalRow | null>;
  journalOf(topUpId: string): Promise<JournalRow[]>;

  /** Records what the kiosk will not guess; closes the journal row as `exception` when one is named. */
  raiseException(input: {
    kind: WalletExceptionKind;
    cardNumber: string | null;
    journalId: string | null;
    amount: number | null;
    details: Readonly<Record<string, string | number | boolean | null>>;
  }): Promise<{ readonly id: string }>;
  /** `open: true`: those waiting for a supervisor; `open: false`: every exception, settled or not. Oldest first. */
  exceptions(filter: { open: boolean }): Promise<WalletException[]>;
  /** A supervisor's audited settlement; `credited` posts an adjustment transfer to the card's wallet. */
  settleException(input: { id: string; settlement: Settlement; operatorId: string }): Promise<Result<WalletException, WalletError>>;

  /** The chip's mirror read back equal to what was written. */
  confirmMirror(input: { cardNumber: string; counter: number; balance: number }): Promise<void>;
  pendingCredits(): Promise<PendingCredit[]>;

  recordCashBox(input: { kind: 'opened' } | { kind: 'counted'; counts: NoteCounts }, operatorId: string): Promise<void>;
  reconcile(): Promise<Reconciliation>;
}
