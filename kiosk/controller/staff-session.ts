import { deriveChipKeys } from '../../hardware/card-record/keys';
import type { CardTap } from '../../hardware/nfc/types';
import type { CitizenCardStation } from '../../hardware/card-record/types';
import type { Bilingual, SessionView } from '../../shared/contract/kiosk-api';
import { refused } from '../../shared/contract/kiosk-api';
import type { LogSink } from '../../shared/log';
import { assertNever } from '../../shared/result';
import type { CommandReply } from './api/server';
import type { Approval, ApprovalError, OperatorService, Session, SessionStatus, SignInError } from './auth/operator-service';
import { permission, type Action } from './auth/permissions';

/**
 * Who is at the kiosk. Staff sign in by tapping their staff card (an employee citizen card whose
 * chip record verifies under the city's keys) on the counter reader and typing their PIN; the
 * session locks itself when left idle. A supervisor approves an override the same way, on the
 * operator's session, for that one action.
 */
export interface StaffSession {
  view(): SessionView;
  onChange(listener: () => void): () => void;
  current(): Session | null;
  /** Any command from the screen: the idle countdown starts again. */
  touch(): void;
  enterPin(pin: string): Promise<CommandReply>;
  cancelPin(): CommandReply;
  signOut(): Promise<CommandReply>;
  /**
   * Waits for a supervisor's card and PIN, then calls `onApproved` with the approval; when the
   * approved action could not be done after all, its reason is shown and returned for the PIN.
   */
  requestApproval(action: Action, onApproved: (approval: Approval) => Promise<CommandReply>): void;
  stop(): void;
}

export interface StaffSessionOptions {
  readonly operators: OperatorService;
  /** The counter reader where staff tap their cards; null when there is none (no sign-in possible). */
  readonly counter: CitizenCardStation | null;
  readonly chipMasterKey: Uint8Array;
  readonly log: LogSink;
  /** Called when the session ends (sign-out or idle lock), to clear the screen of personal data. */
  readonly onSignedOut?: () => void;
  readonly idleCheckIntervalMs?: number;
}

const defaultIdleCheckIntervalMs = 1000;

export function createStaffSession(options: StaffSessionOptions): StaffSession {
  const { operators, log } = options;
  const listeners = new Set<() => void>();
  let tappedCard: string | null = null;
  let message: Bilingual | null = null;
  let idleSecondsLeft: number | null = null;
  let approval: { action: Action; onApproved: (approval: Approval) => Promise<CommandReply>; card: string | null } | null = null;

  const changed = (): void => {
    for (const listener of listeners) listener();
  };

  const onTap = (tap: CardTap): void => {
    void readStaffCard(tap).then((result) => {
      if (!result.ok) {
        // A signed-in operator taps citizens' cards to check them: that is not a sign-in attempt.
        if (operators.current() && !approval) return;
        message = result.message;
      } else if (approval) {
        approval.card = result.cardNumber;
        message = null;
      } else if (!operators.current()) {
        tappedCard = result.cardNumber;
        message = null;
      }
      changed();
    });
  };
  // Two cards at once (or a card that does not answer) is the commonest mistake at a counter reader.
  const onUnreadable = (): void => {
    message = { zh: '讀卡機上有多張卡片，或卡片沒有回應：請只放一張卡', en: 'More than one card on the reader, or a card that does not answer: place one card only' };
    changed();
  };
  options.counter?.on('card', onTap);
  options.counter?.on('cardUnreadable', onUnreadable);

  async function readStaffCard(tap: CardTap): Promise<{ ok: true; cardNumber: string } | { ok: false; message: Bilingual }> {
    if (!options.counter || tap.kind !== 'mifare-classic-1k') {
      return { ok: false, message: { zh: '這不是員工卡，請感應市府員工卡', en: 'This is not a staff card: tap your city staff card' } };
    }
    const read = await options.counter.readRecord(deriveChipKeys(options.chipMasterKey, Buffer.from(tap.uid, 'hex')));
    if (!read.ok) {
      log({ eventId: 'auth-staff-card-unreadable', disposition: 'failure', message: read.error.kind });
      return { ok: false, message: { zh: '無法驗證這張卡片，請重新感應員工卡', en: 'This card could not be verified: tap your staff card again' } };
    }
    if (read.value.record.cardType !== 'employee') {
      return { ok: false, message: { zh: '這是市民卡，不是員工卡', en: 'This is a citizen card, not a staff card' } };
    }
    return { ok: true, cardNumber: read.value.record.cardNumber };
  }

  let lastSession = operators.current();
  // One check at a time: a slow audit write must not let a second check race the first.
  let checkingIdle = false;
  const idleTimer = setInterval(() => {
    if (checkingIdle) return;
    checkingIdle = true;
    void operators.checkIdle().finally(() => (checkingIdle = false)).then(onIdleStatus, (error: unknown) => {
      log({ eventId: 'auth-idle-check-failed', disposition: 'failure', message: String(error) });
      // Whatever failed (the audit row of the lock), a session that ended must not leave its screen behind.
      if (!operators.current()) onIdleStatus({ kind: 'signed-out' });
    });
  }, options.idleCheckIntervalMs ?? defaultIdleCheckIntervalMs);
  function onIdleStatus(status: SessionStatus): void {
    const left = status.kind === 'warning' ? Math.ceil(status.remainingMs / 1000) : null;
    if (status.kind === 'signed-out' && lastSession) {
      lastSession = null;
      approval = null;
      message = { zh: '閒置過久，已自動登出', en: 'Signed out after being left idle' };
      options.onSignedOut?.();
      changed();
    } else if (left !== idleSecondsLeft) {
      idleSecondsLeft = left;
      changed();
    }
  }
  idleTimer.unref();

  return {
    view() {
      const session = operators.current();
      return {
        state: session ? 'signed-in' : tappedCard ? 'pin' : 'signed-out',
        operator: session ? { name: session.name, role: session.role } : null,
        approval: approval ? { action: approval.action, state: approval.card ? 'pin' : 'waiting-card' } : null,
        message,
        idleSecondsLeft: session ? idleSecondsLeft : null,
        mayStartApplication: session ? permission(session.role, 'issue-card') === 'allow' : false,
      };
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    current: () => operators.current(),
    touch: () => operators.touch(),
    async enterPin(pin) {
      if (approval?.card) {
        const pending = approval;
        const approved = await operators.approve({ action: pending.action, staffCardNumber: pending.card!, pin });
        if (!approved.ok) {
          pending.card = null;
          message = approvalMessage(approved.error);
          changed();
          return refused('other', message.en);
        }
        approval = null;
        message = null;
        const outcome = await pending.onApproved(approved.value);
        if (!outcome.accepted) message = { zh: `已核准，但無法完成：${outcome.reason}`, en: `Approved, but it could not be done: ${outcome.reason}` };
        changed();
        return outcome;
      }
      if (!tappedCard) return refused('sign-in-first', 'tap a staff card first');
      const signedIn = await operators.signIn({ staffCardNumber: tappedCard, pin });
      if (!signedIn.ok) {
        message = signInMessage(signedIn.error);
        if (signedIn.error.kind !== 'wrong_pin') tappedCard = null;
        changed();
        return refused('other', message.en);
      }
      tappedCard = null;
      message = null;
      lastSession = signedIn.value;
      log({ eventId: 'auth-sign-in', disposition: 'success', message: `${signedIn.value.role} signed in`, operatorId: signedIn.value.operatorId });
      changed();
      return { accepted: true };
    },
    cancelPin() {
      if (approval) approval = null;
      else tappedCard = null;
      message = null;
      changed();
      return { accepted: true };
    },
    async signOut() {
      try {
        await operators.signOut();
      } finally {
        // The session has ended even when its audit row could not be written (a full disk): clear the screen.
        lastSession = null;
        approval = null;
        message = null;
        options.onSignedOut?.();
        changed();
      }
      return { accepted: true };
    },
    requestApproval(action, onApproved) {
      approval = { action, onApproved, card: null };
      message = null;
      changed();
    },
    stop() {
      clearInterval(idleTimer);
      options.counter?.off('card', onTap);
      options.counter?.off('cardUnreadable', onUnreadable);
    },
  };
}

function signInMessage(error: SignInError): Bilingual {
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

function approvalMessage(error: ApprovalError): Bilingual {
  switch (error.kind) {
    case 'not_a_supervisor':
      return { zh: '只有督導可以核准，請由督導感應員工卡', en: 'Only a supervisor can approve: a supervisor must tap their card' };
    case 'same_person':
      return { zh: '不可核准自己的操作，請由另一位督導核准', en: 'You cannot approve your own action: another supervisor must' };
    default:
      return signInMessage(error);
  }
}

function clockTime(iso: string): string {
  const date = new Date(iso);
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}
