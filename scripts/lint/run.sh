#!/usr/bin/env bash
# npm run lint:manifests: run every pinned scanner on the committed manifests (dist/*.yaml, not
# dist/audit/, which holds an audit Policy rather than API objects, and examples/*/dist/*.yaml),
# then hand the raw reports to findings.js, which normalizes them, applies lint-waivers.yaml,
# prints the summary and fails on any unwaived finding or any waiver that matches nothing.
# Scanners come from scripts/lint/install.sh (run first; fast when already installed).
# Everything here runs offline.
#
# Env: CDK8S_API_READER_CACHE (cache root), LINT_WITH_TRIVY=1 (install and run Trivy too),
#      LINT_KEEP=DIR (keep the raw reports in DIR), LINT_SKIP_INSTALL=1.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
here="$repo/scripts/lint"
K8S_VERSION=1.27

if [ "${LINT_SKIP_INSTALL:-0}" != 1 ]; then bash "$here/install.sh"; fi
scanners="${CDK8S_API_READER_CACHE:-$HOME/.cache/cdk8s-api-reader}/scanners"
# shellcheck source=/dev/null
eval "$(sed -n 's/^\(KUBE_LINTER_VERSION\|KUBE_SCORE_VERSION\|CHECKOV_VERSION\|KUBERNETES_VALIDATE_VERSION\|TRIVY_VERSION\)=\(.*\)$/\1=\2/p' "$here/install.sh")"

kube_linter="$scanners/kube-linter-$KUBE_LINTER_VERSION/bin/kube-linter"
kube_score="$scanners/kube-score-$KUBE_SCORE_VERSION/bin/kube-score"
checkov="$scanners/checkov-$CHECKOV_VERSION/venv/bin/checkov"
kvalidate="$scanners/kubernetes-validate-$KUBERNETES_VALIDATE_VERSION/venv/bin/kubernetes-validate"
trivy="$scanners/trivy-$TRIVY_VERSION/bin/trivy"

shopt -s nullglob
files=(dist/*.yaml examples/*/dist/*.yaml)
shopt -u nullglob
[ ${#files[@]} -gt 0 ] || { echo "lint:manifests: no manifests under dist/ or examples/*/dist/" >&2; exit 1; }

out=${LINT_KEEP:-$(mktemp -d "${TMPDIR:-/tmp}/lint-manifests-XXXXXX")}
mkdir -p "$out"
[ -n "${LINT_KEEP:-}" ] || trap 'rm -rf "$out"' EXIT
printf '%s\n' "${files[@]}" > "$out/files.txt"
: > "$out/tools.tsv"

# scan TOOL VERSION OUTFILE CMD...: exit code 1 means "found something" for every scanner here;
# findings.js decides from the report whether the run was usable.
scan() {
  local tool=$1 version=$2 report=$3; shift 3
  local t rc=0; t=$(date +%s)
  "$@" > "$out/$report" 2> "$out/$tool.stderr" || rc=$?
  printf '%s\t%s\t%s\n' "$tool" "$version" "$rc" >> "$out/tools.tsv"
  echo "lint: $tool $version: exit $rc in $(( $(date +%s) - t ))s"
  if [ "$rc" -gt 1 ]; then sed 's/^/  /' "$out/$tool.stderr" | tail -n 20; fi
}

# kube-linter: every built-in check except schema-validation, which downloads schemas at run
# time (the strict schema check below is the offline replacement).
scan kube-linter "$KUBE_LINTER_VERSION" kube-linter.json \
  "$kube_linter" lint --add-all-built-in --exclude schema-validation --format json "${files[@]}"

# kube-score: default and optional checks, ignore annotations disabled (waivers live in one file).
scan kube-score "$KUBE_SCORE_VERSION" kube-score.json \
  "$kube_score" score --all-default-optional --disable-ignore-checks-annotations \
  --kubernetes-version "v$K8S_VERSION" --output-format json "${files[@]}"

# checkov: the kubernetes framework, no policy download, no update check, inline skips ignored.
scan checkov "$CHECKOV_VERSION" checkov.json \
  env CKV_SKIP_PACKAGE_UPDATE_CHECK=true BC_SKIP_MAPPING=TRUE "$checkov" --framework kubernetes \
  --skip-download --output json --compact -f "${files[@]}"

# Strict schema: unknown fields are errors, against the Kubernetes $K8S_VERSION OpenAPI shipped
# inside the kubernetes-validate package.
scan kubernetes-validate "$KUBERNETES_VALIDATE_VERSION" kubernetes-validate.txt \
  "$kvalidate" --strict --kubernetes-version "$K8S_VERSION" "${files[@]}"

# Trivy (optional): its embedded checks, no check-bundle or DB download. It scans a directory, so
# the same files are copied into one (keeping their paths) to leave dist/audit out.
if [ "${LINT_WITH_TRIVY:-0}" = 1 ] || [ -x "$trivy" ]; then
  if [ ! -x "$trivy" ]; then bash "$here/install.sh" --with-trivy; fi
  mkdir -p "$out/trivy-root"
  for f in "${files[@]}"; do mkdir -p "$out/trivy-root/$(dirname "$f")"; cp "$f" "$out/trivy-root/$f"; done
  echo "$out/trivy-root" > "$out/trivy-root.txt"
  scan trivy "$TRIVY_VERSION" trivy.json \
    "$trivy" config --skip-check-update --cache-dir "$scanners/trivy-$TRIVY_VERSION/cache" \
    --format json --quiet "$out/trivy-root"
fi

node "$here/findings.js" --results "$out" --waivers "$repo/lint-waivers.yaml" ${LINT_JSON:+--json "$LINT_JSON"}
