import { useEffect, useState } from 'react';

/**
 * Seconds a job has been at its stage, counted up on the screen between snapshots: the controller
 * says `stageSeconds` when it sends one (on a change only), the screen adds the time since it arrived.
 */
export function useStageSeconds(stage: string, stageSeconds: number): number {
  const key = `${stage}/${stageSeconds}`;
  const [anchor, setAnchor] = useState(() => ({ key, at: Date.now() - stageSeconds * 1000 }));
  const [now, setNow] = useState(() => Date.now());
  // A new snapshot for this job: count from what it says (React re-renders at once with the new anchor).
  if (anchor.key !== key) setAnchor({ key, at: Date.now() - stageSeconds * 1000 });
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return Math.max(stageSeconds, Math.floor((now - anchor.at) / 1000));
}
