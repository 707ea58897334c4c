import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadDirectory, loadFile, loadPaths, ManifestLoadError, mergeLoadResults, parseManifests } from '../../lib/rbac';

const FIXTURES = path.join(__dirname, 'fixtures');

function tempFile(name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rbac-load-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

const names = (r: ReturnType<typeof parseManifests>) => r.objects.map((o) => `${o.object.kind}/${o.object.metadata?.name}`);

describe('parseManifests', () => {
  it('reads every document of a multi-document YAML, skipping empty ones', () => {
    const r = parseManifests([
      'kind: ClusterRole', 'apiVersion: rbac.authorization.k8s.io/v1', 'metadata: {name: a}',
      '---', '---', '# only a comment', '---',
      'kind: Role', 'apiVersion: rbac.authorization.k8s.io/v1', 'metadata: {name: b, namespace: dev}',
    ].join('\n'), 'm.yaml');
    expect(names(r)).toEqual(['ClusterRole/a', 'Role/b']);
    expect(r.objects.map((o) => o.source)).toEqual([{ file: 'm.yaml', line: 1 }, { file: 'm.yaml', line: 8 }]);
  });

  it('reads JSON text', () => {
    const r = parseManifests('{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"j"}}', 'x.json');
    expect(names(r)).toEqual(['ClusterRole/j']);
  });

  it('reads a JSON array of objects', () => {
    const r = parseManifests('[{"kind":"ServiceAccount","apiVersion":"v1","metadata":{"name":"a","namespace":"d"}}]');
    expect(names(r)).toEqual(['ServiceAccount/a']);
  });

  it('flattens a List and records each item\'s line', () => {
    const r = parseManifests([
      'apiVersion: v1', 'kind: List', 'items:',
      '- apiVersion: v1', '  kind: ServiceAccount', '  metadata: {name: a, namespace: d}',
      '- apiVersion: v1', '  kind: ConfigMap', '  metadata: {name: c}',
      '- apiVersion: v1', '  kind: ServiceAccount', '  metadata: {name: b, namespace: d}',
    ].join('\n'), 'list.yaml');
    expect(names(r)).toEqual(['ServiceAccount/a', 'ServiceAccount/b']);
    expect(r.objects.map((o) => o.source.line)).toEqual([4, 10]);
    expect(r.ignored).toEqual({ ConfigMap: 1 });
  });

  it('gives items of a typed list (ClusterRoleList) their kind', () => {
    const r = parseManifests('apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleList\nitems:\n- metadata: {name: x}\n  rules: []\n');
    expect(names(r)).toEqual(['ClusterRole/x']);
  });

  it('counts unknown kinds and objects that are not Kubernetes objects', () => {
    const r = parseManifests([
      'kind: Pod', 'apiVersion: v1', 'metadata: {name: p}', '---',
      'kind: Pod', 'apiVersion: v1', 'metadata: {name: q}', '---',
      'just a string', '---',
      'metadata: {name: no-kind}', '---',
      'kind: Role', 'apiVersion: example.com/v1', 'metadata: {name: not-rbac}',
    ].join('\n'));
    expect(r.objects).toHaveLength(0);
    expect(r.ignored).toEqual({ 'Pod': 2, '(not an object)': 1, '(no kind)': 1, 'example.com/v1/Role': 1 });
  });

  it.each<[string, string, RegExp]>([
    ['an unclosed flow sequence', 'kind: Role\nmetadata:\n  name: [a, b\n', /^bad\.yaml:\d+:\d+: invalid YAML: /],
    ['a bad indentation on line 3', 'kind: Role\nmetadata:\n name: a\n  namespace: b\n', /^bad\.yaml:\d+:\d+: invalid YAML/],
    ['a nested mapping in a plain value on line 3', 'kind: Role\nmetadata:\n  name: a: b\n', /^bad\.yaml:3:\d+: invalid YAML: .*template/],
  ])('reports %s with file:line', (_name, text, message) => {
    expect(() => parseManifests(text, 'bad.yaml')).toThrow(ManifestLoadError);
    expect(() => parseManifests(text, 'bad.yaml')).toThrow(message);
  });

  it('reads a duplicated key with the last value winning, as kubectl and the API server do, and warns with its line', () => {
    const r = parseManifests('apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n  labels:\n    app: one\n    app: two\n', 'dup.yaml');
    expect(r.objects.map((o) => o.object.metadata?.labels)).toEqual([{ app: 'two' }]);
    expect(r.warnings).toEqual(['dup.yaml:7: a mapping has a duplicated key; kubectl and the API server keep its last value, and so does this reading. Remove the duplicate.']);
  });

  it('warns for a duplicated key in a document the full parser reads (one with aliases), with its line', () => {
    const r = parseManifests('kind: ServiceAccount\nmetadata:\n  name: &n a\n  namespace: *n\n  labels:\n    app: one\n    app: two\n', 'alias.yaml');
    expect(r.objects.map((o) => o.object.metadata?.labels)).toEqual([{ app: 'two' }]);
    expect(r.warnings).toEqual([expect.stringMatching(/^alias\.yaml:7: a mapping has a duplicated key/)]);
  });

  it('with keepGoing, reads on past every document that cannot be parsed and returns each error with its line', () => {
    const text = 'kind: Role\nmetadata: {name: [x\n---\nkind: ServiceAccount\nmetadata: {name: ok, namespace: d}\n---\nkind: Role\nmetadata: {name: [y\n';
    expect(() => parseManifests(text, 'two.yaml')).toThrow(/^two\.yaml:3:/);
    const r = parseManifests(text, 'two.yaml', undefined, { keepGoing: true });
    expect(r.objects.map((o) => o.object.metadata?.name)).toEqual(['ok']);
    expect(r.errors?.map((e) => `${e.source}:${e.line}`)).toEqual(['two.yaml:3', 'two.yaml:9']);
  });

  it('reports the line of a YAML error in a later document', () => {
    const text = 'kind: ServiceAccount\nmetadata: {name: a}\n---\nkind: Role\nmetadata: {name: [x\n';
    try {
      parseManifests(text, 'later.yaml');
      throw new Error('expected an error');
    } catch (e) {
      expect(e).toBeInstanceOf(ManifestLoadError);
      expect((e as ManifestLoadError).line).toBeGreaterThanOrEqual(5);
      expect((e as ManifestLoadError).message).toMatch(/^later\.yaml:\d+:\d+: invalid YAML/);
    }
  });

  it('reports invalid JSON with file:line:column', () => {
    expect(() => parseManifests('{\n  "kind": "Role",\n  "metadata": {"name": }\n}', 'bad.json', 'json'))
      .toThrow(/^bad\.json:3:\d+: invalid JSON: /);
  });
});

describe('loading files and directories', () => {
  it('reads a directory recursively in sorted order, YAML and JSON, skipping other extensions and hidden directories', () => {
    const r = loadDirectory(path.join(FIXTURES, 'loader'));
    expect(names(r)).toEqual(['ClusterRoleBinding/deep-crb', 'ClusterRole/from-typed-list', 'ClusterRole/from-typed-list-2', 'ClusterRole/top-cr']);
    expect(r.files.map((f) => path.relative(FIXTURES, f))).toEqual([
      path.join('loader', 'nested', 'deeper', 'binding.json'),
      path.join('loader', 'nested', 'list.yml'),
      path.join('loader', 'top.yaml'),
    ]);
    expect(r.ignored).toEqual({ ConfigMap: 1 });
  });

  it('skips node_modules and dot-directories while walking, so a cdk8s app directory reads as its manifests', () => {
    const app = fs.mkdtempSync(path.join(os.tmpdir(), 'rbac-load-app-'));
    const write = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(app, rel)), { recursive: true });
      fs.writeFileSync(path.join(app, rel), text);
    };
    const role = (name: string) => `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: ${name}\nrules: []\n`;
    write('dist/app.k8s.yaml', role('from-dist'));
    write('node_modules/async-function/tsconfig.json', '{ "compilerOptions": { /* not JSON */ } }');
    write('node_modules/some-chart/role.yaml', role('from-node-modules'));
    write('lib/node_modules/nested/role.yaml', role('from-nested-node-modules'));
    write('.cdk8s.out/app.k8s.yaml', role('from-dot-directory'));
    expect(names(loadDirectory(app))).toEqual(['ClusterRole/from-dist']);
    // A path named explicitly is read, even inside node_modules.
    expect(names(loadPaths([path.join(app, 'node_modules', 'some-chart')]))).toEqual(['ClusterRole/from-node-modules']);
  });

  it('reads a single file with its path in each source', () => {
    const file = path.join(FIXTURES, 'loader', 'top.yaml');
    const r = loadFile(file);
    expect(r.objects[0].source).toEqual({ file, line: 2 });
  });

  it('reads several paths in the order given', () => {
    const r = loadPaths([path.join(FIXTURES, 'demo-sa'), path.join(FIXTURES, 'log-exporter', 'log-exporter.yaml')]);
    expect(names(r)).toEqual([
      'ServiceAccount/demo-sa', 'Role/list-pods', 'RoleBinding/list-pods_demo-sa',
      'ServiceAccount/log-exporter-sa', 'ClusterRole/log-exporter-cr', 'ClusterRoleBinding/log-exporter-rb',
    ]);
  });

  it('names the file and line of unparseable YAML in a directory', () => {
    const file = tempFile('broken.yaml', 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: [oops\n');
    expect(() => loadDirectory(path.dirname(file))).toThrow(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: invalid YAML`));
  });

  it('says a missing path does not exist', () => {
    expect(() => loadPaths(['/nonexistent/manifests'])).toThrow('/nonexistent/manifests: no such file or directory; pass a manifest file or a directory of them.');
  });

  it('merges results, summing ignored counts', () => {
    const a = parseManifests('kind: Pod\nmetadata: {name: a}\n', 'a');
    const b = parseManifests('kind: Pod\nmetadata: {name: b}\n---\nkind: ServiceAccount\nmetadata: {name: s, namespace: d}\n', 'b');
    const m = mergeLoadResults([a, b]);
    expect(m.ignored).toEqual({ Pod: 2 });
    expect(m.files).toEqual(['a', 'b']);
    expect(names(m)).toEqual(['ServiceAccount/s']);
  });
});
