import { isSimulated, type KioskConfig } from '../config';
import type { SimulatedWorldLink } from './simulated-world';

/**
 * Where the kiosk's ccTalk validator is: its configured serial device, or the host end of the simulated
 * one's pty; null when the cash device is not the validator (`pulse` or `none`).
 */
export function billValidatorPath(config: KioskConfig, world: SimulatedWorldLink | null): string | null {
  if (config.cashDevice !== 'cctalk') return null;
  if (!isSimulated(config, 'billValidator')) return config.devices.billValidator;
  const path = world?.paths.billValidator;
  if (!path) throw new Error('the simulated bill validator did not start');
  return path;
}
