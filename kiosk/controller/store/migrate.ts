import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { err, ok, type Result } from '../../../shared/result';
import type { Database } from './database';

/** `migrations/NNN-name.sql`, applied in order; `PRAGMA user_version` holds the last one applied. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

const migrationsDir = join(dirname(fileURLToPath(import.meta.url)), 'migrations');
const fileNamePattern = /^(\d{3})-([a-z0-9-]+)\.sql$/;

export function loadMigrations(): Migration[] {
  const migrations = readdirSync(migrationsDir)
    .map((file) => ({ file, match: fileNamePattern.exec(file) }))
    .filter((entry): entry is { file: string; match: RegExpExecArray } => entry.match !== null)
    .map(({ file, match }) => ({
      version: Number(match[1]),
      name: match[2] ?? file,
      sql: readFileSync(join(migrationsDir, file), 'utf8'),
    }))
    .sort((a, b) => a.version - b.version);
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) throw new Error(`migrations must be numbered 001, 002, ... without gaps (${migration.name})`);
  });
  return migrations;
}

export const latestSchemaVersion = (): number => loadMigrations().length;

export type MigrationError = { readonly kind: 'schema_too_new'; readonly found: number; readonly supported: number };

export async function schemaVersion(db: Database): Promise<number> {
  const row = await db.get<{ user_version: number }>('PRAGMA user_version');
  return row?.user_version ?? 0;
}

/**
 * Brings the schema up to `upTo` (default: the latest), one transaction per migration so a crash
 * leaves a consistent version. Never drops data; a database newer than this code is refused.
 */
export async function migrate(db: Database, upTo?: number): Promise<Result<{ from: number; to: number }, MigrationError>> {
  const migrations = loadMigrations();
  const target = upTo ?? migrations.length;
  const from = await schemaVersion(db);
  if (from > migrations.length) return err({ kind: 'schema_too_new', found: from, supported: migrations.length });
  for (const migration of migrations) {
    if (migration.version <= from || migration.version > target) continue;
    await db.transaction(async (tx) => {
      await tx.exec(migration.sql);
      await tx.exec(`PRAGMA user_version = ${migration.version}`);
    });
  }
  return ok({ from, to: Math.max(from, target) });
}
