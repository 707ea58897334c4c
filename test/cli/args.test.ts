import { FlagSpec, formatFlags, parseArgs } from '../../lib/cli/args';
import { UsageError } from '../../lib/cli/errors';

const SPECS: FlagSpec[] = [
  { name: 'namespace', short: 'n', type: 'string', placeholder: 'NS', description: 'namespace' },
  { name: 'explain', type: 'boolean', description: 'explain' },
  { name: 'filename', short: 'f', type: 'list', placeholder: 'PATH', description: 'files' },
  { name: 'verbs', type: 'list', commaSeparated: true, description: 'verbs' },
];

describe('parseArgs', () => {
  it.each([
    ['--namespace dev', ['--namespace', 'dev']],
    ['--namespace=dev', ['--namespace=dev']],
    ['-n dev', ['-n', 'dev']],
    ['-ndev', ['-ndev']],
    ['-n=dev', ['-n=dev']],
    ['the last value wins', ['-n', 'x', '-n', 'dev']],
  ])('reads a string flag: %s', (_name, argv) => {
    expect(parseArgs(argv, SPECS).string('namespace')).toBe('dev');
  });

  it('keeps positionals in order around flags', () => {
    expect(parseArgs(['get', '--explain', 'pods', '-n', 'dev'], SPECS).positionals).toEqual(['get', 'pods']);
  });

  it('collects repeated list flags, and "-" as a value', () => {
    expect(parseArgs(['-f', 'a', '-f', '-', '--filename=b'], SPECS).list('filename')).toEqual(['a', '-', 'b']);
  });

  it('splits comma-separated list flags', () => {
    expect(parseArgs(['--verbs', 'get,list', '--verbs', 'watch'], SPECS).list('verbs')).toEqual(['get', 'list', 'watch']);
  });

  it('treats everything after -- as positional', () => {
    expect(parseArgs(['--', '-n', 'x'], SPECS).positionals).toEqual(['-n', 'x']);
  });

  it('reads a lone "-" as a positional', () => {
    expect(parseArgs(['-'], SPECS).positionals).toEqual(['-']);
  });

  it.each([
    ['an unknown long flag', ['--nope'], 'unknown flag: --nope.'],
    ['an unknown short flag', ['-x'], 'unknown flag: -x.'],
    ['a missing value', ['-n'], 'flag --namespace needs a value (NS).'],
    ['a value for a boolean', ['--explain=yes'], 'flag --explain takes no value.'],
  ])('rejects %s', (_name, argv, message) => {
    expect(() => parseArgs(argv, SPECS, 'can-i')).toThrow(new UsageError(message));
  });

  it('formats aligned help lines', () => {
    expect(formatFlags(SPECS.slice(0, 2))).toBe('  -n, --namespace NS   namespace\n      --explain        explain');
  });
});
