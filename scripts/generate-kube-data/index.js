#!/usr/bin/env node
// Generates lib/rbac/private/kube-data/v1-NN.ts, one per release in versions.js: Kubernetes'
// bootstrap RBAC policy and built-in API resources, read from the k8s.io/kubernetes Go module
// (needs `go`, and the module cache or the module proxy); and releases.ts, which lists them.
//
//   node scripts/generate-kube-data            write the files
//   node scripts/generate-kube-data --check    regenerate in memory; exit 1 if a committed file differs
'use strict';
const fs = require('fs');
const path = require('path');
const { readBootstrapPolicy } = require('./bootstrap');
const { downloadModule, readModuleFile } = require('./module-source');
const { modulePath, RELEASES_PATH, renderModule, renderReleases } = require('./render');
const { readApiResources } = require('./resources');
const RELEASES = require('./versions');

const ROOT = path.resolve(__dirname, '..', '..');

function generate(release) {
  const mod = downloadModule(release.module);
  const read = (file) => readModuleFile(mod, file);
  return renderModule(release, mod, readBootstrapPolicy(read), readApiResources(read));
}

function main(args) {
  const unknown = args.filter((a) => a !== '--check');
  if (unknown.length > 0) {
    console.error(`generate-kube-data: unknown argument ${unknown[0]}; usage: generate-kube-data [--check]`);
    return 2;
  }
  const check = args.includes('--check');
  const outputs = [
    ...RELEASES.map((release) => ({ file: modulePath(release.minor), text: generate(release), from: release.module })),
    { file: RELEASES_PATH, text: renderReleases(RELEASES), from: 'versions.js' },
  ];
  let stale = 0;
  for (const { file, text, from } of outputs) {
    const full = path.join(ROOT, file);
    const committed = fs.existsSync(full) ? fs.readFileSync(full, 'utf8') : undefined;
    if (committed === text) {
      console.log(`${file}: up to date (${from})`);
    } else if (check) {
      console.error(`${file}: differs from what ${from} generates; run \`npm run generate:kube-data\``);
      stale++;
    } else {
      fs.mkdirSync(path.dirname(full), { recursive: true });
      fs.writeFileSync(full, text);
      console.log(`${file}: written (${from})`);
    }
  }
  return stale > 0 ? 1 : 0;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (err) {
  console.error(`generate-kube-data: ${err.message}`);
  process.exitCode = 1;
}
