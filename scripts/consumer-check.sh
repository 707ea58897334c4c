#!/usr/bin/env bash
# Proves the npm package works for a consumer as README tells it: pack it, build README's
# consumer app outside the repo from README.md itself (its files and commands), with the tarball;
# synthesize it with `npx cdk8s synth`, ask `npx api-reader` about it and type-check it; then the
# public declarations without @types/node, and the documented Jest setup.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/api-reader-consumer-XXXXXX")
trap 'rm -rf "$work"' EXIT

version_of() { node -p "require('$repo/node_modules/$1/package.json').version"; }
fail() { echo "consumer-check: FAIL: $*" >&2; exit 1; }

echo "consumer-check: packing"
tarball=$(cd "$repo" && npm pack --silent --pack-destination "$work" | tail -n 1)
echo "consumer-check: $tarball holds $(tar -tzf "$work/$tarball" | wc -l) files"
if tar -tzf "$work/$tarball" | grep -E '(^|/)(test|e2e|dist|examples)/' ; then
  fail "the tarball ships tests, manifests or examples"
fi

# README's consumer section: each fenced block marked `<!-- consumer-app: NAME -->` is written to
# NAME (package.json, tsconfig.json, cdk8s.yaml, main.ts); the block marked `commands` is run line
# by line, as written. So README cannot drift from what works.
app="$work/billing-app"
mkdir -p "$app"
echo "consumer-check: writing the app from README.md's consumer-app blocks"
node "$repo/scripts/readme-blocks.js" "$repo/README.md" consumer-app "$app" package.json tsconfig.json cdk8s.yaml main.ts commands
readme_tarball=$(node -p "require('$app/package.json').dependencies['cdk8s-api-reader']")
[[ $readme_tarball == "file:$tarball" ]] || fail "README's package.json installs $readme_tarball, but npm pack writes $tarball"
cp "$work/$tarball" "$app/"
cd "$app"
export CDK8S_CHECK_UPGRADE=false
out="$work/command.out"
while IFS= read -r line; do
  [[ -z $line || $line == \#* ]] && continue
  [[ $line == "npm "* || $line == "npx "* ]] || fail "README's consumer-app commands may only run npm or npx, not: $line"
  echo "consumer-check: \$ $line"
  run=$line
  # README's `npm install`, from the npm cache: the versions it pins are the ones this repo uses.
  [[ $line == "npm install" ]] && run="npm install --no-audit --no-fund --prefer-offline"
  if ! bash -c "$run" >"$out" 2>"$work/command.err"; then
    cat "$out" "$work/command.err" >&2
    fail "README's command failed: $line"
  fi
  cat "$out"
done < commands
ts_version=$(node -p "require('typescript/package.json').version")
[[ $ts_version == 5.9.* ]] || fail "README's app got TypeScript $ts_version, not 5.9.x"
# The last command is README's can-i question about the app it synthesized: the answer is yes.
[[ $(cat "$out") == "yes" ]] || fail "README's can-i answered '$(cat "$out")', not yes"
grep -q 'name: billing.billing-reader-cr' dist/billing.k8s.yaml || fail "dist/billing.k8s.yaml lacks the ClusterRole README names"
echo "consumer-check: type-checking README's main.ts with README's tsconfig.json"
npx tsc -p tsconfig.json --noEmit

# The package depends only on what its code loads: no cdk8s-plus-27 (its types are copied into
# imports/) and so no backport, axios or octokit, and no install scripts.
for heavy in cdk8s-plus-27 backport axios; do
  [ ! -e "node_modules/$heavy" ] || fail "installing the package installed $heavy"
done

echo "consumer-check: the checks' own tools, not saved to README's package.json: Jest $(version_of jest)"
npm install --no-save --no-audit --no-fund --prefer-offline --silent "jest@$(version_of jest)" "@types/jest@$(version_of @types/jest)"

# The public declarations compile without @types/node: a consumer's tsconfig may not have it.
cat > types-only.ts <<'TS'
import type { CredentialsSource, EnvironmentVariables, Grant, IdentityPodProps, ReaderPodProps } from 'cdk8s-api-reader';
import type { RbacPolicy, WhoCanResult } from 'cdk8s-api-reader/rbac';
import type { MatcherScope } from 'cdk8s-api-reader/testing';
export type Surface = [CredentialsSource, EnvironmentVariables, Grant, IdentityPodProps, ReaderPodProps, RbacPolicy, WhoCanResult, MatcherScope];
TS
cat > tsconfig.types-only.json <<'JSON'
{ "compilerOptions": { "target": "ES2022", "module": "commonjs", "strict": true, "noEmit": true, "types": [], "skipLibCheck": false }, "include": ["types-only.ts"] }
JSON
echo "consumer-check: the public declarations compile without @types/node"
npx tsc -p tsconfig.types-only.json

# The documented Jest setup alone (setupFilesAfterEnv + the package in tsconfig "types") gives
# typed matchers, and the matchers check what they are given.
mkdir -p tests
cat > tests/access.test.ts <<'TS'
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { AccessBinding, AccessRole, IdentityPod, ReaderIdentity, RestrictedNamespace } from 'cdk8s-api-reader';

function exporterApp(bindingNamespace: string): App {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'consumer-')) });
  const chart = new Chart(app, 'exporter');
  const namespace = new RestrictedNamespace(chart, 'ns', { name: 'logging' });
  const exporter = new ReaderIdentity(chart, 'exporter', { namespace, serviceAccountName: 'log-exporter-sa', clusterWide: true });
  exporter.grant({ verbs: ['get', 'list'], resources: ['pods', 'pods/log', 'namespaces'] });
  new IdentityPod(chart, 'pod', { name: 'log-exporter', identity: exporter, image: 'example/log-exporter:1.0' });
  const other = new Chart(app, 'grants');
  const role = new AccessRole(other, 'role', { name: 'extra-reader', rules: [{ verbs: ['get'], resources: ['configmaps'] }] });
  new AccessBinding(other, 'binding', { name: 'extra-reader', role, subjects: [{ kind: 'ServiceAccount', name: 'log-exporter-sa', namespace: bindingNamespace }] });
  return app;
}

test('seed 003: pods/log through a subresource, a general identity pod', () => {
  const app = exporterApp('logging');
  app.synth();
  const objects = app.charts.flatMap((c) => c.toJson());
  expect(objects.find((o) => o.kind === 'Pod').spec.automountServiceAccountToken).toBe(false);
  const exporter = 'system:serviceaccount:logging:log-exporter-sa';
  expect(objects).toAllow(exporter, 'get', 'pods', { namespace: 'dev', subresource: 'log' });
  expect(objects).toDeny(exporter, 'get', 'pods', { namespace: 'dev', subresource: 'exec' });
  expect(objects).toAllow(exporter, 'list', 'po', 'dev');
});

test('toDeny cannot pass on nothing or on a typo', () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'empty-'));
  expect(() => expect(empty).toDeny('alice', 'get', 'secrets', 'dev')).toThrow(/holds no Role/);
  expect(() => expect([]).toDeny('alice', 'get', 'secrets', 'dev')).toThrow(/holds no Role/);
  const objects = exporterApp('logging').charts.flatMap((c) => c.toJson());
  expect(() => expect(objects).toDeny('alice', 'lsit', 'secrets', 'dev')).toThrow(/not a verb/);
  expect(() => expect(objects).toDeny('alice', 'get', 'secretz', 'dev')).toThrow(/not a resource kubectl knows/);
});

test('a binding in another chart to the ServiceAccount in the wrong namespace fails synth', () => {
  expect(() => exporterApp('default').synth()).toThrow(/names namespace "default", but this app defines that ServiceAccount in "logging"/);
});
TS
cat > tsconfig.tests.json <<'JSON'
{ "compilerOptions": { "target": "ES2022", "module": "commonjs", "strict": true, "outDir": "tests-out", "types": ["node", "jest", "cdk8s-api-reader/testing"] }, "include": ["tests/*.ts"] }
JSON
cat > jest.config.js <<'JS'
module.exports = { testEnvironment: 'node', roots: ['<rootDir>/tests-out'], setupFilesAfterEnv: ['cdk8s-api-reader/testing/setup'] };
JS
echo "consumer-check: the matchers' types come with the documented setup (tsc)"
npx tsc -p tsconfig.tests.json
echo "consumer-check: running the consumer's Jest tests"
npx jest --ci
echo "consumer-check: OK (README's app built from README, installed from the tarball, synthesized, asked with npx api-reader, type-checked; declarations without @types/node; matchers typed and strict)"
