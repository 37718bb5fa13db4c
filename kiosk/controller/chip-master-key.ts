import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseMasterKey } from '../../hardware/nfc/keys';

/**
 * The city master key from which every card's chip keys and MAC key are diversified. In the field
 * the city installs it (hex, in a 0600 file); a development kiosk makes its own on first start.
 */
export function loadOrCreateChipMasterKey(path: string): Uint8Array {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    writeFileSync(path, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  }
  chmodSync(path, 0o600);
  const key = parseMasterKey(readFileSync(path, 'utf8').trim());
  if (!key) throw new Error(`${path} does not hold a chip master key (at least 16 bytes as hex)`);
  return key;
}
