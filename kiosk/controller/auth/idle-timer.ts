import type { Clock } from '../../../shared/clock';

/**
 * Idle auto-lock as pure time arithmetic on the injected clock: the UI polls `status()` to show the
 * countdown; nothing here owns a timer, so tests move the clock instead of waiting.
 */
export type IdleStatus =
  | { readonly kind: 'active'; readonly remainingMs: number }
  | { readonly kind: 'warning'; readonly remainingMs: number }
  | { readonly kind: 'expired' };

export interface IdleTimer {
  touch(): void;
  status(): IdleStatus;
}

export function createIdleTimer(clock: Clock, timeouts: { readonly idleMs: number; readonly warningMs: number }): IdleTimer {
  let lastActivity = clock.now().getTime();
  return {
    touch: () => {
      lastActivity = clock.now().getTime();
    },
    status: () => {
      const remainingMs = lastActivity + timeouts.idleMs - clock.now().getTime();
      if (remainingMs <= 0) return { kind: 'expired' };
      return remainingMs <= timeouts.warningMs ? { kind: 'warning', remainingMs } : { kind: 'active', remainingMs };
    },
  };
}
