import type { FeeDueView, FeeSettlement, FeeWaiverReason } from '../../../shared/contract/fee';
import type { RefusalCode } from '../../../shared/contract/kiosk-api';
import type { Assessment, FeeWallet, SettledFee } from './issuance-types';

/**
 * The replacement's fee at the review (issue 16): what the flow keeps while it is settled, and why a
 * settlement or the print is refused. Pure: the issuance machine's guards and the controller's replies
 * ask the same questions here.
 */

export interface FeeState {
  /** The replaced card's e-wallet in the ledger, or null (none, or not read yet: see `walletLooking`). */
  readonly wallet: FeeWallet | null;
  readonly walletLooking: boolean;
  readonly settlement: FeeSettlement | null;
}

export const noFee: FeeState = { wallet: null, walletLooking: false, settlement: null };

export type FeeCommand = { readonly type: 'settle-fee'; readonly method: 'cash' | 'wallet' } | { readonly type: 'waive-fee'; readonly reason: FeeWaiverReason; readonly approvedBy: string | null };

export interface FeeRefusal {
  readonly code: RefusalCode;
  /** English, for staff and logs. */
  readonly reason: string;
}

/** Why this settlement cannot be recorded now, or null when it can. */
export function feeSettlementRefusal(assessment: Assessment, fee: FeeState, command: FeeCommand): FeeRefusal | null {
  if (assessment.fee <= 0) return { code: 'wrong-screen', reason: 'this card is free: there is no fee to settle' };
  if (command.type === 'waive-fee') {
    return command.approvedBy === null ? { code: 'other', reason: 'a waiver needs a supervisor’s approval (card and PIN)' } : null;
  }
  if (command.method === 'cash') return null;
  if (fee.walletLooking) return { code: 'fee-wallet-short', reason: 'the e-wallet of the card being replaced is still being read: try again in a moment' };
  if (fee.wallet === null) return { code: 'fee-wallet-short', reason: 'the card being replaced has no e-wallet in this kiosk’s ledger: take the fee in cash' };
  if (fee.wallet.balance < assessment.fee) {
    return { code: 'fee-wallet-short', reason: `the e-wallet holds NT$${fee.wallet.balance}, less than the fee of NT$${assessment.fee}: take it in cash` };
  }
  return null;
}

/** The settlement a command records. */
export function settlementOf(command: FeeCommand): FeeSettlement {
  return command.type === 'waive-fee'
    ? { method: 'waived', waiverReason: command.reason, approvedBy: command.approvedBy }
    : { method: command.method, waiverReason: null, approvedBy: null };
}

/** A fee is due and not settled yet: the print waits for it. */
export function feeUnsettled(assessment: Assessment, fee: FeeState): boolean {
  return assessment.fee > 0 && fee.settlement === null;
}

/** The fee the card job takes to the issuance's transaction (null: a free card). */
export function settledFeeOf(assessment: Assessment, fee: FeeState): SettledFee | null {
  if (assessment.fee <= 0 || fee.settlement === null) return null;
  return {
    ...fee.settlement,
    amount: assessment.fee,
    walletCardNumber: fee.settlement.method === 'wallet' ? (fee.wallet?.cardNumber ?? null) : null,
  };
}

/** The review's fee panel (null when nothing is due). */
export function feeDueView(assessment: Assessment, fee: FeeState, cause: string | null): FeeDueView | null {
  if (assessment.fee <= 0) return null;
  return {
    amount: assessment.fee,
    cause,
    wallet: fee.wallet ? { last4: fee.wallet.cardNumber.slice(-4), balance: fee.wallet.balance } : null,
    walletLooking: fee.walletLooking,
    settled: fee.settlement ? { method: fee.settlement.method, waiverReason: fee.settlement.waiverReason, approved: fee.settlement.approvedBy !== null } : null,
  };
}
