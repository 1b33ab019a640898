#!/usr/bin/env bash
# Installs the real servers and tools the tests use, when they are missing: Prometheus and promtool,
# Alertmanager and amtool, headless Chromium. As root with apt-get this installs them (Debian packages);
# otherwise it prints the command to run and fails, so a missing tool is never a silently skipped test.
set -euo pipefail
need=()
command -v promtool >/dev/null 2>&1 && command -v prometheus >/dev/null 2>&1 || need+=(prometheus)
command -v prometheus-alertmanager >/dev/null 2>&1 && command -v amtool >/dev/null 2>&1 || need+=(prometheus-alertmanager)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ ${#need[@]} -eq 0 ] && exit 0
cmd="apt-get update && apt-get install -y --no-install-recommends ${need[*]}"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-tools: installing ${need[*]} (Debian packages)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "ensure-tools: missing ${need[*]}. Install them with: sudo sh -c '$cmd'" >&2
  exit 1
fi
