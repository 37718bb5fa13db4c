import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { defaultSpeechSettings, speechSettingsSchema } from '../../shared/contract/speech';
import { err, ok, type Result } from '../../shared/result';
import { closestName } from './closest-name';
import { parsePhotoGateOverrides } from './photo/config';
import { defaultTimings, timingKeys, timingsSchema } from './timings';

/**
 * The kiosk's configuration: one JSON file (`<dataDir>/kiosk.config.json`, optional) and
 * environment variables that override it. A device is the real device's path / reader name, or
 * `simulated` (a simulator speaking the real bytes over a pty or the virtual PC/SC reader) — but
 * only when simulation is asked for by name (`simulate` / KIOSK_SIMULATE): a kiosk that is not
 * configured is refused, never quietly turned into a demo kiosk.
 */
const deviceSetting = z.string().trim().min(1);

export const kioskConfigSchema = z.object({
  kioskId: z.string().regex(/^[A-Za-z0-9-]{3,32}$/, 'letters, digits and dashes, 3 to 32'),
  /** The city registry's number for this kiosk, 1..9999: part of every card number it issues. */
  kioskNumber: z.number().int().min(1).max(9999),
  dataDir: z.string().min(1),
  port: z.number().int().min(0).max(65535),
  devices: z.object({
    /** The printer's serial device, e.g. /dev/ttyACM0 (or `simulated`) */
    printer: deviceSetting,
    /** The ID scanner's serial device, e.g. /dev/ttyUSB0 (or `simulated`) */
    scanner: deviceSetting,
    /** The PC/SC reader's exact name, e.g. 'ACS ACR122U PICC Interface 00 00' (pcsc_scan lists them) (or `simulated`) */
    nfc: deviceSetting,
    /** The I/O board's serial device, e.g. /dev/ttyACM1 (or `simulated`) */
    board: deviceSetting,
    /** The ccTalk bill validator's serial device, e.g. /dev/serial/by-id/usb-…-if00 (or `simulated`), `none` when the kiosk has none */
    billValidator: deviceSetting,
    /** The ESC/POS receipt printer's serial device, `none` (no printer: the receipt is on screen only), or `simulated`. */
    receiptPrinter: deviceSetting,
  }).strict(),
  /**
   * What takes the cash: `cctalk` (the escrow validator of devices.billValidator), `pulse` (the pulse
   * acceptor on the I/O board: it stacks a note before the kiosk knows of it, see hardware/README.md)
   * or `none` (the kiosk takes no cash). Defaults to `cctalk` when a validator is configured or
   * simulated, else `none`: a kiosk never takes cash through a device nobody named.
   */
  cashDevice: z.enum(['cctalk', 'pulse', 'none']),
  /** The exact PC/SC name of the counter reader where staff and citizens tap cards (`simulated` with the NFC reader). */
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
  /**
   * Photo-gate threshold overrides, merged one level deep over the defaults: checked by
   * kiosk/controller/photo/config.ts (in loadConfig), which names the setting that is wrong.
   */
  photo: z.record(z.string(), z.unknown()),
  /** The timers that are policy, in seconds (idle warning and lock, self-service screens, hand-over): ./timings.ts. */
  timings: timingsSchema,
  /**
   * The spoken guidance (self-service and the applicant's window): its volume, 0 (silent) to 1 (full),
   * set for the kiosk's speaker or headphone jack. The UI gets it in the snapshot.
   */
  speech: speechSettingsSchema,
}).strict();
export type KioskConfig = z.infer<typeof kioskConfigSchema>;
/** The devices every kiosk may simulate by name (the receipt printer is optional apart: `receiptPrinterSetting`). */
export type DeviceKey = Exclude<keyof KioskConfig['devices'], 'receiptPrinter'>;
/** The devices every kiosk has (configured or simulated); the bill validator is optional. */
export const deviceKeys: readonly DeviceKey[] = ['printer', 'scanner', 'nfc', 'board'];
/** What `simulate: true` / KIOSK_SIMULATE=1 simulates: every device, the bill validator too. */
const simulatableKeys: readonly DeviceKey[] = [...deviceKeys, 'billValidator'];
export type CashDevice = KioskConfig['cashDevice'];
export const cashDevices: readonly CashDevice[] = ['cctalk', 'pulse', 'none'];

export const simulated = 'simulated';
/** An optional device (devices.billValidator, devices.receiptPrinter) on a kiosk without one. */
export const noDevice = 'none';

/** What the kiosk falls back to for the settings that may be left out (devices and kioskNumber may not, unless simulated). */
export const defaultConfig = {
  kioskId: 'TY-MOBILE-01',
  dataDir: 'var',
  port: 7130,
  printerTimeScale: 0.05,
  mode: 'staffed',
  /** Relative to the data directory. */
  keyFile: join('keys', 'store.key'),
  retentionDays: 90,
  diskReserveMb: 64,
  photo: {},
  timings: defaultTimings,
  speech: defaultSpeechSettings,
} as const satisfies Partial<KioskConfig>;
/** Only a fully simulated kiosk may go without a registry number: its cards are demo cards. */
const simulatedKioskNumber = 1;

export const envNames = {
  simulate: 'KIOSK_SIMULATE',
  kioskId: 'KIOSK_ID',
  kioskNumber: 'KIOSK_NUMBER',
  dataDir: 'KIOSK_DATA_DIR',
  port: 'KIOSK_PORT',
  printer: 'KIOSK_PRINTER',
  scanner: 'KIOSK_SCANNER',
  nfc: 'KIOSK_NFC',
  board: 'KIOSK_BOARD',
  billValidator: 'KIOSK_BILL_VALIDATOR',
  cashDevice: 'KIOSK_CASH_DEVICE',
  printerTimeScale: 'KIOSK_PRINTER_TIME_SCALE',
  counterReader: 'KIOSK_COUNTER_READER',
  mode: 'KIOSK_MODE',
  keyFile: 'KIOSK_KEY_FILE',
  retentionDays: 'KIOSK_RETENTION_DAYS',
  diskReserveMb: 'KIOSK_DISK_RESERVE_MB',
  receiptPrinter: 'KIOSK_RECEIPT_PRINTER',
} as const;

/**
 * The file's shape: every key known (a typo is refused, not ignored), values checked later with the
 * environment's. `simulate`: true or "all" for every device, or the list of devices to simulate.
 */
const fileSchema = z.object({
  simulate: z.union([z.boolean(), z.literal('all'), z.array(z.enum(['printer', 'scanner', 'nfc', 'board', 'billValidator']))]),
  kioskId: z.unknown(),
  kioskNumber: z.unknown(),
  port: z.unknown(),
  devices: z.object({ printer: z.unknown(), scanner: z.unknown(), nfc: z.unknown(), board: z.unknown(), billValidator: z.unknown(), receiptPrinter: z.unknown() }).partial().strict(),
  cashDevice: z.unknown(),
  counterReader: z.unknown(),
  printerTimeScale: z.unknown(),
  mode: z.unknown(),
  keyFile: z.unknown(),
  retentionDays: z.unknown(),
  diskReserveMb: z.unknown(),
  photo: z.unknown(),
  timings: z.object(Object.fromEntries(timingKeys.map((key) => [key, z.unknown()]))).partial().strict(),
  speech: z.object({ volume: z.unknown() }).partial().strict(),
}).partial().strict();
type FileSettings = z.infer<typeof fileSchema>;

const knownKeys = (path: readonly PropertyKey[]): string[] =>
  path.length === 0 ? Object.keys(fileSchema.shape) : path[0] === 'devices' ? [...simulatableKeys, 'receiptPrinter'] : path[0] === 'timings' ? [...timingKeys] : path[0] === 'speech' ? ['volume'] : [];

function readFile(file: string): FileSettings {
  if (!existsSync(file)) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = fileSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    if (issue.code !== 'unrecognized_keys') return `${issue.path.join('.') || 'the file'}: ${issue.message}`;
    const prefix = issue.path.map((part) => `${String(part)}.`).join('');
    return issue.keys.map((key) => {
      const closest = closestName(key, knownKeys(issue.path));
      return `unknown setting '${prefix}${key}' in ${file}: ${closest ? `did you mean '${prefix}${closest}'?` : `known settings are ${knownKeys(issue.path).join(', ')}`}`;
    }).join('; ');
  });
  throw new Error(`invalid kiosk configuration: ${problems.join('; ')}`);
}

/** The devices to simulate: `KIOSK_SIMULATE` (1/all, 0/none, or a comma-separated list) over the file's `simulate`. */
function simulationRequest(env: NodeJS.ProcessEnv, fromFile: FileSettings): Set<DeviceKey> {
  const value = env[envNames.simulate];
  if (value === undefined) {
    const asked = fromFile.simulate ?? false;
    return new Set(asked === true || asked === 'all' ? simulatableKeys : asked === false ? [] : asked);
  }
  const text = value.trim().toLowerCase();
  if (['1', 'all', 'true', 'yes'].includes(text)) return new Set(simulatableKeys);
  if (['', '0', 'none', 'false', 'no'].includes(text)) return new Set();
  const asked = new Set<DeviceKey>();
  for (const name of text.split(',').map((part) => part.trim())) {
    const device = simulatableKeys.find((key) => key.toLowerCase() === name);
    if (device) {
      asked.add(device);
      continue;
    }
    const closest = closestName(name, simulatableKeys);
    throw new Error(`invalid kiosk configuration: ${envNames.simulate}: '${name}' is not a device${closest ? ` (did you mean '${closest}'?)` : ''}; give 1 (all), 0 (none) or a list of ${simulatableKeys.join(', ')}`);
  }
  return asked;
}

interface Sources {
  readonly dataDir: string;
  readonly file: string;
  readonly fromFile: FileSettings;
  readonly env: NodeJS.ProcessEnv;
}

function readSources(env: NodeJS.ProcessEnv, dataDirOverride?: string): Sources {
  const dataDir = resolve(dataDirOverride ?? env[envNames.dataDir] ?? defaultConfig.dataDir);
  const file = join(dataDir, 'kiosk.config.json');
  return { dataDir, file, fromFile: readFile(file), env };
}

/**
 * A number from a variable: decimal only (`Number` would take `0x10`, `1e3` and, for an empty variable, 0).
 * Empty is unset, as for the devices; anything else that is not a decimal number is NaN, which the schema
 * refuses naming the setting.
 */
const numberFrom = (value: string | undefined): number | undefined => {
  const text = value?.trim();
  if (text === undefined || text === '') return undefined;
  return /^[+-]?(\d+\.?\d*|\.\d+)$/.test(text) ? Number(text) : Number.NaN;
};

/** A configured value in a sentence: as typed when it is text, else as JSON (an object may not print at all). */
const shown = (value: unknown): string => (typeof value === 'string' ? value : (JSON.stringify(value) ?? typeof value));

/** The key file relative to the data directory; a value that is not text is left for the schema to refuse. */
const keyFilePath = (dataDir: string, value: unknown): unknown => (typeof value === 'string' && value !== '' ? resolve(dataDir, value) : value);

/** The settings that do not depend on devices, as the kiosk reads them. */
function commonSettings({ dataDir, fromFile, env }: Sources) {
  return {
    kioskId: env[envNames.kioskId] ?? fromFile.kioskId ?? defaultConfig.kioskId,
    dataDir,
    port: numberFrom(env[envNames.port]) ?? fromFile.port ?? defaultConfig.port,
    printerTimeScale: numberFrom(env[envNames.printerTimeScale]) ?? fromFile.printerTimeScale ?? defaultConfig.printerTimeScale,
    mode: env[envNames.mode] ?? fromFile.mode ?? defaultConfig.mode,
    // The key lives beside the data unless configured elsewhere; relative paths are from the data directory.
    keyFile: keyFilePath(dataDir, (env[envNames.keyFile] || undefined) ?? fromFile.keyFile ?? defaultConfig.keyFile),
    retentionDays: numberFrom(env[envNames.retentionDays]) ?? fromFile.retentionDays ?? defaultConfig.retentionDays,
    diskReserveMb: numberFrom(env[envNames.diskReserveMb]) ?? fromFile.diskReserveMb ?? defaultConfig.diskReserveMb,
    photo: fromFile.photo ?? defaultConfig.photo,
    // Each timing left out keeps its default; the file's only (no variables: they are policy, not per-start).
    timings: { ...defaultConfig.timings, ...fromFile.timings },
    speech: { ...defaultConfig.speech, ...fromFile.speech },
  };
}

const settingName = (key: DeviceKey | 'counterReader' | 'kioskNumber' | 'cashDevice'): string =>
  `${key === 'counterReader' || key === 'kioskNumber' || key === 'cashDevice' ? key : `devices.${key}`} (${envNames[key]})`;

/**
 * The cash device and the validator's setting: the validator is simulated when asked for (simulate
 * all, or by name) unless the cash device is named as another; the cash device defaults to `cctalk`
 * when there is a validator, else `none`. A validator with another cash device, or `cctalk` without
 * one, is a problem.
 */
function resolveCash(env: NodeJS.ProcessEnv, fromFile: FileSettings, simulate: ReadonlySet<DeviceKey>): { cashDevice: unknown; billValidator: unknown; problems: string[] } {
  const problems: string[] = [];
  const namedCash = (env[envNames.cashDevice] || undefined) ?? fromFile.cashDevice;
  const given = (env[envNames.billValidator] || undefined) ?? fromFile.devices?.billValidator;
  const simulatedHere = simulate.has('billValidator') && given !== noDevice && (namedCash === undefined || namedCash === 'cctalk');
  if (given === simulated) {
    problems.push(`${settingName('billValidator')}: '${simulated}' is not a device; to simulate it, ask by name: ${envNames.simulate}=billValidator or "simulate": ["billValidator"]`);
  } else if (simulatedHere && given !== undefined && given !== noDevice) {
    problems.push(`${settingName('billValidator')} is '${shown(given)}' but the bill validator is to be simulated: remove one of the two`);
  }
  const billValidator = simulatedHere ? simulated : (given ?? noDevice);
  const cashDevice = namedCash ?? (billValidator === noDevice ? 'none' : 'cctalk');
  if (cashDevice === 'cctalk' && billValidator === noDevice) {
    problems.push(`${settingName('cashDevice')} is 'cctalk' but there is no bill validator: set ${settingName('billValidator')}`);
  } else if (cashDevice !== 'cctalk' && billValidator !== noDevice && typeof cashDevice === 'string' && (cashDevices as readonly string[]).includes(cashDevice)) {
    problems.push(`${settingName('billValidator')} is '${shown(billValidator)}' but ${settingName('cashDevice')} is '${cashDevice}': a kiosk takes cash through one device; set ${envNames.billValidator}=none or ${envNames.cashDevice}=cctalk`);
  }
  return { cashDevice, billValidator, problems };
}

/**
 * The configuration to start a kiosk with. Throws, naming the file and every setting that is wrong:
 * an unknown key (with the closest known one), a device neither given nor asked to be simulated, a
 * device both given and asked to be simulated, a missing kioskNumber outside full simulation.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<KioskConfig> = {}): KioskConfig {
  const sources = readSources(env, overrides.dataDir);
  const { file, fromFile } = sources;
  const simulate = simulationRequest(env, fromFile);
  const fileDevices = fromFile.devices ?? {};
  const problems: string[] = [];
  const missing: string[] = [];
  // An empty variable (`KIOSK_BOARD= npm start`) gives nothing, as if unset.
  const given = (key: DeviceKey | 'counterReader'): unknown => (env[envNames[key]] || undefined) ?? (key === 'counterReader' ? fromFile.counterReader : fileDevices[key]);
  const resolveDevice = (key: DeviceKey | 'counterReader', simulatedHere: boolean): unknown => {
    const value = given(key);
    if (value === simulated) {
      problems.push(`${settingName(key)}: '${simulated}' is not a device; to simulate it, ask by name: ${envNames.simulate}=${key === 'counterReader' ? 'nfc' : key} or "simulate": ["${key === 'counterReader' ? 'nfc' : key}"]`);
    } else if (simulatedHere && value !== undefined) {
      problems.push(`${settingName(key)} is '${shown(value)}' but the ${key === 'counterReader' ? 'counter reader (simulated with the NFC reader)' : key} is to be simulated: remove one of the two (npm start simulates every device; a configured kiosk starts with npm run start:real)`);
    } else if (!simulatedHere && value === undefined) {
      missing.push(settingName(key));
    }
    return simulatedHere ? simulated : value;
  };
  const cash = resolveCash(env, fromFile, simulate);
  problems.push(...cash.problems);
  const devices = { ...Object.fromEntries(deviceKeys.map((key) => [key, resolveDevice(key, simulate.has(key))])), billValidator: cash.billValidator };
  // The counter reader is the simulated NFC reader's second slot: simulated with it, and only then.
  const counterReader = resolveDevice('counterReader', simulate.has('nfc'));
  const fullySimulated = deviceKeys.every((key) => simulate.has(key));
  const receiptPrinter = receiptPrinterSetting(sources, fullySimulated, problems);
  const kioskNumber = numberFrom(env[envNames.kioskNumber]) ?? fromFile.kioskNumber ?? (fullySimulated ? simulatedKioskNumber : undefined);
  if (kioskNumber === undefined) missing.push(`${settingName('kioskNumber')} (the registry's number for this kiosk: two kiosks with one number issue the same card numbers)`);
  if (missing.length > 0) {
    const unsimulated = deviceKeys.filter((key) => !simulate.has(key) && given(key as DeviceKey | 'counterReader') === undefined);
    const byName = unsimulated.length > 0 ? `simulate them by name (${envNames.simulate}=${unsimulated.join(',')}, or "simulate": [...] in the file), or ` : '';
    problems.push(`not configured: ${missing.join(', ')}; set them in ${file} or the variables, or ${byName}simulate every device (npm start, or ${envNames.simulate}=1)`);
  }
  if (problems.length > 0) throw new Error(`invalid kiosk configuration (${file} and KIOSK_* variables): ${problems.join('; ')}`);

  const parsed = kioskConfigSchema.safeParse({ ...commonSettings(sources), kioskNumber, devices: { ...devices, receiptPrinter }, counterReader, cashDevice: cash.cashDevice, ...overrides });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`invalid kiosk configuration (${file} and KIOSK_* variables): ${issues}`);
  }
  // The photo thresholds' own schema names the key (`headHeight.min`), where a generic one says only "photo.headHeight".
  const photo = parsePhotoGateOverrides(parsed.data.photo);
  if (!photo.ok) throw new Error(`invalid kiosk configuration (${file}): ${photo.error}`);
  return parsed.data;
}

/** Where the store is and how long data stays: what the technicians' CLI needs, with no device configured. */
export interface StoreSettings {
  readonly dataDir: string;
  readonly keyFile: string;
  readonly kioskId: string;
  readonly retentionDays: number;
  /** The counter reader's name when one is configured (kioskctl doctor looks it up). */
  readonly counterReader: string | null;
}

/** The store's settings from the same file and variables as loadConfig (unknown keys refused alike). */
export function loadStoreSettings(env: NodeJS.ProcessEnv = process.env): StoreSettings {
  const sources = readSources(env);
  const schema = kioskConfigSchema.pick({ dataDir: true, keyFile: true, kioskId: true, retentionDays: true });
  const common = commonSettings(sources);
  const parsed = schema.safeParse({ dataDir: common.dataDir, keyFile: common.keyFile, kioskId: common.kioskId, retentionDays: common.retentionDays });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`invalid kiosk configuration (${sources.file} and KIOSK_* variables): ${issues}`);
  }
  const counterReader = env[envNames.counterReader] ?? sources.fromFile.counterReader;
  return { ...parsed.data, counterReader: typeof counterReader === 'string' && counterReader !== simulated ? counterReader : null };
}

/** Each device as configured: `simulated` (asked for), the device's path or reader name, or null when not configured. */
export type DeviceSettings = Readonly<Record<DeviceKey | 'counterReader', string | null>>;

/**
 * The devices of the file and variables without requiring all of them (kioskctl doctor names the
 * missing ones); unknown keys and a bad simulation request are refused as by loadConfig.
 */
export function loadDeviceSettings(env: NodeJS.ProcessEnv = process.env): DeviceSettings {
  const { fromFile } = readSources(env);
  const simulate = simulationRequest(env, fromFile);
  const setting = (key: DeviceKey | 'counterReader', simulatedHere: boolean): string | null => {
    if (simulatedHere) return simulated;
    const value = (env[envNames[key]] || undefined) ?? (key === 'counterReader' ? fromFile.counterReader : fromFile.devices?.[key]);
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
  };
  return {
    printer: setting('printer', simulate.has('printer')),
    scanner: setting('scanner', simulate.has('scanner')),
    nfc: setting('nfc', simulate.has('nfc')),
    board: setting('board', simulate.has('board')),
    billValidator: (() => {
      const cash = resolveCash(env, fromFile, simulate);
      return typeof cash.billValidator === 'string' ? cash.billValidator : null;
    })(),
    counterReader: setting('counterReader', simulate.has('nfc')),
  };
}

/**
 * The receipt printer is optional: `none` unless configured, and simulated by default only in a fully
 * simulated kiosk (`KIOSK_RECEIPT_PRINTER=none` leaves it out there too). `simulated` on a kiosk with
 * real devices is refused: its receipts would silently go nowhere.
 */
function receiptPrinterSetting({ env, fromFile }: Sources, fullySimulated: boolean, problems: string[]): unknown {
  const value = (env[envNames.receiptPrinter] || undefined) ?? fromFile.devices?.receiptPrinter;
  if (value === undefined) return fullySimulated ? simulated : noDevice;
  if (value === simulated && !fullySimulated) {
    problems.push(`devices.receiptPrinter (${envNames.receiptPrinter}): '${simulated}' only in a fully simulated kiosk (npm start); give the printer's serial device or '${noDevice}'`);
  }
  return value;
}

/** The cash device as the kiosk would start with it (kioskctl doctor), or the problem with it. */
export function loadCashDevice(env: NodeJS.ProcessEnv = process.env): Result<CashDevice, string> {
  const { fromFile } = readSources(env);
  const cash = resolveCash(env, fromFile, simulationRequest(env, fromFile));
  if (cash.problems.length > 0) return err(cash.problems.join('; '));
  const parsed = kioskConfigSchema.shape.cashDevice.safeParse(cash.cashDevice);
  return parsed.success ? ok(parsed.data) : err(`cashDevice: '${shown(cash.cashDevice)}' is not one of ${cashDevices.join(', ')}`);
}

export function isSimulated(config: KioskConfig, device: DeviceKey): boolean {
  return config.devices[device] === simulated;
}

/** Every device simulated: the demo kiosk of `npm start`, the only one with demo staff. */
export function isFullySimulated(config: KioskConfig): boolean {
  return deviceKeys.every((device) => isSimulated(config, device));
}
