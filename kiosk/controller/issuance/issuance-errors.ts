import { diskFullErrorKind } from '../../../shared/contract/kiosk-api';
import { message, type Message } from '../../../shared/contract/messages';
import { englishOf } from '../../../shared/i18n/message-catalogue';
import { isDiskFull } from '../store/disk-space';

/**
 * What a failed device or store step throws out of an XState actor: a tagged kind, a message code the
 * screen words for the operator, and whether trying the same step again can help.
 */
export class IssuanceStepError extends Error {
  constructor(
    readonly kind: string,
    readonly advice: Message,
    readonly canRetry: boolean,
    /** The card in the printer cannot be used (its chip failed): a retry rejects it and makes the card again on a new blank. */
    readonly reprints = false,
  ) {
    super(`${kind}: ${englishOf(advice)}`);
    this.name = 'IssuanceStepError';
  }
}

/**
 * The data disk is full (below its reserve, or a store write failed): retry helps once space is
 * freed, unless the card had to be spoiled (`canRetry` false).
 */
export function diskFullStepError(detail: string, canRetry = true): IssuanceStepError {
  return new IssuanceStepError(diskFullErrorKind, message('step.disk-full', { detail }), canRetry);
}

export function toStepError(error: unknown): IssuanceStepError {
  if (error instanceof IssuanceStepError) return error;
  if (isDiskFull(error)) return diskFullStepError((error as Error).message);
  const detail = error instanceof Error ? error.message : String(error);
  return new IssuanceStepError('unexpected', message('step.unexpected', { detail }), true);
}
