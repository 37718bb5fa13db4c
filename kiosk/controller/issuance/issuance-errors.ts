import { diskFullErrorKind, type Bilingual } from '../../../shared/contract/kiosk-api';
import { isDiskFull } from '../store/disk-space';

/**
 * What a failed device or store step throws out of an XState actor: a tagged kind, a message the
 * operator can act on, and whether trying the same step again can help.
 */
export class IssuanceStepError extends Error {
  constructor(
    readonly kind: string,
    readonly bilingual: Bilingual,
    readonly canRetry: boolean,
  ) {
    super(`${kind}: ${bilingual.en}`);
    this.name = 'IssuanceStepError';
  }
}

/**
 * The data disk is full (below its reserve, or a store write failed): retry helps once space is
 * freed, unless the card had to be spoiled (`canRetry` false).
 */
export function diskFullStepError(detail: string, canRetry = true): IssuanceStepError {
  return new IssuanceStepError(
    diskFullErrorKind,
    { zh: '本機的資料磁碟已滿，無法儲存製卡紀錄：請清出磁碟空間或聯絡技術人員', en: `The kiosk's data disk is full (${detail}): free space on it or call a technician` },
    canRetry,
  );
}

export function toStepError(error: unknown): IssuanceStepError {
  if (error instanceof IssuanceStepError) return error;
  if (isDiskFull(error)) return diskFullStepError((error as Error).message);
  const detail = error instanceof Error ? error.message : String(error);
  return new IssuanceStepError(
    'unexpected',
    { zh: `發生未預期的錯誤，請重試或聯絡技術人員（${detail}）`, en: `Something unexpected went wrong; retry or call a technician (${detail})` },
    true,
  );
}
