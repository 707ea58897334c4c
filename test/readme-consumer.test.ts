/**
 * README's consumer quickstart, checked fast on every `npm test` (`npm run test:consumer` builds
 * and runs the app itself): the files it shows pin what works, and its CLI examples run the
 * package's `bin` through npx, since `api-reader` is on nobody's PATH.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const FILES = ['package.json', 'tsconfig.json', 'cdk8s.yaml', 'main.ts', 'commands'];

function consumerBlocks(): Record<string, string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-blocks-'));
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'readme-blocks.js'), path.join(ROOT, 'README.md'), 'consumer-app', dir, ...FILES], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return Object.fromEntries(FILES.map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
}

describe("README's consumer app", () => {
  const blocks = consumerBlocks();
  const pkg = JSON.parse(blocks['package.json']) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
  const ours = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; devDependencies: Record<string, string> };

  it('pins TypeScript 5.9.x exactly (ts-node fails on TypeScript 7), with the versions this repo tests', () => {
    expect(pkg.devDependencies.typescript).toMatch(/^5\.9\.\d+$/);
    for (const name of ['typescript', 'ts-node', 'cdk8s-cli', '@types/node']) expect([name, pkg.devDependencies[name]]).toEqual([name, ours.devDependencies[name]]);
    for (const name of ['cdk8s', 'constructs']) expect([name, pkg.dependencies[name]]).toEqual([name, ours.devDependencies[name]]);
  });

  it('installs the tarball npm pack writes', () => {
    expect(pkg.dependencies[ours.name]).toBe(`file:${ours.name}-${ours.version}.tgz`);
    expect(README).toContain(`npm pack)   # writes ${ours.name}-${ours.version}.tgz`);
  });

  it('has a tsconfig.json for ts-node and a cdk8s.yaml that runs main.ts with it', () => {
    expect(JSON.parse(blocks['tsconfig.json']).compilerOptions.module).toBe('commonjs');
    expect(blocks['cdk8s.yaml']).toMatch(/^app: npx ts-node main\.ts$/m);
    expect(blocks['cdk8s.yaml']).toMatch(/^output: \.cdk8s\.out$/m);
  });

  it('runs the CLI with npx', () => {
    expect(blocks.commands).toMatch(/^npx api-reader can-i /m);
  });
});

describe("README's CLI examples", () => {
  it('call the package bin through npx in every shell block', () => {
    const fenced = README.split(/^```/m).filter((_, i) => i % 2 === 1);
    const commandLines = fenced.flatMap((block) => block.split('\n')).filter((line) => /(^\$ |^|\| )(npx )?api-reader (can-i|who-can|matrix|graph|audit)\b/.test(line.trim()));
    expect(commandLines.filter((line) => !/npx api-reader/.test(line))).toEqual([]);
    expect(commandLines.length).toBeGreaterThan(5);
  });
});
