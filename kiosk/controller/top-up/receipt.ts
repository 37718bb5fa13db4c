import type { Clock } from '../../../shared/clock';
import type { ReceiptView } from '../../../shared/contract/top-up';
import type { ReceiptSigner } from '../receipt/receipt-signer';

/**
 * The receipt of a visit: the signed text the QR code holds (kiosk id, card last 4, amount, time,
 * journal id: `shared/contract/receipt.ts`) and the figures the screen shows beside it, printed too
 * where the kiosk has a receipt printer.
 */
export function receiptMaker(
  signer: ReceiptSigner,
  kioskId: string,
  clock: Clock,
  /** Prints it where the kiosk has a receipt printer (`printReceiptView` of the receipt-printer branch). */
  print?: (view: Omit<ReceiptView, 'printed'>) => Promise<ReceiptView['printed']>,
) {
  return async (input: { topUpId: string; last4: string; amount: number; balance: number }): Promise<ReceiptView> => {
    const at = clock.now().toISOString();
    const qr = signer.sign({ kioskId, last4: input.last4, amount: input.amount, at, journalId: input.topUpId });
    const view = { journalId: input.topUpId, last4: input.last4, amount: input.amount, balance: input.balance, at, qr };
    return { ...view, printed: print ? await print(view) : 'no-printer' };
  };
}
