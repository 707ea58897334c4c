/**
 * The import graph of lib/ follows ARCHITECTURE.md: data flows one way (constructs -> manifests ->
 * evaluator -> reports), the pure layers never load constructs or the CLI, and there are no cycles.
 */
import * as fs from 'fs';
import * as path from 'path';

const LIB = path.join(__dirname, '..', 'lib');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

function resolveImport(from: string, spec: string): string | undefined {
  const base = path.resolve(path.dirname(from), spec);
  return [`${base}.ts`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f));
}

/** lib-relative file -> lib-relative files it imports (relative imports only, type imports included). */
const GRAPH: ReadonlyMap<string, string[]> = new Map(sourceFiles(LIB).map((file) => {
  const text = fs.readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;'"]*?from\s*'(\.[^']+)'/g)].map((m) => m[1]);
  const targets = specs.map((s) => resolveImport(file, s)).filter((t): t is string => t !== undefined);
  return [path.relative(LIB, file), targets.map((t) => path.relative(LIB, t))];
}));

/** The layer of a lib-relative path. */
function layer(file: string): string {
  if (file.startsWith('..')) return 'outside';
  if (file === 'index.ts') return 'root barrel';
  const top = file.split(path.sep)[0];
  if (['rbac', 'audit', 'testing', 'cli', 'synth'].includes(top)) return top;
  return 'constructs';
}

const FORBIDDEN: ReadonlyArray<[string, string]> = [
  ['rbac', 'constructs'], ['rbac', 'cli'], ['rbac', 'audit'], ['rbac', 'testing'], ['rbac', 'synth'],
  ['audit', 'constructs'], ['audit', 'cli'], ['audit', 'testing'], ['audit', 'synth'],
  ['testing', 'constructs'], ['testing', 'cli'], ['testing', 'audit'], ['testing', 'synth'],
  ['constructs', 'cli'], ['constructs', 'synth'], ['constructs', 'audit'], ['constructs', 'testing'],
];

describe('lib/ import graph', () => {
  it('has files to check', () => {
    expect(GRAPH.size).toBeGreaterThan(50);
  });

  it.each(FORBIDDEN)('has no import from %s to %s', (from, to) => {
    const offending = [...GRAPH].flatMap(([file, targets]) =>
      layer(file) === from ? targets.filter((t) => layer(t) === to).map((t) => `${file} -> ${t}`) : []);
    expect(offending).toEqual([]);
  });

  it('has no import from inside lib/rbac or lib/audit of its own barrel (index.ts)', () => {
    const offending = [...GRAPH].flatMap(([file, targets]) =>
      targets.filter((t) => path.basename(t) === 'index.ts' && layer(t) === layer(file) && file !== t).map((t) => `${file} -> ${t}`));
    expect(offending.filter((o) => !o.startsWith('testing'))).toEqual([]);
  });

  it('has no cycles', () => {
    const state = new Map<string, 'visiting' | 'done'>();
    const cycles: string[] = [];
    const visit = (file: string, trail: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'visiting') {
        cycles.push([...trail.slice(trail.indexOf(file)), file].join(' -> '));
        return;
      }
      state.set(file, 'visiting');
      for (const t of GRAPH.get(file) ?? []) visit(t, [...trail, file]);
      state.set(file, 'done');
    };
    for (const file of GRAPH.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it('has barrels that export by name, never by wildcard (so nothing under private/ leaks out)', () => {
    const barrels = [...GRAPH.keys()].filter((f) => path.basename(f) === 'index.ts');
    const wildcard = barrels.filter((b) => /export \*/.test(fs.readFileSync(path.join(LIB, b), 'utf8')));
    expect(wildcard).toEqual([]);
  });
});
