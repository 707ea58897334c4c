/**
 * The terminal (issue 27 item 2): tables fit the terminal's width with a visible `…` where a cell
 * was cut, and are never cut when stdout is not a terminal (as kubectl, whose tables are whole in a
 * pipe); help is wrapped to the width (80 columns off a terminal) with examples left whole; colours
 * are off for TERM=dumb and off a terminal, and FORCE_COLOR decides as Node decides for itself.
 */
import { fitWidths, truncate } from '../../lib/rbac/views/fit';
import { COMMANDS } from '../../lib/cli/run';
import { runBuilt, runInProcess, SECRET_SA } from './cli';

const WHO_CAN = ['who-can', 'get', 'secrets/api-access-secret', '-n', 'dev', '-f', 'dist/'];
const AUDIT_LOG = 'test/audit/fixtures/walkthrough.jsonl';
const widest = (text: string) => Math.max(...text.split('\n').map((l) => l.length));

describe('tables and the terminal width', () => {
  it('who-can is wider than 80 columns when nothing limits it (the check below can fail)', async () => {
    const r = await runInProcess(WHO_CAN, { tty: false, columns: 80 });
    expect(widest(r.stdout)).toBeGreaterThan(120);
    expect(r.stdout).not.toContain('…');
  });

  it.each([80, 100])('who-can fits a terminal %i columns wide, cut cells marked with …', async (columns) => {
    const r = await runInProcess(WHO_CAN, { tty: true, columns, env: { NO_COLOR: '1' } });
    expect(r.status).toBe(0);
    expect(widest(r.stdout)).toBeLessThanOrEqual(columns);
    expect(r.stdout).toContain('…');
    // Every row is still there, and a short cell is whole.
    expect(r.stdout.split('\n')[0]).toMatch(/^SUBJECT +KIND +BINDING +ROLE$/);
    expect(r.stdout).toMatch(/^system:masters +Group +/m);
  });

  it('cuts every column of a very narrow terminal, and keeps every row', async () => {
    const r = await runInProcess(WHO_CAN, { tty: true, columns: 50, env: { NO_COLOR: '1' } });
    expect(widest(r.stdout)).toBeLessThanOrEqual(50);
    expect(r.stdout.split('\n')).toHaveLength((await runInProcess(WHO_CAN)).stdout.split('\n').length);
  });

  it('leaves a table that fits as it is', async () => {
    const args = ['can-i', '--list', '-n', 'dev', '--as', SECRET_SA, '-f', 'dist/'];
    const wide = await runInProcess(args, { tty: true, columns: 500, env: { NO_COLOR: '1' } });
    expect(wide.stdout).toBe((await runInProcess(args, { tty: false })).stdout);
    expect(wide.stdout).not.toContain('…');
  });

  it('never cuts when stdout is not a terminal (the built binary in a pipe)', () => {
    const r = runBuilt(WHO_CAN);
    expect(r.stdout).toContain('ClusterRole "system:controller:generic-garbage-collector"');
    expect(r.stdout).not.toContain('…');
  });

  it.each([['table', []], ['summary', ['-o', 'summary']]])('audit %s fits the terminal too, and is whole in a pipe', async (_view, view) => {
    const args = ['audit', AUDIT_LOG, ...view];
    const piped = await runInProcess(args, { tty: false });
    expect(widest(piped.stdout)).toBeGreaterThan(100);
    const fitted = await runInProcess(args, { tty: true, columns: 100 });
    expect(fitted.status).toBe(0);
    expect(widest(fitted.stdout)).toBeLessThanOrEqual(100);
    expect(fitted.stdout).toContain('…');
    expect(fitted.stdout.split('\n')).toHaveLength(piped.stdout.split('\n').length);
  });

  it('narrows the widest column first, never below its heading', () => {
    expect(fitWidths([10, 50, 20], [4, 4, 4], 3, 60)).toEqual([10, 24, 20]);
    expect(fitWidths([10, 50, 20], [10, 40, 4], 3, 20)).toEqual([10, 40, 8]);
    expect(fitWidths([5, 6], [5, 6], 3, 100)).toEqual([5, 6]);
    expect(truncate('secret-access-rb', 8)).toBe('secret-…');
    expect(truncate('short', 8)).toBe('short');
  });
});

describe('help and the terminal width', () => {
  /**
   * The help lines that must fit: all but the usage block, the examples block and indented lists
   * of values (lines meant to be copied whole).
   */
  const prose = (help: string) => help.split('\n\n').slice(1).filter((block) => !/^Examples?:/.test(block))
    .flatMap((block) => block.split('\n')).filter((l) => !/^ +\S+$/.test(l));

  it.each(COMMANDS.map((c) => [c.name]))('%s --help fits 80 columns off a terminal', async (name) => {
    const args = name === 'audit serve' ? ['audit', 'serve', '--help'] : [name, '--help'];
    const r = await runInProcess(args, { tty: false });
    expect(r.status).toBe(0);
    expect(prose(r.stdout).filter((l) => l.length > 80)).toEqual([]);
  });

  it('the top-level help wraps to a 60-column terminal, descriptions under their column', async () => {
    const r = await runInProcess(['--help'], { tty: true, columns: 60 });
    expect(prose(r.stdout).filter((l) => l.length > 60)).toEqual([]);
    const lines = r.stdout.split('\n');
    const at = lines.findIndex((l) => /^ {6}--max-manifest-bytes SIZE +refuse a manifest file/.test(l));
    expect(at).toBeGreaterThan(0);
    const column = lines[at].indexOf('refuse');
    // The description's next line starts under its first word.
    expect(lines[at + 1].search(/\S/)).toBe(column);
  });

  it('is wider on a wide terminal', async () => {
    const r = await runInProcess(['--help'], { tty: true, columns: 200 });
    expect(widest(r.stdout)).toBeGreaterThan(100);
  });
});

describe('colours', () => {
  const args = ['can-i', 'get', '/api', '--as', 'alice'];
  const GREEN_YES = '\x1b[32myes\x1b[0m\n';

  it.each([
    ['a terminal', { tty: true }, GREEN_YES],
    ['TERM=dumb', { tty: true, env: { TERM: 'dumb' } }, 'yes\n'],
    ['not a terminal', { tty: false }, 'yes\n'],
    ['FORCE_COLOR=1 off a terminal', { tty: false, env: { FORCE_COLOR: '1' } }, GREEN_YES],
    ['FORCE_COLOR= (empty) off a terminal', { tty: false, env: { FORCE_COLOR: '' } }, GREEN_YES],
    ['FORCE_COLOR=1 with NO_COLOR (FORCE_COLOR wins, as in Node)', { tty: true, env: { FORCE_COLOR: '1', NO_COLOR: '1' } }, GREEN_YES],
    ['FORCE_COLOR=0 on a terminal', { tty: true, env: { FORCE_COLOR: '0' } }, 'yes\n'],
    ['FORCE_COLOR=false on a terminal', { tty: true, env: { FORCE_COLOR: 'false' } }, 'yes\n'],
  ])('%s', async (_name, terminal, stdout) => {
    expect((await runInProcess(args, terminal)).stdout).toBe(stdout);
  });

  it('FORCE_COLOR never colours JSON', async () => {
    expect((await runInProcess([...args, '-o', 'json'], { env: { FORCE_COLOR: '1' } })).stdout).not.toContain('\x1b[');
  });
});
