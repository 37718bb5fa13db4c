import type { Result } from '../../shared/result';

/**
 * A bill validator with escrow on ccTalk (docs/protocols.md, "Bill validator with escrow"): the note
 * waits in escrow until the host routes it to the stacker or back to the customer, so the host can
 * journal a credit before the money is taken. Every operation returns a Result; the driver sends one
 * command at a time and polls the event buffer (header 159) between commands.
 */

/** ccTalk status codes (event A = 0) and what they mean for the money. */
export const billStatusCodes = {
  0: 'master-inhibit',
  1: 'returned',
  2: 'invalid-validation',
  3: 'invalid-transport',
  4: 'inhibited-serial',
  5: 'inhibited-dip',
  6: 'jam-transport-unsafe',
  7: 'jam-stacker',
  8: 'pulled-backwards',
  9: 'tamper',
  10: 'stacker-ok',
  11: 'stacker-removed',
  12: 'stacker-inserted',
  13: 'stacker-faulty',
  14: 'stacker-full',
  15: 'stacker-jammed',
  16: 'jam-transport-safe',
  17: 'fraud-opto',
  18: 'fraud-string',
  19: 'anti-string-faulty',
} as const;
export type BillStatus = (typeof billStatusCodes)[keyof typeof billStatusCodes];

/** One event of the validator's buffer, decoded, with the event counter it was reported under. */
export type BillEvent =
  /** Validated and held in escrow: waiting for `route`. */
  | { readonly kind: 'escrow'; readonly counter: number; readonly billType: number; readonly value: number }
  /** Validated and sent to the stacker: the money is taken. */
  | { readonly kind: 'stacked'; readonly counter: number; readonly billType: number; readonly value: number }
  /** A status event (A = 0): a return from escrow, a refusal, a jam, the stacker, fraud. */
  | { readonly kind: 'status'; readonly counter: number; readonly status: BillStatus; readonly code: number };

/**
 * What a poll found besides events: the counter back at 0 (the validator restarted: power cut or
 * reset, its buffer is gone), or a jump of more than 5 (events were lost). Either way the host
 * cannot know what happened to a note in flight and must not guess.
 */
export type BillBufferBreak =
  | { readonly kind: 'restarted'; readonly lastCounter: number }
  | { readonly kind: 'events-lost'; readonly lastCounter: number; readonly counter: number };

/** The buffer as header 159 returns it: the counter and up to five events, oldest first. */
export interface BillEventBuffer {
  readonly counter: number;
  /** The events the counter proves (counters max(1, counter − 4)…counter), oldest first. */
  readonly events: readonly BillEvent[];
  /**
   * When the counter is below 5: the older slots, as events 255, 254… — real only if the counter
   * wrapped since power-up (else empty slots). Only a host that knows the counter it saw last can tell:
   * use `eventsSince` (protocol.ts), never read these directly.
   */
  readonly earlierSlots?: readonly BillEvent[];
}

/** A bill type the validator knows (header 157): its ccTalk id, e.g. "TW0100A", and its NT dollar value. */
export interface BillTypeInfo {
  readonly billType: number;
  readonly id: string;
  readonly value: number;
}

export interface BillValidatorIdentity {
  readonly category: string;
  readonly manufacturer: string;
  readonly product: string;
  readonly serialNumber: number;
  readonly billTypes: readonly BillTypeInfo[];
}

export type BillValidatorError =
  | { readonly kind: 'timeout'; readonly message: string }
  /** The one-wire echo of our own bytes did not come back: the bus is broken. */
  | { readonly kind: 'no_echo'; readonly message: string }
  | { readonly kind: 'nak'; readonly message: string }
  | { readonly kind: 'busy'; readonly message: string }
  | { readonly kind: 'bad_reply'; readonly message: string }
  /** Route bill: nothing is in escrow (ccTalk error 254). */
  | { readonly kind: 'escrow_empty'; readonly message: string }
  /** Route bill: the validator could not move the note (ccTalk error 255). */
  | { readonly kind: 'route_failed'; readonly message: string }
  | { readonly kind: 'closed'; readonly message: string };

export type RouteAction = 'stack' | 'return' | 'extend-escrow';

export type BillValidatorConnection = 'connected' | 'disconnected';

export interface BillValidatorEvents {
  /** Each new event once, in the order the validator recorded them. */
  event: (event: BillEvent) => void;
  /** The counter went back to 0 or jumped by more than 5 (the buffer after it is in `buffer`). */
  break: (what: BillBufferBreak, buffer: BillEventBuffer) => void;
  connection: (state: BillValidatorConnection, reason: string) => void;
}

export interface BillValidator {
  /** Reads category, manufacturer, product, serial number and the bill types (value of each). */
  identify(): Promise<Result<BillValidatorIdentity, BillValidatorError>>;
  /** Enables exactly these note values (inhibit mask, header 231); every other note is refused. */
  accept(values: readonly number[]): Promise<Result<void, BillValidatorError>>;
  /** Master inhibit (header 228): true refuses every note. */
  inhibitAll(inhibit: boolean): Promise<Result<void, BillValidatorError>>;
  /** Route bill (header 154): stack the note in escrow, return it, or extend the escrow timeout. */
  route(action: RouteAction): Promise<Result<void, BillValidatorError>>;
  /**
   * Reads the event buffer now (header 159) without announcing anything: what the restart settles
   * open journal rows from. Polling goes on afterwards from this counter.
   */
  readBuffer(): Promise<Result<BillEventBuffer, BillValidatorError>>;
  /** The last counter seen (null before the first poll). */
  lastCounter(): number | null;
  on<E extends keyof BillValidatorEvents>(event: E, listener: BillValidatorEvents[E]): void;
  off<E extends keyof BillValidatorEvents>(event: E, listener: BillValidatorEvents[E]): void;
  close(): Promise<void>;
}
