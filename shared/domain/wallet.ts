/**
 * The e-wallet and welfare points as rules (domain.md "Money and points"): whole NT dollars as
 * integers, a stored-value cap, the notes a kiosk takes, and the month a welfare-point load belongs
 * to. Pure: the ledger in the store posts what these functions decide.
 *
 * The ledger is double-entry: every transfer moves a positive amount from one account to another,
 * so the sum over all accounts is always zero and a card's balance is derived from its transfers.
 *   money:  cash-box → wallet:<card>                 (a note stacked and credited)
 *           adjustment → wallet:<card>                (a supervisor settles an exception)
 *           wallet:<old card> → fee-income             (a replacement's fee paid from the replaced card, once per job)
 *   points: points-grant:<YYYY-MM> → points:<card>    (the month's welfare points, once a month)
 *           points:<card> → points-lapsed:<YYYY-MM>   (what was left of a month, at the first tap after it)
 */

/** The notes a kiosk takes by default; NT$200 and NT$2000 notes are rare and refused (protocols.md). */
export const defaultAcceptedNotes: readonly number[] = [100, 500, 1000];

/** Room left under the cap (never negative). */
export function roomUnderCap(balance: number, cap: number): number {
  return Math.max(0, cap - balance);
}

/** A note may be stacked only if the balance after it stays within the cap. */
export function noteFits(balance: number, note: number, cap: number): boolean {
  return Number.isInteger(note) && note > 0 && balance + note <= cap;
}

/**
 * The accepted notes that still fit: the validator is told to take only these (the rest are
 * inhibited). A device that takes all or nothing (a pulse acceptor cannot refuse one denomination,
 * nor give a note back) takes notes only while every accepted note fits.
 */
export function notesThatFit(balance: number, accepted: readonly number[], cap: number, allOrNothing = false): number[] {
  const fit = accepted.filter((note) => noteFits(balance, note, cap));
  return allOrNothing && fit.length < accepted.length ? [] : fit;
}

/** The month an ISO day (YYYY-MM-DD, the kiosk's local calendar) belongs to: YYYY-MM. */
export function monthOf(isoDay: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(isoDay)) throw new Error(`not an ISO day: ${isoDay}`);
  return isoDay.slice(0, 7);
}

export type LedgerAccount =
  | 'cash-box'
  | 'adjustment'
  | 'fee-income'
  | `wallet:${string}`
  | `points:${string}`
  | `points-grant:${string}`
  | `points-lapsed:${string}`;

export const walletAccount = (cardNumber: string): LedgerAccount => `wallet:${cardNumber}`;
/** Where replacement fees paid from an e-wallet go (issue 16). */
export const feeIncomeAccount: LedgerAccount = 'fee-income';
export const pointsAccount = (cardNumber: string): LedgerAccount => `points:${cardNumber}`;
export const pointsGrantAccount = (month: string): LedgerAccount => `points-grant:${month}`;
export const pointsLapsedAccount = (month: string): LedgerAccount => `points-lapsed:${month}`;

/** What a transfer is, for history and reports. */
export const transferKinds = ['cash-top-up', 'adjustment', 'points-load', 'points-lapse', 'fee'] as const;
export type TransferKind = (typeof transferKinds)[number];

export interface Transfer {
  readonly from: LedgerAccount;
  readonly to: LedgerAccount;
  /** Whole NT dollars (or points), > 0. */
  readonly amount: number;
}

/** An account's balance: what came in minus what went out. */
export function balanceOf(transfers: readonly Transfer[], account: LedgerAccount): number {
  let balance = 0;
  for (const transfer of transfers) {
    if (transfer.to === account) balance += transfer.amount;
    if (transfer.from === account) balance -= transfer.amount;
  }
  return balance;
}
