/**
 * `api-reader who-can`: every subject allowed a request, with the binding that grants it (like
 * kubectl-who-can). Groups are listed as groups: `system:authenticated` means every signed-in user.
 */
import {
  AccessRequest, describeOperation, isNonResourceRequest, whoCan, WhoCanEntry, WhoCanNamedEntry,
} from '../../rbac';
import { ParsedArgs } from '../args';
import {
  Command, CommandResult, CommonOptions, commonOptions, NAMESPACE_FLAGS, namespaceOption, SUBRESOURCE_FLAG, verbAndTarget,
} from '../command';
import { objectLabel, ruleLabel, subjectName } from '../../rbac/views/rule-text';
import { problemWarnings } from '../input';
import { renderJson } from '../render/json';
import { Style } from '../render/style';
import { renderTable } from '../render/table';
import { terminalLines } from '../render/terminal-text';
import { buildRequest } from '../../rbac/request';
import { scopeWarnings } from '../scope-warning';

const NAME = 'who-can';

/** The options of `who-can`. */
export interface WhoCanOptions extends CommonOptions {
  /** The request. */
  readonly request: AccessRequest;
  /**
   * `-o wide`: the table also shows the rule that allows the request.
   * @default false
   */
  readonly wide?: boolean;
}

function options(args: ParsedArgs): WhoCanOptions {
  const common = commonOptions(args, NAME, ['text', 'wide']);
  const [verb, target] = verbAndTarget(args, NAME);
  const namespace = namespaceOption(args, NAME, 'default');
  return { ...common, wide: common.output === 'wide', request: buildRequest(verb, target, { namespace, subresource: args.string('subresource') }, { kubeVersion: common.kubeVersion, enabledApis: common.enabledApis }) };
}

/** One allowed subject, flattened for output. */
interface Row {
  readonly subject: string;
  readonly kind: string;
  readonly binding: string;
  readonly role: string;
  readonly reason: string;
}

function row(entry: WhoCanEntry): Row {
  const s = entry.grant.source;
  return {
    subject: subjectName(entry.subject, s.bindingNamespace ?? ''),
    kind: entry.subject.kind,
    binding: objectLabel(s.bindingKind, s.bindingName, s.bindingNamespace ?? ''),
    role: objectLabel(s.roleRef.kind, s.roleRef.name, s.roleRef.kind === 'Role' ? s.bindingNamespace ?? '' : ''),
    reason: `RBAC: allowed by ${s.description}`,
  };
}

/** The row of a group the API server allows everything before RBAC (`system:masters`), bound or not. */
function privilegedRow(group: string): Row {
  return { subject: group, kind: 'Group', binding: '(privileged group)', role: '(everything)', reason: 'allowed by the privileged-group authorizer, before RBAC' };
}

/** A subject allowed only on named objects: a {@link Row} with the names. */
interface NamedRow extends Row {
  readonly names: readonly string[];
}

function namedRow(entry: WhoCanNamedEntry): NamedRow {
  return { ...row(entry), names: entry.names, reason: `only on the named objects ${entry.names.map((n) => JSON.stringify(n)).join(', ')}: ${entry.grant.source.description}` };
}

/** `-o wide`'s extra cell: the rule that allows the request, in a few words (`get secrets [api-access-secret]`). */
function wideCells(o: WhoCanOptions, entry: WhoCanEntry): string[] {
  return o.wide ? [ruleLabel(entry.grant.rule)] : [];
}

/** The second section: who may do it, but only on the named objects their rules list. */
function namedSection(o: WhoCanOptions, entries: readonly WhoCanNamedEntry[], style: Style): string {
  if (entries.length === 0) return '';
  const rows = entries.map(namedRow);
  const title = terminalLines([`may ${describeOperation(o.request)} ${scope(o.request)} only on named objects:`]);
  const headings = ['SUBJECT', 'KIND', 'NAMES', 'BINDING', 'ROLE', ...(o.wide ? ['RULE'] : [])];
  return `\n${title}${renderTable(headings, rows.map((r, i) => [r.subject, r.kind, r.names.join(','), r.binding, r.role, ...wideCells(o, entries[i])]), style)}`;
}

function scope(request: AccessRequest): string {
  if (isNonResourceRequest(request) || !request.namespace) return 'cluster-wide';
  return `in namespace ${request.namespace}`;
}

/** `api-reader who-can VERB RESOURCE[/NAME] -f PATH`. */
export const whoCanCommand: Command<WhoCanOptions> = {
  name: NAME,
  summary: 'which subjects may do VERB on RESOURCE, and through which binding',
  usage: 'who-can VERB RESOURCE[/NAME] | URL -f PATH [flags]',
  details: [
    'Lists every User, Group and ServiceAccount a binding allows the request, with the binding and role.',
    'ClusterRoleBindings apply everywhere; RoleBindings only in their namespace (-n, default "default").',
    'With -A only cluster-wide grants count, as for a request across all namespaces.',
    'For a request that names no object, a second section lists the subjects that may do it only on',
    'named objects (rules with resourceNames), with the names; the first section is the server\'s answer.',
    'system:masters is always listed first: the API server allows that group everything before RBAC.',
    '',
    '-o wide adds the rule that allows the request.',
    '',
    'Example:',
    '  api-reader who-can get secrets/api-access-secret -n dev -f dist/',
  ].join('\n'),
  flags: [
    ...NAMESPACE_FLAGS,
    SUBRESOURCE_FLAG,
  ],
  requiresInput: true,
  options,
  execute(o, input, style): CommandResult {
    const result = whoCan(input.policy, o.request);
    const rows = [...result.privilegedGroups.map(privilegedRow), ...result.entries.map(row)];
    const named = result.namedOnly.map(namedRow);
    const warnings = [...scopeWarnings(input.policy, o.request), ...problemWarnings(input)];
    const outcome = { kind: 'done' } as const;
    if (o.json) return { stdout: renderJson({ request: o.request, subjects: rows, namedOnly: named, errors: result.errors }), warnings, outcome };
    const privileged = result.privilegedGroups.length;
    // -o wide: the privileged group's rule is everything; the others', the rule of their entry.
    const wide = (i: number) => (i < privileged ? (o.wide ? ['*'] : []) : wideCells(o, result.entries[i - privileged]));
    const main = result.entries.length === 0
      ? terminalLines([`no binding allows ${describeOperation(o.request)} ${scope(o.request)}; only ${result.privilegedGroups.join(', ')} may, allowed everything before RBAC is asked`])
      : renderTable(['SUBJECT', 'KIND', 'BINDING', 'ROLE', ...(o.wide ? ['RULE'] : [])], rows.map((r, i) => [r.subject, r.kind, r.binding, r.role, ...wide(i)]), style);
    return { stdout: main + namedSection(o, result.namedOnly, style), warnings, outcome };
  },
};
