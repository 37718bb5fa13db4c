import type { Bilingual } from '../../../shared/contract/kiosk-api';
import { assertNever } from '../../../shared/result';
import type { ApprovalError, SignInError } from '../auth/operator-service';

/** What the staff region tells the person at the counter (the texts it has always shown). */
export const staffMessages = {
  idleLocked: { zh: '閒置過久，已自動登出', en: 'Signed out after being left idle' },
  cardsUnreadable: {
    zh: '讀卡機上有多張卡片，或卡片沒有回應：請只放一張卡',
    en: 'More than one card on the reader, or a card that does not answer: place one card only',
  },
  notAStaffCard: { zh: '這不是員工卡，請感應市府員工卡', en: 'This is not a staff card: tap your city staff card' },
  unverifiedCard: { zh: '無法驗證這張卡片，請重新感應員工卡', en: 'This card could not be verified: tap your staff card again' },
  citizenCard: { zh: '這是市民卡，不是員工卡', en: 'This is a citizen card, not a staff card' },
} as const satisfies Record<string, Bilingual>;

export function signInMessage(error: SignInError): Bilingual {
  switch (error.kind) {
    case 'unknown_card':
      return { zh: '這張員工卡尚未在本機登錄，請洽督導', en: 'This staff card is not registered on this kiosk: ask a supervisor' };
    case 'disabled':
      return { zh: '這張員工卡已停用', en: 'This staff card has been disabled' };
    case 'locked':
      return { zh: `密碼錯誤次數過多，鎖定至 ${clockTime(error.lockedUntil)}`, en: `Too many wrong PINs: locked until ${clockTime(error.lockedUntil)}` };
    case 'wrong_pin':
      return { zh: `密碼錯誤，還可再試 ${error.attemptsLeft} 次`, en: `Wrong PIN: ${error.attemptsLeft} tries left` };
    default:
      return assertNever(error);
  }
}

export function approvalMessage(error: ApprovalError): Bilingual {
  switch (error.kind) {
    case 'not_a_supervisor':
      return { zh: '只有督導可以核准，請由督導感應員工卡', en: 'Only a supervisor can approve: a supervisor must tap their card' };
    case 'same_person':
      return { zh: '不可核准自己的操作，請由另一位督導核准', en: 'You cannot approve your own action: another supervisor must' };
    default:
      return signInMessage(error);
  }
}

export function approvedButFailedMessage(reason: string): Bilingual {
  return { zh: `已核准，但無法完成：${reason}`, en: `Approved, but it could not be done: ${reason}` };
}

function clockTime(iso: string): string {
  const date = new Date(iso);
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}
