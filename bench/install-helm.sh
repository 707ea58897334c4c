#!/usr/bin/env bash
# Builds helm (pinned v3 release) from its Go module with the local Go toolchain, through the
# Go module proxy configured for `go` (no prebuilt binary downloads), into
#   ${CDK8S_API_READER_CACHE:-$HOME/.cache/cdk8s-api-reader}/helm-<version>/helm
# Idempotent: does nothing when that binary already exists and runs.
# Prints the path of the helm binary on stdout (progress goes to stderr).
set -euo pipefail

HELM_VERSION="${HELM_VERSION:-v3.22.0}"
CACHE="${CDK8S_API_READER_CACHE:-$HOME/.cache/cdk8s-api-reader}"
DEST="$CACHE/helm-$HELM_VERSION"
BIN="$DEST/helm"

if [[ -x "$BIN" ]] && "$BIN" version --short >/dev/null 2>&1; then
  echo "$BIN"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  echo "install-helm.sh: go is not on PATH; install Go >= 1.24 first." >&2
  exit 1
fi

mkdir -p "$DEST"
echo "install-helm.sh: building helm $HELM_VERSION from its Go module into $DEST (a few minutes on 2 cores)..." >&2
# -trimpath and -ldflags stamp the version as helm's own release builds do, so `helm version` is accurate.
GOBIN="$DEST" GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="${GOFLAGS:-} -buildvcs=false" \
  go install -trimpath \
  -ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION" \
  "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" >&2

"$BIN" version --short >&2
echo "$BIN"
