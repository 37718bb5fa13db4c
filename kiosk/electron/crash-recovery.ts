import type { Clock } from '../../shared/clock';

/**
 * When the kiosk page's renderer dies, the shell reloads it by itself, waiting longer after each
 * crash; when it keeps dying (crashLimit crashes within crashWindowMs), reloading is only a loop,
 * so the shell shows a plain out-of-service page instead and stays there.
 */
export interface RecoveryPolicy {
  /** Wait before the first reload after a crash; doubled for each further crash in the window. */
  readonly firstReloadDelayMs: number;
  readonly maxReloadDelayMs: number;
  /** This many crashes within crashWindowMs: out of service, no more reloads. */
  readonly crashLimit: number;
  readonly crashWindowMs: number;
  /** A page that stays unresponsive this long has its renderer killed (and so reloaded). */
  readonly unresponsiveGraceMs: number;
}

export const defaultRecoveryPolicy: RecoveryPolicy = {
  firstReloadDelayMs: 1_000,
  maxReloadDelayMs: 30_000,
  crashLimit: 5,
  crashWindowMs: 10 * 60_000,
  unresponsiveGraceMs: 30_000,
};

export type RecoveryDecision =
  | { readonly kind: 'reload'; readonly delayMs: number; readonly crashesInWindow: number }
  | { readonly kind: 'out_of_service'; readonly crashesInWindow: number };

export interface CrashCounter {
  /** Records one crash now and says what to do about it. */
  crashed(): RecoveryDecision;
}

export function createCrashCounter(policy: RecoveryPolicy, clock: Clock): CrashCounter {
  let crashTimes: number[] = [];
  return {
    crashed() {
      const now = clock.now().getTime();
      crashTimes = [...crashTimes.filter((at) => now - at < policy.crashWindowMs), now];
      const crashesInWindow = crashTimes.length;
      if (crashesInWindow >= policy.crashLimit) return { kind: 'out_of_service', crashesInWindow };
      const delayMs = Math.min(policy.firstReloadDelayMs * 2 ** (crashesInWindow - 1), policy.maxReloadDelayMs);
      return { kind: 'reload', delayMs, crashesInWindow };
    },
  };
}

/** Shown when the page keeps crashing: no script, nothing to load, bilingual (the kiosk's languages). */
export const outOfServicePage = `data:text/html;charset=utf-8,${encodeURIComponent(
  [
    '<!doctype html><html lang="zh-Hant"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<title>暫停服務 Out of service</title>',
    '<style>body{margin:0;height:100vh;display:flex;flex-direction:column;align-items:center;justify-content:center;',
    'font-family:"Noto Sans CJK TC",sans-serif;background:#f6f7f4;color:#222}h1{font-size:3rem;margin:0 0 1rem}p{font-size:1.5rem;margin:.25rem}.staff{margin-top:2rem}.staff p{font-size:1rem;color:#555}</style>',
    '</head><body><h1>本機暫停服務</h1><p>請洽服務人員。</p><p lang="en">This kiosk is out of service. Please ask a member of staff.</p>',
    // The shell stays on this page until it is started again: say so to whoever can.
    '<div class="staff"><p>工作人員：請重新啟動本機。</p><p lang="en">Staff: restart the kiosk to bring it back.</p></div></body></html>',
  ].join(''),
)}`;
