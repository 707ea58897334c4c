import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { ApiReaderWalkthrough, CredentialsChart, CredentialsSource, ReaderIdentity, addTenants, loadTenantsFile, synthAppLinear } from '../lib';
import { readTree } from './support/outdir';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'linear-synth-'));
}

/** Builds the same app twice and synthesizes it with stock cdk8s and with the linear path. */
function bothWays(build: (app: App) => void): { stock: Record<string, string>; linear: Record<string, string> } {
  const stockApp = new App({ outdir: tempDir() });
  build(stockApp);
  stockApp.synth();
  const linearApp = new App({ outdir: tempDir() });
  build(linearApp);
  synthAppLinear(linearApp);
  return { stock: readTree(stockApp.outdir), linear: readTree(linearApp.outdir) };
}

const tenants = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `tenant-${String(i).padStart(4, '0')}` }));

describe('linear synth writes exactly what stock cdk8s writes', () => {
  test.each<[string, (app: App) => void]>([
    ['the walkthrough', (app) => void new ApiReaderWalkthrough(app, 'api-reader')],
    [
      'the walkthrough with a dependent credentials chart (indexed file names)',
      (app) => {
        const w = new ApiReaderWalkthrough(app, 'api-reader');
        const source = CredentialsSource.fromEnvironment(undefined, { API_READER_USERNAME: 'u', API_READER_PASSWORD: 'p' });
        new CredentialsChart(app, 'api-reader-credentials', { secret: w.secret, source, after: w });
      },
    ],
    ['25 tenants', (app) => void addTenants(app, tenants(25))],
    ['an empty chart', (app) => void new Chart(app, 'empty')],
    [
      'charts linked by a construct-level dependency across charts',
      (app) => {
        const [a, b] = addTenants(app, tenants(2));
        b.secretReader.node.addDependency(a.readerNamespace);
      },
    ],
  ])('%s', (_name, build) => {
    const { stock, linear } = bothWays(build);
    expect(Object.keys(linear).length).toBeGreaterThan(0);
    expect(linear).toEqual(stock);
  });

  test('one file per tenant, each with its own namespace and prefixed ClusterRoles', () => {
    const { linear } = bothWays((app) => void addTenants(app, tenants(3)));
    expect(Object.keys(linear).sort()).toEqual(['tenant-0000.k8s.yaml', 'tenant-0001.k8s.yaml', 'tenant-0002.k8s.yaml']);
    expect(linear['tenant-0001.k8s.yaml']).toContain('name: tenant-0001-secret-access-cr\n');
    expect(linear['tenant-0001.k8s.yaml']).toMatch(/kind: Namespace\nmetadata:\n(?:.*\n)*?  name: tenant-0001\n/);
  });

  test('every validation still runs: a bad object in the last of many charts fails with its path', () => {
    const app = new App({ outdir: tempDir() });
    const charts = addTenants(app, tenants(30));
    new ReaderIdentity(charts[29], 'Broken', { namespace: charts[29].readerNamespace, serviceAccountName: 'Broken_SA' });
    expect(() => synthAppLinear(app)).toThrow(/\[tenant-0029\/Broken\] The ServiceAccount name "Broken_SA" is not a lowercase RFC 1123 subdomain/);
  });
});

describe('the tenants file', () => {
  function writeTenants(text: string): string {
    const file = path.join(tempDir(), 'tenants.yaml');
    fs.writeFileSync(file, text);
    return file;
  }

  test('reads tenants with their options', () => {
    expect(loadTenantsFile(writeTenants('tenants:\n  - name: a\n  - name: b\n    secretName: s\n'))).toEqual([{ name: 'a' }, { name: 'b', secretName: 's' }]);
  });

  test.each([
    ['no tenants list', 'teams: []\n', /expected a top-level "tenants:" list/],
    ['an invalid tenant name', 'tenants:\n  - name: Team_A\n', /tenants\[0\]: The tenant name "Team_A" is not a lowercase RFC 1123 label/],
    ['a duplicate tenant', 'tenants:\n  - name: a\n  - name: a\n', /tenants\[1\]: the tenant "a" is listed twice/],
    ['an unknown key', 'tenants:\n  - name: a\n    secretNmae: x\n', /tenants\[0\] has an unknown key "secretNmae"/],
  ])('%s is a clear error naming the file and the tenant', (_name, text, message) => {
    expect(() => loadTenantsFile(writeTenants(text))).toThrow(message);
  });
});
