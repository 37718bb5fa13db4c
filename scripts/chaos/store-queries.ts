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

/** What the kiosks have actually done so far, by flow: a run's work is the difference across it. */
export interface FlowCounts {
  /** New cards the counter issued (whatever became of them since). */
  readonly issued: number;
  readonly replaced: number;
  readonly feesCash: number;
  readonly feesWallet: number;
  readonly feesWaived: number;
  /** Cards voided at the counter (tapped, voided as a misprint). */
  readonly voided: number;
  /** Cards recovery voided as undelivered after a crash. */
  readonly crashVoided: number;
  /** Blanks spoiled in the printer or by recovery (the cards voided at the counter aside). */
  readonly spoiled: number;
  /** Cash top-ups credited to wallets, and their NT$. */
  readonly topUps: number;
  readonly topUpMoney: number;
}

export const noFlows: FlowCounts = { issued: 0, replaced: 0, feesCash: 0, feesWallet: 0, feesWaived: 0, voided: 0, crashVoided: 0, spoiled: 0, topUps: 0, topUpMoney: 0 };

/** The flows a session must have exercised at least once (else the harness tested less than it says). */
export const requiredFlows = ['issued', 'replaced', 'voided', 'topUps'] as const satisfies ReadonlyArray<keyof FlowCounts>;

export async function counterFlows(file: string): Promise<Omit<FlowCounts, 'topUps' | 'topUpMoney'>> {
  return readOnly(file, async (all) => {
    const cards = await all<{ cause: string; method: string | null; n: number }>(
      `SELECT cause, CASE WHEN fee > 0 THEN fee_method END AS method, COUNT(*) AS n FROM issuances WHERE card_number NOT LIKE '%991000%' GROUP BY cause, method`,
    );
    const moves = await all<{ kind: string; reason: string | null; n: number }>(`SELECT kind, reason, COUNT(*) AS n FROM stock_movements WHERE kind IN ('spoiled', 'voided') GROUP BY kind, reason`);
    const cardsWhere = (test: (row: { cause: string; method: string | null }) => boolean): number => cards.filter(test).reduce((sum, row) => sum + row.n, 0);
    const counterVoids = moves.filter((m) => m.kind === 'voided' && m.reason !== 'crash-recovery').reduce((sum, m) => sum + m.n, 0);
    return {
      issued: cardsWhere((row) => row.cause === 'new'),
      replaced: cardsWhere((row) => row.cause === 'replacement'),
      feesCash: cardsWhere((row) => row.method === 'cash'),
      feesWallet: cardsWhere((row) => row.method === 'wallet'),
      feesWaived: cardsWhere((row) => row.method === 'waived'),
      voided: counterVoids,
      crashVoided: moves.filter((m) => m.kind === 'voided' && m.reason === 'crash-recovery').reduce((sum, m) => sum + m.n, 0),
      spoiled: moves.filter((m) => m.kind === 'spoiled' && m.reason !== 'void-at-counter').reduce((sum, m) => sum + m.n, 0),
    };
  });
}

export async function topUpFlows(file: string): Promise<Pick<FlowCounts, 'topUps' | 'topUpMoney'>> {
  return readOnly(file, async (all) => {
    const [row] = await all<{ n: number; amount: number | null }>(`SELECT COUNT(*) AS n, SUM(amount) AS amount FROM ledger_transfers WHERE kind = 'cash-top-up'`);
    return { topUps: row?.n ?? 0, topUpMoney: row?.amount ?? 0 };
  });
}

export function flowDifference(after: FlowCounts, before: FlowCounts): FlowCounts {
  return Object.fromEntries(Object.entries(after).map(([key, value]) => [key, value - before[key as keyof FlowCounts]])) as unknown as FlowCounts;
}

export function addFlows(a: FlowCounts, b: FlowCounts): FlowCounts {
  return Object.fromEntries(Object.entries(a).map(([key, value]) => [key, value + b[key as keyof FlowCounts]])) as unknown as FlowCounts;
}

/** "2 issued, 1 replaced (fee: 1 cash), NT$600 in 2 top-ups": the non-zero counts, or "nothing done". */
export function describeFlows(f: FlowCounts, { all = false }: { readonly all?: boolean } = {}): string {
  const part = (n: number, text: string): string | null => (n > 0 || all ? text : null);
  const fees = [f.feesCash && `${f.feesCash} cash`, f.feesWallet && `${f.feesWallet} e-wallet`, f.feesWaived && `${f.feesWaived} waived`].filter(Boolean).join(', ');
  const parts = [
    part(f.issued, `${f.issued} issued`),
    part(f.replaced, `${f.replaced} replaced${fees ? ` (fees: ${fees})` : ''}`),
    part(f.voided, `${f.voided} voided at the counter`),
    part(f.crashVoided, `${f.crashVoided} voided by crash recovery`),
    part(f.spoiled, `${f.spoiled} blanks spoiled`),
    part(f.topUps, `${f.topUps} top-ups credited (NT$${f.topUpMoney})`),
  ].filter((p): p is string => p !== null);
  return parts.length > 0 ? parts.join(', ') : 'nothing done';
}
