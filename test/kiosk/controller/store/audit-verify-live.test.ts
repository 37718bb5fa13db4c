import { afterEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../../../kiosk/controller/store/audit';
import { createVault, loadOrCreateKeyFile } from '../../../../kiosk/controller/store/crypto';
import { openDatabase, type Database } from '../../../../kiosk/controller/store/database';
import { openTempStore, type TempStore } from './temp-store';

/**
 * Found by `npm run chaos`: the audit chain verified from a second connection (kioskctl, the chaos checks)
 * while the kiosk appends was reported broken (`head_mismatch`) when a row landed between the last page
 * read and the head: the head had moved on, honestly. The verification now follows the chain to the head.
 */
describe('verifying the audit chain while the kiosk appends to it', () => {
  let t: TempStore;
  let reader: Database | undefined;
  afterEach(async () => {
    await reader?.close();
    await t.cleanup();
  });

  it('follows rows appended after its last page to the head, and still catches a broken head', async () => {
    t = await openTempStore();
    for (let i = 0; i < 3; i++) await t.store.appendAudit({ eventId: 'store-opened', operatorId: null, disposition: 'success', details: { i } });
    const key = loadOrCreateKeyFile(t.keyFile);
    if (!key.ok) throw new Error('no key');
    const vault = createVault(key.value);
    reader = await openDatabase(t.path);
    const db = reader;
    // The kiosk appends a row just as the verification reads the head (its pages are read by then).
    let appended = 0;
    const racing = new Proxy(db, {
      get(target, property, receiver) {
        if (property !== 'get') return Reflect.get(target, property, receiver) as unknown;
        return async (sql: string, params?: unknown[]) => {
          if (sql.includes('audit_head') && appended++ < 2) await t.store.appendAudit({ eventId: 'store-opened', operatorId: null, disposition: 'success', details: { appended } });
          return target.get(sql, params as never);
        };
      },
    });
    const verified = await verifyAuditChain(racing, vault);
    expect(verified.ok ? verified.value.rows : verified.error).toBe((await t.store.readAudit({ newest: true, limit: 1 }))[0]?.seq);
    // A head that does not match the chain is still reported.
    await db.run('UPDATE audit_head SET seq = seq - 1');
    expect(await verifyAuditChain(db, vault)).toMatchObject({ ok: false, error: { reason: 'head_mismatch' } });
  });
});
