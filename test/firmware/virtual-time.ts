import type { Clock } from '../../shared/clock';
import type { Timers, TimerHandle } from '../../firmware/timers';

/** A clock and timers on virtual time: nothing happens until the test moves time forward. */
export interface VirtualTime extends Clock, Timers {
  /** Current virtual time in ms. */
  readonly ms: number;
  /** Moves time to `at`, firing every timer due on the way, in order. */
  advanceTo(at: number): void;
  advance(ms: number): void;
  /** The process freezes for `ms`: time moves on, timers due meanwhile fire late (at the next advance). */
  stall(ms: number): void;
  pending(): number;
}

export function virtualTime(start = 0): VirtualTime {
  let now = start;
  let nextId = 0;
  const timers = new Map<number, { at: number; seq: number; callback: () => void }>();
  const self: VirtualTime = {
    get ms() {
      return now;
    },
    now: () => new Date(now),
    set(callback, delayMs) {
      const id = nextId++;
      timers.set(id, { at: now + Math.max(0, delayMs), seq: id, callback });
      return { id };
    },
    clear(handle: TimerHandle) {
      timers.delete(handle.id as number);
    },
    advanceTo(at) {
      for (;;) {
        let next: [number, { at: number; seq: number; callback: () => void }] | undefined;
        for (const entry of timers) {
          if (entry[1].at > at) continue;
          if (!next || entry[1].at < next[1].at || (entry[1].at === next[1].at && entry[1].seq < next[1].seq)) next = entry;
        }
        if (!next) break;
        timers.delete(next[0]);
        now = Math.max(now, next[1].at); // a late timer fires at the current time
        next[1].callback();
      }
      now = Math.max(now, at);
    },
    advance(ms) {
      self.advanceTo(now + ms);
    },
    stall(ms) {
      now += ms;
    },
    pending: () => timers.size,
  };
  return self;
}
