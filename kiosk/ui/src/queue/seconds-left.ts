import { useEffect, useState } from 'react';

/** How far the bar may run ahead of the printer's reports between two snapshots (never to the end). */
const aheadLimit = 0.98;

/**
 * The seconds left and the bar's fraction, counted down on the screen between snapshots: the controller
 * sends them when a step is reported (on a change only), the screen moves them on with the time since the
 * snapshot arrived, as `useStageSeconds` counts a stage's seconds up. The bar never reaches its end nor
 * the clock zero before the controller says the card is out.
 */
export function useCountdown(secondsLeft: number, fraction: number, running: boolean): { readonly seconds: number; readonly fraction: number } {
  const key = `${secondsLeft}/${fraction}/${running}`;
  const [anchor, setAnchor] = useState(() => ({ key, at: Date.now() }));
  const [now, setNow] = useState(() => Date.now());
  // A new snapshot for this job: count from what it says (React re-renders at once with the new anchor).
  if (anchor.key !== key) setAnchor({ key, at: Date.now() });
  useEffect(() => {
    if (!running) return undefined;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [running]);
  if (!running || secondsLeft <= 0) return { seconds: secondsLeft, fraction };
  const elapsed = Math.max(0, (now - anchor.at) / 1000);
  const share = Math.min(elapsed / secondsLeft, 1);
  return {
    seconds: Math.max(running ? 1 : 0, Math.ceil(secondsLeft - elapsed)),
    fraction: Math.max(fraction, Math.min(aheadLimit, fraction + (1 - fraction) * share)),
  };
}
