/**
 * `api-reader audit`'s own flags and the step from their parsed values to the audit library's
 * {@link AuditOptions}.
 */
// The audit library's option types and parsers only, from their own modules: the barrel would load
// every log reader for `can-i` too (see commands/audit.ts, which loads the readers on use).
import { AuditFilter, expandUser, parseResourceSelector, serviceAccountSpelling, userPattern } from '../../audit/filter';
import type { AdviseRunOptions, AuditOptions, AuditView } from '../../audit/options';
import { parseTimeBound } from '../../audit/time';
import { AuditUsageError } from '../../audit/errors';
import { AUDIT_STAGES } from '../../audit/types';
import { FlagSpec, ParsedArgs } from '../args';
import { CommonOptions, enabledApisOption, fieldValidationOption, kubeVersionOption, maxManifestBytesOption } from '../command';
import { UsageError } from '../errors';

/** The flags of `api-reader audit` (the manifests for the grant diff come from the common `-f`). */
export const AUDIT_FLAGS: readonly FlagSpec[] = [
  { name: 'user', short: 'u', type: 'list', commaSeparated: true, placeholder: 'USER', description: 'Only requests of this user, named as in kubectl impersonation (system:serviceaccount:NS:NAME for a service account; NS:NAME is a user of that literal name); a trailing * makes a prefix (system:serviceaccount:dev:* is every service account of dev).' },
  { name: 'user-regex', type: 'string', placeholder: 'REGEX', description: 'Only requests of users matching this regular expression (unanchored), e.g. ^system:serviceaccount:(dev|ci):.' },
  { name: 'group', type: 'list', commaSeparated: true, placeholder: 'GROUP', description: 'Only requests of users in this group, e.g. system:serviceaccounts:dev or devs.' },
  { name: 'namespace', short: 'n', type: 'list', commaSeparated: true, placeholder: 'NS', description: 'Only requests in this namespace.' },
  { name: 'resource', short: 'r', type: 'list', commaSeparated: true, placeholder: 'RESOURCE', description: 'Only this resource: secrets, pods/log, deployments.apps, pods/* (any subresource).' },
  { name: 'name', type: 'list', commaSeparated: true, placeholder: 'NAME', description: 'Only requests naming this object.' },
  { name: 'verb', type: 'list', commaSeparated: true, placeholder: 'VERB', description: 'Only this verb: get, list, watch, create, update, patch, delete, deletecollection.' },
  { name: 'decision', type: 'string', placeholder: 'allow|forbid', description: 'Only requests the authorizer allowed or forbade.' },
  { name: 'since', type: 'string', placeholder: 'TIME', description: 'Only requests at or after TIME: RFC 3339 (2024-05-01T10:00:00Z) or a duration back from now (1h, 30m, 2d).' },
  { name: 'until', type: 'string', placeholder: 'TIME', description: 'Only requests at or before TIME (same forms as --since).' },
  { name: 'stage', type: 'list', commaSeparated: true, placeholder: 'STAGE', description: 'Only events of this stage, or "all" (default ResponseComplete, so each request counts once).' },
  { name: 'output', short: 'o', type: 'string', placeholder: 'table|wide|summary|json|yaml|typescript', description: 'The view: table (default), wide (the table with user agent, audit ID and file:line), summary, json (JSON lines) or yaml (one document per request); with --advise: yaml (default) or typescript.' },
  { name: 'advise', type: 'boolean', description: 'Print the least-privilege Role/ClusterRole and binding covering the allowed requests of every subject the filters keep (one section each), and with -f diff them against the manifests.' },
  { name: 'include-system-identities', type: 'boolean', description: 'With --advise: also advise control plane and node identities (controller manager, scheduler, nodes, kube-system service accounts), left out by default.' },
  { name: 'include-unknown-decisions', type: 'boolean', description: 'With --advise: also grant requests of unknown decision (no decision annotation and a response other than 2xx, 401 or 403, e.g. 404, or 400 and 429 answered before authorization), left out with a warning by default.' },
  { name: 'keep-names', type: 'boolean', description: 'With --advise: keep every resourceName, even names a controller generates (StatefulSet ordinals, ReplicaSet and Job suffixes).' },
  { name: 'widen-sensitive-names', type: 'boolean', description: 'With --advise: let the names of Secrets collapse like generated names or more than --max-names (a rule then reads every Secret of its scope); each such rule is printed as a "names-widened" RISK. By default Secret rules keep every name read.' },
  { name: 'max-names', type: 'string', placeholder: 'N', description: 'With --advise: the most resourceNames one rule lists before it names none (default 10).' },
  { name: 'missing-only', type: 'boolean', description: 'With --advise and -f: print only the Roles and bindings the manifests lack for the observed allowed requests, proven with the evaluator.' },
  { name: 'strict', type: 'boolean', description: 'Stop at the first malformed log line (exit 2) instead of reporting and skipping it.' },
  { name: 'max-line-bytes', type: 'string', placeholder: 'SIZE', description: 'The longest log line read, e.g. 64Mi (default 16Mi); a longer line is skipped with a warning (an error with --strict).' },
  { name: 'include-bootstrap', type: 'boolean', description: 'With --advise and -f: also list unused rules of Kubernetes\' bootstrap bindings.' },
];

/** Read-back access to parsed flag values: the CLI's {@link ParsedArgs}, or a stand-in in tests. */
export type AuditFlagValues = Pick<ParsedArgs, 'boolean' | 'string' | 'list'>;

const VIEWS: Readonly<Record<string, AuditView>> = { table: 'table', wide: 'wide', summary: 'summary', json: 'json', yaml: 'yaml' };
const ADVICE_VIEWS: Readonly<Record<string, AuditView>> = { yaml: 'advice-yaml', typescript: 'advice-typescript', ts: 'advice-typescript' };

/**
 * Typed options from the positional log paths and the flag values.
 * @param logs the positional arguments (log files, `-` for stdin); none means stdin
 * @param flags the parsed flags
 * @param now the current time in epoch ms (for `--since 1h`)
 * @param defaultView the view without `-o` (and without `--advise`)
 * @default defaultView 'table'
 * @throws UsageError (from here) or AuditUsageError (from the filter parsers) for a wrong value, with a sentence saying how to fix it
 */
export function auditOptions(logs: readonly string[], flags: AuditFlagValues, now: number, defaultView: 'table' | 'summary' = 'table'): AuditOptions {
  const users = flags.list('user').map(expandUser);
  const decision = flags.string('decision');
  if (decision !== undefined && decision !== 'allow' && decision !== 'forbid') {
    throw new UsageError(`--decision ${JSON.stringify(decision)} is not allow or forbid.`, 'audit');
  }
  const stageValues = flags.list('stage');
  let stages: AuditFilter['stages'];
  if (stageValues.some((s) => s.toLowerCase() === 'all')) {
    stages = 'all';
  } else if (stageValues.length > 0) {
    for (const s of stageValues) {
      if (!(AUDIT_STAGES as readonly string[]).includes(s)) {
        throw new UsageError(`--stage ${JSON.stringify(s)} is not a stage: use ${AUDIT_STAGES.join(', ')} or all.`, 'audit');
      }
    }
    stages = stageValues;
  }
  const since = flags.string('since');
  const until = flags.string('until');
  const userRegex = flags.string('user-regex');
  const groups = flags.list('group');
  const filter: AuditFilter = {
    ...(users.length > 0 ? { users } : {}),
    ...(userRegex !== undefined ? { userPattern: userPattern(userRegex).source } : {}),
    ...(groups.length > 0 ? { groups } : {}),
    ...(flags.list('namespace').length > 0 ? { namespaces: flags.list('namespace') } : {}),
    ...(flags.list('resource').length > 0 ? { resources: flags.list('resource').map(parseResourceSelector) } : {}),
    ...(flags.list('name').length > 0 ? { names: flags.list('name') } : {}),
    ...(flags.list('verb').length > 0 ? { verbs: flags.list('verb').map((v) => v.toLowerCase()) } : {}),
    ...(decision !== undefined ? { decision } : {}),
    ...(since !== undefined ? { since: parseTimeBound(since, '--since', now) } : {}),
    ...(until !== undefined ? { until: parseTimeBound(until, '--until', now) } : {}),
    ...(stages !== undefined ? { stages } : {}),
  };
  if (filter.since !== undefined && filter.until !== undefined && filter.since > filter.until) {
    throw new UsageError('--since is after --until, so nothing can match; swap them.', 'audit');
  }
  const output = flags.string('output');
  const advise = flags.boolean('advise');
  let view: AuditView;
  for (const flag of ['include-system-identities', 'include-unknown-decisions', 'keep-names', 'widen-sensitive-names', 'missing-only']) {
    if (!advise && flags.boolean(flag)) throw new UsageError(`--${flag} goes with --advise.`, 'audit');
  }
  if (!advise && flags.string('max-names') !== undefined) throw new UsageError('--max-names goes with --advise.', 'audit');
  if (advise) {
    view = ADVICE_VIEWS[output ?? 'yaml'];
    if (!view) throw new UsageError(`--output ${JSON.stringify(output)} does not go with --advise: use yaml or typescript.`, 'audit');
  } else {
    view = VIEWS[output ?? defaultView];
    if (!view) throw new UsageError(`--output ${JSON.stringify(output)} is not a view: use table, wide, summary, json or yaml (typescript goes with --advise).`, 'audit');
  }
  const maxLine = flags.string('max-line-bytes');
  return {
    logs: logs.length > 0 ? logs : ['-'],
    ...(maxLine !== undefined ? { maxLineBytes: parseByteSize(maxLine, '--max-line-bytes') } : {}),
    filter,
    view,
    ...(flags.boolean('strict') ? { strict: true } : {}),
    ...(advise ? { advise: adviseOptions(flags) } : {}),
    ...(flags.boolean('include-bootstrap') ? { includeBootstrap: true } : {}),
  };
}

const SIZE_UNITS: Readonly<Record<string, number>> = { '': 1, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3 };

/**
 * A size in bytes: a whole number with an optional binary suffix, as Kubernetes quantities write it
 * (`4096`, `512Ki`, `64Mi`, `1Gi`).
 * @param command the command whose usage an error shows
 * @default command 'audit'
 * @throws UsageError for anything else, or less than one byte
 */
export function parseByteSize(value: string, flag: string, command = 'audit'): number {
  const m = /^(\d+)(Ki|Mi|Gi)?$/.exec(value);
  const bytes = m ? Number(m[1]) * SIZE_UNITS[m[2] ?? ''] : NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 1) {
    throw new UsageError(`${flag} ${JSON.stringify(value)} is not a size: use a whole number of bytes, optionally with Ki, Mi or Gi (e.g. 64Mi).`, command);
  }
  return bytes;
}

function adviseOptions(flags: AuditFlagValues): AdviseRunOptions {
  const max = flags.string('max-names');
  if (max !== undefined && !/^[1-9]\d{0,5}$/.test(max)) {
    throw new UsageError(`--max-names must be a whole number from 1 to 999999, not ${JSON.stringify(max)}.`, 'audit');
  }
  return {
    ...(flags.boolean('include-system-identities') ? { includeSystemIdentities: true } : {}),
    ...(flags.boolean('include-unknown-decisions') ? { includeUnknownDecisions: true } : {}),
    ...(flags.boolean('keep-names') ? { keepNames: true } : {}),
    ...(flags.boolean('widen-sensitive-names') ? { widenSensitiveNames: true } : {}),
    ...(max !== undefined ? { maxNames: Number(max) } : {}),
    ...(flags.boolean('missing-only') ? { missingOnly: true } : {}),
  };
}

/**
 * {@link auditOptions} for the command named `command`: its usage errors name that command.
 * @param positionals the logs (`[]` for `audit serve`)
 * @param defaultView the view without `-o` (and without `--advise`)
 * @default defaultView 'table'
 */
export function auditCommandOptions(
  positionals: readonly string[], args: ParsedArgs, now: number, command: string, defaultView: 'table' | 'summary' = 'table',
): AuditOptions {
  try {
    return auditOptions(positionals, args, now, defaultView);
  } catch (e) {
    if (e instanceof AuditUsageError || e instanceof UsageError) throw new UsageError(e.message, command);
    throw e;
  }
}

/**
 * The options both audit commands share with every command, from their audit options and `-f`
 * manifests: the manifests are read as every command reads them, and advice is for the
 * `--kube-version` asked for.
 */
export function sharedAuditCommandOptions(
  args: ParsedArgs, audit: AuditOptions, files: readonly string[], command: string,
): CommonOptions & { readonly audit: AuditOptions } {
  const kubeVersion = kubeVersionOption(args, command);
  return {
    files,
    bootstrap: !args.boolean('no-bootstrap'),
    json: audit.view === 'json' || audit.view === 'yaml',
    kubeVersion,
    maxManifestBytes: maxManifestBytesOption(args, command),
    fieldValidation: fieldValidationOption(args, command),
    enabledApis: enabledApisOption(args, command, kubeVersion),
    skipInvalid: args.boolean('skip-invalid'),
    audit: audit.advise ? { ...audit, advise: { ...audit.advise, kubeVersion } } : audit,
  };
}

/**
 * For a run that kept nothing: each `--user` value written `NS:NAME` (a user of that literal name, as
 * for kubectl) gets "did you mean system:serviceaccount:NS:NAME?".
 */
export function userSpellingHints(audit: AuditOptions): string[] {
  return (audit.filter.users ?? []).flatMap((u) => {
    const meant = serviceAccountSpelling(u);
    return meant === undefined ? [] : [
      `--user ${JSON.stringify(u)} matched no request: it is the user of that literal name, as for kubectl --as; did you mean ${meant}?`,
    ];
  });
}
