/**
 * `api-reader audit`: who did what, from kube-apiserver audit logs (streamed, any size, plain or
 * gzip, or stdin): a table, a summary, JSON lines, or least-privilege advice for one subject with
 * a diff against the manifests given with `-f`. All the work is `lib/audit`'s `runAudit`; this
 * module maps the command line onto it and its result onto the CLI's conventions.
 */
import type { AuditOptions } from '../../audit/options';
import { FlagSpec, ParsedArgs } from '../args';
import {
  CommandResult, CommandStreams, CommonOptions, OptionsContext, StreamingCommand,
} from '../command';
import { UsageError } from '../errors';
import { LoadedInput } from '../input';
import { autoWorkers, checkLogFiles } from '../log-files';
import { terminalText } from '../render/terminal-text';
import { AUDIT_FLAGS, auditCommandOptions, sharedAuditCommandOptions, userSpellingHints } from './audit-options';

const NAME = 'audit';

/** The options of `audit`. */
export interface AuditCommandOptions extends CommonOptions {
  /** What `runAudit` does. */
  readonly audit: AuditOptions;
  /** True when no LOG was given, so stdin is read without being asked for. */
  readonly implicitStdin: boolean;
  /** `--workers`: worker threads to read with; `undefined` decides by the logs' size. */
  readonly workers?: number;
}

/** The most `--workers`. */
const MAX_WORKERS = 64;

/** `-f` as `audit` uses it: the manifests for the grant diff (the logs are positionals). */
const FILENAME_FLAG: FlagSpec = {
  name: 'filename', short: 'f', type: 'list', placeholder: 'PATH',
  description: "with --advise: manifests (a file, a directory or -) to diff the advice against; logs are arguments, not -f",
};

const WORKERS_FLAG: FlagSpec = {
  name: 'workers', type: 'string', placeholder: 'N',
  description: 'threads parsing the log besides the reading one; 0 for none (default: one per core, up to 4, for 32 MiB of files or more)',
};

function workersOption(args: ParsedArgs): number | undefined {
  const value = args.string('workers');
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) > MAX_WORKERS) throw new UsageError(`--workers must be a whole number from 0 to ${MAX_WORKERS}, not ${JSON.stringify(value)}.`, NAME);
  return Number(value);
}

/** An audit flag in the CLI's help style: lower-case, no full stop, `-o FORMAT` as for every command. */
function cliFlag(flag: FlagSpec): FlagSpec {
  const description = `${flag.description[0].toLowerCase()}${flag.description.slice(1)}`.replace(/\.$/, '');
  return { ...flag, description, ...(flag.name === 'output' ? { placeholder: 'FORMAT' } : {}) };
}

function options(args: ParsedArgs, context: OptionsContext): AuditCommandOptions {
  const audit = auditCommandOptions(args.positionals, args, context.now, NAME);
  const files = args.list('filename');
  if (audit.advise?.missingOnly && files.length === 0) {
    throw new UsageError('--missing-only needs the manifests that grant today: add -f PATH (e.g. -f dist/).', NAME);
  }
  if (files.length > 0 && audit.advise === undefined) {
    throw new UsageError(`-f names manifests for --advise's grant diff; give audit logs as arguments instead: api-reader audit ${files.join(' ')}.`, NAME);
  }
  if (audit.logs.filter((l) => l === '-').length > 1) throw new UsageError('- (stdin) can be read only once; give it once.', NAME);
  if (audit.logs.includes('-') && files.includes('-')) {
    throw new UsageError('stdin cannot be both the log and the manifests: give the log as a file, or -f a manifest path.', NAME);
  }
  return {
    ...sharedAuditCommandOptions(args, audit, files, NAME),
    implicitStdin: args.positionals.length === 0,
    ...(args.has('workers') ? { workers: workersOption(args) } : {}),
  };
}

async function execute(o: AuditCommandOptions, input: LoadedInput | undefined, streams: CommandStreams): Promise<CommandResult> {
  if (o.implicitStdin && streams.stdinIsTTY) {
    throw new UsageError('no LOG given and stdin is a terminal: pass an audit log file, or pipe one in (use - to read a terminal on purpose).', NAME);
  }
  checkLogFiles(o.audit.logs);
  // Loaded on use: the log readers and advice are most of the CLI's code, and can-i never needs them.
  const [{ runAudit }, { logInputs }] = await Promise.all([import('../../audit/run'), import('../../audit/files')]);
  const result = await runAudit(o.audit, {
    logs: logInputs(o.audit.logs, streams.openStdin),
    ...(input ? { policy: input.policy } : {}),
    write: streams.write,
    cellText: terminalText,
    ...(streams.table ? { headers: streams.table.headers, width: streams.table.width } : {}),
    workers: o.workers ?? autoWorkers(o.audit.logs),
  });
  return {
    stdout: '',
    warnings: [...result.warnings, ...(result.stats.matched === 0 ? userSpellingHints(o.audit) : [])],
    ...(result.error !== undefined ? { error: result.error } : {}),
    outcome: result.error !== undefined ? { kind: 'input-error' } : { kind: 'done' },
  };
}

/** `api-reader audit [LOG...] [filters] [-o table|summary|json|yaml]`, and `--advise --user U [-o yaml|typescript] [-f PATH]`. */
export const auditCommand: StreamingCommand<AuditCommandOptions> = {
  name: NAME,
  streaming: true,
  summary: 'who did what, from API-server audit logs: a table, a summary, JSON lines, or least-privilege advice',
  usage: 'audit [LOG...] [filters] [-o table|wide|summary|json|yaml] [flags]\n'
    + '       api-reader audit [LOG...] --advise [filters] [-o yaml|typescript] [-f PATH [--missing-only]] [flags]',
  details: [
    'Filters: --user, --namespace, --resource, --name, --verb, --decision, --since/--until, --stage;',
    'each list flag keeps a request matching any of its values, and the flags combine with AND.',
    '',
    "LOG is the API server's --audit-log-path file (audit.k8s.io v1, v1beta1 or v1alpha1 Event JSON",
    "lines), a rotated .gz file (gzip is recognised by its content), the legacy text format of old",
    'clusters (1.4-1.11), EventList documents (the webhook payload, pretty-printed or not), or a',
    "managed cluster's export: GKE (Cloud Logging entries), AKS (diagnostic records, properties.log),",
    'EKS (CloudWatch Logs events and exports). Several are read in order, and - or no LOG reads stdin.',
    'Logs are streamed, so memory stays flat whatever their size (the table is written as it is read:',
    'its columns are measured on the first 1000 rows), and output waits for a slow reader. A malformed',
    'line, or one longer than --max-line-bytes, is reported with file:line and skipped; --strict stops',
    'there with exit code 2, after printing what came before. Only ResponseComplete events count by',
    'default, so each request is one row. Events without a decision annotation get one inferred from',
    'the response code (2xx allow?, 403 forbid?); any other code proves no decision, and --advise',
    'grants such requests only with --include-unknown-decisions.',
    'Large logs are parsed on worker threads (--workers); the output is the same, in the same order.',
    '',
    'Views (-o): table (default: time, user, verb, resource/name, namespace, code, decision, reason;',
    'wide adds user agent, audit ID and file:line),',
    'summary (per user and resource, with allowed and forbidden counts), json (one object per',
    'request, written as the log is read) and yaml (the same, one document per request). --advise prints, for every subject the filters keep (one',
    "section each), the least-privilege Role/ClusterRole and binding covering its allowed requests, as",
    "YAML or (-o typescript) as cdk8s code with this library's constructs. Requests the bootstrap policy",
    'already allows to everyone are listed as covered and get no rule; names a controller generates',
    '(StatefulSet ordinals, ReplicaSet/Job suffixes) or more than --max-names give a rule without names',
    '(Secrets keep theirs unless --widen-sensitive-names); members of system:masters get no grant;',
    'control plane and node identities are left out unless --include-system-identities. With -f',
    'MANIFESTS it lists what they grant but was never used and what was denied but attempted, and',
    '--missing-only prints only the objects they lack. The whole output is checked with the evaluator,',
    'applied over the manifests as kubectl would, before it is printed; names never repeat in it.',
    'Strings from the log are written as data, never into comments or code; a line whose names',
    'Kubernetes would not accept is left out of the advice with a warning naming it.',
    '',
    'Examples:',
    '  # who read this secret?',
    '  api-reader audit /var/log/kube-audit.log --resource secrets --name api-access-secret --decision allow',
    '  # what was denied in the last hour, per user and resource (rotated files included)',
    '  api-reader audit /var/log/kube-audit.log /var/log/kube-audit-*.log.gz --decision forbid --since 1h -o summary',
    '  # everything one service account did, as JSON lines, from a log on another machine',
    '  ssh control-plane sudo cat /var/log/kube-audit.log | api-reader audit --user system:serviceaccount:dev:secret-access-sa -o json',
    '  # the least privilege it needs, compared with what the manifests grant today',
    '  api-reader audit /var/log/kube-audit.log --advise --user system:serviceaccount:dev:secret-access-sa -f dist/',
    "  # advice for every service account of dev, only what dist/ does not grant yet",
    "  api-reader audit /var/log/kube-audit.log --advise --user 'system:serviceaccount:dev:*' -f dist/ --missing-only",
    '',
    'Exit codes: 0 done, 2 a usage or input error, or a malformed line with --strict.',
  ].join('\n'),
  flags: [...AUDIT_FLAGS.map(cliFlag), WORKERS_FLAG, FILENAME_FLAG],
  requiresInput: false,
  options,
  execute,
};
