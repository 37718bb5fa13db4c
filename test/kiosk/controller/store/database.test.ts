import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../../kiosk/controller/store/database';

describe('database: serialized transactions with group commit', () => {
  let dir: string;
  let db: Database;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-db-'));
    db = await openDatabase(join(dir, 't.db'));
    await db.exec('CREATE TABLE t (k TEXT PRIMARY KEY, n INTEGER NOT NULL) STRICT');
  });
  afterEach(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('concurrent transactions each commit or roll back alone, in the order they were asked', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        db.transaction(async (tx) => {
          await tx.run('INSERT INTO t (k, n) VALUES (?, ?)', [`k${i}`, i]);
          if (i % 5 === 3) throw new Error(`refused ${i}`);
          await tx.run('INSERT INTO t (k, n) VALUES (?, ?)', [`k${i}-second`, i]);
          return i;
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'rejected').length).toBe(4);
    const rows = await db.all<{ k: string }>('SELECT k FROM t ORDER BY rowid');
    expect(rows.length).toBe(32);
    expect(rows.some((r) => r.k === 'k3')).toBe(false); // its first insert went with its rollback
    expect(rows.slice(0, 4).map((r) => r.k)).toEqual(['k0', 'k0-second', 'k1', 'k1-second']);
  });

  it('runs inTurn work at its turn in the queue, seeing what was asked before it (grouped with queued transactions, alone outside any)', async () => {
    const seen: number[] = [];
    const asked = Array.from({ length: 5 }, (_, i) =>
      i % 2 === 0
        ? db.transaction(async (tx) => void (await tx.run('INSERT INTO t (k, n) VALUES (?, ?)', [`k${i}`, i])))
        : db.inTurn(async (queries) => {
            const row = await queries.get<{ n: number }>('SELECT COUNT(*) AS n FROM t');
            seen.push(row?.n ?? -1);
            await queries.run('INSERT INTO t (k, n) VALUES (?, ?)', [`k${i}`, i]);
          }),
    );
    await Promise.all(asked);
    expect(seen).toEqual([1, 3]); // each saw exactly the rows asked for before it
    // Alone, not inside a transaction: a BEGIN from within succeeds (it would fail if one were open).
    await db.inTurn(async (queries) => {
      await queries.exec('BEGIN');
      await queries.exec('ROLLBACK');
    });
    expect((await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM t'))?.n).toBe(5);
  });

  it('a statement error inside a transaction rejects that caller only', async () => {
    await db.run(`INSERT INTO t (k, n) VALUES ('taken', 1)`);
    const [dup, fine] = await Promise.allSettled([
      db.transaction((tx) => tx.run(`INSERT INTO t (k, n) VALUES ('taken', 2)`)),
      db.transaction((tx) => tx.run(`INSERT INTO t (k, n) VALUES ('free', 3)`)),
    ]);
    expect(dup.status).toBe('rejected');
    expect(fine.status).toBe('fulfilled');
    expect(await db.get('SELECT n FROM t WHERE k = ?', ['taken'])).toEqual({ n: 1 });
    expect(await db.get('SELECT COUNT(*) AS c FROM t')).toEqual({ c: 2 });
  });
});
