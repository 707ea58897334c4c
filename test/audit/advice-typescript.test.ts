/** The generated cdk8s TypeScript type-checks against this project's constructs (slow: it loads the k8s types). */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { adviceSubject, adviseRbac, renderAdviceTypeScript } from '../../lib/audit';
import { objectRef, observe, record, walkthroughObserved } from './events';

const ROOT = path.join(__dirname, '..', '..');
const SA = 'system:serviceaccount:dev:secret-access-sa';

describe('the generated TypeScript', () => {
  const dir = path.join(__dirname, '.generated');

  function typeCheck(files: Record<string, string>): string[] {
    fs.mkdirSync(dir, { recursive: true });
    const paths = Object.entries(files).map(([name, text]) => {
      const p = path.join(dir, name);
      fs.writeFileSync(p, text);
      return p;
    });
    const config = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), ts.sys.readFile);
    const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
    const options = { ...parsed.options, noEmit: true };
    // tsc reports errors only; a deprecated call (TS6385/TS6387) is a suggestion diagnostic, which
    // only a language service gives, so both are collected.
    const service = ts.createLanguageService({
      getCompilationSettings: () => options,
      getScriptFileNames: () => paths,
      getScriptVersion: () => '1',
      getScriptSnapshot: (f) => (fs.existsSync(f) ? ts.ScriptSnapshot.fromString(fs.readFileSync(f, 'utf8')) : undefined),
      getCurrentDirectory: () => ROOT,
      getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
      fileExists: ts.sys.fileExists,
      readFile: ts.sys.readFile,
      readDirectory: ts.sys.readDirectory,
      directoryExists: ts.sys.directoryExists,
      getDirectories: ts.sys.getDirectories,
    });
    const program = service.getProgram()!;
    const errors = ts.getPreEmitDiagnostics(program);
    const deprecations = paths.flatMap((p) => service.getSuggestionDiagnostics(p).filter((d) => d.reportsDeprecated));
    return [...errors, ...deprecations].map((d) => `${d.file ? path.basename(d.file.fileName) : ''} TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  }

  it('a deprecated call is caught by this check (so the check can fail)', () => {
    expect(typeCheck({
      'deprecated.ts': [
        "import { Chart } from 'cdk8s';",
        "import { AccessRole } from '../../../lib';",
        "export function f(chart: Chart): void { new AccessRole(chart, 'r', { name: 'r' }).allow({ verbs: ['get'], resources: ['pods'] }); }",
        '',
      ].join('\n'),
    })).toEqual([expect.stringMatching(/^deprecated\.ts TS638[57]: .* is deprecated/)]);
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('uses ReaderIdentity.grantRead for the walkthrough and type-checks, like every other shape', async () => {
    const importFrom = '../../../lib';
    const walkthrough = renderAdviceTypeScript(adviseRbac(adviceSubject(SA), (await walkthroughObserved()).list('allow')), { importFrom });
    expect(walkthrough).toContain("identity.grantRead({ name: 'api-access-secret', namespace: 'dev' });");
    // The advice's ClusterRole name, which ReaderIdentity's default (dev.secret-access-cr) is not.
    expect(walkthrough).toContain("  clusterRoleName: 'secret-access-cr',");
    const mixed = observe(SA, [
      record({}), record(objectRef('configmaps', 'staging', 'c')),
      record({ verb: 'list', objectRef: { resource: 'namespaces', apiVersion: 'v1' } }),
    ]);
    const alice = record({ user: { username: 'alice', groups: [] }, ...objectRef('configmaps', 'dev', 'c') });
    const aliceTwo = record({ user: { username: 'alice', groups: [] }, ...objectRef('configmaps', 'prod', 'c') });
    const clusterOnly = observe(SA, [record({ verb: 'list', objectRef: { resource: 'nodes', apiVersion: 'v1' } })]);
    const crossNamespace = observe(SA, [record({}), record(objectRef('configmaps', 'staging', 'c'))]);
    const usesCurrentApi = renderAdviceTypeScript(adviseRbac(adviceSubject(SA), mixed.list('allow')), { importFrom });
    expect(usesCurrentApi).toMatch(/identity\.grant\(/);
    expect(usesCurrentApi).not.toMatch(/\.allow\(/);
    expect(typeCheck({
      'walkthrough.ts': walkthrough,
      'mixed.ts': renderAdviceTypeScript(adviseRbac(adviceSubject(SA), mixed.list('allow')), { importFrom, className: 'Mixed' }),
      'user.ts': renderAdviceTypeScript(adviseRbac(adviceSubject('alice'), observe('alice', [alice, aliceTwo]).list('allow')), { importFrom }),
      'cluster.ts': renderAdviceTypeScript(adviseRbac(adviceSubject(SA), clusterOnly.list('allow')), { importFrom, className: 'ClusterOnly' }),
      'cross.ts': renderAdviceTypeScript(adviseRbac(adviceSubject(SA), crossNamespace.list('allow')), { importFrom, className: 'Cross' }),
    })).toEqual([]);
  });
});
