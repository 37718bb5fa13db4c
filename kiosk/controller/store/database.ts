import sqlite3 from 'sqlite3';

/** A value SQLite can bind. Booleans are not allowed on purpose: STRICT tables store them as INTEGER. */
export type SqlValue = string | number | bigint | Buffer | null;
export type SqlParams = readonly SqlValue[];
export type Row = Record<string, SqlValue>;

/** The statements that may run inside a transaction: same shape as the database, no nesting. */
export interface Queries {
  run(sql: string, params?: SqlParams): Promise<{ changes: number; lastId: number }>;
  get<T = Row>(sql: string, params?: SqlParams): Promise<T | undefined>;
  all<T = Row>(sql: string, params?: SqlParams): Promise<T[]>;
  exec(sql: string): Promise<void>;
}

export interface Database extends Queries {
  /**
   * Runs `work` atomically (rolled back if it throws) and durably (resolves after the COMMIT).
   * Transactions and single statements are serialized through one queue: sqlite3 has one connection, so
   * a statement issued while another caller's transaction is open would silently join it. `work` must
   * only use `tx` (calling the database itself from inside would wait for itself) and must not await
   * anything slow: concurrent transactions share one commit (group commit).
   */
  transaction<T>(work: (tx: Queries) => Promise<T>): Promise<T>;
  /**
   * Runs `work` at its turn in the same queue: for a change that is ONE statement (atomic and durable by
   * itself in autocommit) but must be computed at its turn (e.g. from the row before it). Alone it runs
   * without BEGIN/COMMIT; queued with transactions it joins their group commit (one fsync for all).
   * Anything of more than one statement belongs in `transaction`.
   */
  inTurn<T>(work: (queries: Queries) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  readonly path: string;
}

export interface OpenDatabaseOptions {
  /** `FULL` (default) makes every commit durable: a kiosk records money and official cards. */
  readonly synchronous?: 'FULL' | 'NORMAL';
  /** A look that changes nothing: no pragmas, and as it closes no checkpoint and no WAL removed. */
  readonly readOnly?: boolean;
}

const busyTimeoutMs = 5_000;
/** Transactions sharing one commit at most: bounds how long a group holds the write lock. */
const maxGroupSize = 64;

export async function openDatabase(path: string, options: OpenDatabaseOptions = {}): Promise<Database> {
  const mode = options.readOnly ? sqlite3.OPEN_READONLY : sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE;
  const raw = await new Promise<sqlite3.Database>((resolve, reject) => {
    const db = new sqlite3.Database(path, mode, (error) => (error ? reject(error) : resolve(db)));
  });
  raw.configure('busyTimeout', busyTimeoutMs);
  const statements = new Map<string, sqlite3.Statement>();

  const prepared = (sql: string): Promise<sqlite3.Statement> => {
    const cached = statements.get(sql);
    if (cached) return Promise.resolve(cached);
    return new Promise((resolve, reject) => {
      const statement = raw.prepare(sql, (error) => {
        if (error) return reject(error);
        statements.set(sql, statement);
        resolve(statement);
      });
    });
  };

  const direct: Queries = {
    async run(sql, params = []) {
      const statement = await prepared(sql);
      return new Promise((resolve, reject) => {
        statement.run(params as unknown[], function (this: sqlite3.RunResult, error: Error | null) {
          if (error) reject(error);
          else resolve({ changes: this.changes, lastId: this.lastID });
        });
      });
    },
    async get<T>(sql: string, params: SqlParams = []) {
      // `all` resets the statement: a half-stepped `get` would keep a read snapshot open in WAL mode.
      const rows = await direct.all<T>(sql, params);
      return rows[0];
    },
    async all<T>(sql: string, params: SqlParams = []) {
      const statement = await prepared(sql);
      return new Promise<T[]>((resolve, reject) => {
        statement.all(params as unknown[], (error: Error | null, rows: T[]) => (error ? reject(error) : resolve(rows)));
      });
    },
    exec(sql) {
      return new Promise((resolve, reject) => raw.exec(sql, (error) => (error ? reject(error) : resolve())));
    },
  };

  type Job =
    | { readonly kind: 'statement'; readonly run: () => Promise<unknown>; settle: Settle }
    | {
        readonly kind: 'transaction';
        readonly work: (tx: Queries) => Promise<unknown>;
        /** One statement (inTurn): alone it runs without BEGIN/COMMIT; with others it joins their group. */
        readonly single?: boolean;
        settle: Settle;
      };
  type Settle = (outcome: { ok: true; value: unknown } | { ok: false; error: unknown }) => void;
  const pending: Job[] = [];
  let draining = false;

  const schedule = <T>(make: (settle: Settle) => Job): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      pending.push(make((outcome) => (outcome.ok ? resolve(outcome.value as T) : reject(outcome.error))));
      if (!draining) void drain();
    });

  /**
   * Group commit: the transactions waiting in the queue run together inside ONE SQLite transaction,
   * each in its own savepoint (a failing one is rolled back alone), and share one COMMIT (one fsync).
   * Each caller is answered only after that COMMIT, so durability and atomicity per call are kept.
   */
  async function runGroup(group: Extract<Job, { kind: 'transaction' }>[]): Promise<void> {
    const [only] = group;
    if (group.length === 1 && only) return only.single ? runSingle(only) : runAlone(only);
    const outcomes: Parameters<Settle>[0][] = [];
    // One savepoint, moved forward after each success; ROLLBACK TO keeps it for the next job.
    try {
      await direct.exec('BEGIN IMMEDIATE; SAVEPOINT grouped');
    } catch (error) {
      // e.g. SQLITE_BUSY: another process held the write lock past the busy timeout
      await direct.exec('ROLLBACK').catch(() => undefined);
      for (const job of group) job.settle({ ok: false, error });
      return;
    }
    let broken: unknown = null;
    for (const [index, job] of group.entries()) {
      if (broken !== null) break;
      try {
        const value = await job.work(direct);
        if (index < group.length - 1) await direct.exec('RELEASE grouped; SAVEPOINT grouped');
        outcomes.push({ ok: true, value });
      } catch (error) {
        outcomes.push({ ok: false, error });
        // When SQLite already rolled the whole transaction back, the savepoint is gone: the group fails.
        await direct.exec('ROLLBACK TO grouped').catch((rollbackError: unknown) => {
          broken = rollbackError;
        });
      }
    }
    if (broken === null) {
      try {
        await direct.exec('COMMIT');
      } catch (error) {
        broken = error;
      }
    }
    if (broken !== null) {
      await direct.exec('ROLLBACK').catch(() => undefined);
      group.forEach((job, i) => {
        const outcome = outcomes[i];
        job.settle(outcome && !outcome.ok ? outcome : { ok: false, error: broken });
      });
      return;
    }
    group.forEach((job, i) => job.settle(outcomes[i] ?? { ok: false, error: new Error('transaction not run') }));
  }

  /** Nobody else waiting, and one statement: autocommit makes it atomic and durable by itself. */
  async function runSingle(job: Extract<Job, { kind: 'transaction' }>): Promise<void> {
    try {
      job.settle({ ok: true, value: await job.work(direct) });
    } catch (error) {
      job.settle({ ok: false, error });
    }
  }

  /** Nobody else waiting: a plain transaction, without the savepoint round trips. */
  async function runAlone(job: Extract<Job, { kind: 'transaction' }>): Promise<void> {
    try {
      await direct.exec('BEGIN IMMEDIATE');
    } catch (error) {
      job.settle({ ok: false, error });
      return;
    }
    try {
      const value = await job.work(direct);
      await direct.exec('COMMIT');
      job.settle({ ok: true, value });
    } catch (error) {
      await direct.exec('ROLLBACK').catch(() => undefined);
      job.settle({ ok: false, error });
    }
  }

  async function drain(): Promise<void> {
    draining = true;
    try {
      while (pending.length > 0) {
        const first = pending[0];
        if (first?.kind === 'statement') {
          pending.shift();
          try {
            first.settle({ ok: true, value: await first.run() });
          } catch (error) {
            first.settle({ ok: false, error });
          }
          continue;
        }
        const group: Extract<Job, { kind: 'transaction' }>[] = [];
        while (pending[0]?.kind === 'transaction' && group.length < maxGroupSize) group.push(pending.shift() as (typeof group)[number]);
        await runGroup(group).catch((error: unknown) => {
          for (const job of group) job.settle({ ok: false, error }); // a settled promise ignores this
        });
      }
    } finally {
      draining = false;
    }
  }

  const statement = <T>(run: () => Promise<T>): Promise<T> => schedule<T>((settle) => ({ kind: 'statement', run, settle }));

  let closed = false;
  const database: Database = {
    path,
    run: (sql, params) => statement(() => direct.run(sql, params)),
    get: <T>(sql: string, params?: SqlParams) => statement(() => direct.get<T>(sql, params)),
    all: <T>(sql: string, params?: SqlParams) => statement(() => direct.all<T>(sql, params)),
    exec: (sql) => statement(() => direct.exec(sql)),
    transaction: <T>(work: (tx: Queries) => Promise<T>) => schedule<T>((settle) => ({ kind: 'transaction', work, settle })),
    inTurn: <T>(work: (queries: Queries) => Promise<T>) => schedule<T>((settle) => ({ kind: 'transaction', work, single: true, settle })),
    close: () =>
      statement(async () => {
        if (closed) return;
        closed = true;
        await Promise.all([...statements.values()].map((s) => new Promise<void>((resolve) => s.finalize(() => resolve()))));
        statements.clear();
        await new Promise<void>((resolve, reject) => raw.close((error) => (error ? reject(error) : resolve())));
      }),
  };

  if (options.readOnly) return database;
  // secure_delete: purged ciphertext is overwritten, not left in free pages where the key would still open it.
  await direct.exec(`PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON; PRAGMA synchronous = ${options.synchronous ?? 'FULL'};`);
  return database;
}
