import type { Clock } from '../shared/clock';
import { err, ok, type Result } from '../shared/result';
import type { Timers, TimerHandle } from './timers';

/**
 * Tamper (door) switch. Opening the door latches the kiosk out of service; shutting it again does
 * not clear the latch: a technician does (`clear`), and only with the door shut.
 */

export type TamperClearError = { readonly kind: 'door_open' } | { readonly kind: 'door_unknown' };

export type TamperChange =
  | { readonly kind: 'opened'; readonly latchedNow: boolean }
  | { readonly kind: 'shut' }
  | { readonly kind: 'none' };

/** Pure latch logic. */
export class TamperLatch {
  private open: boolean | undefined;
  private latch: boolean;

  constructor(initiallyLatched = false) {
    this.latch = initiallyLatched;
  }

  get latched(): boolean {
    return this.latch;
  }

  /** `undefined` while the door's state is unknown (board not connected). */
  get doorOpen(): boolean | undefined {
    return this.open;
  }

  /** A debounced door reading. The first reading after a (re)connect only reports an open door. */
  door(open: boolean): TamperChange {
    const previous = this.open;
    this.open = open;
    if (open && previous !== true) {
      const latchedNow = !this.latch;
      this.latch = true;
      return { kind: 'opened', latchedNow };
    }
    if (!open && previous === true) return { kind: 'shut' };
    return { kind: 'none' };
  }

  /** The board went away: the door's state is unknown until it reports again. */
  forget(): void {
    this.open = undefined;
  }

  /**
   * Nobody watched the door (the board was away): an unattended kiosk cannot
   * know it stayed shut, so it latches. Returns whether this call set the latch.
   */
  unwatched(): boolean {
    const latchedNow = !this.latch;
    this.latch = true;
    return latchedNow;
  }

  /** Technician reset. */
  clear(): Result<void, TamperClearError> {
    if (this.open === undefined) return err({ kind: 'door_unknown' });
    if (this.open) return err({ kind: 'door_open' });
    this.latch = false;
    return ok(undefined);
  }
}

/** A door switch reading must hold this long to count (switch bounce, a knock on the panel). */
export const doorDebounceMs = 30;

/**
 * Debounces raw readings of a two-state input on a clock: `onStable` is called with a level once
 * it has held `debounceMs`, and only when it differs from the last stable one. Levels marked
 * `immediate` skip the wait (an open door must latch even if reports of it arrive squeezed together).
 */
export class StableInput {
  private raw: number | undefined;
  private stable: number | undefined;
  private timer: TimerHandle | undefined;

  constructor(
    private readonly options: {
      readonly clock: Clock;
      readonly timers: Timers;
      readonly debounceMs: number;
      readonly immediate?: (level: number) => boolean;
      readonly onStable: (level: number) => void;
    },
  ) {}

  input(level: number): void {
    if (level === this.raw) return;
    this.raw = level;
    this.cancel();
    if (level === this.stable) return;
    if (this.options.immediate?.(level)) {
      this.stable = level;
      this.options.onStable(level);
      return;
    }
    this.timer = this.options.timers.set(() => {
      this.timer = undefined;
      this.stable = level;
      this.options.onStable(level);
    }, this.options.debounceMs);
  }

  /** Forget everything (the board went away); the next stable reading is reported. */
  reset(): void {
    this.cancel();
    this.raw = undefined;
    this.stable = undefined;
  }

  private cancel(): void {
    if (this.timer) this.options.timers.clear(this.timer);
    this.timer = undefined;
  }
}
