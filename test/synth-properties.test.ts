import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { App } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { CredentialsChart, CredentialsSource, addTenants, synthToDirectory } from '../lib';
import { dns1123SubdomainProblems } from '../lib/private/names';
import { readTree } from './support/outdir';
import { restrictedProfileViolations } from './support/pod-security';

const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding']);
const label = fc.stringMatching(/^[a-z]([a-z0-9-]{0,18}[a-z0-9])?$/);
const secretValue = fc.stringMatching(/^[A-Za-z0-9+/=_-]{12,24}$/);

const config = fc.record({
  tenants: fc.uniqueArray(label, { minLength: 1, maxLength: 4 }),
  secretName: fc.option(fc.stringMatching(/^[a-z]([a-z0-9.-]{0,20}[a-z0-9])?$/).filter((n) => dns1123SubdomainProblems('n', n).length === 0), { nil: undefined }),
  username: secretValue,
  password: secretValue,
});
type Config = typeof config extends fc.Arbitrary<infer T> ? T : never;

function synth(c: Config): Record<string, string> {
  const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'prop-')), 'dist');
  synthToDirectory(
    (app: App) => {
      const charts = addTenants(app, c.tenants.map((name) => ({ name, secretName: c.secretName })));
      const source = CredentialsSource.fromEnvironment(undefined, { API_READER_USERNAME: c.username, API_READER_PASSWORD: c.password });
      new CredentialsChart(app, 'credentials', { secret: charts[0].secret, source, after: charts[charts.length - 1] });
    },
    { outdir },
  );
  return readTree(outdir);
}

// Bounded runs with a fixed seed: the same cases every time, reproducible from the seed.
const RUNS = { numRuns: 25, seed: 20261123 };

describe('synth properties over random valid configs', () => {
  test('output is deterministic byte for byte, parses as YAML and keeps every invariant', () => {
    fc.assert(
      fc.property(config, (c) => {
        const first = synth(c);
        expect(synth(c)).toEqual(first);
        for (const [file, text] of Object.entries(first)) {
          const docs = parseAllDocuments(text);
          for (const doc of docs) expect(doc.errors).toEqual([]);
          if (file.startsWith('audit/') || file === '.gitignore') continue;
          for (const object of docs.map((d) => d.toJS())) {
            expect(dns1123SubdomainProblems(`${object.kind} name`, object.metadata.name)).toEqual([]);
            if (CLUSTER_SCOPED.has(object.kind)) expect(object.metadata.namespace).toBeUndefined();
            if (object.kind === 'Pod') expect(restrictedProfileViolations(object.spec)).toEqual([]);
          }
        }
        return true;
      }),
      RUNS,
    );
  });

  test('no secret value from the input appears in plaintext anywhere in the output', () => {
    fc.assert(
      fc.property(config, (c) => {
        const everything = Object.values(synth(c)).join('\n');
        expect(everything).not.toContain(c.password);
        expect(everything).not.toContain(c.username);
        return true;
      }),
      RUNS,
    );
  });
});

describe('atomic output', () => {
  test('a synth killed midway leaves the previous output byte for byte', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kill-'));
    const outdir = path.join(root, 'dist');
    fs.mkdirSync(outdir);
    fs.writeFileSync(path.join(outdir, 'previous.k8s.yaml'), 'kind: Previous\n');
    const before = readTree(outdir);
    const script = path.join(root, 'stopped-synth.js');
    const lib = path.resolve(__dirname, '..', 'lib');
    // The child stops at a point the test knows: every new file staged, the swap not begun. It
    // says so on stdout and blocks until it is killed, so the kill lands there on any machine.
    fs.writeFileSync(
      script,
      `require(${JSON.stringify(path.resolve(__dirname, '..', 'scripts', 'register-ts.js'))});
       const fs = require('fs');
       const { synthTestHooks } = require(${JSON.stringify(path.join(lib, 'synth', 'private', 'test-hooks'))});
       synthTestHooks.staged = (dir) => {
         fs.writeSync(1, 'staged ' + JSON.stringify(dir) + '\\n');
         Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
       };
       const { synthToDirectory, addTenants } = require(${JSON.stringify(lib)});
       const tenants = Array.from({ length: 3 }, (_, i) => ({ name: 't' + i }));
       synthToDirectory((app) => addTenants(app, tenants), { outdir: ${JSON.stringify(outdir)} });`,
    );
    const child = spawn(process.execPath, [script], { cwd: path.resolve(__dirname, '..'), stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const staging = await new Promise<string | undefined>((resolve) => {
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        const line = /^staged (.*)$/m.exec(out);
        if (line) resolve(JSON.parse(line[1]) as string);
      });
      child.once('exit', () => resolve(undefined));
    });
    try {
      expect(staging ?? 'the synth finished without stopping at the staged point').toMatch(/\.dist\.staging-/);
      expect(Object.keys(readTree(staging!)).filter((f) => f.endsWith('.k8s.yaml'))).toHaveLength(3);
    } finally {
      child.kill('SIGKILL'); // it blocks until killed: never leave it behind
      await exited;
    }
    expect(readTree(outdir)).toEqual(before);
  });
});
