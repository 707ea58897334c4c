/**
 * `api-reader escalations`: who can become whom. For each subject of the input (or `--subject`),
 * the ServiceAccounts, users, groups, nodes and cluster-admin equivalence it can reach, as paths of
 * hops, each naming the rule and binding (file:line) that allow it.
 */
import {
  DEFAULT_MAX_PATHS_PER_SUBJECT, EscalationNode, findEscalations, splitServiceAccountUsername,
} from '../../rbac';
import { ParsedArgs } from '../args';
import {
  Command, CommandResult, CommonOptions, enabledApisOption, fieldValidationOption, kubeVersionOption, maxManifestBytesOption,
} from '../command';
import { UsageError } from '../errors';
import { problemWarnings } from '../input';
import { renderEscalationsSarif } from '../render/escalations-sarif';
import { renderEscalationsText } from '../render/escalations-text';
import { renderJson } from '../render/json';

const NAME = 'escalations';
const GROUP_PREFIX = 'group:';

/** The output formats. */
export type EscalationsFormat = 'text' | 'json' | 'sarif';

/** The options of `escalations`. */
export interface EscalationsOptions extends CommonOptions {
  /** `--output`. */
  readonly format: EscalationsFormat;
  /** `--subject`, parsed; empty for every subject of the input. */
  readonly subjects: readonly EscalationNode[];
  /** `--max-paths`. */
  readonly maxPaths: number;
}

/**
 * One `--subject`: `system:serviceaccount:NS:NAME`, `group:NAME`, or a user name.
 * @throws UsageError for an empty value or a malformed ServiceAccount user name
 */
export function parseSubject(value: string): EscalationNode {
  const v = value.trim();
  if (v === '' || v === GROUP_PREFIX) throw new UsageError('--subject needs a user, group:NAME or system:serviceaccount:NS:NAME.', NAME);
  if (v.startsWith(GROUP_PREFIX)) return { kind: 'Group', name: v.slice(GROUP_PREFIX.length) };
  if (v.startsWith('system:serviceaccount:')) {
    const sa = splitServiceAccountUsername(v);
    if (!sa) throw new UsageError(`--subject ${JSON.stringify(v)} is not system:serviceaccount:NAMESPACE:NAME with a valid namespace and name.`, NAME);
    return { kind: 'ServiceAccount', namespace: sa.namespace, name: sa.name };
  }
  return { kind: 'User', name: v };
}

function options(args: ParsedArgs): EscalationsOptions {
  if (args.positionals.length > 0) throw new UsageError(`escalations takes no arguments, got: ${args.positionals.join(' ')}; name subjects with --subject.`, NAME);
  const format = args.string('output') ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'sarif') throw new UsageError(`--output must be text, json or sarif, not ${JSON.stringify(format)}.`, NAME);
  const max = args.string('max-paths');
  const maxPaths = max === undefined ? DEFAULT_MAX_PATHS_PER_SUBJECT : Number(max);
  if (!Number.isSafeInteger(maxPaths) || maxPaths < 1 || (max !== undefined && !/^\s*\d+\s*$/.test(max))) {
    throw new UsageError(`--max-paths must be a whole number of at least 1, not ${JSON.stringify(max)}.`, NAME);
  }
  // commonOptions would refuse --output sarif; the common flags are read one by one instead.
  const kubeVersion = kubeVersionOption(args, NAME);
  const common: CommonOptions = {
    files: args.list('filename'), bootstrap: !args.boolean('no-bootstrap'), json: format !== 'text',
    kubeVersion, maxManifestBytes: maxManifestBytesOption(args, NAME), fieldValidation: fieldValidationOption(args, NAME),
    enabledApis: enabledApisOption(args, NAME, kubeVersion), skipInvalid: args.boolean('skip-invalid'),
  };
  return { ...common, format, subjects: args.list('subject').map(parseSubject), maxPaths };
}

/** `api-reader escalations -f PATH [--subject S] [-o text|json|sarif]`. */
export const escalationsCommand: Command<EscalationsOptions> = {
  name: NAME,
  summary: 'who can become whom: escalation paths, hop by hop, with the rule and binding of each hop',
  usage: 'escalations -f PATH [--subject S]... [--max-paths N] [-o text|json|sarif] [flags]',
  details: [
    'For each subject of the input (the Users, Groups and ServiceAccounts its bindings name, then its',
    'other ServiceAccounts), the ServiceAccounts, users, groups, nodes and cluster-admin equivalence it',
    'can reach beyond what it holds, shortest path first, each target once. A reached identity brings',
    'its own permissions to the next hop. Each hop kind is an entry of the risk catalogue (creating',
    'workloads, tokens, token Secrets, reading token Secrets, impersonate, bind, escalate, exec/attach/',
    'pod updates, ephemeral containers, nodes/proxy, CSR approval, admission webhooks, PersistentVolumes,',
    "namespace Pod Security labels). Pods, workload controllers, Nodes and token Secrets in the input",
    'count (a Secret\'s data is never read into memory). At most --max-paths paths per subject (default',
    `${DEFAULT_MAX_PATHS_PER_SUBJECT}); the output says when the cap cut a list.`,
    '',
    'Subjects: system:serviceaccount:NS:NAME, group:NAME, or a user name (repeatable).',
    '',
    'Examples:',
    '  api-reader escalations -f dist/',
    '  api-reader escalations -f cluster-dump.yaml --subject system:serviceaccount:ci:deployer -o sarif > escalations.sarif',
  ].join('\n'),
  flags: [
    { name: 'subject', type: 'list', placeholder: 'S', description: 'a subject to search from: system:serviceaccount:NS:NAME, group:NAME or a user; repeatable (default: every subject of the input)' },
    { name: 'max-paths', type: 'string', placeholder: 'N', description: `the most paths listed per subject (default ${DEFAULT_MAX_PATHS_PER_SUBJECT})` },
    { name: 'output', short: 'o', type: 'string', placeholder: 'FORMAT', description: 'text (default), json or sarif' },
  ],
  requiresInput: true,
  readsWorkloads: true,
  options,
  execute(o, input): CommandResult {
    const report = findEscalations(input.policy, input.load, { maxPathsPerSubject: o.maxPaths, ...(o.subjects.length > 0 ? { subjects: o.subjects } : {}) });
    const warnings = problemWarnings(input);
    const stdout = o.format === 'json' ? renderJson(report) : o.format === 'sarif' ? renderEscalationsSarif(report) : renderEscalationsText(report, o.subjects.length > 0);
    return { stdout, warnings, outcome: { kind: 'done' } };
  },
};
