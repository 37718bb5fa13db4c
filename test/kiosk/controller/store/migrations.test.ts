import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../../shared/clock';
import { createVault, loadOrCreateKeyFile } from '../../../../kiosk/controller/store/crypto';
import { openDatabase } from '../../../../kiosk/controller/store/database';
import { latestSchemaVersion, migrate, schemaVersion } from '../../../../kiosk/controller/store/migrate';
import { openStore } from '../../../../kiosk/controller/store/store';
import { recordedCardStatuses } from '../../../../shared/domain/card-status';

describe('store: migrations', () => {
  let dir: string;
  let path: string;
  let keyFile: string;
  const clock = fixedClock(new Date('2026-03-01T09:00:00Z'));
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-migrate-'));
    path = join(dir, 'kiosk.db');
    keyFile = join(dir, 'kiosk.key');
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('builds the latest schema from an empty file, all tables STRICT, in WAL mode', async () => {
    const opened = await openStore({ path, keyFile, kioskId: 'K1', clock });
    if (!opened.ok) throw new Error(opened.error.kind);
    await opened.value.close();
    const raw = await openDatabase(path);
    expect(await schemaVersion(raw)).toBe(latestSchemaVersion());
    const tables = await raw.all<{ name: string; strict: number }>(`SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite_%'`);
    expect(tables.map((t) => t.name).sort()).toEqual(['audit', 'audit_head', 'batch_rows', 'batches', 'card_mirrors', 'card_sequences', 'cardholders', 'cash_box_events', 'cash_journal', 'issuance_jobs', 'issuances', 'ledger_transfers', 'meta', 'operators', 'outbox', 'service_sessions', 'session_counts', 'stock_movements', 'top_ups', 'wallet_exceptions']);
    expect(tables.every((t) => t.strict === 1)).toBe(true);
    expect(await raw.get('PRAGMA journal_mode')).toEqual({ journal_mode: 'wal' });
    await raw.close();
  });

  it("stores a card's status in the shared vocabulary: exactly the recorded statuses, never a derived one", async () => {
    const opened = await openStore({ path, keyFile, kioskId: 'K1', clock });
    if (!opened.ok) throw new Error(opened.error.kind);
    await opened.value.close();
    const raw = await openDatabase(path);
    await raw.run(`INSERT INTO cardholders (id, id_hash, pii, created_at, updated_at) VALUES ('c1', x'00', NULL, 't', 't')`);
    const insert = (n: number, status: string) =>
      raw.run(
        `INSERT INTO issuances (id, cardholder_id, kiosk_id, card_number, card_type, scheme, uid, cause, fee, status, issued_at)
         VALUES (?, 'c1', 'K1', ?, 'senior', 'ipass', ?, 'new', 0, ?, '2025-01-01T00:00:00.000Z')`,
        [`i${n}`, `330001200000000${n}`, `04A${n}`, status],
      );
    for (const [n, status] of recordedCardStatuses.entries()) await insert(n, status);
    for (const [n, status] of ['expired', 'unknown', 'reported-lost', 'cancelled'].entries()) await expect(insert(5 + n, status)).rejects.toThrow(/CHECK/);
    await raw.close();
  });

  it('upgrades a version-1 database in place, keeping its cards and continuing its audit chain', async () => {
    // A kiosk that ran the first release: schema 1, one cardholder, one audit row written by that release.
    const raw = await openDatabase(path);
    expect(await migrate(raw, 1)).toEqual({ ok: true, value: { from: 0, to: 1 } });
    const key = loadOrCreateKeyFile(keyFile);
    if (!key.ok) throw new Error(key.error.kind);
    const vault = createVault(key.value);
    const idHash = vault.lookupHash('id-number', 'A123456789');
    await raw.run(`INSERT INTO cardholders (id, id_hash, pii, created_at, updated_at) VALUES ('c1', ?, ?, 't', 't')`, [idHash, vault.encryptJson({ name: 'X' }, 'cardholders.pii:c1')]);
    await raw.run(
      `INSERT INTO issuances (id, cardholder_id, kiosk_id, card_number, card_type, scheme, uid, cause, fee, status, issued_at)
       VALUES ('i1', 'c1', 'K1', 'K1-S-0000001', 'senior', 'ipass', '04AA', 'new', 0, 'active', '2025-01-01T00:00:00.000Z')`,
    );
    await raw.close();
    const v1 = await openDatabase(path);
    expect(await schemaVersion(v1)).toBe(1);
    await v1.close();

    const opened = await openStore({ path, keyFile, kioskId: 'K1', clock });
    if (!opened.ok) throw new Error(opened.error.kind);
    const store = opened.value;
    expect(await store.heldCards('A123456789')).toMatchObject([{ cardNumber: 'K1-S-0000001', status: 'active' }]);
    const [opening] = await store.readAudit();
    expect(opening).toMatchObject({ eventId: 'store-opened', details: { schemaFrom: 1, schemaTo: latestSchemaVersion() } });
    expect(await store.pendingJobs()).toEqual([]); // tables of later migrations exist
    expect((await store.verifyAudit()).ok).toBe(true);
    await store.close();
  });

  it('runs each migration once: reopening changes nothing', async () => {
    for (let i = 0; i < 2; i++) {
      const opened = await openStore({ path, keyFile, kioskId: 'K1', clock, auditOpen: false });
      if (!opened.ok) throw new Error(opened.error.kind);
      await opened.value.close();
    }
    const raw = await openDatabase(path);
    expect(await migrate(raw)).toEqual({ ok: true, value: { from: latestSchemaVersion(), to: latestSchemaVersion() } });
    await raw.close();
  });

  it('refuses a database written by a newer release instead of guessing', async () => {
    const raw = await openDatabase(path);
    await raw.exec(`PRAGMA user_version = ${latestSchemaVersion() + 1}`);
    await raw.close();
    expect(await openStore({ path, keyFile, kioskId: 'K1', clock })).toEqual({
      ok: false,
      error: { kind: 'schema_too_new', found: latestSchemaVersion() + 1, supported: latestSchemaVersion() },
    });
  });
});
