# Sourced by generate-modules.sh and build.sh: a usable Go toolchain, or a clear failure saying how to get one.
# The control plane is built from source, so Go is a build dependency of the test suite, like Node.
WEDSYNC_GO_MIN="1.26"
if ! command -v go >/dev/null 2>&1; then
  echo "test/cluster: Go >= $WEDSYNC_GO_MIN is needed to build the Kubernetes control plane the tests run, and 'go' is not on PATH." >&2
  echo "  Install it (https://go.dev/doc/install), e.g.: curl -fsSL https://go.dev/dl/go1.26.8.linux-amd64.tar.gz | tar -C /usr/local -xz && export PATH=\$PATH:/usr/local/go/bin" >&2
  exit 1
fi
go_version="$(go env GOVERSION)"; go_version="${go_version#go}"
if [ "$(printf '%s\n%s\n' "$WEDSYNC_GO_MIN" "$go_version" | sort -V | head -1)" != "$WEDSYNC_GO_MIN" ]; then
  echo "test/cluster: Go >= $WEDSYNC_GO_MIN is needed to build the Kubernetes control plane; found $go_version ($(command -v go))." >&2
  echo "  Install a newer Go (https://go.dev/doc/install) and put it first on PATH." >&2
  exit 1
fi
# Never download another toolchain behind the user's back; static binaries; no VCS stamping (the
# wrapper modules live inside this repository's git tree, which says nothing about the tools' versions).
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="${GOFLAGS:+$GOFLAGS }-buildvcs=false"
