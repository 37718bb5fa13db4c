import fc from 'fast-check';

/** The longest line of a failure report kept whole: a 200 kB flood as a counterexample would bury the error. */
const maxLineChars = 2_000;

/**
 * fast-check's report of a failed run (seed, path, counterexample, the error), with each overlong line
 * cut and the cut said: the seed replays the whole input (`npm run fuzz -- --target NAME --seed S`).
 */
export function fuzzFailureReport<Ts>(result: fc.RunDetails<Ts>): string {
  const report = fc.defaultReportMessage(result) ?? 'failed';
  return report
    .split('\n')
    .map((line) => (line.length <= maxLineChars ? line : `${line.slice(0, maxLineChars)} … (${line.length - maxLineChars} more characters: replay the seed to see it whole)`))
    .join('\n');
}
