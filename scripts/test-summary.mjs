// Prints the closing line `N passed, N failed` from vitest's JSON report. A check that did not
// run (type-check, lint, no report at all) counts as one failure so CI can never read green by accident.
import { readFileSync } from 'node:fs';

const [reportPath, priorStatus] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const report = JSON.parse(readFileSync(reportPath, 'utf8'));
  passed = report.numPassedTests ?? 0;
  failed = (report.numFailedTests ?? 0) + countFilesFailedOutsideTests(report);
  skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  if (report.numTotalTests === 0) failed += 1;
} catch (error) {
  console.error(`no vitest report at ${reportPath}: ${error.message}`);
  failed += 1;
}
if (priorStatus !== '0' && failed === 0) {
  console.error('a check before or around the tests failed (see above): counted as one failure');
  failed = 1;
}

/** A test file that failed with no failing test in it (an import error, a crashed hook) is one failure. */
function countFilesFailedOutsideTests(report) {
  return (report.testResults ?? []).filter(
    (file) => file.status === 'failed' && !(file.assertionResults ?? []).some((test) => test.status === 'failed'),
  ).length;
}

console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
