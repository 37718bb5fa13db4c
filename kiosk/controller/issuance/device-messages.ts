import type { CitizenCardError } from '../../../hardware/card-record/types';
import type { PrinterError } from '../../../hardware/printer/types';
import { assertNever } from '../../../shared/result';
import { IssuanceStepError } from './issuance-errors';

/**
 * Device failures in words an operator at a market stall can act on, and whether pressing
 * "retry" can help without a hand on the machine first.
 */
export function printerFailure(error: PrinterError): IssuanceStepError {
  const fail = (zh: string, en: string, canRetry = true) => new IssuanceStepError(`printer_${error.kind}`, { zh, en }, canRetry);
  switch (error.kind) {
    case 'feeder_empty':
      return fail('製卡機沒有空白卡，請補充卡片後按「重試」', 'The card printer is out of blank cards: load cards, then press Retry');
    case 'ribbon_out':
      return fail('色帶用完，請更換色帶後按「重試」', 'The ribbon has run out: change it, then press Retry');
    case 'cover_open':
      return fail('製卡機上蓋開啟，請關上後按「重試」', 'The printer cover is open: close it, then press Retry');
    case 'jam':
      return fail('卡片卡住，請打開製卡機取出卡片後按「重試」', 'A card is jammed: open the printer, remove it, then press Retry');
    case 'hopper_full':
      return fail('出卡槽已滿，請取出卡片後按「重試」', 'The output hopper is full: empty it, then press Retry');
    case 'need_cleaning':
      return fail('製卡機需要清潔，請聯絡技術人員', 'The printer needs cleaning: call a technician', false);
    case 'head_error':
      return fail('列印頭故障，請聯絡技術人員', 'Print head fault: call a technician', false);
    case 'unknown_command':
    case 'rejected':
    case 'bad_reply':
      return fail('製卡機回應異常，請重試；若持續發生請聯絡技術人員', 'The printer gave an unexpected answer: retry, and call a technician if it persists');
    case 'timeout':
      return fail('製卡機沒有回應，請確認電源後按「重試」', 'The printer did not answer: check its power, then press Retry');
    case 'disconnected':
    case 'closed':
      return fail('製卡機未連線，請檢查連接線後按「重試」', 'The card printer is not connected: check the cable, then press Retry');
    default:
      return assertNever(error);
  }
}

export function nfcFailure(error: CitizenCardError): IssuanceStepError {
  const fail = (zh: string, en: string, canRetry = true) => new IssuanceStepError(`nfc_${error.kind}`, { zh, en }, canRetry);
  switch (error.kind) {
    case 'no_card':
      return fail('感應區沒有卡片，請確認卡片已送到感應位置後按「重試」', 'No card at the contactless station: check the card is in place, then press Retry');
    case 'card_removed':
      return fail('寫入晶片時卡片離開感應區，請放回後按「重試」', 'The card left the reader while the chip was written: put it back, then press Retry');
    case 'unsupported_card':
      return fail('這張卡片不是市民卡晶片卡（可能是手機或其他卡片）', 'This is not a citizen-card chip (perhaps a phone or another card)', false);
    case 'wrong_card':
      return fail('感應區上是另一張卡片，請只放製作中的卡片', 'Another card is on the reader: leave only the card being made');
    case 'auth_failed':
      return fail('晶片驗證失敗，這張卡片無法使用，將送入廢卡匣', 'The chip refused its keys: this card cannot be used and goes to the reject box', false);
    case 'write_verify_failed':
      return fail('晶片寫入驗證不符，這張卡片將送入廢卡匣', 'The chip did not read back what was written: this card goes to the reject box', false);
    case 'command_failed':
    case 'timeout':
      return fail('讀卡機沒有正常回應，請按「重試」', 'The card reader did not answer properly: press Retry');
    case 'reader_unavailable':
      return fail('讀卡機未連線，請檢查連接後按「重試」', 'The card reader is not connected: check it, then press Retry');
    case 'invalid_record':
    case 'record_invalid':
      return fail('晶片資料無法驗證，這張卡片將送入廢卡匣', 'The chip record does not verify: this card goes to the reject box', false);
    default:
      return assertNever(error);
  }
}
