import { err, ok, type Result } from '../../../shared/result';
import type { OperatorRole } from '../auth/roles';
import { audited } from './audit';
import { hashPurpose, isoNow, type StoreContext } from './context';
import { uuidv7 } from './ids';

/** Staff rows as the auth service sees them; the policy (attempts, lock time) lives in auth/. */
export interface OperatorRecord {
  readonly id: string;
  readonly name: string;
  readonly role: OperatorRole;
  readonly pinHash: string;
  readonly failedAttempts: number;
  readonly lockedUntil: string | null;
  readonly disabledAt: string | null;
  readonly createdAt: string;
}

export interface NewOperator {
  readonly staffCardNumber: string;
  readonly name: string;
  readonly role: OperatorRole;
  readonly pinHash: string;
  /** Who added them (null: the technician's CLI at installation). */
  readonly actorId: string | null;
}

export type OperatorTableError = { readonly kind: 'staff_card_taken' } | { readonly kind: 'operator_not_found'; readonly operatorId: string };

interface OperatorRow {
  id: string;
  name: Buffer;
  role: OperatorRole;
  pin_hash: string;
  failed_attempts: number;
  locked_until: string | null;
  disabled_at: string | null;
  created_at: string;
}

const nameContext = (id: string): string => `operators.name:${id}`;

export interface OperatorTable {
  insert(input: NewOperator): Promise<Result<{ operatorId: string }, OperatorTableError>>;
  byStaffCard(staffCardNumber: string): Promise<OperatorRecord | null>;
  byId(operatorId: string): Promise<OperatorRecord | null>;
  list(): Promise<OperatorRecord[]>;
  setDisabled(operatorId: string, actorId: string | null): Promise<Result<void, OperatorTableError>>;
  /** A correct PIN: clears the failure count and audits the sign-in. */
  recordSignIn(operatorId: string): Promise<void>;
  /** A refused sign-in that does not count against the PIN (locked, disabled, unknown card). */
  recordRefusal(operatorId: string | null, reason: string): Promise<void>;
  /** A wrong PIN, counted atomically; at `maxAttempts` the card locks for `lockMs`. */
  recordWrongPin(operatorId: string, policy: { maxAttempts: number; lockMs: number }): Promise<{ failedAttempts: number; lockedUntil: string | null }>;
}

export function operatorTable(context: StoreContext): OperatorTable {
  const toRecord = (row: OperatorRow): OperatorRecord => ({
    id: row.id,
    name: context.vault.decrypt(row.name, nameContext(row.id)).toString('utf8'),
    role: row.role,
    pinHash: row.pin_hash,
    failedAttempts: row.failed_attempts,
    lockedUntil: row.locked_until,
    disabledAt: row.disabled_at,
    createdAt: row.created_at,
  });
  const cardHash = (staffCardNumber: string): Buffer => context.vault.lookupHash(hashPurpose.staffCard, staffCardNumber.trim().toUpperCase());

  return {
    insert: (input) =>
      audited(context.db, context, async (tx, audit) => {
        const hash = cardHash(input.staffCardNumber);
        if (await tx.get('SELECT 1 AS one FROM operators WHERE staff_card_hash = ?', [hash])) return err({ kind: 'staff_card_taken' as const });
        const operatorId = uuidv7(context.clock);
        await tx.run(
          'INSERT INTO operators (id, staff_card_hash, name, role, pin_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)',
          [operatorId, hash, context.vault.encrypt(Buffer.from(input.name, 'utf8'), nameContext(operatorId)), input.role, input.pinHash, isoNow(context)],
        );
        await audit({ eventId: 'auth-operator-added', operatorId: input.actorId, disposition: 'success', details: { addedOperatorId: operatorId, role: input.role } });
        return ok({ operatorId });
      }),
    async byStaffCard(staffCardNumber) {
      const row = await context.db.get<OperatorRow>('SELECT * FROM operators WHERE staff_card_hash = ?', [cardHash(staffCardNumber)]);
      return row ? toRecord(row) : null;
    },
    async byId(operatorId) {
      const row = await context.db.get<OperatorRow>('SELECT * FROM operators WHERE id = ?', [operatorId]);
      return row ? toRecord(row) : null;
    },
    async list() {
      return (await context.db.all<OperatorRow>('SELECT * FROM operators ORDER BY created_at, rowid')).map(toRecord);
    },
    setDisabled: (operatorId, actorId) =>
      audited(context.db, context, async (tx, audit) => {
        const changed = await tx.run('UPDATE operators SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL', [isoNow(context), operatorId]);
        if (changed.changes === 0 && !(await tx.get('SELECT 1 AS one FROM operators WHERE id = ?', [operatorId]))) {
          return err({ kind: 'operator_not_found' as const, operatorId });
        }
        await audit({ eventId: 'auth-operator-disabled', operatorId: actorId, disposition: 'success', details: { disabledOperatorId: operatorId } });
        return ok(undefined);
      }),
    recordSignIn: (operatorId) =>
      audited(context.db, context, async (tx, audit) => {
        await tx.run('UPDATE operators SET failed_attempts = 0, locked_until = NULL WHERE id = ?', [operatorId]);
        await audit({ eventId: 'auth-sign-in', operatorId, disposition: 'success' });
      }),
    recordRefusal: (operatorId, reason) =>
      audited(context.db, context, async (_tx, audit) => {
        await audit({ eventId: 'auth-sign-in', operatorId, disposition: 'failure', details: { reason } });
      }),
    recordWrongPin: (operatorId, policy) =>
      audited(context.db, context, async (tx, audit) => {
        const row = await tx.get<{ failed_attempts: number }>(
          'UPDATE operators SET failed_attempts = failed_attempts + 1 WHERE id = ? RETURNING failed_attempts',
          [operatorId],
        );
        const failedAttempts = row?.failed_attempts ?? 0;
        let lockedUntil: string | null = null;
        await audit({ eventId: 'auth-sign-in', operatorId, disposition: 'failure', details: { reason: 'wrong_pin', failedAttempts } });
        if (failedAttempts >= policy.maxAttempts) {
          lockedUntil = new Date(context.clock.now().getTime() + policy.lockMs).toISOString();
          await tx.run('UPDATE operators SET failed_attempts = 0, locked_until = ? WHERE id = ?', [lockedUntil, operatorId]);
          await audit({ eventId: 'auth-lockout', operatorId, disposition: 'na', details: { lockedUntil } });
        }
        return { failedAttempts, lockedUntil };
      }),
  };
}
