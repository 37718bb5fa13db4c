import { existsSync } from 'node:fs';
import { openStore, type Store } from './store';
import { storeProblem } from './store-problem';
import { configFrom, storeLocationFrom, type ConfigSource, type StoreLocation } from './cli-options';

/**
 * Opens the store for one CLI command; prints the reason and returns null when it cannot. Only
 * `create` (adding the first operator at installation) may create a missing database; a missing key
 * next to an existing database is an error, never a fresh key.
 */
export async function openStoreForCli(
  command: string,
  args: readonly string[],
  options: { create?: boolean; config?: ConfigSource; lostRecords?: 'open' } = {},
): Promise<{ store: Store; location: StoreLocation; rest: string[] } | null> {
  let parsed: ReturnType<typeof storeLocationFrom>;
  try {
    parsed = storeLocationFrom(args, process.env, options.config ?? configFrom(process.env));
  } catch (error) {
    process.stderr.write(`kioskctl ${command}: ${(error as Error).message}\n`);
    return null;
  }
  const { path, keyFile } = parsed.location;
  if (!existsSync(path) && !options.create) {
    process.stderr.write(`kioskctl ${command}: no store at ${path} (use --db, KIOSK_DB or KIOSK_DATA_DIR)\n`);
    return null;
  }
  if (existsSync(path) && !existsSync(keyFile)) {
    process.stderr.write(`kioskctl ${command}: the key file ${keyFile} is missing (use --key, or set keyFile in <dataDir>/kiosk.config.json or KIOSK_KEY_FILE as for the controller); without it the data cannot be read\n`);
    return null;
  }
  const opened = await openStore({ ...parsed.location, auditOpen: false, ...(options.lostRecords ? { lostRecords: options.lostRecords } : {}) });
  if (!opened.ok) {
    process.stderr.write(`kioskctl ${command}: cannot open the store ${parsed.location.path}: ${storeProblem(opened.error, keyFile)}\n`);
    return null;
  }
  return { store: opened.value, location: parsed.location, rest: parsed.rest };
}
