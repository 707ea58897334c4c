/**
 * The GitHub Actions job in the README runs these exact `api-reader diff` lines: this test takes
 * them from the README and runs them (the built CLI for `npx api-reader`) in a scratch git
 * repository whose pull request adds a risky binding, so the documented job cannot rot.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { assertBuilt, MAIN, ROOT } from './cli';

function workflowRunLines(): string[] {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const block = /```yaml\nname: rbac-diff\n([\s\S]*?)```/.exec(readme);
  if (!block) throw new Error('README has no ```yaml block starting "name: rbac-diff"');
  return block[1].split('\n').map((l) => /^\s*- run: (.*)$/.exec(l)?.[1]).filter((l): l is string => l !== undefined && l !== 'npm ci');
}

function sh(command: string, cwd: string, env: Record<string, string> = {}) {
  return spawnSync('bash', ['-c', command], { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
}

const RISKY_BINDING = `---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: debug-exec
  namespace: dev
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: edit
subjects:
  - kind: ServiceAccount
    name: no-access-sa
    namespace: dev
`;

describe('the README pull-request job', () => {
  let repo: string;
  beforeAll(() => {
    assertBuilt();
    repo = fs.mkdtempSync(path.join(os.tmpdir(), 'i25-diff-workflow-'));
    fs.mkdirSync(path.join(repo, 'dist'));
    fs.copyFileSync(path.join(ROOT, 'dist/api-reader.k8s.yaml'), path.join(repo, 'dist/api-reader.k8s.yaml'));
    const git = (args: string) => {
      const r = sh(`git -c user.name=t -c user.email=t@example.invalid ${args}`, repo);
      if (r.status !== 0) throw new Error(r.stderr);
    };
    git('init -q -b main');
    git('add -A');
    git('commit -qm base');
    git('update-ref refs/remotes/origin/main HEAD');
    git('checkout -q -b pr');
    fs.appendFileSync(path.join(repo, 'dist/api-reader.k8s.yaml'), RISKY_BINDING);
    git('commit -qam "debug access"');
  });
  afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));

  it('has the three api-reader lines: markdown, sarif, --fail-on', () => {
    expect(workflowRunLines().filter((l) => l.includes('api-reader diff'))).toHaveLength(3);
  });

  it('reads a path that is new in the pull request as all gained, and says so', () => {
    fs.mkdirSync(path.join(repo, 'new-app'));
    fs.writeFileSync(path.join(repo, 'new-app/rbac.yaml'), RISKY_BINDING.replace('no-access-sa', 'new-sa'));
    const r = sh(`"${process.execPath}" "${MAIN}" diff --base-ref main new-app/`, repo);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('ServiceAccount dev/new-sa (new)');
    expect(r.stderr).toContain('new-app/ is not in main: everything it grants counts as gained.');
  });

  it('runs each line as GitHub Actions would: the comment, the SARIF file, and a failing step for a high risk', () => {
    const summary = path.join(repo, 'summary.md');
    const results = workflowRunLines().map((line) => {
      const r = sh(line.replace(/npx api-reader/g, `"${process.execPath}" "${MAIN}"`), repo, { GITHUB_BASE_REF: 'main', GITHUB_STEP_SUMMARY: summary });
      return { line, status: r.status, stderr: r.stderr };
    });
    expect(results.map((r) => [r.line, r.status])).toEqual(results.map((r) => [r.line, r.line.includes('--fail-on high') ? 1 : 0]));
    const markdown = fs.readFileSync(path.join(repo, 'rbac-diff.md'), 'utf8');
    expect(markdown).toContain('| ServiceAccount dev/no-access-sa | ');
    expect(fs.readFileSync(summary, 'utf8')).toBe(markdown);
    const sarif = JSON.parse(fs.readFileSync(path.join(repo, 'rbac-diff.sarif'), 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    const located = sarif.runs[0].results.map((r: { locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }) => r.locations[0].physicalLocation);
    // The new binding's first line (`apiVersion:`, three lines above its name): where the new access is granted.
    const lines = fs.readFileSync(path.join(repo, 'dist/api-reader.k8s.yaml'), 'utf8').split('\n');
    const bindingLine = lines.lastIndexOf('  name: debug-exec') - 3 + 1;
    expect(lines[bindingLine - 1]).toBe('apiVersion: rbac.authorization.k8s.io/v1');
    expect(located.length).toBeGreaterThan(0);
    for (const l of located) expect(l).toEqual({ artifactLocation: { uri: 'dist/api-reader.k8s.yaml' }, region: { startLine: bindingLine } });
  });
});
