import { join } from 'node:path';
import { loadStoreSettings, type StoreSettings } from '../config';

/** The store's file in the data directory, where the controller (main.ts) opens it. */
export const defaultStoreFile = 'kiosk.sqlite';

export interface StoreLocation {
  readonly path: string;
  readonly keyFile: string;
  readonly kioskId: string;
}

/** The controller's configuration, read at most once and only when a flag leaves something to it. */
export type ConfigSource = () => StoreSettings;

export function configFrom(env: NodeJS.ProcessEnv = process.env): ConfigSource {
  let config: StoreSettings | null = null;
  return () => (config ??= loadStoreSettings(env));
}

const storeFlags = ['--db', '--key', '--kiosk'] as const;
type StoreFlag = (typeof storeFlags)[number];
const isStoreFlag = (arg: string): arg is StoreFlag => (storeFlags as readonly string[]).includes(arg);

/**
 * Where the technicians' CLI finds the store, from the same configuration as the controller
 * (`loadStoreSettings()`: `<dataDir>/kiosk.config.json`, then `KIOSK_*` variables; no device needs configuring): `--db <file>` /
 * `--key <file>` / `--kiosk <id>` flags override it; else `KIOSK_DB` (CLI only) or
 * `<dataDir>/kiosk.sqlite`, the configured key file (`keyFile` / `KIOSK_KEY_FILE`, relative to the
 * data directory) and the configured kiosk id. Never read `KIOSK_*` here yourself: that is config.ts's job.
 * Throws (with config.ts's message naming the file and field) when the configuration is needed and invalid.
 */
export function storeLocationFrom(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  config: ConfigSource = configFrom(env),
): { location: StoreLocation; rest: string[] } {
  const flags = new Map<StoreFlag, string>();
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const value = args[i + 1];
    if (isStoreFlag(arg) && value !== undefined) {
      flags.set(arg, value);
      i++;
    } else {
      rest.push(arg);
    }
  }
  return {
    location: {
      path: flags.get('--db') ?? env['KIOSK_DB'] ?? join(config().dataDir, defaultStoreFile),
      keyFile: flags.get('--key') ?? config().keyFile,
      kioskId: flags.get('--kiosk') ?? config().kioskId,
    },
    rest,
  };
}

/** `--days N` when given (validated by the caller), else the configured `retentionDays` (the controller's schedule uses the same). */
export function retentionDaysFrom(daysFlag: string | undefined, config: ConfigSource): number {
  return daysFlag === undefined ? config().retentionDays : Number(daysFlag);
}

export const storeLocationHelp = `store: --db <file> (or KIOSK_DB), --key <file>, --kiosk <id>; else as the controller finds them:
       <dataDir>/kiosk.sqlite, the configured key file (keyFile in <dataDir>/kiosk.config.json or
       KIOSK_KEY_FILE, relative to the data directory; default keys/store.key) and kiosk id (KIOSK_ID)`;
