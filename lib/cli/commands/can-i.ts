/**
 * `api-reader can-i`: kubectl's `auth can-i`, offline. Answers yes (exit 0) or no (exit 1) for one
 * request, with `--explain` for upstream's reason, or lists what a subject may do (`--list`).
 */
import {
  AccessRequest, authorize, Decision, impersonatedUser, malformedServiceAccountWarning, rulesFor, UserInfo,
} from '../../rbac';
import { ParsedArgs } from '../args';
import {
  Command, CommandResult, CommonOptions, commonOptions, NAMESPACE_FLAGS, namespaceOption, SUBRESOURCE_FLAG, verbAndTarget,
} from '../command';
import { accessRows } from '../../rbac/views/access-list';
import { goList } from '../../rbac/views/rule-text';
import { UsageError } from '../errors';
import { ignoredSummary, LoadedInput, serverWarnings } from '../input';
import { renderJson } from '../render/json';
import { Style } from '../render/style';
import { renderTable } from '../render/table';
import { terminalText } from '../render/terminal-text';
import { buildRequest, kubectlCanIAttributes } from '../../rbac/request';
import { kubectlDifference } from '../kubectl-difference';
import { scopeWarnings } from '../scope-warning';
import { subjectWarning } from '../../rbac/subject-names';

const NAME = 'can-i';

/** The options of `can-i`. */
export interface CanIOptions extends CommonOptions {
  /** The impersonated user (`--as`, `--as-group`). */
  readonly user: UserInfo;
  /** The namespace; `""` for all namespaces (`-A`). */
  readonly namespace: string;
  /** The request, or `undefined` for `--list`. */
  readonly request?: AccessRequest;
  /**
   * The attributes `kubectl auth can-i` would send for it (see `kubectlCanIAttributes`).
   * @default - none for `--list`
   */
  readonly kubectlRequest?: AccessRequest;
  /** `--explain`: print the reason, ignored kinds and policy problems. */
  readonly explain: boolean;
  /**
   * `-q`/`--quiet`: print nothing on stdout; the exit code is the answer (warnings still go to stderr), as kubectl.
   * @default false
   */
  readonly quiet?: boolean;
}

function options(args: ParsedArgs): CanIOptions {
  const common = commonOptions(args, NAME);
  const as = args.string('as');
  if (as === undefined) throw new UsageError('--as SUBJECT is required (offline there is no current user), e.g. --as system:serviceaccount:dev:secret-access-sa.', NAME);
  const list = args.boolean('list');
  if (list && args.positionals.length > 0) throw new UsageError(`--list takes no VERB or RESOURCE, got: ${args.positionals.join(' ')}.`, NAME);
  const namespace = namespaceOption(args, NAME, 'default');
  const user = impersonatedUser(as, args.list('as-group'));
  const explain = args.boolean('explain');
  const quiet = args.boolean('quiet');
  if (list) return { ...common, user, namespace, explain, quiet };
  const [verb, target] = verbAndTarget(args, NAME);
  const vocabulary = { kubeVersion: common.kubeVersion, enabledApis: common.enabledApis };
  const request = buildRequest(verb, target, { namespace, subresource: args.string('subresource') }, vocabulary);
  return { ...common, user, namespace, explain, quiet, request, kubectlRequest: kubectlCanIAttributes(request, target, vocabulary) };
}

/** A warning when `--as` only looks like a service account (the server takes it as a plain user). */
function subjectWarnings(user: UserInfo): string[] {
  const warning = malformedServiceAccountWarning(user.name);
  return warning ? [warning] : [];
}

/** A `--as` that names no one the input knows but looks like one of its ServiceAccounts: "did you mean". */
function asWarnings(o: CanIOptions, input: LoadedInput): string[] {
  const warning = subjectWarning(input.policy, o.user.name, '--as');
  return warning ? [warning] : [];
}

function explainLines(decision: Decision, input: LoadedInput): string[] {
  const lines = decision.allowed ? [decision.reason || decision.explanation] : [...(decision.reason ? [decision.reason] : []), decision.explanation];
  const ignored = ignoredSummary(input.load.ignored);
  if (ignored) lines.push(ignored);
  for (const p of input.policy.problems) lines.push(`problem: ${p.message}`);
  return lines;
}

function decisionJson(o: CanIOptions, request: AccessRequest, decision: Decision, input: LoadedInput): unknown {
  return {
    allowed: decision.allowed,
    reason: decision.reason,
    explanation: decision.explanation,
    errors: decision.errors,
    user: o.user,
    request,
    ...(decision.grant ? { grant: { binding: decision.grant.source.description, rule: decision.grant.rule } } : {}),
    ignored: input.load.ignored,
    problems: input.policy.problems.map((p) => p.message),
  };
}

function check(o: CanIOptions, request: AccessRequest, input: LoadedInput, style: Style): CommandResult {
  const decision = authorize(input.policy, o.user, request);
  const outcome = { kind: 'answer', allowed: decision.allowed } as const;
  const difference = o.kubectlRequest ? kubectlDifference(input.policy, o.user, request, o.kubectlRequest, decision) : [];
  const warnings = [...subjectWarnings(o.user), ...scopeWarnings(input.policy, request), ...asWarnings(o, input), ...difference, ...serverWarnings(input)];
  if (o.json) return { stdout: renderJson(decisionJson(o, request, decision, input)), warnings, outcome };
  const answer = decision.allowed ? style.ok('yes') : style.bad('no');
  const lines = [answer, ...(o.explain ? explainLines(decision, input).map(terminalText) : [])];
  return { stdout: lines.map((l) => `${l}\n`).join(''), warnings, outcome };
}

function list(o: CanIOptions, input: LoadedInput, style: Style): CommandResult {
  const { rules, errors } = rulesFor(input.policy, o.user, o.namespace);
  const rows = accessRows(rules);
  const outcome = { kind: 'done' } as const;
  const warnings = [...subjectWarnings(o.user), ...errors, ...asWarnings(o, input), ...serverWarnings(input)];
  // In JSON `resources` is a list, as `nonResourceURLs`, `resourceNames` and `verbs` are (empty for a URL rule).
  const jsonRows = rows.map((r) => ({ ...r, resources: r.resources === '' ? [] : [r.resources] }));
  if (o.json) return { stdout: renderJson({ user: o.user, namespace: o.namespace, rules: jsonRows, errors }), warnings, outcome };
  const table = renderTable(
    ['Resources', 'Non-Resource URLs', 'Resource Names', 'Verbs'],
    rows.map((r) => [r.resources, goList(r.nonResourceURLs), goList(r.resourceNames), goList(r.verbs)]),
    style,
  );
  return { stdout: table, warnings, outcome };
}

/** `api-reader can-i VERB RESOURCE[/NAME] --as SUBJECT`, and `can-i --list --as SUBJECT`. */
export const canICommand: Command<CanIOptions> = {
  name: NAME,
  summary: 'may SUBJECT do VERB on RESOURCE? (exit 0 yes, 1 no), or --list what it may do',
  usage: 'can-i VERB RESOURCE[/NAME] | URL --as SUBJECT [flags]\n       api-reader can-i --list --as SUBJECT [flags]',
  details: [
    'RESOURCE is kubectl\'s: a plural name (secrets), RESOURCE.GROUP for other API groups',
    '(deployments.apps; built-in names such as deployments resolve to their group), /NAME for one',
    'object. A URL path (/api, /healthz) asks about a non-resource URL.',
    'Without -f only the bootstrap policy is consulted (every cluster has it); add -f for your manifests.',
    '',
    'Examples:',
    '  api-reader can-i get secrets/api-access-secret -n dev --as system:serviceaccount:dev:secret-access-sa -f dist/',
    '  api-reader can-i get /api --as system:serviceaccount:dev:no-access-sa --explain',
    '  api-reader can-i --list -n dev --as system:serviceaccount:dev:secret-access-sa -f dist/',
  ].join('\n'),
  flags: [
    { name: 'as', type: 'string', placeholder: 'SUBJECT', description: 'the user to ask for: system:serviceaccount:NS:NAME, or a user name (required)' },
    { name: 'as-group', type: 'list', placeholder: 'GROUP', description: 'a group the user is in; repeatable' },
    ...NAMESPACE_FLAGS,
    SUBRESOURCE_FLAG,
    { name: 'explain', type: 'boolean', description: "print upstream's reason, objects ignored for their kind, and policy problems" },
    { name: 'list', type: 'boolean', description: 'list everything the subject may do in the namespace' },
    { name: 'quiet', short: 'q', type: 'boolean', description: 'print nothing: the exit code is the answer (0 yes, 1 no), as kubectl auth can-i -q; warnings still go to stderr' },
  ],
  requiresInput: false,
  options,
  execute(o, input, style) {
    const result = o.request ? check(o, o.request, input, style) : list(o, input, style);
    return o.quiet ? { ...result, stdout: '' } : result;
  },
};
