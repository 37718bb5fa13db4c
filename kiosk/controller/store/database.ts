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
   * Runs `work` inside `BEGIN IMMEDIATE ... COMMIT` (ROLLBACK if it throws). Transactions and single
   * statements are serialized through one queue: sqlite3 has one connection, so a statement issued
   * while another caller's transaction is open would silently join it.
   */
  transaction<T>(work: (tx: Queries) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  readonly path: string;
}

export interface OpenDatabaseOptions {
  /** `FULL` (default) makes every commit durable: a kiosk records money and official cards. */
  readonly synchronous?: 'FULL' | 'NORMAL';
}

const busyTimeoutMs = 5_000;

export async function openDatabase(path: string, options: OpenDatabaseOptions = {}): Promise<Database> {
  const mode = sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE;
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

  let queue: Promise<unknown> = Promise.resolve();
  const enqueue = <T>(work: () => Promise<T>): Promise<T> => {
    const result = queue.then(work, work);
    queue = result.catch(() => undefined);
    return result;
  };

  let closed = false;
  const database: Database = {
    path,
    run: (sql, params) => enqueue(() => direct.run(sql, params)),
    get: <T>(sql: string, params?: SqlParams) => enqueue(() => direct.get<T>(sql, params)),
    all: <T>(sql: string, params?: SqlParams) => enqueue(() => direct.all<T>(sql, params)),
    exec: (sql) => enqueue(() => direct.exec(sql)),
    transaction: (work) =>
      enqueue(async () => {
        await direct.exec('BEGIN IMMEDIATE');
        try {
          const value = await work(direct);
          await direct.exec('COMMIT');
          return value;
        } catch (error) {
          await direct.exec('ROLLBACK').catch(() => undefined);
          throw error;
        }
      }),
    close: () =>
      enqueue(async () => {
        if (closed) return;
        closed = true;
        await Promise.all([...statements.values()].map((s) => new Promise<void>((resolve) => s.finalize(() => resolve()))));
        statements.clear();
        await new Promise<void>((resolve, reject) => raw.close((error) => (error ? reject(error) : resolve())));
      }),
  };

  // secure_delete: purged ciphertext is overwritten, not left in free pages where the key would still open it.
  await direct.exec(`PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON; PRAGMA synchronous = ${options.synchronous ?? 'FULL'};`);
  return database;
}
