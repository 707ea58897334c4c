/**
 * `api-reader diff BASE HEAD`: who gains and who loses which access between two sets of
 * manifests (files, directories, `-` for stdin, live dumps), or between a git ref and the working
 * tree (`--base-ref REF PATH...`); text, JSON, a pull-request comment (Markdown) or SARIF for
 * code scanning; `--fail-on SEVERITY` for CI.
 */
import { LoadResult, RbacPolicy, RISK_SEVERITIES, RiskSeverity } from '../../rbac';
import { AccessDiff, diffAccess, highestSeverity } from '../../rbac/diff/access-diff';
import { ParsedArgs } from '../args';
import { CommandResult, CommandStreams, CommonOptions, commonOptions, StreamingCommand } from '../command';
import { CliInputError, UsageError } from '../errors';
import { loadFromGitRef } from '../git-ref';
import { loadInput, LoadedInput, STDIN_NAME } from '../input';
import { renderAccessDiffMarkdown } from '../render/access-diff-markdown';
import { renderAccessDiffSarif } from '../render/access-diff-sarif';
import { renderAccessDiffText } from '../render/access-diff-text';
import { renderJson } from '../render/json';
import { makeStyle } from '../render/style';

const NAME = 'diff';

/** The output formats of `diff`. */
export type DiffFormat = 'text' | 'json' | 'markdown' | 'sarif';

/** When `diff` exits 1: never, on any gained access, or on a gained access with a risk of at least this severity. */
export type FailOn = 'none' | 'any' | RiskSeverity;

const FORMATS: readonly DiffFormat[] = ['text', 'json', 'markdown', 'sarif'];
const FAIL_ON: readonly FailOn[] = ['none', 'any', ...RISK_SEVERITIES];

/** The options of `diff`. */
export interface DiffOptions extends CommonOptions {
  /** The base paths (or, with `baseRef`, the paths read from both sides). */
  readonly base: readonly string[];
  /** The head paths. */
  readonly head: readonly string[];
  /**
   * `--base-ref`: read the base from this git ref.
   * @default - none: BASE and HEAD are paths
   */
  readonly baseRef?: string;
  /** The output format. */
  readonly format: DiffFormat;
  /** `--fail-on`. */
  readonly failOn: FailOn;
  /** The working directory (for `--base-ref`). */
  readonly cwd: string;
}

function options(args: ParsedArgs): DiffOptions {
  const format = (args.string('output') ?? 'text') as DiffFormat;
  if (!FORMATS.includes(format)) throw new UsageError(`--output must be one of ${FORMATS.join(', ')}, not ${JSON.stringify(format)}.`, NAME);
  const failOn = (args.string('fail-on') ?? 'none') as FailOn;
  if (!FAIL_ON.includes(failOn)) throw new UsageError(`--fail-on must be one of ${FAIL_ON.join(', ')}, not ${JSON.stringify(failOn)}.`, NAME);
  const common = { ...commonOptions(new ParsedArgs(args.positionals, withoutOutput(args)), NAME), json: format === 'json' };
  if (common.files.length > 0) throw new UsageError('diff takes its inputs as BASE HEAD (or --base-ref REF PATH...), not -f.', NAME);
  const baseRef = args.string('base-ref');
  const p = args.positionals;
  if (baseRef !== undefined) {
    if (baseRef.trim() === '') throw new UsageError('--base-ref needs a git ref, e.g. origin/main.', NAME);
    if (p.length === 0) throw new UsageError('--base-ref REF needs the PATH... to compare, e.g. --base-ref origin/main dist/.', NAME);
    if (p.includes('-')) throw new UsageError('--base-ref reads files from git; - (stdin) cannot be one of its paths.', NAME);
    return { ...common, base: p, head: p, baseRef, format, failOn, cwd: process.cwd() };
  }
  if (p.length !== 2) throw new UsageError(`diff needs BASE and HEAD (files, directories or -), got ${p.length} argument${p.length === 1 ? '' : 's'}.`, NAME);
  if (p[0] === '-' && p[1] === '-') throw new UsageError('only one of BASE and HEAD can be - (stdin).', NAME);
  return { ...common, base: [p[0]], head: [p[1]], format, failOn, cwd: process.cwd() };
}

/** The parsed values minus `--output` (whose formats are this command's own), for `commonOptions`. */
function withoutOutput(args: ParsedArgs): Map<string, boolean | string | readonly string[]> {
  const values = new Map<string, boolean | string | readonly string[]>();
  for (const name of ['filename', 'no-bootstrap', 'kube-version', 'max-manifest-bytes', 'validate']) {
    if (!args.has(name)) continue;
    values.set(name, name === 'filename' ? args.list(name) : name === 'no-bootstrap' ? true : args.string(name)!);
  }
  return values;
}

async function readAll(stream: AsyncIterable<unknown>, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    chunks.push(b);
    total += b.length;
    if (total > limit) break;
  }
  return Buffer.concat(chunks).toString('utf8');
}

function policyOf(load: LoadResult, o: DiffOptions): RbacPolicy {
  return RbacPolicy.fromLoadResult(load, { bootstrap: o.bootstrap, kubeVersion: o.kubeVersion, fieldValidation: o.fieldValidation });
}

function warningsOf(side: string, input: LoadedInput): string[] {
  return [...input.warnings, ...input.policy.problems.map((p) => p.message)].map((w) => `${side}: ${w}`);
}

function failed(diff: AccessDiff, failOn: FailOn): boolean {
  if (failOn === 'none') return false;
  if (failOn === 'any') return diff.subjects.some((s) => s.gained.length > 0);
  const worst = highestSeverity(diff);
  return worst !== undefined && RISK_SEVERITIES.indexOf(worst) >= RISK_SEVERITIES.indexOf(failOn);
}

function render(diff: AccessDiff, o: DiffOptions, headFiles: readonly string[]): string {
  switch (o.format) {
    case 'json':
      return renderJson(diff);
    case 'markdown':
      return renderAccessDiffMarkdown(diff);
    case 'sarif':
      // A result needs a file: a gain without one (through a bootstrap object) is placed at the first head file.
      return renderAccessDiffSarif(diff, headFiles[0] ?? (o.head[0] === '-' ? STDIN_NAME : o.head[0]));
    default:
      // Plain: the report is meant for logs and CI as much as for a terminal.
      return renderAccessDiffText(diff, makeStyle(false));
  }
}

/** `api-reader diff BASE HEAD` and `api-reader diff --base-ref REF PATH...`. */
export const diffCommand: StreamingCommand<DiffOptions> = {
  streaming: true,
  name: NAME,
  summary: 'who gains and who loses which access between two versions of manifests (for pull requests and CI)',
  usage: 'diff BASE HEAD [flags]\n       api-reader diff --base-ref REF PATH... [flags]',
  details: [
    'BASE and HEAD are manifest files, directories (read recursively) or - (stdin, for one of them),',
    'e.g. a live dump: kubectl get clusterroles,clusterrolebindings,roles,rolebindings -A -o yaml.',
    'With --base-ref the PATHs are read from git REF (base) and from the working tree (head); a path',
    'new in head is all gained. For every User, Group and ServiceAccount the bindings name (and every',
    'ServiceAccount object), the requests head allows and base denies (gained) and the reverse (lost),',
    'with the binding and rule that grant them at file:line, and the risk of each gained access.',
    'Exit codes: 0 done, 1 a gained access reached --fail-on, 2 usage or input error.',
    '',
    'Examples:',
    '  api-reader diff --base-ref origin/main dist/ -o markdown',
    '  api-reader diff before/ after/ --fail-on high',
    '  kubectl get clusterroles,clusterrolebindings,roles,rolebindings,serviceaccounts -A -o yaml | api-reader diff - dist/',
  ].join('\n'),
  flags: [
    { name: 'output', short: 'o', type: 'string', placeholder: 'FORMAT', description: 'text (default), json, markdown (a pull-request comment) or sarif (SARIF 2.1.0 for code scanning)' },
    { name: 'fail-on', type: 'string', placeholder: 'LEVEL', description: 'exit 1 when access is gained: none (default), any, or a risk of at least low, medium, high or critical' },
    { name: 'base-ref', type: 'string', placeholder: 'REF', description: 'read the base from this git ref (branch, tag, commit) of the current repository' },
  ],
  requiresInput: false,
  options,
  async execute(o: DiffOptions, _input: LoadedInput | undefined, streams: CommandStreams): Promise<CommandResult> {
    let stdin: string | undefined;
    if (o.base.includes('-') || o.head.includes('-')) {
      if (streams.stdinIsTTY) throw new CliInputError('- reads manifests from stdin, and stdin is a terminal; pipe the manifests in (kubectl get ... -o yaml | api-reader diff - dist/).');
      stdin = await readAll(streams.openStdin(), o.maxManifestBytes + 1);
    }
    const readStdin = () => stdin ?? '';
    let base: LoadedInput;
    const notes: string[] = [];
    if (o.baseRef !== undefined) {
      const fromRef = loadFromGitRef(o.baseRef, o.base, o.cwd, o.maxManifestBytes);
      base = { load: fromRef.load, policy: policyOf(fromRef.load, o), warnings: [] };
      for (const p of fromRef.newInHead) notes.push(`${p} is not in ${o.baseRef}: everything it grants counts as gained.`);
    } else {
      base = loadInput(o.base, o.bootstrap, readStdin, o.kubeVersion, o.maxManifestBytes, o.fieldValidation);
    }
    const head = loadInput(o.head, o.bootstrap, readStdin, o.kubeVersion, o.maxManifestBytes, o.fieldValidation);
    const diff = diffAccess({ policy: base.policy, load: base.load }, { policy: head.policy, load: head.load });
    const warnings = [...notes, ...warningsOf('base', base), ...warningsOf('head', head)];
    await streams.write(render(diff, o, head.load.files));
    return { stdout: '', warnings, outcome: { kind: 'answer', allowed: !failed(diff, o.failOn) } };
  },
};
