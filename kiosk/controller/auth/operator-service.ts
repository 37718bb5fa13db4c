import { randomUUID } from 'node:crypto';
import type { Clock } from '../../../shared/clock';
import { err, ok, type Result } from '../../../shared/result';
import type { OperatorRecord } from '../store/operators';
import type { Store } from '../store/store';
import { mayApprove } from './authorize';
import type { Action } from './permissions';
import { createRefusalAudit, type RefusalRecord } from './refusal-audit';
import { checkPin, defaultPinCost, hashPin, verifyPin, type PinProblem, type ScryptCost } from './pin';
import type { OperatorRole } from './roles';

/**
 * Named policy values; the defaults are the issue's: 5 wrong PINs lock the card for 30 minutes. The idle
 * times are the staff machine's delays (`machine/staff-machine.ts`): the lock, and the warning before it.
 */
export const authPolicy = {
  maxPinAttempts: 5,
  lockoutMs: 30 * 60_000,
  idleMs: 3 * 60_000,
  idleWarningMs: 30_000,
  approvalValidityMs: 2 * 60_000,
  /** Refusals to nobody (a passer-by at the unattended or locked screen): at most one audit row per kind in this time. */
  unsignedRefusalQuietMs: 60_000,
} as const;

export interface OperatorServiceOptions {
  readonly clock: Clock;
  readonly policy?: Partial<typeof authPolicy>;
  /** scrypt cost for new PIN hashes; only tests lower it. */
  readonly pinCost?: ScryptCost;
}

export interface Session {
  readonly operatorId: string;
  readonly role: OperatorRole;
  readonly name: string;
  readonly signedInAt: string;
}

export interface OperatorSummary {
  readonly operatorId: string;
  readonly name: string;
  readonly role: OperatorRole;
  readonly disabled: boolean;
  readonly lockedUntil: string | null;
  readonly createdAt: string;
}

export type SignInError =
  | { readonly kind: 'unknown_card' }
  | { readonly kind: 'disabled' }
  | { readonly kind: 'locked'; readonly lockedUntil: string }
  | { readonly kind: 'wrong_pin'; readonly attemptsLeft: number };

export type AddOperatorError = { readonly kind: 'weak_pin'; readonly problem: PinProblem } | { readonly kind: 'staff_card_taken' };

/** A supervisor's consent to one action; single use, valid for `approvalValidityMs`. */
export interface Approval {
  readonly approvalId: string;
  readonly supervisorId: string;
  readonly action: Action;
  readonly at: string;
}

export type ApprovalError = SignInError | { readonly kind: 'not_a_supervisor' } | { readonly kind: 'same_person' };

/** Why an approval handed back for its action is not accepted. */
export type RedeemError = { readonly kind: 'approval_invalid'; readonly reason: 'wrong_action' | 'expired' | 'used' | 'unknown' };

export interface OperatorService {
  addOperator(input: { staffCardNumber: string; name: string; role: OperatorRole; pin: string; actorId: string | null }): Promise<Result<{ operatorId: string }, AddOperatorError>>;
  disableOperator(operatorId: string, actorId: string | null): Promise<Result<void, { kind: 'operator_not_found'; operatorId: string }>>;
  listOperators(): Promise<OperatorSummary[]>;
  /** `staffCardNumber`: an employee card whose chip MAC the NFC module has verified. */
  signIn(input: { staffCardNumber: string; pin: string }): Promise<Result<Session, SignInError>>;
  signOut(): Promise<void>;
  /** Ends the session because it was left idle (the staff machine times that), audited as the lock. */
  lock(): Promise<void>;
  /** The signed-in operator, or null (self-service). */
  current(): Session | null;
  approve(input: { action: Action; staffCardNumber: string; pin: string }): Promise<Result<Approval, ApprovalError>>;
  /**
   * Checks (and consumes) a supervisor's approval of `action` for the signed-in operator; who may ask for
   * one and who may give one is `authorize`'s (auth/authorize.ts) and `approve`'s to decide, not this.
   */
  redeemApproval(action: Action, approval: Approval): Result<{ operatorId: string | null; approvedBy: string }, RedeemError>;
  /** Writes the audit row of a refusal (`auth-permission-refused`); refusals to nobody are folded (see refusal-audit.ts). */
  recordRefusal(refusal: RefusalRecord): Promise<void>;
}

export function createOperatorService(store: Store, options: OperatorServiceOptions): OperatorService {
  const policy = { ...authPolicy, ...options.policy };
  const { clock } = options;
  let session: Session | null = null;
  const approvals = new Map<string, Approval>();
  const usedApprovals = new Set<string>();
  // Verifying against a throw-away hash keeps an unknown card as slow as a known one.
  const pinCost = options.pinCost ?? defaultPinCost;
  let decoy: Promise<string> | null = null;
  const decoyHash = (): Promise<string> => (decoy ??= hashPin('000000', pinCost));

  const isLocked = (record: OperatorRecord): string | null =>
    record.lockedUntil !== null && Date.parse(record.lockedUntil) > clock.now().getTime() ? record.lockedUntil : null;

  async function checkCredentials(staffCardNumber: string, pin: string): Promise<Result<OperatorRecord, SignInError>> {
    const record = await store.operators.byStaffCard(staffCardNumber);
    if (!record) {
      await verifyPin(pin, await decoyHash());
      await store.operators.recordRefusal(null, 'unknown_card');
      return err({ kind: 'unknown_card' });
    }
    if (record.disabledAt !== null) {
      await store.operators.recordRefusal(record.id, 'disabled');
      return err({ kind: 'disabled' });
    }
    const lockedUntil = isLocked(record);
    if (lockedUntil) {
      await store.operators.recordRefusal(record.id, 'locked');
      return err({ kind: 'locked', lockedUntil });
    }
    if (!(await verifyPin(pin, record.pinHash))) {
      const counted = await store.operators.recordWrongPin(record.id, { maxAttempts: policy.maxPinAttempts, lockMs: policy.lockoutMs });
      if (counted.lockedUntil) return err({ kind: 'locked', lockedUntil: counted.lockedUntil });
      return err({ kind: 'wrong_pin', attemptsLeft: policy.maxPinAttempts - counted.failedAttempts });
    }
    return ok(record);
  }

  async function endSession(eventId: 'auth-sign-out' | 'auth-idle-lock'): Promise<void> {
    if (!session) return;
    const ended = session;
    session = null;
    await store.appendAudit({ eventId, operatorId: ended.operatorId, disposition: 'success' });
  }

  const refusalRow = createRefusalAudit({ now: () => clock.now().getTime(), quietMs: policy.unsignedRefusalQuietMs });

  return {
    async addOperator(input) {
      const problem = checkPin(input.pin);
      if (problem) return err({ kind: 'weak_pin', problem });
      const inserted = await store.operators.insert({ staffCardNumber: input.staffCardNumber, name: input.name, role: input.role, pinHash: await hashPin(input.pin, pinCost), actorId: input.actorId });
      if (!inserted.ok) return err({ kind: 'staff_card_taken' });
      return inserted;
    },
    async disableOperator(operatorId, actorId) {
      const disabled = await store.operators.setDisabled(operatorId, actorId);
      if (!disabled.ok) return err({ kind: 'operator_not_found', operatorId });
      if (session?.operatorId === operatorId) await endSession('auth-sign-out');
      return ok(undefined);
    },
    async listOperators() {
      return (await store.operators.list()).map((record) => ({
        operatorId: record.id,
        name: record.name,
        role: record.role,
        disabled: record.disabledAt !== null,
        lockedUntil: isLocked(record),
        createdAt: record.createdAt,
      }));
    },
    async signIn(input) {
      const checked = await checkCredentials(input.staffCardNumber, input.pin);
      if (!checked.ok) return checked;
      if (session) await endSession('auth-sign-out');
      await store.operators.recordSignIn(checked.value.id);
      session = { operatorId: checked.value.id, role: checked.value.role, name: checked.value.name, signedInAt: clock.now().toISOString() };
      return ok(session);
    },
    signOut: () => endSession('auth-sign-out'),
    lock: () => endSession('auth-idle-lock'),
    current: () => session,
    async approve(input) {
      const checked = await checkCredentials(input.staffCardNumber, input.pin);
      if (!checked.ok) return checked;
      const supervisor = checked.value;
      const refuse = async (kind: 'not_a_supervisor' | 'same_person') => {
        await store.appendAudit({ eventId: 'auth-supervisor-approval', operatorId: supervisor.id, disposition: 'failure', details: { action: input.action, reason: kind } });
        return err({ kind });
      };
      if (!mayApprove(supervisor.role)) return refuse('not_a_supervisor');
      if (session?.operatorId === supervisor.id) return refuse('same_person');
      const approval: Approval = { approvalId: randomUUID(), supervisorId: supervisor.id, action: input.action, at: clock.now().toISOString() };
      approvals.set(approval.approvalId, approval);
      await store.appendAudit({
        eventId: 'auth-supervisor-approval',
        operatorId: supervisor.id,
        disposition: 'success',
        details: { action: input.action, approvalId: approval.approvalId, requestedBy: session?.operatorId ?? null },
      });
      return ok(approval);
    },
    redeemApproval(action, approval) {
      const issued = approvals.get(approval.approvalId);
      if (!issued) return err({ kind: 'approval_invalid', reason: usedApprovals.has(approval.approvalId) ? 'used' : 'unknown' });
      if (issued.action !== action) return err({ kind: 'approval_invalid', reason: 'wrong_action' });
      approvals.delete(issued.approvalId);
      usedApprovals.add(issued.approvalId);
      if (clock.now().getTime() - Date.parse(issued.at) > policy.approvalValidityMs) return err({ kind: 'approval_invalid', reason: 'expired' });
      return ok({ operatorId: session?.operatorId ?? null, approvedBy: issued.supervisorId });
    },
    async recordRefusal(refusal) {
      const row = refusalRow(refusal);
      if (row) await store.appendAudit({ eventId: 'auth-permission-refused', operatorId: row.operatorId, disposition: 'failure', details: row.details });
    },
  };
}
