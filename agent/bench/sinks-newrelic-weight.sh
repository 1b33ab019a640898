#!/usr/bin/env bash
# Measures what the `newrelic` APM package would cost the agent (install size, require time, RSS),
# in a scratch directory outside the repo — the evidence behind newrelic-transport.ts choosing the
# plain Metric API. Usage: bash agent/bench/sinks-newrelic-weight.sh [version]   (default 13: 14.x needs Node ≥ 22)
set -euo pipefail
version="${1:-13}"
dir="$(mktemp -d /tmp/wedsync-newrelic-weight.XXXXXX)"
trap 'rm -rf "$dir"' EXIT
cd "$dir"
echo '{"name":"nr-weight","version":"1.0.0","private":true}' > package.json
start=$(date +%s.%N)
npm install --no-audit --no-fund --silent "newrelic@${version}" >/dev/null
end=$(date +%s.%N)
echo "newrelic $(node -p 'require("newrelic/package.json").version'): install $(printf '%.1f' "$(echo "$end - $start" | bc)") s, $(du -sh node_modules | cut -f1), $(ls node_modules | wc -l) top-level packages"
probe='const t=process.hrtime.bigint();const r0=process.memoryUsage().rss;require("newrelic");console.log(`${(Number(process.hrtime.bigint()-t)/1e6).toFixed(0)} ms, +${((process.memoryUsage().rss-r0)/1048576).toFixed(0)} MB RSS`);setTimeout(()=>process.exit(0),100)'
for i in 1 2 3; do echo "disabled: $(NEW_RELIC_ENABLED=false NEW_RELIC_NO_CONFIG_FILE=true node -e "$probe")"; done
for i in 1 2 3; do
  echo "enabled:  $(NEW_RELIC_ENABLED=true NEW_RELIC_LICENSE_KEY=0000000000000000000000000000000000000000 NEW_RELIC_APP_NAME=probe \
    NEW_RELIC_HOST=127.0.0.1 NEW_RELIC_PORT=9 NEW_RELIC_NO_CONFIG_FILE=true node -e "$probe")"
done
ls newrelic_agent.log >/dev/null 2>&1 && echo "side effect: wrote newrelic_agent.log into the working directory"
