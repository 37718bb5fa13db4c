import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

/**
 * The kiosk's configuration: one JSON file (`<dataDir>/kiosk.config.json`, optional) and
 * environment variables that override it. Each device is `simulated` (a simulator speaking the
 * real bytes over a pty or the virtual PC/SC reader) or the real device's path / reader name.
 */
const deviceSetting = z.string().trim().min(1);

export const kioskConfigSchema = z.object({
  kioskId: z.string().regex(/^[A-Za-z0-9-]{3,32}$/, 'letters, digits and dashes, 3 to 32'),
  /** The city registry's number for this kiosk, 1..9999: part of every card number it issues. */
  kioskNumber: z.number().int().min(1).max(9999),
  dataDir: z.string().min(1),
  port: z.number().int().min(0).max(65535),
  devices: z.object({
    /** `simulated`, or the printer's serial device, e.g. /dev/ttyACM0 */
    printer: deviceSetting,
    /** `simulated`, or the ID scanner's serial device, e.g. /dev/ttyUSB0 */
    scanner: deviceSetting,
    /** `simulated`, or the PC/SC reader's exact name, e.g. 'ACS ACR122U PICC Interface 00 00' (pcsc_scan lists them) */
    nfc: deviceSetting,
    /** `simulated`, or the I/O board's serial device, e.g. /dev/ttyACM1 */
    board: deviceSetting,
  }),
  /** `simulated`, or the exact PC/SC name of the counter reader where staff and citizens tap cards. */
  counterReader: deviceSetting,
  /** Simulated printer speed: 1 = a real printer's 16 s a card; 0.05 makes a demo card in under a second. */
  printerTimeScale: z.number().positive().max(10),
  /**
   * `staffed`: an operator signs in and issues cards. `self-service`: nobody signs in; a citizen taps
   * their own card to see its status and balance (top-up later); staff may still sign in to serve.
   */
  mode: z.enum(['staffed', 'self-service']),
  /** The store's key file (0600). Keep it off the database's disk where the kiosk allows it. */
  keyFile: z.string().min(1),
  /** Personal data and photos of issued cards are purged this many days after the record synced. */
  retentionDays: z.number().int().min(1).max(3650),
  /** Free space (MB) kept on the data directory's disk for the store: below it no card goes to the printer. */
  diskReserveMb: z.number().int().min(0).max(100_000),
  /** Photo-gate threshold overrides, merged one level deep over the defaults (kiosk/controller/photo/config.ts). */
  photo: z.record(z.string(), z.record(z.string(), z.number()).or(z.number())),
});
export type KioskConfig = z.infer<typeof kioskConfigSchema>;
export type DeviceKey = keyof KioskConfig['devices'];

export const simulated = 'simulated';

export const defaultConfig: KioskConfig = {
  kioskId: 'TY-MOBILE-01',
  kioskNumber: 1,
  dataDir: 'var',
  port: 7130,
  devices: { printer: simulated, scanner: simulated, nfc: simulated, board: simulated },
  counterReader: simulated,
  printerTimeScale: 0.05,
  mode: 'staffed',
  /** Relative to the data directory. */
  keyFile: join('keys', 'store.key'),
  retentionDays: 90,
  diskReserveMb: 64,
  photo: {},
};

const envNames = {
  kioskId: 'KIOSK_ID',
  kioskNumber: 'KIOSK_NUMBER',
  dataDir: 'KIOSK_DATA_DIR',
  port: 'KIOSK_PORT',
  printer: 'KIOSK_PRINTER',
  scanner: 'KIOSK_SCANNER',
  nfc: 'KIOSK_NFC',
  board: 'KIOSK_BOARD',
  printerTimeScale: 'KIOSK_PRINTER_TIME_SCALE',
  counterReader: 'KIOSK_COUNTER_READER',
  mode: 'KIOSK_MODE',
  keyFile: 'KIOSK_KEY_FILE',
  retentionDays: 'KIOSK_RETENTION_DAYS',
  diskReserveMb: 'KIOSK_DISK_RESERVE_MB',
} as const;

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<KioskConfig> = {}): KioskConfig {
  const dataDir = resolve(overrides.dataDir ?? env[envNames.dataDir] ?? defaultConfig.dataDir);
  const file = join(dataDir, 'kiosk.config.json');
  let fromFile: Record<string, unknown> = {};
  if (existsSync(file)) {
    try {
      fromFile = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
    }
  }
  const fileDevices = (fromFile['devices'] ?? {}) as Record<string, unknown>;
  const pick = (key: DeviceKey): unknown => env[envNames[key]] ?? fileDevices[key] ?? defaultConfig.devices[key];
  const numberFrom = (value: string | undefined): number | undefined => (value === undefined ? undefined : Number(value));
  const candidate = {
    kioskId: env[envNames.kioskId] ?? fromFile['kioskId'] ?? defaultConfig.kioskId,
    kioskNumber: numberFrom(env[envNames.kioskNumber]) ?? fromFile['kioskNumber'] ?? defaultConfig.kioskNumber,
    dataDir,
    port: numberFrom(env[envNames.port]) ?? fromFile['port'] ?? defaultConfig.port,
    devices: { printer: pick('printer'), scanner: pick('scanner'), nfc: pick('nfc'), board: pick('board') },
    printerTimeScale: numberFrom(env[envNames.printerTimeScale]) ?? fromFile['printerTimeScale'] ?? defaultConfig.printerTimeScale,
    counterReader: env[envNames.counterReader] ?? fromFile['counterReader'] ?? defaultConfig.counterReader,
    mode: env[envNames.mode] ?? fromFile['mode'] ?? defaultConfig.mode,
    // The key lives beside the data unless configured elsewhere; relative paths are from the data directory.
    keyFile: resolve(dataDir, String(env[envNames.keyFile] ?? fromFile['keyFile'] ?? defaultConfig.keyFile)),
    retentionDays: numberFrom(env[envNames.retentionDays]) ?? fromFile['retentionDays'] ?? defaultConfig.retentionDays,
    diskReserveMb: numberFrom(env[envNames.diskReserveMb]) ?? fromFile['diskReserveMb'] ?? defaultConfig.diskReserveMb,
    photo: fromFile['photo'] ?? defaultConfig.photo,
    ...overrides,
  };
  const parsed = kioskConfigSchema
    .refine((config) => config.devices.nfc !== simulated || config.counterReader === simulated, {
      path: ['counterReader'],
      message: 'the counter reader can only be simulated together with the NFC reader',
    })
    .refine((config) => config.devices.nfc === simulated || config.counterReader !== simulated, {
      path: ['counterReader'],
      message: 'with a real NFC reader, name the counter reader too (KIOSK_COUNTER_READER)',
    })
    .safeParse(candidate);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`invalid kiosk configuration (${file} and KIOSK_* variables): ${problems}`);
  }
  return parsed.data;
}

export function isSimulated(config: KioskConfig, device: DeviceKey): boolean {
  return config.devices[device] === simulated;
}
