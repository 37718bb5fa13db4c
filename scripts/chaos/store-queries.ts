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

/** What a session exercised on the counter kiosk: cards by cause and status, blanks spoiled, voids by reason. */
export function counterTotals(file: string): Promise<string> {
  return readOnly(file, async (all) => {
    const cards = await all<{ cause: string; status: string; n: number }>(`SELECT cause, status, COUNT(*) AS n FROM issuances WHERE card_number NOT LIKE '%991000%' GROUP BY cause, status`);
    const moves = await all<{ kind: string; reason: string | null; n: number }>(`SELECT kind, reason, COUNT(*) AS n FROM stock_movements WHERE kind IN ('spoiled', 'voided') GROUP BY kind, reason`);
    const fees = await all<{ n: number }>(`SELECT COUNT(*) AS n FROM issuances WHERE fee > 0`);
    return [
      ...cards.map((row) => `${row.n} ${row.cause} ${row.status}`),
      ...moves.map((row) => `${row.n} ${row.kind} (${row.reason ?? '-'})`),
      `${fees[0]?.n ?? 0} with a fee`,
    ].join(', ');
  });
}

/** What a session exercised on the top-up kiosk: notes by how they ended, exceptions opened. */
export function topUpTotals(file: string): Promise<string> {
  return readOnly(file, async (all) => {
    const notes = await all<{ state: string; n: number; amount: number }>(`SELECT state, COUNT(*) AS n, SUM(amount) AS amount FROM cash_journal GROUP BY state`);
    const exceptions = await all<{ kind: string; n: number }>(`SELECT kind, COUNT(*) AS n FROM wallet_exceptions GROUP BY kind`);
    return [...notes.map((row) => `${row.n} notes ${row.state} (NT$${row.amount})`), ...exceptions.map((row) => `${row.n} exceptions ${row.kind}`)].join(', ') || 'no notes';
  });
}
