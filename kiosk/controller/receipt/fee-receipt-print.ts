import type { Receipt, ReceiptLine, ReceiptPrinter } from '../../../hardware/receipt-printer/types';
import { silentLog, type LogSink } from '../../../shared/log';
import { dollars, receiptColumns, row, taiwanTime } from '../top-up/receipt-print';

/** What a replacement fee's paper receipt says: the same facts as the signed receipt in its QR code (issue 16). */
export interface FeeReceiptPrint {
  readonly kioskId: string;
  /** The new card's last four digits. */
  readonly last4: string;
  /** Whole NT dollars. */
  readonly amount: number;
  /** ISO instant of the receipt. */
  readonly time: string;
  /** The card job's id: the receipt's journal id. */
  readonly jobId: string;
  /** The signed receipt's text (`TCR1.…`), printed as a QR code. */
  readonly qr: string;
}

/** The paper receipt, ASCII only (the top-up receipt's layout and reasons); null when a field is out of range. */
export function formatFeeReceipt(fields: FeeReceiptPrint): Receipt | null {
  const time = taiwanTime(fields.time);
  if (time === null || !/^\d{4}$/.test(fields.last4) || !Number.isSafeInteger(fields.amount) || fields.amount <= 0) return null;
  const rule: ReceiptLine = { kind: 'text', text: '-'.repeat(receiptColumns) };
  return {
    lines: [
      { kind: 'text', text: 'REPLACEMENT FEE', align: 'center', bold: true, width: 2, height: 2 },
      { kind: 'text', text: 'TAOYUAN CITIZEN CARD', align: 'center' },
      rule,
      ...row('KIOSK', fields.kioskId),
      ...row('NEW CARD', `**** ${fields.last4}`),
      ...row('FEE PAID', `NT$ ${dollars(fields.amount)}`, { bold: true }),
      ...row('TIME', time),
      ...row('JOB', fields.jobId),
      rule,
      { kind: 'qr', data: fields.qr, moduleSize: 4, errorCorrection: 'M' },
      { kind: 'text', text: 'SIGNED RECEIPT - SCAN TO VERIFY', align: 'center' },
    ],
    cut: 'partial',
  };
}

/** Prints a fee's receipt. Never throws: the fee is recorded whatever the paper says; a failure is logged for staff. */
export async function printFeeReceipt(printer: ReceiptPrinter, fields: FeeReceiptPrint, log: LogSink = silentLog): Promise<'printed' | 'failed'> {
  const receipt = formatFeeReceipt(fields);
  const failed = (reason: string): 'failed' => {
    log({ eventId: 'fee-receipt-failed', disposition: 'failure', message: `fee receipt not printed: ${reason}`, reason, jobId: fields.jobId });
    return 'failed';
  };
  if (receipt === null) return failed('invalid_fields');
  try {
    const result = await printer.print(receipt);
    if (!result.ok) return failed(result.error.kind);
    log({ eventId: 'fee-receipt-printed', disposition: 'success', message: 'fee receipt printed', jobId: fields.jobId });
    return 'printed';
  } catch (error) {
    return failed(`exception: ${String(error)}`);
  }
}
