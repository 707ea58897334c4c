/**
 * One subject syntax everywhere (issue 22): kubectl's. `system:serviceaccount:NS:NAME` is a service
 * account; `NS:NAME` is a user of that literal name in can-i --as, matrix --subjects and audit --user
 * alike, and each says "did you mean" when such a name matches nothing but looks like a ServiceAccount.
 * Also kubectl's warning for a verb the API server never asks about.
 */
import * as path from 'path';
import { runInProcess, SECRET_SA } from './cli';

const DID_YOU_MEAN = 'is a user of that literal name, which no binding names; did you mean system:serviceaccount:dev:secret-access-sa?';
const FIXTURE = path.join('test', 'audit', 'fixtures', 'walkthrough.jsonl');

describe('a ServiceAccount written NS:NAME', () => {
  it('can-i --as dev:secret-access-sa asks about that user, and says which ServiceAccount it looks like', async () => {
    const r = await runInProcess(['can-i', 'get', 'secrets/api-access-secret', '-n', 'dev', '--as', 'dev:secret-access-sa', '-f', 'dist/']);
    expect(r.stdout).toBe('no\n');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`api-reader: warning: --as "dev:secret-access-sa" ${DID_YOU_MEAN} (a ServiceAccount is written system:serviceaccount:NAMESPACE:NAME, as for kubectl --as)\n`);
  });

  it.each([
    ['dev/secret-access-sa'],
    ['serviceaccount:dev:secret-access-sa'],
    ['secret-access-sa'],
  ])('can-i --as %s (looks like the ServiceAccount) gets the same hint', async (as) => {
    const r = await runInProcess(['can-i', 'get', 'secrets/api-access-secret', '-n', 'dev', '--as', as, '-f', 'dist/']);
    expect(r.stderr).toContain('did you mean system:serviceaccount:dev:secret-access-sa?');
  });

  it('no hint for the ServiceAccount written right, or a user that looks like nothing', async () => {
    const right = await runInProcess(['can-i', 'get', 'secrets/api-access-secret', '-n', 'dev', '--as', SECRET_SA, '-f', 'dist/']);
    expect([right.stdout, right.stderr, right.status]).toEqual(['yes\n', '', 0]);
    const other = await runInProcess(['can-i', 'get', 'secrets/api-access-secret', '-n', 'dev', '--as', 'oidc:alice', '-f', 'dist/']);
    expect([other.stdout, other.stderr]).toEqual(['no\n', '']);
  });

  it('can-i --list says so too', async () => {
    const r = await runInProcess(['can-i', '--list', '-n', 'dev', '--as', 'dev:secret-access-sa', '-f', 'dist/']);
    expect(r.stderr).toContain(`--as "dev:secret-access-sa" ${DID_YOU_MEAN}`);
  });

  it('matrix --subjects dev:secret-access-sa shows that user, and says which ServiceAccount it looks like', async () => {
    const r = await runInProcess(['matrix', '-f', 'dist/', '--subjects', 'dev:secret-access-sa', '--resources', 'secrets', '--verbs', 'get']);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('dev:secret-access-sa in namespace default');
    expect(r.stderr).toBe(`api-reader: warning: --subjects "dev:secret-access-sa" ${DID_YOU_MEAN} (a ServiceAccount is written system:serviceaccount:NAMESPACE:NAME, as for kubectl --as)\n`);
  });

  it('audit --user dev:secret-access-sa selects that user (none here), and says what was probably meant', async () => {
    const r = await runInProcess(['audit', FIXTURE, '-o', 'json', '--user', 'dev:secret-access-sa,dev:*']);
    expect([r.status, r.stdout]).toEqual([0, '']);
    expect(r.stderr).toBe([
      'api-reader: warning: --user "dev:secret-access-sa" matched no request: it is the user of that literal name, as for kubectl --as; did you mean system:serviceaccount:dev:secret-access-sa?',
      'api-reader: warning: --user "dev:*" matched no request: it is the user of that literal name, as for kubectl --as; did you mean system:serviceaccount:dev:*?',
      '',
    ].join('\n'));
    const meant = await runInProcess(['audit', FIXTURE, '-o', 'json', '--user', 'system:serviceaccount:dev:*']);
    expect(meant.stdout.trimEnd().split('\n').length).toBeGreaterThan(1);
    expect(meant.stderr).toBe('');
  });
});

describe('an unknown verb', () => {
  it("can-i gte secrets gets kubectl's warning, not a silent no", async () => {
    const r = await runInProcess(['can-i', 'gte', 'secrets', '-n', 'dev', '--as', SECRET_SA, '-f', 'dist/']);
    expect([r.stdout, r.status]).toEqual(['no\n', 1]);
    expect(r.stderr).toBe("api-reader: warning: verb 'gte' is not a known verb\n");
  });

  it('a URL takes the HTTP verbs: put is known, list is not', async () => {
    const put = await runInProcess(['can-i', 'put', '/api', '--as', SECRET_SA, '-f', 'dist/']);
    expect(put.stderr).toBe('');
    const list = await runInProcess(['can-i', 'list', '/api', '--as', SECRET_SA, '-f', 'dist/']);
    expect(list.stderr).toBe("api-reader: warning: verb 'list' is not a known verb\n");
  });

  it('who-can warns the same way', async () => {
    const r = await runInProcess(['who-can', 'gte', 'secrets', '-n', 'dev', '-f', 'dist/']);
    expect(r.stderr).toContain("api-reader: warning: verb 'gte' is not a known verb\n");
  });
});
