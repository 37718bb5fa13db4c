import type { PhotoCheckView } from '../../../../shared/contract/kiosk-api';
import type { MessageCode } from '../../../../shared/contract/messages';
import type { MessageKey } from '../../../../shared/i18n/messages';

/**
 * What the operator reads after a failed capture: each problem once, the one to fix first on top,
 * with one sentence of advice. The gate fails every measuring check "not measured" when it finds no
 * single face (eight lines of "Needs one face first"): those fold into the face check's own line.
 */

/** Most important first: a face, a single face, head size and position, pose, eyes, sharpness, light, background. */
const importance: readonly string[] = ['one-face', 'head-height', 'centred', 'frontal', 'eyes-open', 'sharpness', 'brightness', 'contrast', 'background'];

/** Within the face check, "no face" comes before "more than one face". */
const codeOrder: Partial<Record<MessageCode, number>> = { 'photo.no-face': 0, 'photo.many-faces': 1 };

/** The operator's advice for each message a failing check sends; a code without advice shows its message alone. */
const advice: Partial<Record<MessageCode, MessageKey>> = {
  'photo.no-face': 'photoAdviceNoFace',
  'photo.many-faces': 'photoAdviceManyFaces',
  'photo.not-measured': 'photoAdviceNotMeasured',
  'photo.come-closer': 'photoAdviceComeCloser',
  'photo.move-back': 'photoAdviceMoveBack',
  'photo.move-to-your-left': 'photoAdviceMoveLeft',
  'photo.move-to-your-right': 'photoAdviceMoveRight',
  'photo.move-up': 'photoAdviceMoveUp',
  'photo.move-down': 'photoAdviceMoveDown',
  'photo.face-camera': 'photoAdviceFaceCamera',
  'photo.head-straight': 'photoAdviceHeadStraight',
  'photo.open-eyes': 'photoAdviceOpenEyes',
  'photo.open-both-eyes': 'photoAdviceOpenBothEyes',
  'photo.blurred': 'photoAdviceBlurred',
  'photo.too-dark': 'photoAdviceTooDark',
  'photo.too-bright': 'photoAdviceTooBright',
  'photo.low-contrast': 'photoAdviceLowContrast',
  'photo.dark-background': 'photoAdviceDarkBackground',
  'photo.busy-background': 'photoAdviceBusyBackground',
  'photo.unreadable': 'photoAdviceUnreadable',
  'photo.crop-failed': 'photoAdviceCropFailed',
};

export interface FailingCheck {
  readonly check: PhotoCheckView;
  readonly advice: MessageKey | null;
}

const rank = (check: PhotoCheckView): number => {
  const at = importance.indexOf(check.id);
  return (at === -1 ? importance.length : at) * 10 + (codeOrder[check.message.code] ?? 2);
};

/** The failing checks, one line per message, most important first. */
export function failingChecks(checks: readonly PhotoCheckView[]): FailingCheck[] {
  const failing = checks.filter((check) => !check.passed);
  const faceMissing = failing.some((check) => check.id === 'one-face');
  const seen = new Set<string>();
  const shown: PhotoCheckView[] = [];
  for (const check of [...failing].sort((a, b) => rank(a) - rank(b))) {
    if (faceMissing && check.message.code === 'photo.not-measured') continue;
    if (seen.has(check.message.code)) continue;
    seen.add(check.message.code);
    shown.push(check);
  }
  return shown.map((check) => ({ check, advice: advice[check.message.code] ?? null }));
}
