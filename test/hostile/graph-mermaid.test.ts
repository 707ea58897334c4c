/**
 * Items 13 and 14 of issue 24: `api-reader graph` in Mermaid. Its rendering is linear in the size
 * of the graph (100,000 rules took 73.6 s when each class list was copied on every node; DOT took
 * 0.3 s), and a subject name holding HTML (`<img src=x onerror=...>`) cannot become markup where a
 * renderer allows HTML labels: `<`, `>` and `&` are written as Mermaid entity codes.
 */
import { renderMermaid } from '../../lib/cli/render/mermaid';
import { GraphNode, RbacGraph } from '../../lib/rbac/views/graph';
import { runInProcess } from '../cli/cli';

describe('item 14: HTML in a label', () => {
  const attack = '<img src=x onerror=alert(document.domain)>&amp;';

  it('is written as entity codes, never as markup', async () => {
    const manifest = JSON.stringify({
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'b' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: attack }],
    });
    const r = await runInProcess(['graph', '-f', '-', '-o', 'mermaid'], { stdin: manifest });
    expect([r.status, r.stderr]).toEqual([0, '']);
    const label = r.stdout.split('\n').find((l) => l.includes('img'));
    expect(label).toBe('  s1["User #quot;#60;img src=x onerror=alert(document.domain)#62;#38;amp;#quot;"]');
    // No label anywhere holds markup characters (the edges' `-->` are Mermaid syntax, not labels).
    expect(r.stdout.split('\n').filter((l) => /\[".*[<>&].*"\]/.test(l))).toEqual([]);
  });
});

/**
 * Counts the elements every array iteration (`for...of`, spread, destructuring) visits while `f`
 * runs: a count of work that does not depend on the machine's speed.
 */
function arrayElementsVisited<T>(f: () => T): { result: T; visited: number } {
  const original = Array.prototype[Symbol.iterator];
  let visited = 0;
  Array.prototype[Symbol.iterator] = function counted(this: unknown[]) {
    const it = original.call(this);
    return { next: () => { visited++; return it.next(); }, [Symbol.iterator]() { return this; } } as ArrayIterator<unknown>;
  };
  try {
    return { result: f(), visited };
  } finally {
    Array.prototype[Symbol.iterator] = original;
  }
}

describe('item 13: the Mermaid rendering is linear', () => {
  it('visits each node a bounded number of times, however many permissions one role has', () => {
    const n = 5_000;
    const nodes: GraphNode[] = [
      { id: 's1', kind: 'subject', label: 'User u', missing: false },
      { id: 'b1', kind: 'binding', label: 'ClusterRoleBinding b', missing: false },
      { id: 'r1', kind: 'role', label: 'ClusterRole r', missing: false },
      ...Array.from({ length: n }, (_, i): GraphNode => ({ id: `p${i + 1}`, kind: 'permission', label: `get secrets [s${i}]`, missing: false })),
    ];
    const graph: RbacGraph = {
      nodes,
      edges: [{ from: 's1', to: 'b1' }, { from: 'b1', to: 'r1' }, ...nodes.slice(3).map((p) => ({ from: 'r1', to: p.id }))],
    };
    const { result, visited } = arrayElementsVisited(() => renderMermaid(graph));
    // Copying the class's list for every node visits n*n/2 elements (12.5 million here).
    expect(visited).toBeLessThan(10 * (nodes.length + graph.edges.length));
    const classLine = result.split('\n').find((l) => l.endsWith(' permission'))!;
    expect(classLine.split(',')).toHaveLength(n);
  });
});
