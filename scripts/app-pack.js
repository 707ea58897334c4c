// A start-up cache for the synth app (`node -r ./scripts/app-pack.js main.ts`, see cdk8s.yaml).
//
// A synth of one app spends most of its time starting: Node resolves and reads a few hundred small
// module files (cdk8s with its bundled `yaml`, constructs, this library) and compiles each. The
// first run records what it loaded: each module's resolved path for each `require` and the code
// it compiled (the file's text; for .ts the transpiled text of scripts/register-ts.js). The next
// runs check that none of those files or their directories changed (size, mtime, ctime and inode
// of each), then take every module from one "pack" script, compiled once with a V8 code cache of
// the bytecode the previous run used. The modules run as they would from their files: the same
// Module objects, `require`, `module`, `__filename` and `__dirname`, and each module's text
// verbatim, so a function's source is its file's (lib/synth/private/cdk8s-internals.ts
// fingerprints cdk8s's). Anything not in the pack (a module the previous runs never loaded, a
// changed file) loads from disk as usual, and the pack is rewritten at exit to include it.
//
// Files: node_modules/.cache/cdk8s-api-reader-app-pack/, one manifest per app entry and Node
// version, and the pack and code cache it names (written whole, then renamed into place).
// CDK8S_API_READER_APP_PACK=0 turns it off, and so does --enable-source-maps: stack traces from a
// pack point into the pack, not at the files' own lines. CDK8S_API_READER_APP_PACK_DEBUG=1 says
// on stderr what it did; CDK8S_API_READER_APP_PACK_DIR moves the cache. A read-only or broken
// cache only costs speed.
'use strict';
const fs = require('fs');
const path = require('path');
const Module = require('module');

const FORMAT = 1;
const CACHE_DIR = process.env.CDK8S_API_READER_APP_PACK_DIR || path.join(__dirname, '..', 'node_modules', '.cache', 'cdk8s-api-reader-app-pack');
const DEBUG = process.env.CDK8S_API_READER_APP_PACK_DEBUG === '1';

/** With CDK8S_API_READER_APP_PACK_DEBUG=1, what the pack did, on stderr. */
function debug(message) {
  if (DEBUG) fs.writeSync(2, `app-pack: ${message}\n`);
}
const SOURCE_MAP_COMMENT = /\n\/\/# sourceMappingURL=data:[^\n]*\s*$/;

/** A short, stable name for a string (FNV-1a, 2 x 32 bits); the manifest itself holds the full key. */
function nameOf(text) {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x811c9dc5) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

/** What identifies a file's or directory's content without reading it ('' when it is gone). */
function statSignature(file) {
  const s = fs.statSync(file, { throwIfNoEntry: false });
  return s ? `${s.size}:${s.mtimeMs}:${s.ctimeMs}:${s.ino}` : '';
}

/** The key of one `require(request)` from `parent`: what Node's resolution depends on. */
function resolutionKey(parent, request) {
  return `${parent && parent.filename ? path.dirname(parent.filename) : ''}\0${request}`;
}

const MODULE_FILE = /\.(?:[cm]?js|json|node|[cm]?ts)$/;

/**
 * A directory's module-like entries (files Node or register-ts could load, and node_modules): what
 * a resolution through it depends on besides the files it found. Other files and new
 * subdirectories (a synth's output and staging directories) cannot change where a `require` goes.
 */
function listingSignature(dir) {
  let names;
  try {
    names = fs.readdirSync(dir);
  } catch {
    return '';
  }
  return nameOf(names.filter((name) => name === 'node_modules' || MODULE_FILE.test(name)).sort().join('\0'));
}

/**
 * What the pack's resolutions depend on besides the loaded files themselves: each directory
 * holding a loaded file (its module-like entries), the nearest package.json of each (main,
 * exports, type) and, above them, whether a node_modules appears (a closer package).
 */
function resolutionWatch(files) {
  const holding = new Set(files.map((file) => path.dirname(file)));
  const dirs = [];
  const watched = [];
  const seen = new Set();
  for (const start of holding) {
    for (let dir = start; !seen.has(dir); dir = path.dirname(dir)) {
      seen.add(dir);
      if (holding.has(dir)) dirs.push([dir, listingSignature(dir)]);
      else watched.push(path.join(dir, 'node_modules'));
      watched.push(path.join(dir, 'package.json'));
      if (path.dirname(dir) === dir) break;
    }
  }
  return { dirs, watched: watched.map((file) => [file, statSignature(file)]) };
}

function writeAtomically(file, data) {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

/** The pack's script: one function per module, its compiled text verbatim, plus each text's offsets. */
function packScript(modules) {
  const parts = ['['];
  const offsets = [];
  let length = 1;
  for (const m of modules) {
    const head = m.kind === 'json' ? '\n' : '\n(function (exports, require, module, __filename, __dirname) {';
    const body = m.kind === 'json' ? JSON.stringify(m.text) : m.text.replace(/^#!/, '//').replace(SOURCE_MAP_COMMENT, '\n');
    const tail = m.kind === 'json' ? ',' : '\n}),';
    offsets.push([length + head.length, length + head.length + body.length]);
    parts.push(head, body, tail);
    length += head.length + body.length + tail.length;
  }
  parts.push('\n]\n');
  return { script: parts.join(''), offsets };
}

/** The manifest of this app, when none of its files changed since it was written. */
function readValidManifest(manifestFile, key) {
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  } catch {
    return undefined;
  }
  if (!manifest || manifest.format !== FORMAT || manifest.key !== key) return undefined;
  for (const [file, signature] of manifest.files) if (statSignature(file) !== signature) return undefined;
  for (const [file, signature] of manifest.watched) if (statSignature(file) !== signature) return undefined;
  for (const [dir, signature] of manifest.dirs) if (listingSignature(dir) !== signature) return undefined;
  return manifest;
}

/** Loads the pack's functions (with the code cache when V8 accepts it), or undefined when the pack is unreadable. */
function loadPack(manifest) {
  const vm = require('vm');
  const packFile = path.join(CACHE_DIR, `${manifest.id}.js`);
  const cacheFile = path.join(CACHE_DIR, `${manifest.id}.cache`);
  let text;
  try {
    text = fs.readFileSync(packFile, 'utf8');
  } catch {
    return undefined;
  }
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(text, { filename: packFile, cachedData });
  const exports = script.runInThisContext();
  if (!Array.isArray(exports) || exports.length !== manifest.files.length) return undefined;
  const needsCache = cachedData === undefined || script.cachedDataRejected === true;
  debug(`${exports.length} modules from the pack, ${cachedData === undefined ? 'no code cache' : script.cachedDataRejected ? 'code cache rejected' : 'code cache used'}`);
  return { text, exports, saveCodeCache: needsCache ? () => writeAtomically(cacheFile, script.createCachedData()) : undefined };
}

function loadPackOrNothing(manifest) {
  try {
    return loadPack(manifest);
  } catch (err) {
    debug(`pack unusable (${err.message}): recording again`);
    return undefined;
  }
}

/** `require` for a module run from the pack, as Node's own makes it. */
function requireFor(module) {
  const require = (id) => module.require(id);
  require.resolve = (request, options) => Module._resolveFilename(request, module, false, options);
  require.resolve.paths = (request) => Module._resolveLookupPaths(request, module);
  require.main = process.mainModule;
  require.extensions = Module._extensions;
  require.cache = Module._cache;
  return require;
}

/** Whether Node maps stack traces through source maps: the files' own lines are then what is wanted. */
function wantsSourceMaps() {
  return [...process.execArgv, ...(process.env.NODE_OPTIONS || '').split(/\s+/)].includes('--enable-source-maps');
}

function install() {
  const entry = process.argv[1];
  // Worker threads inherit the preload: the pack is the main thread's.
  if (!entry || process.env.CDK8S_API_READER_APP_PACK === '0' || wantsSourceMaps() || !require('worker_threads').isMainThread) return;
  const key = `${FORMAT}\0${entry}\0${process.version}\0${process.arch}\0${process.execArgv.join('\0')}`;
  const manifestFile = path.join(CACHE_DIR, `${nameOf(key)}.json`);
  const manifest = readValidManifest(manifestFile, key);
  const pack = manifest && loadPackOrNothing(manifest);

  /** filename -> { kind, signature, text(), packed? } of every module this run took from the pack or recorded. */
  const modules = new Map();
  const resolutions = new Map(pack ? manifest.resolutions : []);
  let recorded = !pack;
  if (pack) {
    manifest.files.forEach(([file, signature, kind], i) => {
      const [start, end] = manifest.offsets[i];
      const packed = pack.exports[i];
      modules.set(file, { kind, signature, text: kind === 'json' ? () => packed : () => pack.text.slice(start, end), packed });
    });
  }

  const resolveFilename = Module._resolveFilename;
  Module._resolveFilename = function resolveFromPack(request, parent, isMain, options) {
    const key = options === undefined ? resolutionKey(parent, request) : undefined;
    const known = key === undefined ? undefined : resolutions.get(key);
    if (known !== undefined) return known;
    const filename = resolveFilename.apply(this, arguments);
    if (key !== undefined) resolutions.set(key, filename);
    return filename;
  };

  // A module the pack does not hold is compiled from its file; its compiled text is kept for the next pack.
  const compile = Module.prototype._compile;
  Module.prototype._compile = function compileAndRecord(content, filename) {
    if (!modules.has(filename)) {
      modules.set(filename, { kind: 'js', signature: statSignature(filename), text: () => content });
      recorded = true;
    }
    return compile.apply(this, arguments);
  };

  const loaders = Module._extensions;
  const fromFile = { '.js': loaders['.js'], '.json': loaders['.json'] };
  const loadTypeScript = (module, filename) => {
    require('./register-ts');
    fromFile['.ts'] = loaders['.ts'];
    loaders['.ts'] = loadFromPack;
    return fromFile['.ts'](module, filename);
  };
  function loadFromPack(module, filename) {
    const known = modules.get(filename);
    if (known && known.packed !== undefined) {
      if (known.kind === 'json') module.exports = JSON.parse(known.packed);
      else known.packed.call(module.exports, module.exports, requireFor(module), module, filename, path.dirname(filename));
      return;
    }
    const ext = path.extname(filename);
    if (ext === '.json') {
      const text = fs.readFileSync(filename, 'utf8');
      modules.set(filename, { kind: 'json', signature: statSignature(filename), text: () => text });
      recorded = true;
    }
    const load = fromFile[ext] || (ext === '.ts' ? loadTypeScript : fromFile['.js']);
    return load(module, filename);
  }
  loaders['.js'] = loadFromPack;
  loaders['.json'] = loadFromPack;
  loaders['.ts'] = loadFromPack;

  process.once('exit', (code) => {
    if (code !== 0) return debug(`exit code ${code}: nothing written`);
    try {
      if (recorded) debug(`recorded ${writePack(manifestFile, key, modules, resolutions, manifest)} modules`);
      else if (pack.saveCodeCache) {
        pack.saveCodeCache();
        debug('code cache written');
      }
    } catch (err) {
      debug(`not written (${err.code || err.message})`); // a read-only or full cache only costs speed
    }
  });
}

/** Writes a new pack of every module this run loaded (from the pack or from files) and its manifest, then drops the old pack. */
function writePack(manifestFile, key, modules, resolutions, previous) {
  // A file changed while this run used it is left out (its text may be the old one).
  const loaded = [...modules].filter(([file, m]) => Module._cache[file] !== undefined && path.isAbsolute(file) && m.signature === statSignature(file));
  const list = loaded.map(([file, m]) => ({ file, signature: m.signature, kind: m.kind, text: m.text() }));
  const { script, offsets } = packScript(list);
  const files = new Set(list.map((m) => m.file));
  const id = nameOf(`${key}\0${process.pid}\0${Date.now()}\0${Math.random()}`);
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  writeAtomically(path.join(CACHE_DIR, `${id}.js`), script);
  const manifest = {
    format: FORMAT,
    key,
    id,
    files: list.map((m) => [m.file, m.signature, m.kind]),
    ...resolutionWatch([...files]),
    offsets,
    resolutions: [...resolutions].filter(([, filename]) => files.has(filename) || !path.isAbsolute(filename)),
  };
  writeAtomically(manifestFile, JSON.stringify(manifest));
  if (previous && previous.id !== id) {
    for (const old of [`${previous.id}.js`, `${previous.id}.cache`]) fs.rmSync(path.join(CACHE_DIR, old), { force: true });
  }
  return list.length;
}

try {
  install();
} catch (err) {
  // A Node whose module loader no longer looks as this expects runs the app without the pack.
  debug(`not installed (${err.message})`);
}
