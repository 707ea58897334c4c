/**
 * The fast YAML path of the loader (js-yaml per document, lines from scanning the text) and its
 * bounds: errors keep their file:line, lines of objects and list items agree with the full parser
 * (`yaml`, with positions), JSON lists are read as JSON, and what is not a regular file or is over
 * the size limit is refused before it is read.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LineCounter, parseAllDocuments, isMap, isSeq } from 'yaml';
import { loadFile, loadPaths, ManifestLoadError, parseManifests } from '../../lib/rbac';
import { runInProcess } from '../cli/cli';

function tempFile(name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rbac-fast-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

const role = (name: string) => ['apiVersion: rbac.authorization.k8s.io/v1', 'kind: ClusterRole', `metadata:\n  name: ${name}`, 'rules:\n- apiGroups: [""]\n  resources: [pods]\n  verbs: [get]'].join('\n');

/** The line of every top-level document and list item, as the positions of the `yaml` parser give them. */
function referenceLines(text: string): number[] {
  const lineCounter = new LineCounter();
  const lines: number[] = [];
  for (const doc of parseAllDocuments(text, { lineCounter })) {
    const contents = doc.contents;
    if (!contents || doc.toJS() === null) continue; // an empty document
    const items = isMap(contents) ? contents.get('items', true) : undefined;
    if (isSeq(items)) for (const item of items.items) lines.push(lineCounter.linePos((item as { range: number[] }).range[0]).line);
    else lines.push(lineCounter.linePos(contents.range![0]).line);
  }
  return lines;
}

describe('fast path: lines agree with the full parser', () => {
  it.each<[string, string]>([
    ['documents with comments, blank lines and empty documents',
      `# header\n\n${role('a')}\n---\n---\n# only a comment\n---\n\n  # indented comment\n${role('b')}\n--- # trailing comment\n${role('c')}\n`],
    ['a document on the --- line', `--- {apiVersion: v1, kind: ServiceAccount, metadata: {name: s, namespace: d}}\n---\n${role('d')}\n`],
    ['a kubectl -o yaml List, with nested sequences and a key after the items',
      `apiVersion: v1\nitems:\n${[role('x'), role('y'), role('z')].map((r) => r.replace(/^/gm, '  ').replace(/^ {2}/, '- ')).join('\n')}\nkind: List\nmetadata:\n  resourceVersion: ""\n`],
    ['an indented List and a --- inside a block scalar is a new document',
      `kind: List\napiVersion: v1\nitems:\n  - apiVersion: v1\n    kind: ServiceAccount\n    metadata: {name: a, namespace: d}\n\n  # between items\n  - apiVersion: v1\n    kind: ServiceAccount\n    metadata: {name: b, namespace: d}\n---\n${role('e')}\n`],
  ])('%s', (_name, text) => {
    expect(parseManifests(text, 'f.yaml').objects.map((o) => o.source.line)).toEqual(referenceLines(text));
  });

  it('places List items written as a flow sequence (falling back to the parser with positions)', () => {
    const text = 'apiVersion: v1\nkind: List\nitems: [\n  {apiVersion: v1, kind: ServiceAccount, metadata: {name: a, namespace: d}},\n  {apiVersion: v1, kind: ServiceAccount, metadata: {name: b, namespace: d}}]\n';
    expect(parseManifests(text, 'f.yaml').objects.map((o) => o.source.line)).toEqual([4, 5]);
  });
});

describe('fast path: errors keep file:line', () => {
  it('reports a syntax error in the 4th of 6 documents where the full parser puts it', () => {
    const docs = [role('a'), role('b'), role('c'), role('d').replace('  name: d', '  name: [d'), role('e'), role('f')];
    const text = docs.join('\n---\n');
    const lineCounter = new LineCounter();
    const error = parseAllDocuments(text, { lineCounter }).flatMap((d) => d.errors)[0];
    const { line, col } = lineCounter.linePos(error.pos[0]);
    expect(line).toBe(32); // the line after `name: [d`, in the 4th document (lines 28-35)
    const file = tempFile('six.yaml', text);
    expect(() => loadFile(file)).toThrow(new RegExp(`^${file.replace(/[.]/g, '\\.')}:${line}:${col}: invalid YAML: Flow sequence`));
  });

  it('reads a duplicate key in a later document with the last value winning, warning at its line', () => {
    const text = `${role('a')}\n---\nkind: Role\nkind: ClusterRole\n`;
    const r = parseManifests(text, 'dup.yaml');
    expect(r.objects[1].object.kind).toBe('ClusterRole');
    expect(r.warnings).toEqual([expect.stringMatching(/^dup\.yaml:11: a mapping has a duplicated key/)]);
  });

  it('names the file and the document of an alias bomb in the 3rd document', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++) levels.push(`l${i}: &l${i} [${Array(10).fill(i === 1 ? '*a' : `*l${i - 1}`).join(', ')}]`);
    const text = `${role('a')}\n---\n${role('b')}\n---\n${levels.join('\n')}\n`;
    const file = tempFile('bomb.yaml', text);
    expect(() => loadFile(file)).toThrow(ManifestLoadError);
    expect(() => loadFile(file)).toThrow(new RegExp(`^${file.replace(/[.]/g, '\\.')}:19: cannot expand the YAML`));
  });

  it('still reads a document with a few anchors and aliases', () => {
    const text = `${role('a')}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: b}\nrules:\n- &r {apiGroups: [""], resources: [pods], verbs: [get]}\n- *r\n`;
    const r = parseManifests(text, 'anchors.yaml');
    expect(r.objects.map((o) => [o.object.metadata?.name, o.source.line])).toEqual([['a', 1], ['b', 10]]);
    expect((r.objects[1].object as { rules: unknown[] }).rules).toHaveLength(2);
  });
});

describe('JSON input', () => {
  const list = JSON.stringify({
    apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' },
    items: [
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'j1' }, rules: [] },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'j2' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'j1' }, subjects: [{ kind: 'User', name: 'u' }] },
    ],
  }, null, 4);

  it.each(['dump.json', 'dump.yaml', 'dump.txt'])('reads kubectl -o json (a List with items) from %s', (name) => {
    const r = loadFile(tempFile(name, list));
    expect(r.objects.map((o) => `${o.object.kind}/${o.object.metadata?.name}`)).toEqual(['ClusterRole/j1', 'ClusterRoleBinding/j2']);
    expect(r.ignored).toEqual({ ConfigMap: 1 });
  });

  it('reads it from stdin in the CLI', async () => {
    const cli = await runInProcess(['can-i', 'get', 'pods', '--as', 'u', '--no-bootstrap', '-f', '-'], { stdin: list });
    expect(cli.stderr).toBe('');
    expect(cli.status).toBe(1);
  });
});

describe('bounds: what is not a regular file, or is too large, is refused before reading', () => {
  it('refuses /dev/zero as a file, naming it', async () => {
    expect(() => loadFile('/dev/zero')).toThrow('/dev/zero: is not a regular file (a device, FIFO or socket); save the manifests to a file, or pipe them to -f - .');
    expect(() => loadPaths(['/dev/zero'])).toThrow(/^\/dev\/zero: is not a regular file/);
    const cli = await runInProcess(['who-can', 'get', 'secrets', '-f', '/dev/zero']);
    expect(cli.status).toBe(2);
    expect(cli.stderr).toBe('api-reader: error: /dev/zero: is not a regular file (a device, FIFO or socket); save the manifests to a file, or pipe them to -f - .\n');
  });

  it('refuses a directory given as a file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rbac-fast-dir-'));
    expect(() => loadFile(dir)).toThrow(`${dir}: is a directory, not a manifest file; read it as a directory (loadDirectory, loadPaths or -f DIR).`);
  });

  it('refuses a file over the size limit, in the library and the CLI, and reads it under a raised one', async () => {
    const file = tempFile('big.yaml', role('big'));
    const size = fs.statSync(file).size;
    expect(() => loadFile(file, { maxBytes: size - 1 })).toThrow(`${file}: is ${size} bytes, over the limit of ${size - 1} bytes; split it, or raise the limit (--max-manifest-bytes, LoadOptions.maxBytes).`);
    expect(() => loadPaths([path.dirname(file)], { maxBytes: size - 1 })).toThrow(/is \d+ bytes, over the limit/);
    expect(loadFile(file, { maxBytes: size }).objects).toHaveLength(1);
    const refused = await runInProcess(['who-can', 'get', 'pods', '-f', file, '--max-manifest-bytes', String(size - 1)]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/^api-reader: error: .*big\.yaml: is \d+ bytes, over the limit of \d+ bytes; split it, or raise the limit/);
    const raised = await runInProcess(['who-can', 'get', 'pods', '-f', file, '--max-manifest-bytes', '1Ki']);
    expect(raised.status).toBe(0);
  });

  it('refuses stdin over the size limit', async () => {
    const cli = await runInProcess(['who-can', 'get', 'pods', '-f', '-', '--max-manifest-bytes', '10'], { stdin: role('s') });
    expect(cli.status).toBe(2);
    expect(cli.stderr).toBe('api-reader: error: <stdin>: is over the limit of 10 bytes; save it to files of at most that size, or raise the limit (--max-manifest-bytes).\n');
  });

  it('refuses a malformed --max-manifest-bytes', async () => {
    const cli = await runInProcess(['who-can', 'get', 'pods', '--max-manifest-bytes', '1GB']);
    expect(cli.status).toBe(2);
    expect(cli.stderr).toMatch(/^api-reader: error: --max-manifest-bytes must be a positive size such as 268435456 or 256Mi, not "1GB"\./);
  });
});
