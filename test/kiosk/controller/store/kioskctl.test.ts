import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { command as audit } from '../../../../scripts/kioskctl/commands/audit';
import { command as backup } from '../../../../scripts/kioskctl/commands/backup';
import { command as operator } from '../../../../scripts/kioskctl/commands/operator';
import { command as purge } from '../../../../scripts/kioskctl/commands/purge';
import { command as restore } from '../../../../scripts/kioskctl/commands/restore';
import { openDatabase } from '../../../../kiosk/controller/store/database';
import { join } from 'node:path';
import { issuance, kioskId, openTempStore, type TempStore } from './temp-store';

describe('kioskctl operator, audit, purge, backup, restore', () => {
  let t: TempStore;
  let out: string[];
  let flags: string[];
  beforeEach(async () => {
    t = await openTempStore();
    await t.store.recordIssuance(issuance());
    await t.store.close();
    flags = ['--db', t.path, '--key', t.keyFile, '--kiosk', kioskId];
    out = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await t.reopen();
    await t.cleanup();
  });

  it('audit verify: 0 on an intact chain, 1 naming the row once tampered', async () => {
    expect(await audit.run(['verify', ...flags])).toBe(0);
    expect(out.join('')).toMatch(/intact: \d+ rows/);
    const raw = await openDatabase(t.path);
    await raw.exec(`DROP TRIGGER audit_no_update; UPDATE audit SET event_id = 'device-fault' WHERE seq = 2`);
    await raw.close();
    expect(await audit.run(['verify', ...flags])).toBe(1);
    expect(out.join('')).toContain('BROKEN at row 2 (mac_mismatch)');
  });

  it('operator list, disable; usage errors exit 2; a missing store is not created', async () => {
    expect(await operator.run(['list', ...flags])).toBe(0);
    expect(await operator.run(['add', '--card', 'E1', ...flags])).toBe(2);
    expect(await operator.run(['disable', 'nobody', ...flags])).toBe(1);
    expect(await audit.run(['verify', '--db', join(t.dir, 'absent.db'), '--key', t.keyFile, '--kiosk', kioskId])).toBe(1);
    expect(out.join('')).toContain('no store at');
  });

  it('purge --dry-run reports and changes nothing; backup and restore round-trip', async () => {
    expect(await purge.run(['--dry-run', '--days', '0', ...flags])).toBe(0);
    expect(out.join('')).toContain('would purge');
    const file = join(t.dir, 'backup.db');
    expect(await backup.run([...flags, file])).toBe(0);
    expect(await backup.run([...flags, file])).toBe(1); // never overwrites
    expect(await restore.run([...flags, file])).toBe(0);
    expect(out.join('')).toMatch(/restored .*audit chain of \d+ rows verified/);
  });
});
