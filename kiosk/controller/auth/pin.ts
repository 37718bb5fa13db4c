import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * PINs are stored as scrypt hashes (`scrypt$N$r$p$salt$hash`, base64). A PIN has few digits, so the
 * lockout after 5 wrong tries is the real defence; scrypt keeps a stolen database from giving them away cheaply.
 */
export interface ScryptCost {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

export const defaultPinCost: ScryptCost = { N: 16_384, r: 8, p: 1 };
const saltBytes = 16;
const hashBytes = 32;

export const pinRules = { minDigits: 6, maxDigits: 12 } as const;

export type PinProblem = 'not_digits' | 'too_short' | 'too_long' | 'too_simple';

export function checkPin(pin: string): PinProblem | null {
  if (!/^\d+$/.test(pin)) return 'not_digits';
  if (pin.length < pinRules.minDigits) return 'too_short';
  if (pin.length > pinRules.maxDigits) return 'too_long';
  const digits = [...pin].map(Number);
  const steps = new Set(digits.slice(1).map((digit, i) => (digit - (digits[i] ?? 0) + 10) % 10));
  // 000000, 123456, 987654: one repeated step
  if (steps.size === 1) return 'too_simple';
  return null;
}

function derive(pin: string, salt: Buffer, params: ScryptCost): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(pin, salt, hashBytes, { ...params, maxmem: 64 * 1024 * 1024 }, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** The cost is stored in the hash, so lowering it (tests only) never breaks verifying older hashes. */
export async function hashPin(pin: string, cost: ScryptCost = defaultPinCost): Promise<string> {
  const salt = randomBytes(saltBytes);
  const hash = await derive(pin, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await derive(pin, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
