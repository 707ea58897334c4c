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
echo "consumer-check: installing the tarball with cdk8s $(version_of cdk8s), TypeScript $(version_of typescript) and Jest $(version_of jest)"
npm install --no-audit --no-fund --prefer-offline --silent \
  "$work/$tarball" "cdk8s@$(version_of cdk8s)" "constructs@$(version_of constructs)" \
  "typescript@$(version_of typescript)" "@types/node@$(version_of @types/node)" \
  "jest@$(version_of jest)" "@types/jest@$(version_of @types/jest)"

# The package depends only on what its code loads: no cdk8s-plus-27 (its types are copied into
# imports/) and so no backport, axios or octokit, and no install scripts.
for heavy in cdk8s-plus-27 backport axios; do
  if [ -e "node_modules/$heavy" ]; then
    echo "consumer-check: FAIL: installing the package installed $heavy" >&2
    exit 1
  fi
done

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
echo "consumer-check: OK (packed, installed, compiled without @types/node, synthesized, evaluated, matchers typed and strict)"
