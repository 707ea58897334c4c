#!/usr/bin/env bash
# Installs the pinned manifest scanners into a cache outside the repository:
#   ${CDK8S_API_READER_CACHE:-$HOME/.cache/cdk8s-api-reader}/scanners/<tool>-<version>/
# Everything comes from the package registries through their ordinary clients (go, pip); once
# installed, the scanners run offline. Idempotent: a tool whose stamp file exists and whose
# binary answers is skipped, so a warm run takes about a second.
#
# Usage: scripts/lint/install.sh [--with-trivy]     (or LINT_WITH_TRIVY=1)
# Prints, last, the shell assignments run.sh reads (SCANNERS_DIR=...).
set -euo pipefail

KUBE_LINTER_VERSION=0.8.3
KUBE_SCORE_VERSION=1.20.0
CHECKOV_VERSION=3.3.30
KUBERNETES_VALIDATE_VERSION=1.37.0
TRIVY_VERSION=0.58.0

with_trivy=${LINT_WITH_TRIVY:-0}
for arg in "$@"; do
  case "$arg" in
    --with-trivy) with_trivy=1 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown argument $arg" >&2; exit 2 ;;
  esac
done

here=$(cd "$(dirname "$0")" && pwd)
cache_root=${CDK8S_API_READER_CACHE:-$HOME/.cache/cdk8s-api-reader}
scanners="$cache_root/scanners"
mkdir -p "$scanners"
# One install at a time per cache (CI and a developer's shell may overlap).
exec 9> "$scanners/.install.lock"
flock 9
built=0

# Go: the machine's toolchain only, static binaries, and a module cache of our own inside the
# scanner cache (so a cold install is really cold and `rm -rf scanners/` cleans everything).
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="-modcacherw -buildvcs=false"
export GOMODCACHE="$scanners/_go/mod"
export GOCACHE="$scanners/_go/build"

log() { printf 'install: %s\n' "$*"; }
elapsed() { echo "$(( $(date +%s) - $1 ))s"; }

# is_installed DIR CMD...: the stamp exists and the command runs.
is_installed() {
  local dir=$1; shift
  [ -f "$dir/.installed" ] && "$@" >/dev/null 2>&1
}

need() { command -v "$1" >/dev/null 2>&1 || { echo "install: FAIL: $1 is not on PATH" >&2; exit 1; }; }

# --- Go scanners -----------------------------------------------------------------------------
# go_tool TOOL VERSION MODULE PACKAGE LDFLAGS PROBE: download MODULE@vVERSION from the module proxy
# (checksum-verified against the sum database) and build PACKAGE inside it, so the module's own
# go.mod, go.sum and replace directives are used. Why not `go install PKG@VERSION`:
# - kube-linter's go.mod says `module golang.stackrox.io/kube-linter`, a path the proxy here
#   answers 403 for; the same tag is served under github.com/stackrox/kube-linter, whose go.mod
#   then names the other path, which `go install` rejects and an in-place build does not mind;
# - `go install` also reads the module's version list (for deprecations), which the proxy here
#   refuses for some modules (403 on Trivy's list), while the pinned version itself is served.
go_tool() {
  local tool=$1 v=$2 module=$3 pkg=$4 ldflags=$5 probe=$6
  local dir="$scanners/$tool-$v" t src
  if is_installed "$dir" "$dir/bin/$tool" "$probe"; then log "$tool $v: present"; return; fi
  need go; t=$(date +%s)
  log "$tool $v: downloading $module@v$v"
  src=$(go mod download -json "$module@v$v" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -n "$src" ] && [ -d "$src" ] || { echo "install: FAIL: go mod download $module@v$v" >&2; exit 1; }
  log "$tool $v: building $pkg (dependencies download on first use)"
  rm -rf "$dir"; mkdir -p "$dir/bin"
  built=1
  (cd "$src" && go build -trimpath -ldflags "-s -w $ldflags" -o "$dir/bin/$tool" "$pkg")
  "$dir/bin/$tool" "$probe" >/dev/null
  date -u +%FT%TZ > "$dir/.installed"
  log "$tool $v: installed in $(elapsed "$t")"
}

# --- Python scanners: one venv each, top-level version pinned, dependencies constrained -------
# pip_venv TOOL VERSION PACKAGE[==VERSION]... ; constraints in scripts/lint/constraints/TOOL.txt
# (a pip freeze of a known-good install) keep the transitive set reproducible.
pip_venv() {
  local tool=$1 v=$2; shift 2
  local dir="$scanners/$tool-$v" t cons="$here/constraints/$tool.txt"
  if is_installed "$dir" "$dir/venv/bin/python" -c 'import sys'; then log "$tool $v: present"; return; fi
  need python3; t=$(date +%s)
  log "$tool $v: pip install $* (venv in $dir)"
  rm -rf "$dir"; mkdir -p "$dir"
  python3 -m venv "$dir/venv"
  local args=(--quiet --disable-pip-version-check --no-input)
  [ -f "$cons" ] && args+=(--constraint "$cons")
  PIP_DISABLE_PIP_VERSION_CHECK=1 "$dir/venv/bin/pip" install "${args[@]}" "$@"
  "$dir/venv/bin/pip" freeze --disable-pip-version-check > "$dir/freeze.txt"
  date -u +%FT%TZ > "$dir/.installed"
  log "$tool $v: installed in $(elapsed "$t")"
}

start=$(date +%s)
log "cache: $scanners"
go_tool kube-linter "$KUBE_LINTER_VERSION" github.com/stackrox/kube-linter ./cmd/kube-linter \
  "-X golang.stackrox.io/kube-linter/internal/version.version=$KUBE_LINTER_VERSION" version
go_tool kube-score "$KUBE_SCORE_VERSION" github.com/zegl/kube-score ./cmd/kube-score \
  "-X main.version=$KUBE_SCORE_VERSION" version
pip_venv checkov "$CHECKOV_VERSION" "checkov==$CHECKOV_VERSION"
pip_venv kubernetes-validate "$KUBERNETES_VALIDATE_VERSION" "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION"
if [ "$with_trivy" = 1 ]; then
  go_tool trivy "$TRIVY_VERSION" github.com/aquasecurity/trivy ./cmd/trivy \
    "-X github.com/aquasecurity/trivy/pkg/version/app.ver=$TRIVY_VERSION" --version
fi
# The Go build and module caches are only needed to build: drop them (about 600 MB, 4 GB with Trivy).
if [ "$built" = 1 ]; then rm -rf "$scanners/_go"; fi
log "done in $(elapsed "$start"); $(du -sh "$scanners" 2>/dev/null | cut -f1) in $scanners"
