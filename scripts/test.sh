#!/usr/bin/env bash
# The test command (`npm test`): tools → build → every Jest project (agent unit tests, integration and
# end-to-end tests in test/, the panel plugin). Extra arguments go to Jest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-tools.sh
[ -d node_modules ] || npm ci
npm run build --silent
npm run typecheck --workspaces --if-present --silent
npx jest --ci --maxWorkers=2 "$@"
