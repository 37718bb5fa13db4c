import type { Receipt, ReceiptLine, ReceiptPrinter } from '../../../hardware/receipt-printer/types';
import type { ReceiptView } from '../../../shared/contract/top-up';
import { silentLog, type LogSink } from '../../../shared/log';

/** What a top-up receipt says: the same facts as the signed receipt in its QR code. */
export interface TopUpReceiptFields {
  readonly kioskId: string;
  /** The card number's last four digits. */
  readonly last4: string;
  /** Whole NT dollars. */
  readonly amount: number;
  /** The wallet's balance after the top-up, whole NT dollars. */
  readonly balance: number;
  /** When it was credited: an ISO 8601 instant. */
  readonly time: string;
  readonly journalId: string;
  /** The signed receipt's canonical text (`TCR1.…`), printed as a QR code. */
  readonly qr: string;
}

/**
 * 42 columns: the narrowest Font A line of an 80 mm TM-T20 / TM-T88 (their 42-column mode); a printer
 * in 48-column mode prints the same lines with a wider right margin.
 */
export const receiptColumns = 42;

/**
 * The paper receipt: numbers and short English labels in ASCII only. The controller holds no Chinese
 * text, and Big5 (FS &) prints only on Taiwanese models; the person reads the same receipt in their
 * language on the screen, and the QR code carries the signed facts.
 */
export function formatTopUpReceipt(fields: TopUpReceiptFields): Receipt | null {
  const time = taiwanTime(fields.time);
  if (time === null || !/^\d{4}$/.test(fields.last4) || !isWholeDollars(fields.amount) || !isWholeDollars(fields.balance)) return null;
  const rule: ReceiptLine = { kind: 'text', text: '-'.repeat(receiptColumns) };
  return {
    lines: [
      { kind: 'text', text: 'E-WALLET TOP-UP', align: 'center', bold: true, width: 2, height: 2 },
      { kind: 'text', text: 'TAOYUAN CITIZEN CARD', align: 'center' },
      rule,
      ...row('KIOSK', fields.kioskId),
      ...row('CARD', `**** ${fields.last4}`),
      ...row('AMOUNT', `NT$ ${dollars(fields.amount)}`, { bold: true }),
      ...row('BALANCE', `NT$ ${dollars(fields.balance)}`),
      ...row('TIME', time),
      ...row('JOURNAL', fields.journalId),
      rule,
      { kind: 'qr', data: fields.qr, moduleSize: 4, errorCorrection: 'M' },
      { kind: 'text', text: 'SIGNED RECEIPT - SCAN TO VERIFY', align: 'center' },
    ],
    cut: 'partial',
  };
}

/**
 * Prints the receipt of a top-up. Never throws: a printer out of paper, with its cover open or gone
 * is logged (for staff) and answered `failed`; the credit is in the ledger whatever the paper says.
 */
export async function printTopUpReceipt(printer: ReceiptPrinter, fields: TopUpReceiptFields, log: LogSink = silentLog): Promise<'printed' | 'failed'> {
  const receipt = formatTopUpReceipt(fields);
  if (receipt === null) {
    log({ eventId: 'top-up-receipt-failed', disposition: 'failure', message: 'top-up receipt not printed: fields out of range', reason: 'invalid_fields', journalId: fields.journalId });
    return 'failed';
  }
  try {
    const result = await printer.print(receipt);
    if (result.ok) {
      log({ eventId: 'top-up-receipt-printed', disposition: 'success', message: 'top-up receipt printed', journalId: fields.journalId, paperNearEnd: result.value.paperNearEnd });
      return 'printed';
    }
    log({ eventId: 'top-up-receipt-failed', disposition: 'failure', message: `top-up receipt not printed: ${result.error.kind}`, reason: result.error.kind, journalId: fields.journalId });
    return 'failed';
  } catch (error) {
    log({ eventId: 'top-up-receipt-failed', disposition: 'failure', message: `top-up receipt not printed: ${String(error)}`, reason: 'exception', journalId: fields.journalId });
    return 'failed';
  }
}

/**
 * The screen's receipt on paper where the kiosk has a printer (`openConfiguredReceiptPrinter` gives null
 * where it has none): what goes in `ReceiptView.printed`.
 */
export async function printReceiptView(
  printer: ReceiptPrinter | null,
  kioskId: string,
  view: Omit<ReceiptView, 'printed'>,
  log: LogSink = silentLog,
): Promise<ReceiptView['printed']> {
  if (printer === null) return 'no-printer';
  return printTopUpReceipt(printer, { kioskId, last4: view.last4, amount: view.amount, balance: view.balance, time: view.at, journalId: view.journalId, qr: view.qr }, log);
}

/** A label on the left, its value on the right; a value too long for the line goes right-aligned under it. */
export function row(label: string, value: string, style: { readonly bold?: boolean } = {}): ReceiptLine[] {
  const gap = receiptColumns - label.length - value.length;
  if (gap >= 1) return [{ kind: 'text', text: `${label}${' '.repeat(gap)}${value}`, ...style }];
  return [{ kind: 'text', text: label, ...style }, { kind: 'text', text: value, align: 'right', ...style }];
}

const isWholeDollars = (value: number): boolean => Number.isSafeInteger(value) && value >= 0;

/** 12345 → "12,345". */
export const dollars = (value: number): string => String(value).replace(/\B(?=(\d{3})+$)/g, ',');

/** Taiwan keeps UTC+8 all year (no summer time since 1979): a fixed offset, whatever the kiosk's TZ. */
const taiwanOffsetMs = 8 * 60 * 60 * 1000;

/** An ISO instant as Taiwan's wall-clock time, "2026-12-07 09:38:44 +08:00"; null when it is no instant. */
export function taiwanTime(iso: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(iso)) return null;
  const instant = Date.parse(iso);
  if (Number.isNaN(instant)) return null;
  const local = new Date(instant + taiwanOffsetMs).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 19)} +08:00`;
}
