#!/usr/bin/env bash
# Builds the control plane's binaries from the wrapper modules in test/cluster/tools/<tool>/, once per
# version, into a cache outside the repository, and prints where they are:
#
#   bash test/cluster/build.sh [tool...]     # default: every tool; prints "<tool>.dir <path>" and
#                                            # "<binary> <path>" lines
#
# With WEDSYNC_CLUSTER_CACHED_ONLY=1 it builds nothing and fails at once when a tool is not in the cache
# (tests use that: the build belongs before Jest, not inside a test's time limit).
#
# Cache: ${WEDSYNC_CACHE:-$HOME/.cache/wedsync}/cluster/<tool>-<version>-<hash>/{bin,share}/, where the hash
# covers tool.env, go.mod and go.sum, so a changed version, flag or dependency builds anew and an
# unchanged one is reused. A build holds an flock on <dir>.lock, so several checkouts, helpers or CI jobs
# building the same tool at once wait for one build instead of clashing; the directory appears only
# when complete (built in <dir>.tmp, then renamed).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache_root="${WEDSYNC_CACHE:-${HOME:?}/.cache/wedsync}/cluster"

tool_dir() {  # prints the cache directory of a tool, without building it
  local dir="$here/tools/$1"
  local VERSION
  VERSION="$(. "$dir/tool.env" && echo "$VERSION")"
  local hash
  # A tool of files only (no BINARIES) has no go.mod.
  hash="$(cat "$dir/tool.env" "$dir"/go.mod "$dir"/go.sum 2>/dev/null | sha256sum | cut -c1-12)"
  echo "$cache_root/$1-$VERSION-$hash"
}

print_binaries() {
  local tool="$1" out="$2" BINARIES binary
  BINARIES="$(. "$here/tools/$tool/tool.env" && echo "$BINARIES")"
  echo "$tool.dir $out"
  for binary in $BINARIES; do echo "${binary%%=*} $out/bin/${binary%%=*}"; done
}

build() {
  local tool="$1" dir="$here/tools/$1"
  [ -f "$dir/tool.env" ] || { echo "build: unknown tool '$tool' (no test/cluster/tools/$tool/tool.env)" >&2; exit 1; }
  local out
  out="$(tool_dir "$tool")"
  if [ ! -f "$out/.complete" ] && [ -n "${WEDSYNC_CLUSTER_CACHED_ONLY:-}" ]; then
    echo "build: $tool is not built yet ($out). Build the control plane first (10-25 min the first time, then cached): bash test/cluster/build.sh" >&2
    exit 1
  fi
  if [ ! -f "$out/.complete" ]; then
    mkdir -p "$cache_root"
    exec 9>"$out.lock"
    if ! flock -n 9; then
      echo "build: $tool is being built by another process; waiting for it ($out.lock)" >&2
      flock 9
    fi
    if [ ! -f "$out/.complete" ]; then
      # shellcheck source=go-env.sh
      . "$here/go-env.sh"
      local MODULE VERSION BINARIES LDFLAGS SHARE_FILES="" SUM=""
      # shellcheck disable=SC1091
      . "$dir/tool.env"
      rm -rf "$out.tmp" && mkdir -p "$out.tmp/bin" "$out.tmp/share"
      echo "build: building $tool $VERSION into $out (once; Kubernetes takes 10-25 min on 2 cores, the others 1-5 min)" >&2
      local started=$SECONDS binary
      for binary in $BINARIES; do
        if ! (cd "$dir" && go build -ldflags "$LDFLAGS" -o "$out.tmp/bin/${binary%%=*}" "${binary#*=}"); then
          echo "build: building ${binary#*=} ($MODULE $VERSION) failed. Rerun it with: (cd test/cluster/tools/$tool && CGO_ENABLED=0 GOTOOLCHAIN=local go build -o /tmp/${binary%%=*} ${binary#*=})" >&2
          exit 1
        fi
      done
      if [ -n "$SHARE_FILES" ]; then
        local moddir file info
        info="$(cd "$dir" && go mod download -json "$MODULE@$VERSION")"
        moddir="$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' <<<"$info")"
        [ -d "$moddir" ] || { echo "build: could not download $MODULE@$VERSION: $info" >&2; exit 1; }
        if [ -n "$SUM" ] && ! grep -qF "\"Sum\": \"$SUM\"" <<<"$info"; then
          echo "build: $MODULE@$VERSION does not match SUM in tools/$tool/tool.env" >&2; exit 1
        fi
        for file in $SHARE_FILES; do cp "$moddir/$file" "$out.tmp/share/"; done
        chmod u+w "$out.tmp/share/"*
      fi
      echo "$((SECONDS - started))" > "$out.tmp/build-seconds"
      touch "$out.tmp/.complete"
      rm -rf "$out" && mv "$out.tmp" "$out"
      echo "build: $tool built in $((SECONDS - started)) s" >&2
    fi
    exec 9>&-
  fi
  print_binaries "$tool" "$out"
}

if [ $# -eq 0 ]; then set -- $(cd "$here/tools" && ls); fi
for tool in "$@"; do build "$tool"; done
