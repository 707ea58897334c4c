// Where the upstream files come from: the k8s.io/kubernetes module, fetched (or found in the
// module cache) by `go mod download`, which also checks it against the checksum database.
'use strict';
const { execFileSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');

const MODULE = 'k8s.io/kubernetes';

/**
 * Downloads (or reuses from the cache) one version of the module.
 * @param {string} version e.g. v1.35.4
 * @returns {{ module: string, version: string, sum: string, dir: string }}
 */
function downloadModule(version) {
  // An empty directory: outside any main module, `go mod download` fetches exactly this version.
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'generate-kube-data-'));
  try {
    const env = { ...process.env, GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local' };
    let out;
    try {
      out = execFileSync('go', ['mod', 'download', '-json', `${MODULE}@${version}`], { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      // With -json, go prints the failure in the JSON on stdout.
      const detail = err.stdout ? (JSON.parse(err.stdout).Error ?? err.stdout) : err.message;
      throw new Error(`could not download ${MODULE}@${version}: ${detail}`);
    }
    const info = JSON.parse(out);
    if (info.Error) throw new Error(`could not download ${MODULE}@${version}: ${info.Error}`);
    return { module: MODULE, version: info.Version, sum: info.Sum, dir: info.Dir };
  } finally {
    fs.rmSync(cwd, { recursive: true, force: true });
  }
}

/**
 * Reads one file of a downloaded module, with its sha256.
 * @param {{ dir: string }} mod what downloadModule returned
 * @param {string} file the path inside the module, with forward slashes
 * @returns {{ file: string, sha256: string, text: string }}
 */
function readModuleFile(mod, file) {
  const bytes = fs.readFileSync(path.join(mod.dir, ...file.split('/')));
  return { file, sha256: crypto.createHash('sha256').update(bytes).digest('hex'), text: bytes.toString('utf8') };
}

/**
 * The files of one directory of a downloaded module, sorted by name.
 * @param {{ dir: string }} mod what downloadModule returned
 * @param {string} dir a directory inside the module, with forward slashes
 * @returns {string[]} module paths
 */
function listModuleDir(mod, dir) {
  return fs.readdirSync(path.join(mod.dir, ...dir.split('/'))).sort().map((name) => `${dir}/${name}`);
}

module.exports = { downloadModule, readModuleFile, listModuleDir };
