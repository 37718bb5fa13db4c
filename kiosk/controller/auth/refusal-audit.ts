import type { RefusalCode } from '../../../shared/contract/kiosk-api';
import type { AuditDetails } from '../store/audit';
import type { Action } from './permissions';
import type { Who } from './authorize';

/** One refusal, as the audit log records it (no personal data: the command's type, never its fields). */
export interface RefusalRecord {
  readonly who: Who;
  readonly command: string;
  readonly code: RefusalCode;
  /** Why, in the audit log's words: the decision's cause, or why an approval was not accepted. */
  readonly cause: string;
  readonly action?: Action;
}

export interface AuditRow {
  readonly operatorId: string | null;
  readonly details: AuditDetails;
}

/**
 * Which refusals become audit rows (`auth-permission-refused`). Every refusal to a signed-in staff
 * member is one row. Refusals to nobody (a passer-by tapping the unattended or the locked screen) are
 * folded so that they cannot flood the log: at most one row per kind (actor and code) in `quietMs`;
 * each row counts in `folded` the refusals of its kind left unwritten since the previous row of that
 * kind (a burst's tail is counted in the next row).
 */
export function createRefusalAudit(options: { readonly now: () => number; readonly quietMs: number }): (refusal: RefusalRecord) => AuditRow | null {
  const lastRow = new Map<string, { at: number; folded: number }>();
  return (refusal) => {
    const { who } = refusal;
    const staff = who.role !== 'self-service' && who.role !== 'nobody';
    const details: AuditDetails = { command: refusal.command, code: refusal.code, actor: who.role, ...(refusal.action ? { action: refusal.action } : {}), reason: refusal.cause };
    if (staff) return { operatorId: who.operatorId, details };
    const kind = `${who.role}:${refusal.code}`;
    const now = options.now();
    const last = lastRow.get(kind);
    if (last && now - last.at < options.quietMs) {
      last.folded += 1;
      return null;
    }
    lastRow.set(kind, { at: now, folded: 0 });
    return { operatorId: null, details: { ...details, folded: last?.folded ?? 0 } };
  };
}
