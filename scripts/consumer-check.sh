#!/usr/bin/env bash
# Proves the npm package works for a consumer: pack it, install the tarball into a fresh
# cdk8s app outside the repo, compile that app with tsc and synthesize a chart built from
# the exported constructs (and ask the exported evaluator about it).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/api-reader-consumer-XXXXXX")
trap 'rm -rf "$work"' EXIT

version_of() { node -p "require('$repo/node_modules/$1/package.json').version"; }

echo "consumer-check: packing"
tarball=$(cd "$repo" && npm pack --silent --pack-destination "$work" | tail -n 1)
echo "consumer-check: $tarball holds $(tar -tzf "$work/$tarball" | wc -l) files"
if tar -tzf "$work/$tarball" | grep -E '(^|/)(test|e2e|dist|examples)/' ; then
  echo "consumer-check: FAIL: the tarball ships tests, manifests or examples" >&2
  exit 1
fi

app="$work/app"
mkdir -p "$app"
cd "$app"
cat > package.json <<JSON
{ "name": "consumer-app", "version": "0.0.0", "private": true }
JSON
echo "consumer-check: installing the tarball with cdk8s $(version_of cdk8s) and TypeScript $(version_of typescript)"
npm install --no-audit --no-fund --prefer-offline --silent \
  "$work/$tarball" "cdk8s@$(version_of cdk8s)" "constructs@$(version_of constructs)" \
  "typescript@$(version_of typescript)" "@types/node@$(version_of @types/node)"

cat > tsconfig.json <<'JSON'
{ "compilerOptions": { "target": "ES2022", "module": "commonjs", "strict": true, "outDir": "out", "types": ["node"] }, "include": ["main.ts"] }
JSON
cat > main.ts <<'TS'
import { App, Chart } from 'cdk8s';
import { ReaderIdentity, ReaderPod, ReaderScript, RestrictedNamespace } from 'cdk8s-api-reader';
import { RbacPolicy, authorize, serviceAccountUser } from 'cdk8s-api-reader/rbac';

const app = new App({ outdir: 'dist' });
const chart = new Chart(app, 'team-a');
const namespace = new RestrictedNamespace(chart, 'ns', { name: 'team-a' });
const reader = new ReaderIdentity(chart, 'reader', { namespace, serviceAccountName: 'billing-reader-sa' });
const grant = reader.grantRead({ name: 'billing-db', namespace: 'team-a' });
grant.assertSuccess();
const script = new ReaderScript(chart, 'script', { namespace });
new ReaderPod(chart, 'pod', { name: 'billing-reader', identity: reader, script, secret: { name: 'billing-db', namespace: 'team-a' } });
app.synth();

const decision = authorize(RbacPolicy.fromObjects(chart.toJson()), serviceAccountUser('team-a', 'billing-reader-sa'), {
  verb: 'get', resource: 'secrets', name: 'billing-db', namespace: 'team-a',
});
console.log(decision.reason);
if (!decision.allowed) process.exit(1);
TS
echo "consumer-check: compiling with tsc"
npx tsc -p tsconfig.json
node out/main.js
grep -q 'kind: RoleBinding' dist/team-a.k8s.yaml
grep -q 'name: billing-reader-rb' dist/team-a.k8s.yaml
echo "consumer-check: OK (packed, installed, compiled, synthesized, evaluated)"
