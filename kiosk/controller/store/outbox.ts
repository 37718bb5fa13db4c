import type { Queries } from './database';
import { uuidv7 } from './ids';
import { isoNow, type StoreContext } from './context';

/** One change for the fleet sync to the central registry; the payload is encrypted like the rest. */
export interface OutboxChange {
  readonly entity: 'cardholder' | 'issuance' | 'operator';
  readonly entityId: string;
  readonly op: 'upsert' | 'insert' | 'status';
  readonly cardholderId: string | null;
  readonly payload: Readonly<Record<string, unknown>>;
}

export interface OutboxEntry extends OutboxChange {
  readonly seq: number;
  readonly id: string;
  readonly kioskId: string;
  readonly createdAt: string;
}

const payloadContext = (id: string): string => `outbox.payload:${id}`;

export async function enqueueChange(tx: Queries, context: StoreContext, change: OutboxChange): Promise<void> {
  const id = uuidv7(context.clock);
  await tx.run(
    `INSERT INTO outbox (id, kiosk_id, entity, entity_id, op, cardholder_id, payload, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    [id, context.kioskId, change.entity, change.entityId, change.op, change.cardholderId, context.vault.encryptJson(change.payload, payloadContext(id)), isoNow(context)],
  );
}

interface OutboxRow {
  seq: number;
  id: string;
  kiosk_id: string;
  entity: OutboxChange['entity'];
  entity_id: string;
  op: OutboxChange['op'];
  cardholder_id: string | null;
  payload: Buffer | null;
  created_at: string;
}

/** The oldest changes not yet synced, decrypted for the sync client. */
export async function pendingChanges(context: StoreContext, limit: number): Promise<OutboxEntry[]> {
  const rows = await context.db.all<OutboxRow>('SELECT * FROM outbox WHERE synced_at IS NULL ORDER BY seq LIMIT ?', [limit]);
  return rows.map((row) => ({
    seq: row.seq,
    id: row.id,
    kioskId: row.kiosk_id,
    entity: row.entity,
    entityId: row.entity_id,
    op: row.op,
    cardholderId: row.cardholder_id,
    payload: row.payload ? context.vault.decryptJson<Record<string, unknown>>(row.payload, payloadContext(row.id)) : {},
    createdAt: row.created_at,
  }));
}

export async function markSynced(context: StoreContext, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const syncedAt = isoNow(context);
  return context.db.transaction(async (tx) => {
    let changed = 0;
    for (const id of ids) changed += (await tx.run('UPDATE outbox SET synced_at = ? WHERE id = ? AND synced_at IS NULL', [syncedAt, id])).changes;
    return changed;
  });
}
