import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { envNames, kioskConfigSchema, loadConfig, type KioskConfig } from '../../../kiosk/controller/config';
import { parsePhotoGateOverrides } from '../../../kiosk/controller/photo';
import { defaultTimings } from '../../../kiosk/controller/timings';
import type { FuzzTarget } from '../target';

/**
 * The kiosk's configuration (`loadConfig`: `<dataDir>/kiosk.config.json` and the KIOSK_* variables, then
 * the photo thresholds as main.ts reads them): a real kiosk's file, a simulated one's, and a kiosk set
 * up by variables alone, each with one setting changed (a wrong type, a value out of range, a key left
 * out or misspelt, `__proto__`, an object that cannot be printed), the file's text broken, or arbitrary.
 * Its promises: never a TypeError or the like, only an Error that says "invalid kiosk configuration"
 * (or that the file is not JSON) and names the setting; an accepted configuration is one the schema
 * accepts, and never holds a value of the wrong type turned into something else.
 */

const realFile = {
  kioskId: 'TY-MARKET-03',
  kioskNumber: 17,
  port: 7130,
  devices: {
    printer: '/dev/ttyACM0',
    scanner: '/dev/ttyUSB0',
    nfc: 'ACS ACR122U PICC Interface 00 00',
    board: '/dev/ttyACM1',
    billValidator: '/dev/serial/by-id/usb-ccTalk-if00',
    receiptPrinter: 'none',
  },
  cashDevice: 'cctalk',
  counterReader: 'ACS ACR122U PICC Interface 01 00',
  printerTimeScale: 1,
  mode: 'staffed',
  keyFile: '/etc/kiosk/store.key',
  retentionDays: 90,
  diskReserveMb: 64,
  photo: { headHeight: { min: 0.5, max: 0.75 }, brightness: { min: 60 } },
  timings: { ...defaultTimings },
  speech: { volume: 0.5 },
};
const simulatedFile = { simulate: true, kioskId: 'TY-DEMO-01', timings: { idleLockSeconds: 300 }, speech: { volume: 1 } };
const realEnv: Record<string, string> = {
  KIOSK_PRINTER: '/dev/ttyACM0',
  KIOSK_SCANNER: '/dev/ttyUSB0',
  KIOSK_NFC: 'ACS ACR122U PICC Interface 00 00',
  KIOSK_COUNTER_READER: 'ACS ACR122U PICC Interface 01 00',
  KIOSK_BOARD: '/dev/ttyACM1',
  KIOSK_NUMBER: '17',
  KIOSK_PORT: '7130',
  KIOSK_RETENTION_DAYS: '30',
  KIOSK_DISK_RESERVE_MB: '128',
  KIOSK_PRINTER_TIME_SCALE: '0.5',
  KIOSK_MODE: 'self-service',
  KIOSK_ID: 'TY-STATION-2',
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** What a setting's value must be (JSON type), for "a wrong type is refused, never converted". */
const expectedType: Readonly<Record<string, 'string' | 'number' | 'object'>> = {
  kioskId: 'string', kioskNumber: 'number', port: 'number', cashDevice: 'string', counterReader: 'string', printerTimeScale: 'number',
  mode: 'string', keyFile: 'string', retentionDays: 'number', diskReserveMb: 'number', photo: 'object', timings: 'object', speech: 'object', devices: 'object',
  'devices.printer': 'string', 'devices.scanner': 'string', 'devices.nfc': 'string', 'devices.board': 'string', 'devices.billValidator': 'string', 'devices.receiptPrinter': 'string',
  ...Object.fromEntries(Object.keys(defaultTimings).map((key) => [`timings.${key}`, 'number'])),
  'speech.volume': 'number',
};

type Mutation =
  | { readonly kind: 'file-value'; readonly path: readonly string[]; readonly value: Json }
  | { readonly kind: 'file-without'; readonly path: readonly string[] }
  | { readonly kind: 'file-unknown'; readonly path: readonly string[]; readonly value: Json }
  | { readonly kind: 'file-text'; readonly at: number; readonly remove: number; readonly text: string }
  | { readonly kind: 'env'; readonly name: string; readonly value: string };

interface Input {
  readonly base: 'real' | 'simulated' | 'env';
  readonly mutation: Mutation | null;
  /** Arbitrary file text instead of a base file. */
  readonly rawFile?: string;
}

const filePaths = (file: Record<string, unknown>): string[][] =>
  Object.entries(file).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null && !Array.isArray(value) ? [[key], ...Object.keys(value).map((inner) => [key, inner])] : [[key]],
  );
const allPaths = [...filePaths(realFile), ['simulate'], ['photo', 'detector'], ['photo', 'headHeight', 'min']];

const unprintable = JSON.parse('{"toString":1,"valueOf":2}') as Json;
const wrongValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(null, true, false, 0, -1, 0.5, 1e308, -1e308, 65536, 2 ** 31, '', ' ', 'simulated', 'none', 'all', '0', '17', [], {}, ['printer'], unprintable, { __proto__: null } as unknown as Json, 'x'.repeat(5_000)),
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
  fc.string({ maxLength: 20 }),
  fc.double(),
  fc.integer(),
);
const envValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', ' ', '0', '-1', '1e3', '0x10', '0b11', 'NaN', 'Infinity', '１７', '17abc', ' 17 ', '7130.5', 'simulated', 'none', 'all', '1', 'printer,nfc', 'printr', 'pulse', 'cctalk', 'x'.repeat(5_000), '\u0000'),
  fc.string({ maxLength: 20 }),
  fc.integer().map(String),
  fc.double().map(String),
);
const envKeys = Object.values(envNames).filter((name) => name !== envNames.dataDir);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.constantFrom(...allPaths), wrongValue).map(([path, value]) => ({ kind: 'file-value' as const, path, value })),
  fc.constantFrom(...allPaths).map((path) => ({ kind: 'file-without' as const, path })),
  fc.tuple(fc.constantFrom<readonly string[]>([], ['devices'], ['timings'], ['speech'], ['photo'], ['photo', 'headHeight']), fc.constantFrom('__proto__', 'constructor', 'kioskid', 'Port', 'printr', 'idleLock', 'volume ', 'toString', ''), wrongValue).map(([parent, key, value]) => ({
    kind: 'file-unknown' as const,
    path: [...parent, key],
    value,
  })),
  fc.tuple(fc.nat(), fc.nat(4), fc.string({ maxLength: 3 })).map(([at, remove, text]) => ({ kind: 'file-text' as const, at, remove, text })),
  fc.tuple(fc.constantFrom(...envKeys), envValue).map(([name, value]) => ({ kind: 'env' as const, name, value })),
);

export const target: FuzzTarget<Input> = {
  name: 'config-file',
  subject: 'kiosk/controller/config.ts loadConfig (kiosk.config.json, KIOSK_* variables), photo/config.ts parsePhotoGateOverrides',
  input: fc.oneof(
    { weight: 6, arbitrary: fc.record({ base: fc.constantFrom<Input['base']>('real', 'simulated', 'env'), mutation: fc.option(mutation, { nil: null, freq: 10 }) }) },
    { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 80 }), fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? '')).map((rawFile): Input => ({ base: 'real', mutation: null, rawFile })) },
  ),
  feed(input) {
    // One data directory for every input, removed when the process exits: the file is written or removed each time.
    if (dataDir === undefined) {
      const made = mkdtempSync(join(tmpdir(), 'fuzz-config-'));
      process.once('exit', () => rmSync(made, { recursive: true, force: true }));
      dataDir = made;
    }
    rmSync(join(dataDir, 'kiosk.config.json'), { force: true });
    feedIn(dataDir, input);
  },
};

let dataDir: string | undefined;

function feedIn(dir: string, input: Input): void {
  const env: Record<string, string> = { KIOSK_DATA_DIR: dir, ...(input.base === 'env' ? realEnv : {}) };
  let file: Record<string, unknown> | null = input.base === 'real' ? structuredClone(realFile) : input.base === 'simulated' ? structuredClone(simulatedFile) : null;
  let text: string | null = input.rawFile ?? null;
  const m = input.mutation;
  if (m !== null && m.kind === 'env') env[m.name] = m.value;
  if (m !== null && (m.kind === 'file-value' || m.kind === 'file-unknown' || m.kind === 'file-without')) {
    file ??= {};
    setPath(file, m.path, m.kind === 'file-without' ? undefined : m.value);
  }
  if (text === null && file !== null) text = JSON.stringify(file);
  if (m !== null && m.kind === 'file-text' && text !== null) {
    const where = m.at % (text.length + 1);
    text = text.slice(0, where) + m.text + text.slice(where + m.remove);
  }
  if (text !== null) writeFileSync(join(dir, 'kiosk.config.json'), text);

  let config: KioskConfig;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof Error) || error.constructor !== Error) throw new Error(`loadConfig threw ${String((error as Error).name)}: ${String((error as Error).message)}`);
    if (!/invalid kiosk configuration|is not valid JSON/.test(error.message)) throw new Error(`an unclear refusal: ${error.message.slice(0, 300)}`);
    const named = namedIn(m);
    if (named !== null && !named.some((name) => error.message.includes(name))) {
      throw new Error(`the refusal of ${describe(m)} names none of ${named.join(', ')}: ${error.message.slice(0, 400)}`);
    }
    return;
  }
  if (!kioskConfigSchema.safeParse(config).success) throw new Error(`loadConfig returned a configuration its schema refuses (${describe(m)})`);
  const photo = parsePhotoGateOverrides(config.photo);
  if (!photo.ok && !/photo setting/.test(photo.error)) throw new Error(`an unclear photo refusal: ${photo.error}`);
  // A variable overrides the file (the file's value is then not used): only a value in use must have its type.
  const overridden = (path: readonly string[]): boolean => {
    const key = path[path.length - 1] ?? '';
    const variable = Object.prototype.hasOwnProperty.call(envNames, key) ? (envNames as Record<string, string>)[key] : undefined;
    return variable !== undefined && (env[variable] ?? '') !== '';
  };
  if (m !== null && m.kind === 'file-value' && !overridden(m.path)) {
    const want = expectedType[m.path.join('.')];
    const written = JSON.parse(JSON.stringify(m.value) ?? 'null') as unknown; // -Infinity is written as null
    const got = written === null ? 'null' : Array.isArray(written) ? 'array' : typeof written;
    // `null` for a device may mean "none configured" only where a default exists; any other wrong type must be refused.
    if (want !== undefined && got !== want && got !== 'null') throw new Error(`accepted ${describe(m)}: a ${got} where a ${want} belongs`);
  }
  if (m !== null && m.kind === 'env' && numericEnv.has(m.name) && m.value.trim() !== '' && !/^\s*[+-]?(\d+\.?\d*|\.\d+)\s*$/.test(m.value)) {
    throw new Error(`accepted ${m.name}=${JSON.stringify(m.value.slice(0, 40))}, which is not a decimal number`);
  }
}

const numericEnv = new Set<string>([envNames.kioskNumber, envNames.port, envNames.printerTimeScale, envNames.retentionDays, envNames.diskReserveMb]);

/** The names a refusal of this mutation must mention (any one): the setting's path, its key, its variable. */
function namedIn(m: Mutation | null): string[] | null {
  if (m === null || m.kind === 'file-text') return null;
  if (m.kind === 'env') return [m.name, ...Object.entries(envNames).filter(([, v]) => v === m.name).map(([k]) => k)];
  const key = m.path[m.path.length - 1] ?? '';
  const variable = Object.prototype.hasOwnProperty.call(envNames, key) ? (envNames as Record<string, string>)[key] : undefined;
  // A key left out may be required: the refusal then names what is missing, the key itself.
  // The photo thresholds name their keys within `photo` (`headHeight.min`).
  const photoPath = m.path[0] === 'photo' && m.path.length > 1 ? [m.path.slice(1).join('.')] : [];
  return [m.path.join('.'), key === '' ? "''" : key, ...photoPath, ...(variable ? [variable] : [])];
}

function describe(m: Mutation | null): string {
  if (m === null) return 'the base configuration';
  if (m.kind === 'env') return `${m.name}=${JSON.stringify(m.value.slice(0, 40))}`;
  if (m.kind === 'file-text') return 'a broken file';
  if (m.kind === 'file-without') return `the file without ${m.path.join('.')}`;
  return `${m.path.join('.')} = ${(JSON.stringify(m.value) ?? 'undefined').slice(0, 60)}`;
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  if (rest.length === 0) {
    if (value === undefined) delete target[head];
    else Object.defineProperty(target, head, { value, enumerable: true, configurable: true, writable: true });
    return;
  }
  const inner = Object.prototype.hasOwnProperty.call(target, head) ? target[head] : undefined;
  const next: Record<string, unknown> = typeof inner === 'object' && inner !== null && !Array.isArray(inner) ? (inner as Record<string, unknown>) : {};
  Object.defineProperty(target, head, { value: next, enumerable: true, configurable: true, writable: true });
  setPath(next, rest, value);
}
