#!/usr/bin/env bash
# Image size and build time: the root Containerfile built RUNS times (default 3) from scratch
# (--no-cache) with Podman on the local node:20-bookworm-slim stand-in (test/support/container), the
# same build the image test does: this machine's CA mounted for the proxy, the host's npm cache lent
# read-only (overlay). Prints each run, the median build time, and the image size Podman reports.
# Usage: npm run bench:image -w agent   (RUNS=5 npm run bench:image -w agent)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${RUNS:-3}
P=(podman --runtime /usr/sbin/runc)
base=$(bash test/support/container/make-node-base.sh)
args=(--no-cache --ulimit nofile=1024:1024 --build-arg "BASE_IMAGE=$base" -t localhost/wedsync-agent:bench -f Containerfile)
if [ -n "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f "$NODE_EXTRA_CA_CERTS" ]; then
  args+=(--volume "$NODE_EXTRA_CA_CERTS:/run/extra-ca.pem:ro" --build-arg NODE_EXTRA_CA_CERTS=/run/extra-ca.pem)
fi
cache=$(npm config get cache)
[ -d "$cache" ] && args+=(--volume "$cache:/root/.npm:O")
times=()
for i in $(seq "$runs"); do
  start=$(date +%s.%N)
  "${P[@]}" build "${args[@]}" . >/dev/null 2>&1
  t=$(awk "BEGIN { print $(date +%s.%N) - $start }")
  times+=("$t")
  echo "run $i: build $(printf '%.1f' "$t") s (load average $(cut -d' ' -f1-3 /proc/loadavg))"
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}')
size=$("${P[@]}" image inspect localhost/wedsync-agent:bench --format '{{.Size}}')
base_size=$("${P[@]}" image inspect "$base" --format '{{.Size}}')
echo "median build: $(printf '%.1f' "$median") s over $runs runs"
echo "image: $((size / 1000000)) MB (base $((base_size / 1000000)) MB + agent $(((size - base_size) / 1000000)) MB)"
