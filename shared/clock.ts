import { formatIsoDate } from './domain/calendar-date';

/** Time is injected everywhere so that tests and replays control it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Today's date on the kiosk's local calendar, as YYYY-MM-DD: the one place an instant becomes a day. */
export function isoDay(clock: Clock): string {
  const now = clock.now();
  return formatIsoDate({ year: now.getFullYear(), month: now.getMonth() + 1, day: now.getDate() });
}

/** A clock that only moves when told: for tests. */
export function fixedClock(start: Date): Clock & { advance(ms: number): void; set(date: Date): void } {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    advance: (ms) => {
      current += ms;
    },
    set: (date) => {
      current = date.getTime();
    },
  };
}

/**
 * Timers on an injected clock: the shape of XState's actor `clock`, so XState's `SimulatedClock` is one
 * (tests move it by hand). `realTimers` is the kiosk's real time, the one place that reads it.
 */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
}

/** Resolves after `ms` on the given timers (a named wait's duration; `SimulatedClock` moves it in tests). */
export function waitOn(timers: Timers, ms: number): Promise<void> {
  return new Promise((resolve) => {
    timers.setTimeout(resolve, ms);
  });
}

export const realTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
};
