import type { Clock } from '../../../shared/clock';
import type { LogSink } from '../../../shared/log';
import type { Vault } from './crypto';
import type { Database } from './database';
import type { HighWaterMark } from './high-water';

/** What every store module works with; built once by `openStore`. */
export interface StoreContext {
  readonly db: Database;
  readonly vault: Vault;
  readonly kioskId: string;
  /** The registry's number for this kiosk (1..9999): part of every card number it issues. */
  readonly kioskNumber: number;
  readonly clock: Clock;
  readonly log: LogSink;
  /** The high-water mark written after each audited commit (high-water.ts); null until a loss is acknowledged. */
  readonly highWater?: { mark: HighWaterMark | null };
}

/** Keyed-hash purposes: one per kind of identifier so equal strings of different kinds never collide. */
export const hashPurpose = { idNumber: 'id-number', staffCard: 'staff-card' } as const;

/** ID numbers are compared upper-case without spaces: a scanner and a keyboard must find the same person. */
export function normalizeIdNumber(idNumber: string): string {
  return idNumber.replace(/\s+/g, '').toUpperCase();
}

export const isoNow = (context: { readonly clock: Clock }): string => context.clock.now().toISOString();
