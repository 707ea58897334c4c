import { closest, editDistance } from '../../lib/cli/suggest';

describe('did you mean', () => {
  it.each([
    ['who-cna', 'who-can', 1], // a swap is one edit
    ['decison', 'decision', 1],
    ['namspace', 'namespace', 1],
    ['cani', 'can-i', 1],
    ['graph', 'graph', 0],
    ['matrix', 'audit', 4],
  ])('%s to %s: %i edit(s)', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });

  it('picks the closest candidate within reach, or a unique prefix, else nothing', () => {
    const commands = ['can-i', 'who-can', 'matrix', 'graph', 'audit', 'version', 'help'];
    expect(closest('who-cna', commands)).toBe('who-can');
    expect(closest('vers', commands)).toBe('version');
    expect(closest('grpah', commands)).toBe('graph');
    expect(closest('frobnicate', commands)).toBeUndefined();
    // Short words get one edit at most: "ls" is not a typo of "help".
    expect(closest('ls', commands)).toBeUndefined();
    expect(closest('x'.repeat(100_000), commands)).toBeUndefined();
  });
});
