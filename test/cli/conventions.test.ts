/**
 * kubectl's and npm's conventions, on the built binary: `--version`, "did you mean" for a mistyped
 * command, flag or format, `can-i -q`, `--no-headers`, and `-o yaml` wherever `-o json` exists.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse, parseAllDocuments } from 'yaml';
import { ROOT, runBuilt, SECRET_SA } from './cli';

const VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const SECRET = ['get', 'secrets/api-access-secret', '-n', 'dev', '-f', 'dist/'];

describe('version', () => {
  it.each([['--version'], ['version']])('%s prints the package version and the Kubernetes releases', (arg) => {
    const r = runBuilt([arg]);
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout.split('\n')[0]).toBe(`api-reader ${VERSION}`);
    expect(r.stdout).toMatch(/^Kubernetes releases: .*1\.35.* \(default 1\.\d+\)$/m);
  });

  it('version -o json and -o yaml give the same facts', () => {
    const json = JSON.parse(runBuilt(['version', '-o', 'json']).stdout) as { version: string; kubeVersions: string[] };
    expect(json.version).toBe(VERSION);
    expect(json.kubeVersions).toContain('1.35');
    expect(parse(runBuilt(['version', '-o', 'yaml']).stdout)).toEqual(json);
  });

  it('version --help and help version show its usage', () => {
    const r = runBuilt(['version', '--help']);
    expect([r.status, r.stdout.split('\n')[0]]).toEqual([0, 'Usage: api-reader version [-o json|yaml]   (or api-reader --version)']);
    expect(runBuilt(['help', 'version']).stdout).toBe(r.stdout);
  });

  it('the usage hint after an unknown command names every command, version included', () => {
    expect(runBuilt(['nope']).stderr.split('\n')[1]).toBe('Usage: api-reader COMMAND [flags]   (commands: can-i, who-can, matrix, graph, diff, escalations, audit, version)');
  });

  it('the top-level help lists it', () => {
    expect(runBuilt(['--help']).stdout).toMatch(/^ {2}version +the version of api-reader/m);
  });
});

describe('did you mean', () => {
  it.each([
    [['who-cna', 'get', 'pods'], 'unknown command "who-cna"; did you mean who-can?'],
    [['cani', 'get', 'pods'], 'unknown command "cani"; did you mean can-i?'],
    [['audit', '-', '--decison', 'allow'], 'unknown flag: --decison; did you mean --decision?'],
    [['can-i', 'get', 'pods', '--as', 'x', '--namspace', 'dev'], 'unknown flag: --namspace; did you mean --namespace?'],
    [['can-i', 'get', 'pods', '--as', 'x', '-explain'], 'unknown flag: -e; did you mean --explain?'],
    [['can-i', 'get', 'pods', '--as', 'x', '-o', 'yml'], '--output must be text, json or yaml, not "yml"; did you mean yaml?'],
  ])('%j', (args, message) => {
    const r = runBuilt(args);
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(`api-reader: error: ${message}`);
  });

  it('suggests nothing for a word that is not close to any', () => {
    const r = runBuilt(['frobnicate']);
    expect([r.status, r.stderr.split('\n')[0]]).toEqual([2, 'api-reader: error: unknown command "frobnicate".']);
  });
});

describe('can-i -q', () => {
  it.each([['-q'], ['--quiet']])('%s prints nothing and answers with the exit code', (q) => {
    expect(runBuilt(['can-i', ...SECRET, '--as', SECRET_SA, q])).toEqual({ stdout: '', stderr: '', status: 0 });
    expect(runBuilt(['can-i', ...SECRET, '--as', 'system:serviceaccount:dev:no-access-sa', q, '--explain'])).toEqual({ stdout: '', stderr: '', status: 1 });
  });
});

describe('--no-headers', () => {
  it('drops the heading row of who-can, and only that', () => {
    const full = runBuilt(['who-can', ...SECRET]).stdout.split('\n');
    expect(full[0]).toMatch(/^SUBJECT +KIND +BINDING +ROLE$/);
    const bare = runBuilt(['who-can', ...SECRET, '--no-headers']);
    expect(bare.status).toBe(0);
    expect(bare.stdout.split('\n')).toEqual(full.slice(1));
  });

  it.each([['table', []], ['summary', ['-o', 'summary']]])('drops the heading row of the audit %s', (_view, view) => {
    const args = ['audit', 'test/audit/fixtures/walkthrough.jsonl', ...view];
    const full = runBuilt(args).stdout.split('\n');
    expect(full[0]).toMatch(/^(TIME|USER) +/);
    expect(runBuilt([...args, '--no-headers']).stdout.split('\n')).toEqual(full.slice(1));
  });

  it('drops the heading row of can-i --list', () => {
    const full = runBuilt(['can-i', '--list', '-n', 'dev', '--as', SECRET_SA, '-f', 'dist/']).stdout.split('\n');
    expect(full[0]).toMatch(/^Resources +Non-Resource URLs/);
    expect(runBuilt(['can-i', '--list', '-n', 'dev', '--as', SECRET_SA, '-f', 'dist/', '--no-headers']).stdout.split('\n')).toEqual(full.slice(1));
  });
});

describe('-o yaml', () => {
  it.each([
    ['can-i', ['can-i', ...SECRET, '--as', SECRET_SA]],
    ['can-i --list', ['can-i', '--list', '-n', 'dev', '--as', SECRET_SA, '-f', 'dist/']],
    ['who-can', ['who-can', ...SECRET]],
    ['matrix', ['matrix', '-f', 'dist/', '--resources', 'secrets', '--verbs', 'get']],
    ['graph', ['graph', '-f', 'dist/']],
  ])('%s -o yaml is the -o json document as YAML', (_name, args) => {
    const json = runBuilt([...args, '-o', 'json']);
    const yaml = runBuilt([...args, '-o', 'yaml']);
    expect(yaml.status).toBe(json.status);
    expect(yaml.stdout).not.toMatch(/^\s*[{[]/);
    expect(parse(yaml.stdout)).toEqual(JSON.parse(json.stdout));
  });

  it.each([['on this thread', '0'], ['on worker threads', '2']])('audit -o yaml is one document per request, the fields of -o json (%s)', (_name, workers) => {
    const args = ['audit', 'test/audit/fixtures/walkthrough.jsonl', '--workers', workers];
    const json = runBuilt([...args, '-o', 'json']);
    const yaml = runBuilt([...args, '-o', 'yaml']);
    expect([yaml.status, yaml.stderr]).toEqual([0, '']);
    const lines = json.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.length).toBeGreaterThan(2);
    expect(parseAllDocuments(yaml.stdout).map((d) => d.toJS())).toEqual(lines);
    // Times are quoted, as kubectl quotes them, so a YAML 1.1 reader gets a string too.
    expect(yaml.stdout).toMatch(/^time: "2024-05-01T10:00:01\.000100Z"$/m);
  });

  it('writes lists as kubectl does, not indented under their key', () => {
    expect(runBuilt(['who-can', ...SECRET, '-o', 'yaml']).stdout).toMatch(/^subjects:\n- subject: /m);
  });
});

describe('-o wide', () => {
  it('who-can -o wide adds the rule that allows the request, in both sections', () => {
    const r = runBuilt(['who-can', 'get', 'secrets', '-n', 'dev', '-f', 'dist/', '-o', 'wide']);
    expect(r.status).toBe(0);
    const [main, named] = r.stdout.split('\n\n');
    expect(main.split('\n')[0]).toMatch(/^SUBJECT +KIND +BINDING +ROLE +RULE$/);
    expect(main).toMatch(/^system:masters +Group +ClusterRoleBinding "cluster-admin" +ClusterRole "cluster-admin" +\* \*\.\*$/m);
    expect(named).toMatch(/ServiceAccount +api-access-secret +RoleBinding "secret-access-rb\/dev" +ClusterRole "secret-access-cr" +get secrets \[api-access-secret\]$/m);
  });

  it('audit -o wide adds the user agent, audit ID and file:line of each request, the same on worker threads', () => {
    const args = ['audit', 'test/audit/fixtures/walkthrough.jsonl', '-o', 'wide'];
    const r = runBuilt([...args, '--workers', '0']);
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^TIME +USER +VERB +RESOURCE\/NAME +NAMESPACE +CODE +DECISION +REASON +USER-AGENT +AUDIT-ID +SOURCE$/);
    expect(lines[1]).toMatch(/ a1b2c3d4-0000-4000-8000-000000000001 +test\/audit\/fixtures\/walkthrough\.jsonl:1$/);
    expect(lines).toHaveLength(runBuilt(['audit', 'test/audit/fixtures/walkthrough.jsonl']).stdout.split('\n').length);
    expect(runBuilt([...args, '--workers', '2']).stdout).toBe(r.stdout);
  });

  it('is refused where a table has nothing more to show, naming the formats there are', () => {
    const r = runBuilt(['can-i', 'get', 'pods', '--as', 'alice', '-o', 'wide']);
    expect([r.status, r.stderr.split('\n')[0]]).toEqual([2, 'api-reader: error: --output must be text, json or yaml, not "wide".']);
  });
});
