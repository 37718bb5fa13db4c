/**
 * One-shot timers, injected next to the clock so that timing logic (pulse trains, buzzer
 * patterns) runs on virtual time in tests and on real time on the kiosk.
 */
export interface Timers {
  set(callback: () => void, delayMs: number): TimerHandle;
  clear(handle: TimerHandle): void;
}

export interface TimerHandle {
  readonly id: unknown;
}

export const realTimers: Timers = {
  set: (callback, delayMs) => ({ id: setTimeout(callback, Math.max(0, delayMs)) }),
  clear: (handle) => clearTimeout(handle.id as NodeJS.Timeout),
};
