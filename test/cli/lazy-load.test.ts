/**
 * The CLI loads the audit library only for the audit commands: `can-i` and the other evaluator
 * commands start without the log readers, advice and webhook server (about a fifth of their
 * start-up when they were loaded for every command).
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { ROOT } from './cli';

/** The modules under build/lib/audit/ that `node` loads for `api-reader ARGS...` (relative paths). */
function auditModulesLoaded(args: readonly string[]): string[] {
  const script = [
    "process.argv = [process.argv[0], 'api-reader', ...JSON.parse(process.env.ARGS)];",
    "process.on('exit', () => {",
    "  const dir = require('path').join(process.cwd(), 'build', 'lib', 'audit') + require('path').sep;",
    "  const loaded = Object.keys(require.cache).filter((f) => f.startsWith(dir)).map((f) => f.slice(dir.length));",
    "  require('fs').writeSync(2, '\\nLOADED ' + JSON.stringify(loaded) + '\\n');",
    '});',
    "require('./build/lib/cli/main.js');",
  ].join('\n');
  const result = spawnSync(process.execPath, ['-e', script], {
    cwd: ROOT, env: { ...process.env, ARGS: JSON.stringify(args) }, encoding: 'utf8',
  });
  const line = result.stderr.split('\n').find((l) => l.startsWith('LOADED '));
  if (!line) throw new Error(`no module list from the CLI; stderr:\n${result.stderr}`);
  return JSON.parse(line.slice('LOADED '.length)) as string[];
}

describe('what the CLI loads', () => {
  const dist = path.join('dist');

  it('can-i does not load the audit readers, advice or webhook server', () => {
    const loaded = auditModulesLoaded(['can-i', 'get', 'secrets', '--as', 'system:serviceaccount:dev:secret-access-sa', '-n', 'dev', '-f', dist]);
    expect(loaded).not.toContain('run.js');
    expect(loaded).not.toContain('advice.js');
    expect(loaded.filter((f) => f.startsWith('webhook'))).not.toContain(path.join('webhook', 'server.js'));
  });

  it('audit does load them (the check above can fail)', () => {
    const loaded = auditModulesLoaded(['audit', path.join('test', 'audit', 'fixtures', 'walkthrough.jsonl'), '-o', 'summary']);
    expect(loaded).toContain('run.js');
  });
});
