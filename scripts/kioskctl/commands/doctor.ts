import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DeviceName, DeviceStatusView, LogHealthView } from '../../../shared/contract/kiosk-api';
import type { Result } from '../../../shared/result';
import { loadCashDevice, loadDeviceSettings, loadStoreSettings, noDevice, simulated, type DeviceSettings, type StoreSettings } from '../../../kiosk/controller/config';
import { validatorCheck } from '../validator-check';
import { readControllerFile } from '../../../kiosk/controller/controller-file';
import type { KioskctlCommand } from '../main';
import { listPcscReaders, type ReaderListError } from '../pcsc-readers';

/**
 * `kioskctl doctor`: each configured device and its status; exit 1 when one is missing or the log fails.
 * With the kiosk running it asks the controller (which holds the devices); otherwise it checks
 * that each configured real device is there: serial devices by path, NFC readers by their exact
 * PC/SC name in pcscd's reader list. The counter reader is not in the controller's health report,
 * so a real one is always looked up in pcscd's list. The last line is the log: a running kiosk whose
 * log file cannot be written (disk full...) keeps its log in memory only, and that fails the check.
 */
type Checked = DeviceName | 'counterReader' | 'billValidator' | 'log';
const labels: Record<Checked, string> = {
  printer: 'card printer',
  scanner: 'ID scanner',
  nfc: 'NFC reader',
  counterReader: 'counter reader',
  board: 'I/O board',
  billValidator: 'bill validator',
  log: 'log file',
};
const order = Object.keys(labels) as Checked[];

interface Line {
  readonly device: Checked;
  readonly ok: boolean;
  readonly text: string;
}

type ReaderList = Result<readonly string[], ReaderListError>;

/** pcscd's reader list, asked at most once per run and only when a real reader is configured. */
function readerListOnce(): () => Promise<ReaderList> {
  let list: Promise<ReaderList> | undefined;
  return () => (list ??= listPcscReaders());
}

function readerLine(device: 'nfc' | 'counterReader', name: string, list: ReaderList): Line {
  if (!list.ok) {
    const text = list.error.kind === 'no_daemon' ? `pcscd is not running: start it (systemctl start pcscd) and plug the reader '${name}'` : list.error.message;
    return { device, ok: false, text };
  }
  if (list.value.includes(name)) return { device, ok: true, text: `reader '${name}' present` };
  const seen = list.value.length > 0 ? list.value.map((reader) => `'${reader}'`).join(', ') : 'no reader';
  return { device, ok: false, text: `reader '${name}' not found; pcscd sees ${seen} (the name must match exactly; pcsc_scan -r lists them)` };
}

function serialLine(device: 'printer' | 'scanner' | 'board', path: string): Line {
  const present = existsSync(path);
  return { device, ok: present, text: present ? `${path} present` : `${path} missing: check the cable and the path in kiosk.config.json` };
}

async function fromController(url: string, token: string, settings: StoreSettings, readers: () => Promise<ReaderList>): Promise<Line[]> {
  const { counterReader, dataDir } = settings;
  const response = await fetch(new URL('api/health', url), { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`the controller answered ${response.status}`);
  const health = (await response.json()) as {
    devices: Record<DeviceName, DeviceStatusView>;
    log?: LogHealthView;
    cash?: { device: string; billValidator: string };
  };
  const lines: Line[] = [];
  for (const device of order) {
    if (device === 'log') {
      lines.push(logLine(health.log, dataDir));
    } else if (device === 'billValidator') {
      lines.push(await billValidatorLine(health.cash ?? null, true));
    } else if (device !== 'counterReader') {
      const status = health.devices[device];
      const detail = status.detail ? ` (${status.detail})` : '';
      lines.push({ device, ok: status.state === 'connected', text: `${status.state}${status.simulated ? ', simulated' : ''}${detail}` });
    } else if (health.devices.nfc.simulated) {
      // The simulated counter reader is the second slot of the simulated NFC reader: it stands or falls with it.
      const nfc = health.devices.nfc;
      lines.push({ device, ok: nfc.state === 'connected', text: `${nfc.state}, simulated (second slot of the simulated NFC reader)` });
    } else if (counterReader === null) {
      lines.push({ device, ok: false, text: 'not configured (counterReader / KIOSK_COUNTER_READER)' });
    } else {
      lines.push(readerLine(device, counterReader, await readers()));
    }
  }
  return lines;
}

async function fromConfig(devices: DeviceSettings, dataDir: string, readers: () => Promise<ReaderList>): Promise<Line[]> {
  const lines: Line[] = [];
  for (const device of order) {
    if (device === 'log') {
      lines.push({ device, ok: true, text: `${logFile(dataDir)} (written while the kiosk runs)` });
      continue;
    }
    if (device === 'billValidator') {
      const cash = loadCashDevice();
      lines.push(cash.ok ? await billValidatorLine({ device: cash.value, billValidator: devices.billValidator ?? noDevice }, false) : { device, ok: false, text: cash.error });
      continue;
    }
    const setting = devices[device];
    if (setting === null) {
      lines.push({ device, ok: false, text: 'not configured: set it in kiosk.config.json, or ask for it simulated (KIOSK_SIMULATE)' });
      continue;
    }
    if (setting === simulated) {
      lines.push({ device, ok: true, text: 'simulated (starts with npm start)' });
    } else if (device === 'nfc' || device === 'counterReader') {
      lines.push(readerLine(device, setting, await readers()));
    } else {
      lines.push(serialLine(device, setting));
    }
  }
  return lines;
}

/**
 * The cash device's validator: not used (another cash device), simulated, or a real one — checked on
 * its port (identity, notes, self-check, stacker) when the kiosk is stopped, by its path while the
 * running kiosk holds the port.
 */
async function billValidatorLine(cash: { readonly device: string; readonly billValidator: string } | null, running: boolean): Promise<Line> {
  const device = 'billValidator';
  if (cash === null) return { device, ok: true, text: 'not reported by the running kiosk' };
  const setting = cash.billValidator;
  if (setting === noDevice) return { device, ok: true, text: `none (cash device: ${cash.device})` };
  if (setting === simulated) return { device, ok: true, text: `simulated (cash device: ${cash.device})${running ? '' : ', starts with npm start'}` };
  if (!existsSync(setting)) return { device, ok: false, text: `${setting} missing: check the cable, the ccTalk interface and the path in kiosk.config.json` };
  if (running) return { device, ok: true, text: `${setting} present, held by the running kiosk (stop it for a full check)` };
  const check = await validatorCheck(setting);
  return { device, ok: check.ok, text: check.text };
}

function logFile(dataDir: string): string {
  return join(dataDir, 'logs', 'kiosk.jsonl');
}

function logLine(health: LogHealthView | undefined, dataDir: string): Line {
  if (health?.state !== 'memory-only') return { device: 'log', ok: true, text: `writing to ${logFile(dataDir)}` };
  return {
    device: 'log',
    ok: false,
    text: `cannot write ${logFile(dataDir)} (${health.reason} since ${health.since}): kept in memory only, ${health.keptLines} lines kept, ${health.droppedLines} dropped; free disk space or fix the permissions`,
  };
}

export const command: KioskctlCommand = {
  summary: 'list each configured device and the log, with their status (exit 1 when one is missing or the log fails)',
  async run(args) {
    if (args.length > 1 || (args.length === 1 && args[0] !== '--json')) {
      process.stderr.write('usage: kioskctl doctor [--json]\n');
      return 2;
    }
    // A running kiosk is asked (its devices may be simulated on request); a stopped one is checked against its configuration.
    let settings: StoreSettings;
    let running: ReturnType<typeof readControllerFile>;
    let devices: DeviceSettings | null = null;
    try {
      settings = loadStoreSettings();
      running = readControllerFile(settings.dataDir);
      if (!running) devices = loadDeviceSettings();
    } catch (error) {
      process.stderr.write(`kioskctl doctor: ${(error as Error).message}\n`);
      return 1;
    }
    const readers = readerListOnce();
    let lines: Line[];
    let source: string;
    try {
      lines = running ? await fromController(running.url, running.token, settings, readers) : await fromConfig(devices!, settings.dataDir, readers);
      source = running ? `kiosk ${settings.kioskId} running at ${running.url}` : `kiosk ${settings.kioskId} not running; configuration in ${settings.dataDir}`;
    } catch (error) {
      process.stderr.write(`kioskctl doctor: cannot ask the running controller: ${(error as Error).message}\n`);
      return 1;
    }
    if (args[0] === '--json') {
      process.stdout.write(`${JSON.stringify({ source, devices: lines })}\n`);
    } else {
      process.stdout.write(`${source}\n`);
      for (const line of lines) process.stdout.write(`  ${line.ok ? 'ok     ' : line.device === 'log' ? 'FAILING' : 'MISSING'}  ${labels[line.device].padEnd(14)} ${line.text}\n`);
    }
    return lines.every((line) => line.ok) ? 0 : 1;
  },
};
