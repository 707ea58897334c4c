#!/usr/bin/env bash
# Pins the public API: compares each entry point's declarations (from `npm run build`) with its
# committed report in api-reports/. Without --update it fails on any difference, so a change to
# the public surface is always a reviewed diff; with --update it rewrites the reports.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=()
[ "${1:-}" = "--update" ] && mode=(--local)
[ -f build/lib/index.d.ts ] || { echo "api-report: run 'npm run build' first" >&2; exit 2; }
status=0
for entry in index rbac audit testing; do
  if ! out=$(npx api-extractor run "${mode[@]}" -c "api-extractor/$entry.json" 2>&1); then
    printf '%s\n' "$out" | sed 's/\x1b\[[0-9;]*m//g' | grep -vE '^\s*$' >&2
    echo "api-report: the public API of entry point '$entry' differs from api-reports/$entry.api.md." >&2
    echo "            If the change is deliberate, run 'npm run api:update' and commit the report." >&2
    status=1
  fi
done
[ "$status" -eq 0 ] && echo "api-report: the public API matches api-reports/ (${mode[*]:-check})"
exit "$status"
