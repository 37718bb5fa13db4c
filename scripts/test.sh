#!/usr/bin/env bash
# The one test command (npm test): type-check, lint, then every vitest test, ending with
# the line `N passed, N failed` computed from vitest's JSON report.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p var
status=0
echo "== type-check"
npx tsc --noEmit -p . || status=1
npx tsc --noEmit -p kiosk/ui || status=1
echo "== lint"
npx eslint --max-warnings 0 . || status=1
echo "== build the UI (the end-to-end tests load it)"
npx vite build --config kiosk/ui/vite.config.ts --logLevel warn || status=1
echo "== tests"
rm -f var/test-results.json
npx vitest run --reporter=default --reporter=json --outputFile.json=var/test-results.json "$@" || status=1
node scripts/test-summary.mjs var/test-results.json $status || status=1
exit $status
