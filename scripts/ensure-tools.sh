#!/usr/bin/env bash
# Installs the real servers and tools the tests use, when they are missing: Prometheus and promtool,
# Alertmanager and amtool, headless Chromium, Podman (with runc), debootstrap and docker-registry for the
# container image test, and Debian's kubectl (kubernetes-client: kustomize 2.0.3) for the manifest test. As root with
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
# The manifests must render with Debian's kubectl (the oldest kustomize we support). When another
# package already owns /usr/bin/kubectl, Debian's is unpacked beside the repository instead
# (.tmp/tools/kubernetes-client, where test/support/kubectl.ts looks first) rather than overwriting it.
debian_kubectl=yes
dpkg-query -W -f='${Status}' kubernetes-client 2>/dev/null | grep -q 'install ok installed' || debian_kubectl=no
unpack_kubectl=no
if [ "$debian_kubectl" = no ] && [ ! -x .tmp/tools/kubernetes-client/usr/bin/kubectl ]; then
  if command -v kubectl >/dev/null 2>&1; then unpack_kubectl=yes; else need+=(kubernetes-client); fi
fi
[ ${#need[@]} -eq 0 ] && [ "$unpack_kubectl" = no ] && exit 0
cmd="apt-get update && apt-get install -y --no-install-recommends ${need[*]}"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=300 update -qq >/dev/null
  if [ ${#need[@]} -gt 0 ]; then
    echo "ensure-tools: installing ${need[*]} (Debian packages)" >&2
    apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
  if [ "$unpack_kubectl" = yes ]; then
    echo "ensure-tools: unpacking Debian's kubernetes-client into .tmp/tools (another kubectl owns /usr/bin/kubectl)" >&2
    dl=$(mktemp -d) && chmod 1777 "$dl"  # apt-get download drops to the _apt user
    (cd "$dl" && apt-get download -qq kubernetes-client >/dev/null)
    mkdir -p .tmp/tools/kubernetes-client
    dpkg-deb -x "$dl"/kubernetes-client_*.deb .tmp/tools/kubernetes-client
    rm -rf "$dl"
  fi
else
  [ ${#need[@]} -gt 0 ] && echo "ensure-tools: missing ${need[*]}. Install them with: sudo sh -c '$cmd'" >&2
  [ "$unpack_kubectl" = yes ] && echo "ensure-tools: kubectl is not Debian's kubernetes-client. Unpack it with: apt-get download kubernetes-client && dpkg-deb -x kubernetes-client_*.deb .tmp/tools/kubernetes-client" >&2
  exit 1
fi
