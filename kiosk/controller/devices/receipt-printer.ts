import { openReceiptPrinter } from '../../../hardware/receipt-printer/driver';
import type { ReceiptPrinter } from '../../../hardware/receipt-printer/types';
import type { LogSink } from '../../../shared/log';
import { noDevice, simulated, type KioskConfig } from '../config';

/**
 * The receipt printer `devices.receiptPrinter` names: none (null), the simulated world's (at the host
 * end of its pty, `worldPaths.receiptPrinter`), or the serial device given.
 */
export async function openConfiguredReceiptPrinter(
  config: KioskConfig,
  worldPaths: { readonly receiptPrinter?: string } | null,
  log: LogSink,
): Promise<ReceiptPrinter | null> {
  const setting = config.devices.receiptPrinter;
  if (setting === noDevice) return null;
  const path = setting === simulated ? worldPaths?.receiptPrinter : setting;
  if (path === undefined) throw new Error('devices.receiptPrinter is simulated but the simulated world has no receipt printer');
  return openReceiptPrinter({ path, log });
}
