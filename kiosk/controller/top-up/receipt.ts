import type { Clock } from '../../../shared/clock';
import type { ReceiptView } from '../../../shared/contract/top-up';
import type { ReceiptSigner } from '../receipt/receipt-signer';

/**
 * The receipt of a visit: the signed text the QR code holds (kiosk id, card last 4, amount, time,
 * journal id: `shared/contract/receipt.ts`) and the figures the screen shows beside it. No printer is
 * wired here: the receipt printer's flow (issue 15, item 6) replaces `printed` when the kiosk has one.
 */
export function receiptMaker(signer: ReceiptSigner, kioskId: string, clock: Clock) {
  return async (input: { topUpId: string; last4: string; amount: number; balance: number }): Promise<ReceiptView> => {
    const at = clock.now().toISOString();
    const qr = signer.sign({ kioskId, last4: input.last4, amount: input.amount, at, journalId: input.topUpId });
    return { journalId: input.topUpId, last4: input.last4, amount: input.amount, balance: input.balance, at, qr, printed: 'no-printer' };
  };
}
