import { describe, expect, it } from 'vitest';
import { checkPin, defaultPinCost, hashPin, verifyPin } from '../../../../kiosk/controller/auth/pin';

describe('PIN hashing', () => {
  it('hashes with scrypt at the production cost, salted, and verifies', async () => {
    const [a, b] = await Promise.all([hashPin('482913'), hashPin('482913')]);
    expect(a).toMatch(new RegExp(`^scrypt\\$${defaultPinCost.N}\\$8\\$1\\$`));
    expect(a).not.toBe(b);
    expect(await verifyPin('482913', a)).toBe(true);
    expect(await verifyPin('482914', a)).toBe(false);
    expect(await verifyPin('482913', 'plain')).toBe(false);
  });

  it('verifies a hash made at another cost (the cost travels with the hash)', async () => {
    expect(await verifyPin('482913', await hashPin('482913', { N: 1024, r: 8, p: 1 }))).toBe(true);
  });

  it('rejects short, long, non-digit and trivial PINs', () => {
    expect(['12345', '1234567890123', '12a456', '111111', '123456', '987654', '482913'].map(checkPin)).toEqual([
      'too_short', 'too_long', 'not_digits', 'too_simple', 'too_simple', 'too_simple', null,
    ]);
  });
});
