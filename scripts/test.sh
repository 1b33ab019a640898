#!/usr/bin/env bash
# The test command (`npm test`): tools → the control plane's binaries → build → type-check → lint (ESLint, zero warnings) → every Jest project (agent unit tests,
# integration and end-to-end tests in test/, the panel plugin). Extra arguments go to Jest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-tools.sh
# The real Kubernetes control plane the real-cluster tests run (test/cluster/README.md): built from the
# Go module proxy once per version into ~/.cache/wedsync (10-25 min cold on 2 cores), then reused.
# Without Go, or when a build fails, this stops here and says how to fix it: those tests never skip.
bash test/cluster/build.sh >/dev/null
[ -d node_modules ] || npm ci
npm run build --silent
npm run typecheck --workspaces --if-present --silent
npm run lint --silent
mkdir -p .tmp
status=0
npx jest --ci --maxWorkers=2 --json --outputFile=.tmp/jest-results.json "$@" || status=$?
# One plain closing line, whatever reads the log.
node -e '
  const r = require("./.tmp/jest-results.json");
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""));
' || true
exit "$status"
