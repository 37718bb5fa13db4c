import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOrCreateChipMasterKey } from '../../../kiosk/controller/chip-master-key';
import { keyFileProblem, loadOrCreateKeyFile } from '../../../kiosk/controller/store/crypto';

/**
 * The two key files (store key: personal data at rest; chip master key: every card's chip keys)
 * follow one set of rules: created whole with mode 0600 in a 0700 folder, refused (never repaired)
 * when other users may read them, refused with what was expected when they hold no key.
 */
type Loaded = { readonly ok: true; readonly key: string } | { readonly ok: false; readonly message: string };

const loaders: { name: string; label: string; load(path: string): Loaded; validKey: string }[] = [
  {
    name: 'store key (loadOrCreateKeyFile)',
    label: 'store key',
    load: (path) => {
      const key = loadOrCreateKeyFile(path);
      return key.ok ? { ok: true, key: key.value.toString('hex') } : { ok: false, message: keyFileProblem('store key', path, key.error) };
    },
    validKey: 'ab'.repeat(32),
  },
  {
    name: 'chip master key (loadOrCreateChipMasterKey)',
    label: 'chip master key',
    load: (path) => {
      try {
        return { ok: true, key: Buffer.from(loadOrCreateChipMasterKey(path)).toString('hex') };
      } catch (error) {
        return { ok: false, message: (error as Error).message };
      }
    },
    validKey: 'cd'.repeat(16),
  },
];

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-keys-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe.each(loaders)('$name', ({ label, load, validKey }) => {
  it('creates a missing key file 0600 in a 0700 folder, leaves no temporary file, and reads the same key back', () => {
    const path = join(dir, 'keys', 'the.key');
    const first = load(path);
    expect(first).toMatchObject({ ok: true });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'keys')).mode & 0o777).toBe(0o700);
    expect(readdirSync(join(dir, 'keys'))).toEqual(['the.key']);
    expect(readFileSync(path, 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    expect(load(path)).toEqual(first);
  });

  it('uses an existing key file as it is, never replacing it', () => {
    const path = join(dir, 'the.key');
    writeFileSync(path, `${validKey}\n`, { mode: 0o600 });
    expect(load(path)).toEqual({ ok: true, key: validKey });
    expect(readFileSync(path, 'utf8')).toBe(`${validKey}\n`);
  });

  it.each(['0644', '0640', '0604', '0660'])('refuses a key file with mode %s, says how to fix it and leaves the mode alone', (octal) => {
    const mode = Number.parseInt(octal, 8);
    const path = join(dir, 'the.key');
    writeFileSync(path, `${validKey}\n`);
    chmodSync(path, mode);
    const loaded = load(path);
    expect(loaded.ok).toBe(false);
    const message = loaded.ok ? '' : loaded.message;
    expect(message).toContain(`the ${label} file ${path}`);
    expect(message).toContain(`mode ${octal}`);
    expect(message).toContain(`chmod 600 ${path}`);
    expect(statSync(path).mode & 0o777).toBe(mode);
  });

  it.each([
    ['garbage', 'not a key at all'],
    ['a key that is too short', 'ab'.repeat(8)],
    ['an odd number of hex digits', 'abc'],
    ['an empty file', ''],
  ])('refuses %s with what it expected, and leaves the file alone', (_case, content) => {
    const path = join(dir, 'the.key');
    writeFileSync(path, content, { mode: 0o600 });
    const loaded = load(path);
    expect(loaded.ok).toBe(false);
    const message = loaded.ok ? '' : loaded.message;
    expect(message).toMatch(new RegExp(`^the ${label} file .* does not hold a key \\(expected .*(hex).*\\): put the right key file back from the key backup$`));
    expect(message).toContain(path);
    expect(readFileSync(path, 'utf8')).toBe(content);
  });
});

describe('key file formats', () => {
  it('the store key is exactly 32 bytes of lowercase hex; the chip master key at least 16 bytes of hex', () => {
    const path = join(dir, 'the.key');
    writeFileSync(path, `${'ab'.repeat(16)}\n`, { mode: 0o600 });
    expect(loadOrCreateKeyFile(path)).toMatchObject({ ok: false, error: { kind: 'key_file_malformed', expected: '64 lowercase hex digits (32 bytes)' } });
    expect(Buffer.from(loadOrCreateChipMasterKey(path)).toString('hex')).toBe('ab'.repeat(16));
  });

  it('reports an unreadable key file with the file and the reason', () => {
    const path = join(dir, 'the.key');
    writeFileSync(path, 'x'); // a file where the key folder should be
    const inside = join(path, 'chip.key');
    expect(() => loadOrCreateChipMasterKey(inside)).toThrow(new RegExp(`^the chip master key file ${inside} cannot be read or created: E[A-Z]+`));
  });
});
