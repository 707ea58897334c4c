/**
 * Findings 6-9 of issue 13: synth never replaces a directory that is not its own, never leaves a
 * moment without a complete output directory it cannot repair, never leaves staging directories
 * (which may hold Secret values) behind, writes Secret values 0600 and git-ignored wherever the
 * output goes, and never claims the previous output was kept when it does not know.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { ApiReaderWalkthrough, CredentialsChart, CredentialsSource, synthToDirectory } from '../../lib';
import { previousOutputKept } from '../../lib/synth/directory-synth';
import { runMain } from '../../lib/synth/run-main';
import { inDirectory, previousOutput, readTree } from '../support/outdir';

// The module object itself (the `import * as` copy cannot be spied on), as the library sees it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const realFs = require('fs') as typeof fs;

const walkthrough = (app: App) => new ApiReaderWalkthrough(app, 'api-reader');
const failing = () => { throw new Error('[app/chart] Broken on purpose. Fix the chart.'); };

function leftovers(dir: string): string[] {
  return fs.readdirSync(path.dirname(dir)).filter((n) => n.includes('.staging-'));
}

describe('synth refuses output directories that are not its own', () => {
  it.each([
    ['the project directory (outdir ".")', (root: string) => inDirectory(root, () => synthToDirectory(walkthrough, { outdir: '.' }))],
    ['CDK8S_OUTDIR=.', (root: string) => inDirectory(root, () => {
      process.env.CDK8S_OUTDIR = '.';
      try {
        return synthToDirectory(walkthrough);
      } finally {
        delete process.env.CDK8S_OUTDIR;
      }
    })],
    ['a directory holding .git', (root: string) => synthToDirectory(walkthrough, { outdir: root })],
  ])('%s, and touches nothing', (_name, attempt) => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'api-reader-project-'));
    fs.mkdirSync(path.join(root, '.git'));
    fs.writeFileSync(path.join(root, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    fs.writeFileSync(path.join(root, 'package.json'), '{}\n');
    const before = readTree(root);
    expect(() => attempt(root)).toThrow(/Refusing to synthesize into .*: it (is the project directory|holds \.git).*Set outdir .* such as dist/);
    expect(readTree(root)).toEqual(before);
  });
});

describe('the swap of the new output into place', () => {
  it('a swap killed between its two renames is repaired by the next run, before anything else', () => {
    const out = previousOutput();
    const before = out.contents();
    // What a kill between the renames leaves: no dist/, the previous one beside it.
    fs.renameSync(out.dir, path.join(path.dirname(out.dir), '.dist.staging-abc123.previous'));
    fs.mkdirSync(path.join(path.dirname(out.dir), '.dist.staging-abc123'));
    expect(() => synthToDirectory(failing, { outdir: out.dir })).toThrow(/Broken on purpose/);
    expect(out.contents()).toEqual(before);
  });

  it('a failing second rename puts the previous output back, removes the staging dir and says so truly', () => {
    const out = previousOutput();
    const before = out.contents();
    const rename = fs.renameSync;
    // The real rename cannot be made to fail on demand, so this one fails when the new output moves in.
    const spy = jest.spyOn(realFs, 'renameSync').mockImplementation((from, to) => {
      if (String(to) === out.dir && String(from).includes('.staging-') && !String(from).endsWith('.previous')) {
        throw Object.assign(new Error('EIO: i/o error, rename'), { code: 'EIO' });
      }
      rename(from, to);
    });
    let error: unknown;
    try {
      synthToDirectory(walkthrough, { outdir: out.dir });
    } catch (e) {
      error = e;
    } finally {
      spy.mockRestore();
    }
    expect(String(error)).toMatch(/Could not move the new output into .*dist \(EIO\); the previous output was put back/);
    expect(previousOutputKept(error)).toBe(out.dir);
    expect(out.contents()).toEqual(before);
    expect(leftovers(out.dir)).toEqual([]);
  });

  it('when the output cannot be replaced at all, the staging dir (with its Secret values) is removed', () => {
    const out = previousOutput();
    const rename = fs.renameSync;
    const spy = jest.spyOn(realFs, 'renameSync').mockImplementation((from, to) => {
      if (String(from) === out.dir) throw Object.assign(new Error('EPERM: operation not permitted, rename'), { code: 'EPERM' });
      rename(from, to);
    });
    try {
      expect(() => synthToDirectory((app) => {
        const chart = new ApiReaderWalkthrough(app, 'api-reader');
        new CredentialsChart(app, 'creds', { secret: chart.secret, source: CredentialsSource.fromEnvironment(undefined, { API_READER_USERNAME: 'u', API_READER_PASSWORD: 'v-never-left-behind' }), after: chart });
      }, { outdir: out.dir })).toThrow(/EPERM/);
    } finally {
      spy.mockRestore();
    }
    expect(leftovers(out.dir)).toEqual([]);
  });
});

describe('files holding Secret values', () => {
  it('are 0600 and git-ignored wherever the output goes (cdk8s synth -o manifests)', () => {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'api-reader-repo-'));
    expect(spawnSync('git', ['init', '-q'], { cwd: repo }).status).toBe(0);
    const outdir = path.join(repo, 'manifests');
    synthToDirectory((app) => {
      const chart = new ApiReaderWalkthrough(app, 'api-reader');
      new CredentialsChart(app, 'creds', { secret: chart.secret, source: CredentialsSource.fromEnvironment(undefined, { API_READER_USERNAME: 'u', API_READER_PASSWORD: 'v-0600' }), after: chart });
    }, { outdir });
    const secretFile = fs.readdirSync(outdir).find((n) => n.includes('creds'))!;
    expect(fs.statSync(path.join(outdir, secretFile)).mode & 0o777).toBe(0o600);
    expect(spawnSync('git', ['add', '-A'], { cwd: repo }).status).toBe(0);
    const staged = spawnSync('git', ['diff', '--cached', '--name-only'], { cwd: repo, encoding: 'utf8' }).stdout;
    expect(staged).toContain('manifests/0000-api-reader.k8s.yaml');
    expect(staged).not.toContain(secretFile);
    expect(staged).not.toContain('.gitignore');
  });

  it('are found as well when the app goes through stock app.synth() (construct metadata recorded)', () => {
    const out = previousOutput();
    process.env.CDK8S_RECORD_CONSTRUCT_METADATA = 'true';
    try {
      synthToDirectory((app) => {
        const chart = new ApiReaderWalkthrough(app, 'api-reader');
        new CredentialsChart(app, 'creds', { secret: chart.secret, source: CredentialsSource.fromEnvironment(undefined, { API_READER_USERNAME: 'u', API_READER_PASSWORD: 'v-stock' }), after: chart });
      }, { outdir: out.dir });
    } finally {
      delete process.env.CDK8S_RECORD_CONSTRUCT_METADATA;
    }
    const secretFile = fs.readdirSync(out.dir).find((n) => n.includes('creds'))!;
    expect(fs.statSync(path.join(out.dir, secretFile)).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(path.join(out.dir, '.gitignore'), 'utf8')).toContain(`/${secretFile}\n`);
    expect(fs.existsSync(path.join(out.dir, 'construct-metadata.json'))).toBe(true); // it did go through app.synth()
  });

  it('an output without Secret values gets no ignore file', () => {
    const out = previousOutput();
    synthToDirectory(walkthrough, { outdir: out.dir });
    expect(fs.existsSync(path.join(out.dir, '.gitignore'))).toBe(false);
  });
});

describe('runMain says only what is true', () => {
  function stderrOf(main: () => unknown): string {
    let text = '';
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      text += String(chunk);
      return true;
    });
    try {
      runMain(main);
    } finally {
      spy.mockRestore();
      process.exitCode = undefined;
    }
    return text;
  }

  it('claims the previous output was kept only when synthToDirectory kept it', () => {
    const out = previousOutput();
    expect(stderrOf(() => synthToDirectory(failing, { outdir: out.dir }))).toMatch(/^Synth failed; the previous output in .*dist\/ was left untouched\.\n\[app\/chart\] Broken/);
  });

  it('says only "Synth failed." for anything else, e.g. a plain app.synth()', () => {
    expect(stderrOf(failing)).toBe('Synth failed.\n[app/chart] Broken on purpose. Fix the chart.\n');
  });
});
