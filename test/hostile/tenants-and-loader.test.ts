/**
 * Findings 10 and 11 of issue 13: a hostile tenants file gets typed errors naming the file and the
 * entry; the manifest loader names the file for an alias bomb and a symlink loop.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadTenantsFile } from '../../lib';
import { TenantsFileError } from '../../lib/synth/tenants';
import { loadPaths, ManifestLoadError } from '../../lib/rbac';
import { runInProcess } from '../cli/cli';

function writeFile(name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'api-reader-hostile-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

function problemsOf(text: string, options = {}): string {
  const file = writeFile('tenants.yaml', text);
  try {
    loadTenantsFile(file, options);
  } catch (e) {
    expect(e).toBeInstanceOf(TenantsFileError);
    expect((e as TenantsFileError).file).toBe(file);
    return (e as Error).message.split(file).join('FILE');
  }
  throw new Error('expected the tenants file to be refused');
}

describe('the tenants file refuses hostile entries, naming the file and the entry', () => {
  it.each([
    ['a number as name', 'tenants:\n  - name: 123\n', /^FILE: tenants\[0\]: the tenant name must be a string, not the number 123/],
    ['true as name', 'tenants:\n  - name: true\n', /tenants\[0\]: the tenant name must be a string, not the boolean true/],
    ['a list as name', 'tenants:\n  - name: [a]\n', /tenants\[0\]: the tenant name must be a string, not a list/],
    ['kube-system', 'tenants:\n  - name: team-a\n  - name: kube-system\n', /tenants\[1\]: "kube-system" is a reserved namespace/],
    ['default', 'tenants:\n  - name: default\n', /tenants\[0\]: "default" is a reserved namespace/],
    ['a path as secretName', 'tenants:\n  - name: team-a\n    secretName: ../../etc/passwd\n', /tenants\[0\]: The secret name "..\/..\/etc\/passwd" is not a lowercase RFC 1123 subdomain/],
    ['an empty list', 'tenants: []\n', /^FILE: the "tenants:" list is empty, which would synthesize nothing/],
    ['broken YAML', 'tenants:\n  - name: [a\n', /^FILE:\d+:\d+: invalid YAML/],
    ['an alias bomb', `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\ntenants: [*c]\n`, /^FILE: cannot expand the YAML/],
  ])('%s', (_name, text, message) => {
    expect(problemsOf(text)).toMatch(message);
  });

  it('a reserved namespace allowed by name is accepted', () => {
    const file = writeFile('tenants.yaml', 'tenants:\n  - name: default\n');
    expect(loadTenantsFile(file, { allowReservedNamespaces: ['default'] })).toEqual([{ name: 'default' }]);
  });
});

describe('the manifest loader names the file for hostile input', () => {
  it('an alias bomb is a ManifestLoadError at file:line, not an internal error', async () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++) levels.push(`l${i}: &l${i} [${Array(10).fill(i === 1 ? '*a' : `*l${i - 1}`).join(', ')}]`);
    const file = writeFile('bomb.yaml', `${levels.join('\n')}\n`);
    expect(() => loadPaths([file])).toThrow(ManifestLoadError);
    expect(() => loadPaths([file])).toThrow(new RegExp(`^${file.replace(/[.]/g, '\\.')}:1: cannot expand the YAML`));
    const cli = await runInProcess(['who-can', 'get', 'secrets', '-f', file]);
    expect(cli.status).toBe(2);
    expect(cli.stderr).toMatch(/^api-reader: error: .*bomb\.yaml:1: cannot expand the YAML/);
  });

  it('a symlink to itself is a ManifestLoadError naming it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'api-reader-loop-'));
    fs.symlinkSync('loop.yaml', path.join(dir, 'loop.yaml'));
    expect(() => loadPaths([dir])).toThrow(/loop\.yaml: cannot read the path \(ELOOP\): a symbolic link that points to itself/);
    const cli = await runInProcess(['who-can', 'get', 'secrets', '-f', path.join(dir, 'loop.yaml')]);
    expect(cli.stderr).toMatch(/^api-reader: error: .*loop\.yaml: cannot read the path \(ELOOP\)/);
  });
});
