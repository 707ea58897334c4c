import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// scripts/app-pack.js: the start-up cache of the synth app (cdk8s.yaml's `app:`). Every run here is a
// real Node process; the pack must never change what an app does, only where its modules come from.
const ROOT = path.resolve(__dirname, '..', '..');
const APP_PACK = path.join(ROOT, 'scripts', 'app-pack.js');

interface Run {
  status: number | null;
  stdout: string;
  /** What the pack said it did (CDK8S_API_READER_APP_PACK_DEBUG=1). */
  pack: string[];
  stderr: string;
}

function run(entry: string, cacheDir: string, env: Record<string, string> = {}, nodeArgs: string[] = []): Run {
  const r = spawnSync(process.execPath, [...nodeArgs, '-r', APP_PACK, entry], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '', CDK8S_API_READER_APP_PACK_DIR: cacheDir, CDK8S_API_READER_APP_PACK_DEBUG: '1', ...env },
  });
  const lines = r.stderr.split('\n').filter(Boolean);
  return {
    status: r.status,
    stdout: r.stdout,
    pack: lines.filter((l) => l.startsWith('app-pack: ')).map((l) => l.slice('app-pack: '.length)),
    stderr: lines.filter((l) => !l.startsWith('app-pack: ')).join('\n'),
  };
}

/** A small app: an entry, a directory module, a JSON file, a package in node_modules, and a module loaded only on request. */
function fixture(): { dir: string; cache: string; entry: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'app-pack-'));
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  write(
    'app.js',
    [
      "const dep = require('./dep');",
      "const data = require('./data.json');",
      "const pkg = require('pkg');",
      "const extra = process.env.WITH_EXTRA ? require('./extra').name : '-';",
      'console.log(JSON.stringify({ dep: dep.name, data, pkg: pkg.greet(), extra, source: String(pkg.greet),',
      "  main: require.main === module, file: __filename, dirname: __dirname, resolved: require.resolve('./data.json'), depFile: dep.file }));",
      "if (process.env.FAIL) process.exitCode = 3;",
      '',
    ].join('\n'),
  );
  write('dep/index.js', "exports.name = 'dep v1';\nexports.file = __filename;\n");
  write('data.json', '{ "answer": 42 }\n');
  write('extra.js', "exports.name = 'extra';\n");
  write('node_modules/pkg/package.json', '{ "name": "pkg", "main": "main.js" }\n');
  write('node_modules/pkg/main.js', "#!/usr/bin/env node\n'use strict';\nexports.greet = function greet() {\n  // a comment the source keeps\n  return  'hello';\n};\n");
  return { dir, cache: path.join(dir, 'cache'), entry: path.join(dir, 'app.js') };
}

describe('the synth app start-up cache (scripts/app-pack.js)', () => {
  test('records on the first run, then runs from the pack with its code cache, with the same result', () => {
    const { dir, cache, entry } = fixture();
    const plain = spawnSync(process.execPath, [entry], { encoding: 'utf8' }).stdout;
    const first = run(entry, cache);
    expect(first.pack).toEqual(['recorded 4 modules']);
    const second = run(entry, cache);
    expect(second.pack).toEqual(['4 modules from the pack, no code cache', 'code cache written']);
    const third = run(entry, cache);
    expect(third.pack).toEqual(['4 modules from the pack, code cache used']);
    for (const r of [first, second, third]) {
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(plain);
    }
    const out = JSON.parse(third.stdout);
    expect(out).toMatchObject({ dep: 'dep v1', data: { answer: 42 }, pkg: 'hello', main: true, file: entry, dirname: dir });
    expect(out.resolved).toBe(path.join(dir, 'data.json'));
    expect(out.depFile).toBe(path.join(dir, 'dep', 'index.js'));
  });

  test("a function's source is its file's text, comments and spacing included (the fast render's fingerprints depend on it)", () => {
    const { cache, entry } = fixture();
    run(entry, cache);
    const packed = JSON.parse(run(entry, cache).stdout);
    expect(packed.source).toBe("function greet() {\n  // a comment the source keeps\n  return  'hello';\n}");
  });

  test('a changed module, a new file that changes a resolution and a deleted one are all seen', () => {
    const { dir, cache, entry } = fixture();
    run(entry, cache);
    run(entry, cache);
    fs.writeFileSync(path.join(dir, 'dep', 'index.js'), "exports.name = 'dep v2';\nexports.file = __filename;\n");
    const edited = run(entry, cache);
    expect(JSON.parse(edited.stdout).dep).toBe('dep v2');
    expect(edited.pack).toEqual(['recorded 4 modules']);
    // ./dep.js now comes before ./dep/index.js, as Node resolves it.
    fs.writeFileSync(path.join(dir, 'dep.js'), "exports.name = 'dep file';\nexports.file = __filename;\n");
    const shadowed = run(entry, cache);
    expect(JSON.parse(shadowed.stdout)).toMatchObject({ dep: 'dep file', depFile: path.join(dir, 'dep.js') });
    // A closer copy of the package (node_modules inside a new directory does not matter; one beside the app does).
    fs.rmSync(path.join(dir, 'node_modules'), { recursive: true });
    const gone = run(entry, cache);
    expect(gone.status).not.toBe(0);
    expect(gone.stderr).toContain("Cannot find module 'pkg'");
  });

  test('a module the pack does not hold is loaded from its file and added to the next pack', () => {
    const { cache, entry } = fixture();
    run(entry, cache);
    const withExtra = run(entry, cache, { WITH_EXTRA: '1' });
    expect(JSON.parse(withExtra.stdout).extra).toBe('extra');
    expect(withExtra.pack).toEqual(['4 modules from the pack, no code cache', 'recorded 5 modules']);
    const next = run(entry, cache, { WITH_EXTRA: '1' });
    expect(next.pack).toEqual(['5 modules from the pack, no code cache', 'code cache written']);
    expect(JSON.parse(next.stdout).extra).toBe('extra');
  });

  test('a failed run writes nothing, and a broken pack or code cache is recorded again', () => {
    const { cache, entry } = fixture();
    const failed = run(entry, cache, { FAIL: '1' });
    expect(failed.status).toBe(3);
    expect(failed.pack).toEqual(['exit code 3: nothing written']);
    expect(fs.existsSync(cache)).toBe(false);
    run(entry, cache);
    run(entry, cache);
    const files = fs.readdirSync(cache);
    for (const f of files.filter((n) => n.endsWith('.cache'))) fs.writeFileSync(path.join(cache, f), 'not a code cache');
    const badCache = run(entry, cache);
    expect(badCache.pack).toEqual(['4 modules from the pack, code cache rejected', 'code cache written']);
    for (const f of files.filter((n) => n.endsWith('.js'))) fs.writeFileSync(path.join(cache, f), 'this is not ( javascript');
    const badPack = run(entry, cache);
    expect(badPack.status).toBe(0);
    expect(badPack.pack[0]).toMatch(/^pack unusable \(.*\): recording again$/);
    expect(badPack.pack[1]).toBe('recorded 4 modules');
    expect(JSON.parse(badPack.stdout).dep).toBe('dep v1');
  });

  test("a worker thread of the app (which inherits the preload) neither uses nor rewrites the main thread's pack", () => {
    const { dir, cache } = fixture();
    const entry = path.join(dir, 'threads.js');
    fs.writeFileSync(
      entry,
      [
        "const { Worker, isMainThread, parentPort } = require('worker_threads');",
        "if (isMainThread) {",
        "  require('./dep');",
        "  const w = new Worker(__filename, { argv: [__filename] }); // the worker's process.argv[1] is then the app's entry too",
        "  w.on('message', (m) => console.log(m));",
        "} else {",
        "  parentPort.postMessage(require('./extra').name);",
        "}",
        '',
      ].join('\n'),
    );
    const first = run(entry, cache);
    expect(first).toMatchObject({ status: 0, stdout: 'extra\n' });
    expect(first.pack).toEqual(['recorded 2 modules']); // threads.js and dep/index.js, not the worker's extra.js
    const second = run(entry, cache);
    expect(second).toMatchObject({ status: 0, stdout: 'extra\n' });
    expect(second.pack).toEqual(['2 modules from the pack, no code cache', 'code cache written']);
  });

  test('CDK8S_API_READER_APP_PACK=0 and --enable-source-maps leave Node alone', () => {
    const { cache, entry } = fixture();
    expect(run(entry, cache, { CDK8S_API_READER_APP_PACK: '0' }).pack).toEqual([]);
    expect(run(entry, cache, {}, ['--enable-source-maps']).pack).toEqual([]);
    expect(fs.existsSync(cache)).toBe(false);
  });

  test("this repository's app from the pack renders with the fast render (cdk8s's functions keep their fingerprints)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'app-pack-repo-'));
    const probe = path.join(dir, 'probe.js');
    const internals = path.join(ROOT, 'build', 'lib', 'synth', 'private', 'cdk8s-internals.js');
    fs.writeFileSync(probe, `console.log(require(${JSON.stringify(internals)}).stockRenderUnchanged());\n`);
    const cache = path.join(dir, 'cache');
    expect(run(probe, cache)).toMatchObject({ stdout: 'true\n', status: 0 });
    const packed = run(probe, cache);
    expect(packed.pack[0]).toMatch(/^\d+ modules from the pack/);
    expect(packed.stdout).toBe('true\n');
  });
});
