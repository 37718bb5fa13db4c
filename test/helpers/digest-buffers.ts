import { createHash } from 'node:crypto';

/**
 * The value with every byte array in it (at any depth) replaced by its kind, length and SHA-256: for
 * `toEqual` on values that carry image-sized buffers. vitest compares a typed array element by element
 * through its generic equality (seconds for one card's panels); two digests are equal exactly when the
 * bytes are, and the rest of the value is compared as before.
 */
export function digestBuffers(value: unknown): unknown {
  if (value instanceof Uint8Array) {
    return `${value.constructor.name}(${value.length}) sha256:${createHash('sha256').update(value).digest('hex')}`;
  }
  if (Array.isArray(value)) return value.map(digestBuffers);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, digestBuffers(inner)]));
  }
  return value;
}
