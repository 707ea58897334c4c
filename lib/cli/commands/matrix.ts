/**
 * `api-reader matrix`: a subjects x resources x verbs table (like rakkess), by default for every
 * ServiceAccount in the input, each in its own namespace.
 */
import {
  impersonatedUser, RbacInputError, RbacPolicy, serviceAccountUser, splitServiceAccountUsername,
} from '../../rbac';
import { ParsedArgs } from '../args';
import {
  Command, CommandResult, CommonOptions, commonOptions, NAMESPACE_FLAGS, namespaceOption,
} from '../command';
import { buildMatrix, MatrixCell, MatrixSubject, SubjectMatrix } from '../../rbac/views/matrix';
import { UsageError } from '../errors';
import { problemWarnings } from '../input';
import { renderJson } from '../render/json';
import { Style } from '../render/style';
import { Cell, renderTable } from '../render/table';
import { terminalText } from '../render/terminal-text';
import { parseResourceColumn, ResourceColumn } from '../../rbac/request';
import { subjectWarning } from '../../rbac/subject-names';

const NAME = 'matrix';

/** The resources a matrix shows unless `--resources` is given. */
export const DEFAULT_RESOURCES: readonly string[] = [
  'secrets', 'configmaps', 'pods', 'pods/log', 'pods/exec', 'serviceaccounts', 'serviceaccounts/token', 'namespaces',
  'roles', 'rolebindings', 'clusterroles', 'clusterrolebindings',
];

/** The verbs a matrix shows unless `--verbs` is given. */
export const DEFAULT_VERBS: readonly string[] = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

/** The options of `matrix`. */
export interface MatrixOptions extends CommonOptions {
  /** `--subjects` as given; empty means every ServiceAccount in the input. */
  readonly subjects: readonly string[];
  /** `-n`/`-A`; `undefined` means each ServiceAccount's own namespace (and `default` for other users). */
  readonly namespace?: string;
  /** The resource columns. */
  readonly resources: readonly ResourceColumn[];
  /** The verbs. */
  readonly verbs: readonly string[];
}

function options(args: ParsedArgs): MatrixOptions {
  if (args.positionals.length > 0) throw new UsageError(`matrix takes no arguments, got: ${args.positionals.join(' ')}.`, NAME);
  const resources = args.list('resources');
  const verbs = args.list('verbs');
  const common = commonOptions(args, NAME);
  const vocabulary = { kubeVersion: common.kubeVersion, enabledApis: common.enabledApis };
  return {
    ...common,
    subjects: args.list('subjects'),
    namespace: namespaceOption(args, NAME, undefined),
    resources: (resources.length > 0 ? resources : DEFAULT_RESOURCES).map((r) => parseResourceColumn(r, vocabulary)),
    verbs: verbs.length > 0 ? verbs : DEFAULT_VERBS,
  };
}

/**
 * The subjects to evaluate: `--subjects` (each like `--as`), else every ServiceAccount in the input.
 * @throws RbacInputError when there are none, or a subject is malformed
 */
export function matrixSubjects(policy: RbacPolicy, names: readonly string[], namespace: string | undefined): MatrixSubject[] {
  if (names.length > 0) {
    return names.map((n) => {
      const user = impersonatedUser(n);
      return { user, namespace: namespace ?? splitServiceAccountUsername(user.name)?.namespace ?? 'default' };
    });
  }
  const accounts = policy.serviceAccounts()
    .map((sa) => ({ ns: sa.metadata.namespace ?? 'default', name: sa.metadata.name }))
    .sort((a, b) => (a.ns === b.ns ? (a.name < b.name ? -1 : 1) : a.ns < b.ns ? -1 : 1));
  if (accounts.length === 0) throw new RbacInputError('the input has no ServiceAccounts to put in the matrix; pass --subjects, e.g. --subjects system:serviceaccount:dev:app,alice.');
  return accounts.map((a) => ({ user: serviceAccountUser(a.ns, a.name), namespace: namespace ?? a.ns }));
}

const MARKS = { allowed: '✔', named: '◐', denied: '✖' } as const;

function markCell(cell: MatrixCell, style: Style): Cell {
  const paint = cell.state === 'allowed' ? style.ok : cell.state === 'named' ? style.partial : style.bad;
  return { text: MARKS[cell.state], paint };
}

function renderSubject(m: SubjectMatrix, verbs: readonly string[], style: Style): string {
  const where = m.namespace ? `in namespace ${m.namespace}` : 'cluster-wide';
  const table = renderTable(['RESOURCE', ...verbs.map((v) => v.toUpperCase())], m.rows.map((r) => [r.resource, ...r.cells.map((c) => markCell(c, style))]), style);
  return `${style.heading(terminalText(m.subject))} ${terminalText(where)}\n${table}`;
}

/** The text legend under the tables. */
export const LEGEND = `${MARKS.allowed} allowed   ${MARKS.named} only some named objects (resourceNames; see --output json)   ${MARKS.denied} denied`;

/** `api-reader matrix -f PATH`. */
export const matrixCommand: Command<MatrixOptions> = {
  name: NAME,
  summary: 'a subjects x resources x verbs table (like rakkess)',
  usage: 'matrix -f PATH [--subjects S,...] [--resources R,...] [--verbs V,...] [flags]',
  details: [
    'By default: every ServiceAccount in the input, each in its own namespace (-n NS or -A to override;',
    'other --subjects default to namespace "default"), and these resources and verbs:',
    `  ${DEFAULT_RESOURCES.join(',')}`,
    `  ${DEFAULT_VERBS.join(',')}`,
    'A matrix request names no object, so a grant limited to resourceNames shows as ◐.',
    '',
    'Example:',
    '  api-reader matrix -f dist/ --resources secrets,pods --verbs get,list',
  ].join('\n'),
  flags: [
    { name: 'subjects', type: 'list', commaSeparated: true, placeholder: 'S,...', description: 'users to show, each system:serviceaccount:NS:NAME or a user name' },
    ...NAMESPACE_FLAGS.map((f) => (f.name === 'namespace' ? { ...f, description: "the namespace to ask about (default: each ServiceAccount's own)" } : f)),
    { name: 'resources', type: 'list', commaSeparated: true, placeholder: 'R,...', description: 'resources as RESOURCE[.GROUP][/SUBRESOURCE], e.g. secrets,pods/log,deployments.apps' },
    { name: 'verbs', type: 'list', commaSeparated: true, placeholder: 'V,...', description: `verbs (default ${DEFAULT_VERBS.join(',')})` },
  ],
  requiresInput: true,
  options,
  execute(o, input, style): CommandResult {
    const subjects = matrixSubjects(input.policy, o.subjects, o.namespace);
    const matrix = buildMatrix(input.policy, subjects, o.resources, o.verbs);
    const unknownSubjects = o.subjects.flatMap((n) => subjectWarning(input.policy, n.trim(), '--subjects') ?? []);
    const warnings = [...unknownSubjects, ...problemWarnings(input)];
    const outcome = { kind: 'done' } as const;
    if (o.json) return { stdout: renderJson({ verbs: o.verbs, subjects: matrix }), warnings, outcome };
    const text = `${matrix.map((m) => renderSubject(m, o.verbs, style)).join('\n')}\n${LEGEND}\n`;
    return { stdout: text, warnings, outcome };
  },
};
