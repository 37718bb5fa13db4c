/**
 * The nearest-rank percentile (`p` from 0 to 100) of the samples, as every bench reports it:
 * the smallest sample with at least p % of the samples at or below it. NaN when there are none.
 */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}
