import { runInProcess } from './cli';

describe('--help', () => {
  it('top-level help lists every command and the exit codes', async () => {
    const r = await runInProcess(['--help']);
    expect(r.status).toBe(0);
    for (const c of ['can-i', 'who-can', 'matrix', 'graph', 'diff', 'audit']) expect(r.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
    expect(r.stdout.replace(/\s+/g, ' ')).toContain('Exit codes: 0 yes or success, 1 no (can-i) or --fail-on reached (diff), 2 usage or input error.');
  });

  it.each([
    ['can-i', '--as SUBJECT'],
    ['who-can', '-f PATH'],
    ['matrix', '--subjects S,...'],
    ['graph', '-o, --output FORMAT'],
    ['diff', '--fail-on LEVEL'],
  ])('%s --help shows its usage and flags', async (command, flag) => {
    const r = await runInProcess([command, '--help']);
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(new RegExp(`^Usage: api-reader ${command} `));
    expect(r.stdout).toContain(flag);
    expect(r.stdout).toContain('-o, --output FORMAT');
  });

  it.each(['can-i', 'who-can', 'matrix', 'graph'])('%s --help says which directories -f skips', async (command) => {
    const r = await runInProcess([command, '--help']);
    // Descriptions are wrapped to the width (continuation lines indented under the description).
    expect(r.stdout.replace(/\n {20,}/g, ' ')).toMatch(/-f, --filename PATH +a manifest file, a directory \(read recursively, skipping node_modules and dot-directories/);
  });

  it('help COMMAND is the same as COMMAND --help', async () => {
    expect((await runInProcess(['help', 'graph'])).stdout).toBe((await runInProcess(['graph', '--help'])).stdout);
  });
});
