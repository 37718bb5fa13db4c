/**
 * A type read-only all the way down. zod's `z.infer` gives mutable objects and arrays; what the
 * controller sends is never changed by whoever reads it, and the controller builds it from
 * read-only arrays. A homomorphic mapped type, so the fields keep their doc comments.
 */
export type Immutable<T> = T extends readonly (infer U)[]
  ? readonly Immutable<U>[]
  : T extends object
    ? { readonly [K in keyof T]: Immutable<T[K]> }
    : T;
