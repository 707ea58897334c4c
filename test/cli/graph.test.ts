import { fixture, runBuilt, runInProcess } from './cli';

describe('api-reader graph', () => {
  it('draws subjects -> bindings -> roles -> permissions in Mermaid (built binary)', () => {
    const r = runBuilt(['graph', '-f', 'dist/', '-o', 'mermaid']);
    expect([r.status, r.stderr]).toEqual([0, '']);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('flowchart LR');
    expect(lines).toEqual(expect.arrayContaining([
      '  s2["ServiceAccount #quot;secret-access-sa/dev#quot;"]',
      '  b2["RoleBinding #quot;secret-access-rb/dev#quot;"]',
      '  r2["ClusterRole #quot;secret-access-cr#quot;"]',
      '  p2["get secrets [api-access-secret]"]',
      '  s2 --> b2', '  b2 --> r2', '  r2 --> p2',
      '  p1["(no rules)"]',
    ]));
    expect(r.stdout).toMatchSnapshot();
  });

  it('draws the same picture in DOT', async () => {
    const r = await runInProcess(['graph', '-f', 'dist/', '-o', 'dot']);
    expect(r.stdout).toMatch(/^digraph rbac \{\n {2}rankdir=LR;\n/);
    expect(r.stdout).toContain('  s2 [label="ServiceAccount \\"secret-access-sa/dev\\"", shape=ellipse');
    expect(r.stdout).toContain('  s2 -> b2;\n  b1 -> r1;\n  b2 -> r2;\n  r1 -> p1;\n  r2 -> p2;\n}\n');
    expect(r.stdout).toMatchSnapshot();
  });

  it('is deterministic', async () => {
    const args = ['graph', '-f', fixture('team'), '-f', 'dist/', '-o', 'dot'];
    expect((await runInProcess(args)).stdout).toBe((await runInProcess(args)).stdout);
  });

  it('leaves out the bootstrap bindings but draws bootstrap roles, and marks a missing role', async () => {
    const json = JSON.parse((await runInProcess(['graph', '-f', fixture('team'), '-o', 'json'])).stdout);
    const labels = json.nodes.map((n: { label: string }) => n.label);
    expect(labels).not.toContain('ClusterRoleBinding "cluster-admin"');
    expect(json.nodes).toContainEqual({ id: 'r1', kind: 'role', label: 'ClusterRole "deployment-manager"', missing: false });
    expect(json.nodes).toContainEqual({ id: 'r2', kind: 'role', label: 'ClusterRole "does-not-exist" (not found)', missing: true });
    expect(labels).toEqual(expect.arrayContaining(['get,list,watch pods, pods/log', 'get,list,create,update,patch deployments.apps']));
  });

  it('puts a missing role in the "missing" class in Mermaid', async () => {
    expect((await runInProcess(['graph', '-f', fixture('team')])).stdout).toContain('  class r2 missing\n');
  });

  it('still takes the deprecated --format, with a warning, and the same picture', async () => {
    for (const format of ['mermaid', 'dot']) {
      const old = await runInProcess(['graph', '-f', 'dist/', '--format', format]);
      expect(old.status).toBe(0);
      expect(old.stderr).toBe('api-reader: warning: --format is deprecated: use -o mermaid or -o dot (-o json and -o yaml give the nodes and edges).\n');
      expect(old.stdout).toBe((await runInProcess(['graph', '-f', 'dist/', '-o', format])).stdout);
    }
  });

  it('refuses --format beside -o, and a format it does not draw', async () => {
    expect((await runInProcess(['graph', '-f', 'dist/', '--format', 'dot', '-o', 'mermaid'])).status).toBe(2);
    const r = await runInProcess(['graph', '-f', 'dist/', '-o', 'svg']);
    expect([r.status, r.stderr.split('\n')[0]]).toEqual([2, 'api-reader: error: --output must be mermaid, dot, json or yaml, not "svg".']);
  });
});
