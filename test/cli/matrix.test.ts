import { fixture, NO_ACCESS_SA, runBuilt, runInProcess, SECRET_SA } from './cli';

interface Cell { verb: string; state: string; names?: string[] }
interface SubjectMatrix { subject: string; namespace: string; rows: Array<{ resource: string; cells: Cell[] }> }

async function matrixJson(args: string[]): Promise<SubjectMatrix[]> {
  const r = await runInProcess(['matrix', ...args, '-o', 'json']);
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout).subjects;
}

function cell(m: SubjectMatrix[], subject: string, resource: string, verb: string): Cell {
  return m.find((s) => s.subject === subject)!.rows.find((r) => r.resource === resource)!.cells.find((c) => c.verb === verb)!;
}

describe('api-reader matrix', () => {
  it('defaults to the service accounts of the input, each in its own namespace', async () => {
    const m = await matrixJson(['-f', 'dist/']);
    expect(m.map((s) => [s.subject, s.namespace])).toEqual([[NO_ACCESS_SA, 'dev'], [SECRET_SA, 'dev']]);
  });

  it('defaults to the sensitive resources and the usual verbs', async () => {
    const m = await matrixJson(['-f', 'dist/']);
    expect(m[0].rows.map((r) => r.resource)).toEqual(expect.arrayContaining(
      ['secrets', 'configmaps', 'pods', 'pods/log', 'serviceaccounts', 'serviceaccounts/token', 'namespaces', 'roles', 'rolebindings'],
    ));
    expect(m[0].rows[0].cells.map((c) => c.verb)).toEqual(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete']);
  });

  it('marks a grant limited to resourceNames as named, with the names', async () => {
    const m = await matrixJson(['-f', 'dist/']);
    expect(cell(m, SECRET_SA, 'secrets', 'get')).toEqual({ verb: 'get', state: 'named', names: ['api-access-secret'] });
    expect(cell(m, SECRET_SA, 'secrets', 'list')).toEqual({ verb: 'list', state: 'denied' });
    expect(cell(m, NO_ACCESS_SA, 'secrets', 'get')).toEqual({ verb: 'get', state: 'denied' });
  });

  it('takes --subjects, --resources and --verbs', async () => {
    const m = await matrixJson(['-f', fixture('team'), '--subjects', 'alice,system:serviceaccount:team:deployer', '-n', 'team', '--resources', 'pods/log,deployments.apps', '--verbs', 'get,create']);
    expect(m.map((s) => s.rows.map((r) => [r.resource, r.cells.map((c) => c.state)]))).toEqual([
      [['pods/log', ['allowed', 'denied']], ['deployments.apps', ['denied', 'denied']]],
      [['pods/log', ['denied', 'denied']], ['deployments.apps', ['allowed', 'allowed']]],
    ]);
  });

  it('prints one table per subject with a legend (built binary)', () => {
    const r = runBuilt(['matrix', '-f', 'dist/', '--resources', 'secrets,pods/log', '--verbs', 'get,list']);
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatchSnapshot();
  });
});
