/**
 * A large List is parsed a batch of items at a time (yaml-list-batches.ts): the objects, their lines
 * and the errors must be exactly those of parsing the document whole.
 */
import { load } from 'js-yaml';
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import { ManifestLoadError, parseManifests } from '../../lib/rbac';
import { listItems, splitYamlDocuments } from '../../lib/rbac/yaml-chunks';
import { LIST_BATCH, loadListInBatches } from '../../lib/rbac/yaml-list-batches';

/** One List item: a ServiceAccount or a ClusterRole (with nested sequences), indented by `indent`. */
function item(i: number, indent = ''): string {
  const lines = i % 2 === 0
    ? ['- apiVersion: v1', '  kind: ServiceAccount', '  metadata:', `    name: sa-${i}`, '    namespace: dev']
    : ['- apiVersion: rbac.authorization.k8s.io/v1', '  kind: ClusterRole', '  metadata:', `    name: cr-${i}`, '    labels: {a: "1"}', '  rules:', '  - apiGroups: [""]', '    resources:', '    - pods', '    verbs: [get]'];
  return lines.map((l) => indent + l).join('\n');
}

function list(count: number, options: { indent?: string; between?: (i: number) => string; itemOf?: (i: number) => string } = {}): string {
  const items = Array.from({ length: count }, (_, i) => `${options.between?.(i) ?? ''}${options.itemOf?.(i) ?? item(i, options.indent)}`);
  return `apiVersion: v1\nitems:\n${items.join('\n')}\nkind: List\nmetadata:\n  resourceVersion: ""\n`;
}

/** The items as a parse of the whole document gives them, with their lines from the `yaml` parser's positions. */
function whole(text: string): { objects: unknown[]; lines: number[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const items = isMap(doc.contents) ? doc.contents.get('items', true) : undefined;
  if (!isSeq(items)) throw new Error('not a list');
  return {
    objects: (load(text) as { items: unknown[] }).items,
    lines: items.items.map((n) => lineCounter.linePos((n as { range: number[] }).range[0]).line),
  };
}

function read(text: string): { objects: unknown[]; lines: number[] } {
  const r = parseManifests(text, 'big.yaml');
  return { objects: r.objects.map((o) => o.object), lines: r.objects.map((o) => o.source.line) };
}

describe('a List of more than a batch of items reads as parsed whole', () => {
  it.each<[string, string]>([
    ['several batches, the last one short', list(3 * LIST_BATCH + 7)],
    ['items indented under items:', list(2 * LIST_BATCH + 1, { indent: '  ' })],
    ['comments and blank lines between items', list(2 * LIST_BATCH + 3, { between: (i) => (i % 7 === 0 ? '\n# item\n\n' : '') })],
    ['CRLF line ends', list(LIST_BATCH + 2).replace(/\n/g, '\r\n')],
    ['block and multi-line scalars with "- " lines inside items', list(LIST_BATCH + 5, {
      itemOf: (i) => `${item(i)}\n  description: |\n    - not an item\n    - nor this\n  note: "one\n    - two"`,
    })],
    ['a document marker and a comment before the List', `# dump\n---\n${list(LIST_BATCH + 1)}`],
  ])('%s', (_name, text) => {
    expect(read(text)).toEqual(whole(text));
  });

  it('is parsed in batches (the document without its items, then each batch)', () => {
    const text = list(2 * LIST_BATCH + 1);
    const chunk = splitYamlDocuments(text)![0];
    const texts: string[] = [];
    const value = loadListInBatches(chunk, listItems(chunk)!, (t) => {
      texts.push(t);
      return load(t);
    });
    expect(texts).toHaveLength(1 + 3);
    expect(texts[0]).toBe('apiVersion: v1\nitems:\nkind: List\nmetadata:\n  resourceVersion: ""\n');
    expect(value).toEqual(load(text));
    expect(Object.keys(value!)).toEqual(['apiVersion', 'items', 'kind', 'metadata']);
  });

  it('leaves a List of no more than a batch to the whole-document parse', () => {
    const chunk = splitYamlDocuments(list(LIST_BATCH))![0];
    expect(loadListInBatches(chunk, listItems(chunk)!, () => {
      throw new Error('not called');
    })).toBeUndefined();
  });
});

describe('what a batch cannot take falls back to the whole document, with its answers and errors', () => {
  it('an alias to an anchor in an earlier batch', () => {
    const text = list(2 * LIST_BATCH, { itemOf: (i) => (i === 0 ? `${item(i)}\n  x: &shared {a: 1}` : i === LIST_BATCH + 1 ? `${item(i)}\n  x: *shared` : item(i)) });
    const chunk = splitYamlDocuments(text)![0];
    expect(loadListInBatches(chunk, listItems(chunk)!, (t) => load(t, { maxAliases: 0 }))).toBeUndefined();
    const objects = read(text).objects as Array<{ x?: unknown }>;
    expect(objects).toHaveLength(2 * LIST_BATCH);
    expect(objects[LIST_BATCH + 1].x).toEqual({ a: 1 });
  });

  it('a syntax error in a late item keeps its line', () => {
    const text = list(2 * LIST_BATCH, { itemOf: (i) => (i === 80 ? item(i).replace('name: sa-80', 'name: [sa-80') : item(i)) });
    const line = text.split('\n').indexOf('    name: [sa-80') + 2; // the line after the unclosed flow sequence
    expect(() => parseManifests(text, 'big.yaml')).toThrow(ManifestLoadError);
    expect(() => parseManifests(text, 'big.yaml')).toThrow(new RegExp(`^big\\.yaml:${line}:\\d+: invalid YAML: `));
  });

  it('a second items key (the last one wins, as for kubectl, with a warning)', () => {
    const text = `${list(LIST_BATCH + 1)}items: []\n`;
    const r = parseManifests(text, 'big.yaml');
    expect(r.objects).toEqual([]);
    expect(r.warnings).toEqual([expect.stringMatching(/^big\.yaml:\d+: a mapping has a duplicated key/)]);
  });

  it('an items key inside a root block scalar is text, not a List', () => {
    const text = `--- |\n${list(LIST_BATCH + 1)}`;
    expect(parseManifests(text, 'big.yaml').ignored).toEqual({ '(not an object)': 1 });
  });
});
