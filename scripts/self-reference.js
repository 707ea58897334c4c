// Lets the repo's own TypeScript (the examples) import this package by name, as an app that installed
// it does: `require('cdk8s-api-reader')` and its subpaths (`/rbac`, `/audit`, `/testing`, ...) load the
// sources under lib/ that the package's `exports` are built from, instead of a build/ that may be stale.
// A subpath the package does not export stays unresolvable. Preload it after scripts/register-ts.js:
//   node -r ./scripts/register-ts.js -r ./scripts/self-reference.js examples/synth.ts
// (tsconfig.json `paths` and jest.config.js `moduleNameMapper` do the same for tsc and Jest.)
'use strict';
const Module = require('module');
const path = require('path');

const ROOT = path.join(__dirname, '..');
const { name, exports: exported } = require('../package.json');

/** `lib/...` for an import of the package by name that `exports` allows, else undefined. */
function sourceOf(request) {
  if (request !== name && !request.startsWith(`${name}/`)) return undefined;
  const subpath = `.${request.slice(name.length)}`;
  const target = exported[subpath] && exported[subpath].default;
  if (typeof target !== 'string' || !target.startsWith('./build/lib/') || !target.endsWith('.js')) return undefined;
  return path.join(ROOT, target.slice('./build/'.length, -'.js'.length));
}

const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function resolveOwnName(request, ...rest) {
  const source = sourceOf(request);
  return resolveFilename.call(this, source === undefined ? request : source, ...rest);
};
