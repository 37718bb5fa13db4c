import { join } from 'node:path';
import { loadConfig } from '../config';

/**
 * Where the technicians' CLI finds the store: `--db <file>` / `--key <file>` / `--kiosk <id>` flags, else
 * `KIOSK_DB` / `KIOSK_KEY_FILE` / `KIOSK_ID`, else where the controller (main.ts) keeps them:
 * `<dataDir>/kiosk.sqlite`, `<dataDir>/keys/store.key`, and the configured kiosk id (see kiosk/controller/config.ts). Returns the remaining arguments.
 */
/** The controller's own choice (kiosk/controller/main.ts): keep the two in step. */
export const defaultStoreFile = 'kiosk.sqlite';
export const defaultKeyFile = join('keys', 'store.key');

export interface StoreLocation {
  readonly path: string;
  readonly keyFile: string;
  readonly kioskId: string;
}

export function storeLocationFrom(args: readonly string[], env: NodeJS.ProcessEnv = process.env): { location: StoreLocation; rest: string[] } {
  const flags = new Map<string, string>();
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const value = args[i + 1];
    if ((arg === '--db' || arg === '--key' || arg === '--kiosk') && value !== undefined) {
      flags.set(arg, value);
      i++;
    } else {
      rest.push(arg);
    }
  }
  const needConfig =
    (!flags.has('--kiosk') && !env['KIOSK_ID']) || (!flags.has('--db') && !env['KIOSK_DB']) || (!flags.has('--key') && !env['KIOSK_KEY_FILE']);
  const config = needConfig ? loadConfig(env) : null;
  const dataDir = config?.dataDir ?? '.';
  return {
    location: {
      path: flags.get('--db') ?? env['KIOSK_DB'] ?? join(dataDir, defaultStoreFile),
      keyFile: flags.get('--key') ?? env['KIOSK_KEY_FILE'] ?? join(dataDir, defaultKeyFile),
      kioskId: flags.get('--kiosk') ?? env['KIOSK_ID'] ?? config?.kioskId ?? '',
    },
    rest,
  };
}

export const storeLocationHelp = `store: --db <file> (or KIOSK_DB), --key <file> (or KIOSK_KEY_FILE), --kiosk <id> (or KIOSK_ID);
       defaults <dataDir>/kiosk.sqlite, <dataDir>/keys/store.key and the configured kiosk id`;
