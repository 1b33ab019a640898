#!/usr/bin/env bash
# Makes a local stand-in for node:20-bookworm-slim, since no image registry can be reached here:
# Debian bookworm from debootstrap (minbase) plus this machine's own `node` and npm, imported into
# Podman as localhost/wedsync-node-base:KEY. KEY hashes this script and the node/npm versions, so a
# base made by an earlier run is reused from Podman's image store (the cache) until one of them changes.
# Prints the image name on stdout; progress goes to stderr.
set -euo pipefail
PODMAN=(podman --runtime /usr/sbin/runc)   # crun cannot run here (RECIPES.md: cgroups in hybrid mode)
node_bin=$(readlink -f "$(command -v node)")
npm_dir=$(readlink -f "$(dirname "$(readlink -f "$(command -v npm)")")/..")
key=$( { cat "$0"; "$node_bin" --version; cat "$npm_dir/package.json"; } | sha256sum | cut -c1-12)
image="localhost/wedsync-node-base:$key"
if "${PODMAN[@]}" image exists "$image"; then echo "$image"; exit 0; fi

# The Debian mirror apt already uses (deb822 or one-line format); Debian's own when none is found.
mirror=$(cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null | sed -n 's/^URIs: *//p; s/^deb \(http[^ ]*\) bookworm .*/\1/p' | grep -v security | head -1 || true)
mirror=${mirror:-http://deb.debian.org/debian}
root=$(mktemp -d /var/tmp/wedsync-rootfs.XXXXXX)
trap 'rm -rf "$root"' EXIT
echo "make-node-base: debootstrap bookworm from $mirror (~30 s)" >&2
debootstrap --variant=minbase --include=ca-certificates,libstdc++6 bookworm "$root" "$mirror" >/dev/null
# What a slim image leaves out: package lists, caches, docs, man pages, locales.
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/var/cache/debconf/*-old "$root"/var/log/* \
  "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/locale/*
# Where node:20-bookworm-slim has them.
install -D -m 0755 "$node_bin" "$root/usr/local/bin/node"
mkdir -p "$root/usr/local/lib/node_modules"
cp -a "$npm_dir" "$root/usr/local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
tar -C "$root" -c . | "${PODMAN[@]}" import -q \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["node"]' - "$image" >/dev/null
echo "$image"
