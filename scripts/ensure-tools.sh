#!/usr/bin/env bash
# Installs the real servers and tools the tests use, when they are missing: Prometheus and promtool,
# Alertmanager and amtool, headless Chromium, Podman (with runc), debootstrap and docker-registry (the CNCF
# distribution registry) for the container image test. (Helm and kustomize are built from the Go module proxy by test/cluster/build.sh.) As root with
# apt-get this installs them (Debian packages); otherwise it prints the command to run and fails, so a
# missing tool is never a silently skipped test.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v promtool >/dev/null 2>&1 && command -v prometheus >/dev/null 2>&1 || need+=(prometheus)
command -v prometheus-alertmanager >/dev/null 2>&1 && command -v amtool >/dev/null 2>&1 || need+=(prometheus-alertmanager)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v podman >/dev/null 2>&1 || need+=(podman)
[ -x /usr/sbin/runc ] || need+=(runc)
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
# The image's round trip through a real OCI registry (the CNCF distribution registry, Debian's package).
[ -x /usr/bin/docker-registry ] || need+=(docker-registry)
[ ${#need[@]} -eq 0 ] && exit 0
cmd="apt-get update && apt-get install -y --no-install-recommends ${need[*]}"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=300 update -qq >/dev/null
  if [ ${#need[@]} -gt 0 ]; then
    echo "ensure-tools: installing ${need[*]} (Debian packages)" >&2
    apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
else
  [ ${#need[@]} -gt 0 ] && echo "ensure-tools: missing ${need[*]}. Install them with: sudo sh -c '$cmd'" >&2
  exit 1
fi
