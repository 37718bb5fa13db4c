import { existsSync } from 'node:fs';
import type { DeviceName, DeviceStatusView } from '../../../shared/contract/kiosk-api';
import { loadConfig, simulated, type DeviceKey } from '../../../kiosk/controller/config';
import { readControllerFile } from '../../../kiosk/controller/controller-file';
import type { KioskctlCommand } from '../main';

/**
 * `kioskctl doctor`: each configured device and its status; exit 1 when one is missing.
 * With the kiosk running it asks the controller (which holds the devices); otherwise it checks
 * that each configured real device is there.
 */
const labels: Record<DeviceName, string> = { printer: 'card printer', scanner: 'ID scanner', nfc: 'NFC reader', board: 'I/O board' };

interface Line {
  readonly device: DeviceName;
  readonly ok: boolean;
  readonly text: string;
}

async function fromController(url: string, token: string): Promise<Line[]> {
  const response = await fetch(new URL('api/health', url), { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`the controller answered ${response.status}`);
  const health = (await response.json()) as { devices: Record<DeviceName, DeviceStatusView> };
  return (Object.keys(labels) as DeviceName[]).map((device) => {
    const status = health.devices[device];
    const detail = status.detail ? ` (${status.detail})` : '';
    return { device, ok: status.state === 'connected', text: `${status.state}${status.simulated ? ', simulated' : ''}${detail}` };
  });
}

function fromConfig(devices: Record<DeviceKey, string>): Line[] {
  return (Object.keys(labels) as DeviceName[]).map((device) => {
    const setting = devices[device];
    if (setting === simulated) return { device, ok: true, text: 'simulated (starts with npm start)' };
    if (device === 'nfc') {
      const daemon = existsSync('/run/pcscd/pcscd.comm');
      return { device, ok: daemon, text: daemon ? `reader '${setting}' via pcscd` : `pcscd is not running: start it (pcscd) and plug the reader '${setting}'` };
    }
    const present = existsSync(setting);
    return { device, ok: present, text: present ? `${setting} present` : `${setting} missing: check the cable and the path in kiosk.config.json` };
  });
}

export const command: KioskctlCommand = {
  summary: 'list each configured device and its status (exit 1 when one is missing)',
  async run(args) {
    if (args.length > 0 && args[0] !== '--json') {
      process.stderr.write('usage: kioskctl doctor [--json]\n');
      return 2;
    }
    const config = loadConfig();
    const running = readControllerFile(config.dataDir);
    let lines: Line[];
    let source: string;
    try {
      lines = running ? await fromController(running.url, running.token) : fromConfig(config.devices);
      source = running ? `kiosk ${config.kioskId} running at ${running.url}` : `kiosk ${config.kioskId} not running; configuration in ${config.dataDir}`;
    } catch (error) {
      process.stderr.write(`kioskctl doctor: cannot ask the running controller: ${(error as Error).message}\n`);
      return 1;
    }
    if (args[0] === '--json') {
      process.stdout.write(`${JSON.stringify({ source, devices: lines })}\n`);
    } else {
      process.stdout.write(`${source}\n`);
      for (const line of lines) process.stdout.write(`  ${line.ok ? 'ok     ' : 'MISSING'}  ${labels[line.device].padEnd(12)} ${line.text}\n`);
    }
    return lines.every((line) => line.ok) ? 0 : 1;
  },
};
