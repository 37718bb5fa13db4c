import type { Bilingual } from '../../../shared/contract/kiosk-api';

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

export function toStepError(error: unknown): IssuanceStepError {
  if (error instanceof IssuanceStepError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new IssuanceStepError(
    'unexpected',
    { zh: `發生未預期的錯誤，請重試或聯絡技術人員（${detail}）`, en: `Something unexpected went wrong; retry or call a technician (${detail})` },
    true,
  );
}
