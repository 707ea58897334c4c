import { CliRun, fixture, runBuiltAsync, SECRET_SA } from './cli';

/** [name, args, expected stderr (exact, or a pattern), exit code]. */
type Case = [string, string[], string | RegExp, number];

const USAGE_CAN_I = 'Usage: api-reader can-i VERB RESOURCE[/NAME] | URL --as SUBJECT [flags]\n       api-reader can-i --list --as SUBJECT [flags]\nRun \'api-reader can-i --help\' for more.\n';
const USAGE_TOP = 'Usage: api-reader COMMAND [flags]   (commands: can-i, who-can, matrix, graph, diff, escalations, audit, version)\nRun \'api-reader --help\' for more.\n';

const cases: Case[] = [
  ['unparseable YAML names file:line',
    ['can-i', 'get', 'pods', '--as', 'alice', '-f', fixture('broken')],
    `api-reader: error: ${fixture('broken')}/role.yaml:9:5: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]; fix the syntax (is it a template that needs rendering first?).\n`, 2],
  ['an empty --as',
    ['can-i', 'get', 'pods', '--as', '', '-f', 'dist/'],
    /^api-reader: error: --as needs a user name/, 2],
  ['a path that does not exist',
    ['who-can', 'get', 'pods', '-f', 'no/such/dir'],
    'api-reader: error: no/such/dir: no such file or directory; pass a manifest file or a directory of them.\n', 2],
  ['an unknown flag',
    ['can-i', 'get', 'pods', '--as', SECRET_SA, '--bogus'],
    `api-reader: error: unknown flag: --bogus.\n${USAGE_CAN_I}`, 2],
  ['an unknown command',
    ['read-secrets'],
    `api-reader: error: unknown command "read-secrets".\n${USAGE_TOP}`, 2],
  ['no command',
    [],
    `api-reader: error: a command is needed.\n${USAGE_TOP}`, 2],
  ['a missing -f where it is required',
    ['matrix'],
    /^api-reader: error: -f PATH is required/, 2],
  ['a missing value',
    ['can-i', 'get', 'pods', '--as'],
    `api-reader: error: flag --as needs a value (SUBJECT).\n${USAGE_CAN_I}`, 2],
  ['a missing RESOURCE',
    ['can-i', 'get', '--as', 'alice'],
    `api-reader: error: can-i needs VERB and RESOURCE[/NAME] (or a URL path such as /api).\n${USAGE_CAN_I}`, 2],
  ['an invalid namespace',
    ['can-i', 'get', 'pods', '--as', 'alice', '-n', 'Dev'],
    /^api-reader: error: "Dev" is not a valid namespace name/, 2],
  ['a matrix of an input without service accounts',
    ['matrix', '-f', fixture('no-rbac')],
    /^api-reader: warning: no RBAC objects .* found in test\/cli\/fixtures\/no-rbac; only the bootstrap policy applies\. .*\napi-reader: error: the input has no ServiceAccounts/, 2],
];

describe('bad input: one clear line on stderr, never a stack trace, exit 2 (built binary)', () => {
  const results = new Map<string, CliRun>();
  let noRbac: CliRun;

  beforeAll(async () => {
    const runs = await Promise.all(cases.map(([, args]) => runBuiltAsync(args)));
    cases.forEach(([name], i) => results.set(name, runs[i]));
    noRbac = await runBuiltAsync(['can-i', 'get', 'secrets', '--as', 'alice', '-f', fixture('no-rbac'), '--explain']);
  }, 30_000);

  it.each(cases)('%s', (name, _args, stderr, status) => {
    const r = results.get(name)!;
    expect(r.status).toBe(status);
    expect(r.stdout).toBe('');
    if (typeof stderr === 'string') expect(r.stderr).toBe(stderr);
    else expect(r.stderr).toMatch(stderr);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('a directory with no RBAC objects is a warning, and the question is still answered', () => {
    expect(noRbac.stderr).toBe(`api-reader: warning: no RBAC objects (Role, ClusterRole, RoleBinding, ClusterRoleBinding) found in ${fixture('no-rbac')}; only the bootstrap policy applies. Point -f at your synthesized manifests (e.g. dist/).\n`);
    expect(noRbac.status).toBe(1);
    expect(noRbac.stdout).toContain('ignored 1 object of other kinds: ConfigMap (1)\n');
  });
});
