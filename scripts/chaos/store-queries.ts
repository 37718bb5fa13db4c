import sqlite3 from 'sqlite3';

/** Straight from the kiosk's SQLite file, read-only, beside the running controller (WAL: it never waits on us). */
export type All = <T>(sql: string, params?: unknown[]) => Promise<T[]>;

export function readOnly<T>(file: string, body: (all: All) => Promise<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (error) => {
      if (error) return reject(error);
      const all: All = (sql, params = []) => new Promise((done, fail) => db.all(sql, params, (queryError, rows) => (queryError ? fail(queryError) : done(rows as never))));
      body(all).then(resolve, reject).finally(() => db.close());
    });
  });
}

/** The issuance journal's open jobs (their steps). */
export function openJobs(file: string): Promise<string[]> {
  return readOnly(file, async (all) => (await all<{ step: string }>('SELECT step FROM issuance_jobs WHERE open = 1')).map((row) => row.step));
}

/** The cash journal's rows still open (a note in escrow or being stacked). */
export function openCashRows(file: string): Promise<string[]> {
  return readOnly(file, async (all) => (await all<{ state: string }>(`SELECT state FROM cash_journal WHERE state IN ('escrow', 'routing')`)).map((row) => row.state));
}

/** Money exceptions waiting for a supervisor. */
export function openExceptions(file: string): Promise<Array<{ id: string; kind: string; amount: number | null }>> {
  return readOnly(file, (all) => all<{ id: string; kind: string; amount: number | null }>('SELECT id, kind, amount FROM wallet_exceptions WHERE settled_at IS NULL'));
}
