import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { readTree } from './support/outdir';
import { REPO, scratchProject } from './support/scratch-project';

// These run the real `cdk8s synth` (the CLI users run) in a scratch copy of the project.
describe('`cdk8s synth` as users run it', () => {
  test('writes the same dist/ as the committed one (no drift), with the audit policy under dist/audit/', () => {
    const project = scratchProject();
    fs.rmSync(path.join(project.dir, 'dist'), { recursive: true });
    const result = project.synth();
    expect(result.stderr).toBe("Wrote dist/ (.cdk8s.out/ below is cdk8s's scratch copy of it):\n  - dist/api-reader.k8s.yaml\n  - dist/audit/audit-policy.yaml\n");
    expect(result.status).toBe(0);
    expect(readTree(path.join(project.dir, 'dist'))).toEqual(readTree(path.join(REPO, 'dist')));
    expect(Object.keys(readTree(path.join(project.dir, 'dist'))).sort()).toEqual(['api-reader.k8s.yaml', 'audit/audit-policy.yaml']);
  });

  test('the documented command (`npm run synth`) skips the upgrade check and names what it wrote to dist/', () => {
    const project = scratchProject();
    // No CDK8S_CHECK_UPGRADE in the environment: the npm script must set it itself. Offline, cdk8s-cli's
    // upgrade check prints a Node stack trace ("http error: ... 404"); online, an upgrade banner.
    const result = project.run('npm', ['run', '--silent', 'synth']);
    expect(result.status).toBe(0);
    const output = `${result.stdout}${result.stderr}`;
    expect(output).not.toMatch(/^\s+at /m);
    expect(output).not.toMatch(/Error|http error|new version/i);
    expect(result.stderr).toContain('Wrote dist/');
    expect(result.stderr).toMatch(/^ {2}- dist\/api-reader\.k8s\.yaml$/m);
    expect(result.stderr).toMatch(/^ {2}- dist\/audit\/audit-policy\.yaml$/m);
  });

  test('a failing synth exits non-zero with the construct path and leaves the previous dist/ byte for byte', () => {
    const project = scratchProject();
    const before = readTree(path.join(project.dir, 'dist'));
    const result = project.synth({ API_READER_CREDENTIALS_FILE: path.join(project.dir, 'missing.env') });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/\[api-reader-credentials\/Secret\] The credentials file ".*missing\.env" cannot be read \(ENOENT\)\. Create it/);
    // The app prints no stack trace; what follows "Error: command" is the CLI's own report.
    const ours = result.stderr.split('Error: command')[0];
    expect(ours).toContain('Synth failed; the previous output in dist/ was left untouched.');
    expect(ours).not.toMatch(/^\s+at /m);
    expect(readTree(path.join(project.dir, 'dist'))).toEqual(before);
  });

  test('an app with two objects of one name fails synth, naming both construct paths, and leaves dist/ as it was', () => {
    const project = scratchProject();
    const before = readTree(path.join(project.dir, 'dist'));
    // main.ts plus a second chart whose ClusterRole takes the walkthrough's name.
    const main = fs.readFileSync(path.join(project.dir, 'main.ts'), 'utf8').replace(
      "const source = credentialsFromEnvironment();",
      "new AccessRole(new Chart(app, 'extra'), 'role', { name: 'secret-access-cr', rules: [] });\n    const source = credentialsFromEnvironment();",
    );
    fs.writeFileSync(path.join(project.dir, 'main.ts'), `import { Chart } from 'cdk8s';\nimport { AccessRole } from './lib';\n${main}`);
    const result = project.synth();
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('[extra/role/Resource] ClusterRole "secret-access-cr" is defined twice (api-reader/SecretAccess/Role/Resource and extra/role/Resource)');
    expect(readTree(path.join(project.dir, 'dist'))).toEqual(before);
  });

  test('values from the environment go to their own git-ignored file as base64 data, never plaintext', () => {
    const project = scratchProject();
    const result = project.synth({ API_READER_USERNAME: 'reader-7q2w', API_READER_PASSWORD: 'pw-Zx81-unique' });
    expect(result.status).toBe(0);
    const files = readTree(path.join(project.dir, 'dist'));
    expect(Object.keys(files).sort()).toEqual(['.gitignore', '0000-api-reader.k8s.yaml', '0001-api-reader-credentials.k8s.yaml', 'audit/audit-policy.yaml']);
    expect(fs.statSync(path.join(project.dir, 'dist', '0001-api-reader-credentials.k8s.yaml')).mode & 0o777).toBe(0o600);
    const secretFile = files['0001-api-reader-credentials.k8s.yaml'];
    expect(secretFile).toContain(`password: ${Buffer.from('pw-Zx81-unique').toString('base64')}`);
    expect(JSON.stringify(files)).not.toContain('pw-Zx81-unique');
    expect(secretFile).not.toContain('stringData');
    const ignored = spawnSync('git', ['check-ignore', '-q', 'dist/0001-api-reader-credentials.k8s.yaml'], { cwd: REPO });
    expect(ignored.status).toBe(0);
  });

  test('demo credentials come only with the explicit flag and a loud warning on stderr', () => {
    const project = scratchProject();
    const result = project.synth({ API_READER_DEMO_CREDENTIALS: 'true' });
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/WARNING \[api-reader-credentials\/Secret\]: Secret dev\/api-access-secret holds generated DEMO credentials/);
    expect(fs.existsSync(path.join(project.dir, 'dist', '0001-api-reader-credentials.k8s.yaml'))).toBe(true);
  });
});
