import fc from 'fast-check';

/**
 * Hostile byte streams for the device targets: random bytes, and real frames (from each protocol's own
 * encoder) broken the way a line breaks them (bit flips, a byte changed, truncation, a piece repeated
 * or dropped, two frames spliced, noise inserted), so that parsers are driven deep, not only refused at
 * their first byte. A stream comes with cut points: the parser is fed it in those chunks.
 */
type Mutation =
  | { readonly kind: 'flip'; readonly at: number; readonly bit: number }
  | { readonly kind: 'set'; readonly at: number; readonly byte: number }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'duplicate'; readonly at: number; readonly length: number }
  | { readonly kind: 'delete'; readonly at: number; readonly length: number }
  | { readonly kind: 'insert'; readonly at: number; readonly bytes: Uint8Array }
  | { readonly kind: 'splice'; readonly at: number; readonly from: number };

const position = fc.nat({ max: 0xffff });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: position, bit: fc.nat(7) }),
  fc.record({ kind: fc.constant('set' as const), at: position, byte: fc.nat(255) }),
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
  fc.record({ kind: fc.constant('duplicate' as const), at: position, length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: position, length: fc.integer({ min: 1, max: 16 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: position, bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('splice' as const), at: position, from: position }),
);

function applyMutation(bytes: Uint8Array, other: Uint8Array, change: Mutation): Uint8Array {
  const at = bytes.length === 0 ? 0 : change.at % bytes.length;
  switch (change.kind) {
    case 'flip': {
      const out = Uint8Array.from(bytes);
      if (out.length > 0) out[at] = (out[at] ?? 0) ^ (1 << change.bit);
      return out;
    }
    case 'set': {
      const out = Uint8Array.from(bytes);
      if (out.length > 0) out[at] = change.byte;
      return out;
    }
    case 'truncate':
      return bytes.slice(0, at);
    case 'duplicate':
      return concatBytes(bytes.subarray(0, at + change.length), bytes.subarray(at));
    case 'delete':
      return concatBytes(bytes.subarray(0, at), bytes.subarray(at + change.length));
    case 'insert':
      return concatBytes(bytes.subarray(0, at), change.bytes, bytes.subarray(at));
    case 'splice':
      // The head of this frame and the tail of another: a frame cut short by the next one, or a resync.
      return concatBytes(bytes.subarray(0, at), other.subarray(other.length === 0 ? 0 : change.from % other.length));
  }
}

/** One to three mutations of a real frame (`other` is spliced in by a splice). */
export function mutated(real: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(real, real, fc.array(mutation, { minLength: 1, maxLength: 3 }))
    .map(([bytes, other, changes]) => changes.reduce((current, change) => applyMutation(current, other, change), bytes));
}

/** A piece of a stream: a real frame (most often), a mutated one, or random bytes. */
export function hostilePiece(real: fc.Arbitrary<Uint8Array>, options: { readonly maxRandom?: number } = {}): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    { weight: 3, arbitrary: real },
    { weight: 4, arbitrary: mutated(real) },
    { weight: 2, arbitrary: fc.uint8Array({ maxLength: options.maxRandom ?? 64 }) },
  );
}

export interface ChunkedStream {
  readonly bytes: Uint8Array;
  /** Where the stream is cut into the chunks the parser is fed (any order, any value: taken modulo). */
  readonly cuts: readonly number[];
}

/**
 * A stream of pieces, and where to cut it; about one in 400 is a flood instead: one piece repeated
 * to 100–200 kB, arriving as one chunk or a few (a line gone mad, or a big read after a stall).
 */
export function hostileStream(real: fc.Arbitrary<Uint8Array>, options: { readonly maxPieces?: number; readonly maxRandom?: number } = {}): fc.Arbitrary<ChunkedStream> {
  const pieces = fc.record({
    bytes: fc.array(hostilePiece(real, options), { maxLength: options.maxPieces ?? 6 }).map((list) => concatBytes(...list)),
    cuts: fc.array(fc.nat(), { maxLength: 8 }),
  });
  const flood = fc.record({
    bytes: fc.tuple(hostilePiece(real, options), fc.integer({ min: 100_000, max: 200_000 })).map(([piece, size]) => repeatTo(piece.length === 0 ? Uint8Array.of(0) : piece, size)),
    cuts: fc.array(fc.nat(), { maxLength: 3 }),
  });
  return fc.oneof({ weight: 399, arbitrary: pieces }, { weight: 1, arbitrary: flood });
}

function repeatTo(piece: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let at = 0; at < size; at += piece.length) out.set(piece.subarray(0, Math.min(piece.length, size - at)), at);
  return out;
}

/** A stream of real frames only, and where to cut it: what the parser must read exactly. */
export function cleanStream<T>(frames: fc.Arbitrary<T>, encode: (frame: T) => Uint8Array, options: { readonly maxFrames?: number } = {}) {
  return fc.record({ frames: fc.array(frames, { maxLength: options.maxFrames ?? 5 }), cuts: fc.array(fc.nat(), { maxLength: 8 }) }).map(({ frames: list, cuts }) => ({
    frames: list,
    bytes: concatBytes(...list.map(encode)),
    cuts,
  }));
}

/** The stream in the chunks its cut points make. */
export function chunksOf(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const point of points) {
    if (point > from) chunks.push(bytes.subarray(from, point));
    from = Math.max(from, point);
  }
  if (from < bytes.length || chunks.length === 0) chunks.push(bytes.subarray(from));
  return chunks;
}

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export function asciiBytes(text: string): Uint8Array {
  return Uint8Array.from(text, (char) => char.charCodeAt(0) & 0xff);
}

/** Throws the contract's failure: what broke, in words, with the evidence (hex for bytes). */
export function broken(what: string, evidence?: unknown): never {
  throw new Error(evidence === undefined ? what : `${what}: ${describeEvidence(evidence)}`);
}

function describeEvidence(value: unknown): string {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  try {
    return JSON.stringify(value, (_key, inner: unknown) => (inner instanceof Uint8Array ? Buffer.from(inner).toString('hex') : inner));
  } catch {
    return String(value);
  }
}

/** Deep equality for what parsers return (plain objects, arrays, byte arrays, primitives). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    return a instanceof Uint8Array && b instanceof Uint8Array && a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, index) => sameValue(item, b[index]));
  }
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null) {
    const keysA = Object.keys(a).filter((key) => (a as Record<string, unknown>)[key] !== undefined);
    const keysB = Object.keys(b).filter((key) => (b as Record<string, unknown>)[key] !== undefined);
    return keysA.length === keysB.length && keysA.every((key) => sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
  }
  return Number.isNaN(a) && Number.isNaN(b);
}
