import type { CitizenCardError } from '../../../hardware/card-record/types';
import type { PrinterError } from '../../../hardware/printer/types';
import { assertNever } from '../../../shared/result';
import { message, type MessageCode } from '../../../shared/contract/messages';
import { IssuanceStepError } from './issuance-errors';

/**
 * Device failures as advice an operator at a market stall can act on (worded by the screen), and
 * whether pressing "retry" can help without a hand on the machine first.
 */
type PrinterAdvice = Extract<MessageCode, `printer.${string}`>;
type NfcAdvice = Extract<MessageCode, `nfc.${string}`>;

export function printerFailure(error: PrinterError): IssuanceStepError {
  const fail = (code: PrinterAdvice, canRetry = true) => new IssuanceStepError(`printer_${error.kind}`, message(code), canRetry);
  switch (error.kind) {
    case 'feeder_empty':
      return fail('printer.feeder-empty');
    case 'ribbon_out':
      return fail('printer.ribbon-out');
    case 'cover_open':
      return fail('printer.cover-open');
    case 'jam':
      return fail('printer.jam');
    case 'hopper_full':
      return fail('printer.hopper-full');
    case 'need_cleaning':
      return fail('printer.need-cleaning', false);
    case 'head_error':
      return fail('printer.head-error', false);
    case 'unknown_command':
    case 'rejected':
    case 'bad_reply':
      return fail('printer.bad-reply');
    case 'timeout':
      return fail('printer.timeout');
    case 'disconnected':
    case 'closed':
      return fail('printer.disconnected');
    default:
      return assertNever(error);
  }
}

export function nfcFailure(error: CitizenCardError): IssuanceStepError {
  const fail = (code: NfcAdvice, canRetry = true) => new IssuanceStepError(`nfc_${error.kind}`, message(code), canRetry);
  // The chip itself failed: this card is lost, the next blank is not.
  const reprint = (code: NfcAdvice) => new IssuanceStepError(`nfc_${error.kind}`, message(code), true, true);
  switch (error.kind) {
    case 'no_card':
      return fail('nfc.no-card');
    case 'card_removed':
      return fail('nfc.card-removed');
    case 'unsupported_card':
      return fail('nfc.unsupported-card', false);
    case 'wrong_card':
      return fail('nfc.wrong-card');
    case 'auth_failed':
      return reprint('nfc.auth-failed');
    case 'write_verify_failed':
      return reprint('nfc.write-verify-failed');
    case 'command_failed':
    case 'timeout':
      return fail('nfc.no-answer');
    case 'reader_unavailable':
      return fail('nfc.reader-unavailable');
    case 'invalid_record':
    case 'record_invalid':
      return reprint('nfc.record-invalid');
    default:
      return assertNever(error);
  }
}
