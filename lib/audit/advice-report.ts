/**
 * Advice for every subject a run observed, as one report: per subject, the grants it needs (minus
 * what is granted already), proven against the evaluator before anything is printed, with the
 * grant diff when manifests are given. Pure: the observed requests and the policy in, text out.
 */
import { RbacPolicy } from '../rbac/policy';
import { UserInfo } from '../rbac/types';
import { Advice, AdviceCoverage, adviceBaseName, adviceSubject, AdviceSubject, adviseRbac } from './advice';
import { unprovenAccesses } from './advice-proof';
import { diffGrants, diffUser } from './diff';
import { ObservedSubjects } from './observed-subjects';
import { AdviseRunOptions } from './options';
import { adviceObjects, renderAdviceYaml, yamlComment } from './render/advice-yaml';
import { renderAdviceTypeScriptModule } from './render/advice-typescript';
import { renderDiff, target } from './render/diff';
import { commentLines } from './render/encode';

/** What {@link adviceReport} works from. */
export interface AdviceReportInput {
  /** The requests of every subject. */
  readonly subjects: ObservedSubjects;
  /** YAML manifests or cdk8s TypeScript. */
  readonly format: 'yaml' | 'typescript';
  /**
   * The manifests' policy: the grant diff, what counts as granted already, and what `missingOnly` extends.
   * @default - the bootstrap policy alone, and no diff
   */
  readonly policy?: RbacPolicy;
  /**
   * List unused bootstrap grants in the diff.
   * @default false
   */
  readonly includeBootstrap?: boolean;
  /**
   * The module the generated TypeScript imports the constructs from.
   * @default 'cdk8s-api-reader'
   */
  readonly importFrom?: string;
  /**
   * How to advise.
   * @default {}
   */
  readonly advise?: AdviseRunOptions;
}

/** The report. */
export interface AdviceReport {
  /** The YAML or TypeScript, with its comments. */
  readonly text: string;
  /** One line each: records left out (file:line), identities left out. */
  readonly warnings: readonly string[];
  /**
   * Set when an advice failed its proof (a bug): nothing was printed for that run.
   * @default - none
   */
  readonly error?: string;
}

const bootstrapOnly = new Map<string, RbacPolicy>();

/** Kubernetes' bootstrap policy alone, of `kubeVersion` (built once per release). */
function bootstrapPolicy(kubeVersion: string | undefined): RbacPolicy {
  const key = kubeVersion ?? '';
  let policy = bootstrapOnly.get(key);
  if (!policy) {
    policy = RbacPolicy.fromObjects([], { bootstrap: true, ...(kubeVersion !== undefined ? { kubeVersion } : {}) });
    bootstrapOnly.set(key, policy);
  }
  return policy;
}

/**
 * Object-name prefixes, one per subject, unique within the run: a prefix two subjects would share
 * (e.g. `web-sa` in two namespaces) gets the namespace in front, then a number.
 */
export function uniqueBaseNames(subjects: readonly AdviceSubject[]): string[] {
  const wanted = subjects.map(adviceBaseName);
  const count = new Map<string, number>();
  for (const w of wanted) count.set(w, (count.get(w) ?? 0) + 1);
  const used = new Set<string>();
  return subjects.map((s, i) => {
    let base = wanted[i];
    if (count.get(base)! > 1) base = s.kind === 'ServiceAccount' ? `${s.namespace}-${base}` : `user-${base}`;
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}-${n}`;
    used.add(name);
    return name;
  });
}

/** Names of the roles and bindings `policy` has, as `Kind/namespace/name`. */
function existingNames(policy: RbacPolicy): Set<string> {
  return new Set([
    ...policy.clusterRoles().map((r) => `ClusterRole//${r.metadata.name}`),
    ...policy.roles().map((r) => `Role/${r.metadata.namespace ?? ''}/${r.metadata.name}`),
    ...policy.clusterRoleBindings().map((b) => `ClusterRoleBinding//${b.name}`),
    ...policy.roleBindings().map((b) => `RoleBinding/${b.namespace}/${b.name}`),
  ]);
}

function collides(advice: Advice, names: ReadonlySet<string>): boolean {
  return advice.grants.some((g) => names.has(`${g.role.kind}/${g.role.namespace ?? ''}/${g.role.name}`)
    || names.has(`${g.binding.kind}/${g.binding.namespace ?? ''}/${g.binding.name}`));
}

/** The advice for every observed subject, each proven, with its grant diff as text (`""` without manifests). */
export interface AllAdvice {
  /** One advice per subject, in report order. */
  readonly advices: readonly Advice[];
  /** The grant diff of each subject as text, same order. */
  readonly diffs: readonly string[];
  /**
   * Set when an advice failed its proof (a bug).
   * @default - none
   */
  readonly error?: string;
}

/** Advice for every observed subject, rendered. */
export function adviceReport(input: AdviceReportInput): AdviceReport {
  const all = adviseAll(input);
  if (all.error !== undefined) return { text: '', warnings: reportWarnings(input.subjects), error: all.error };
  return { text: render(input, all.advices, all.diffs), warnings: reportWarnings(input.subjects) };
}

/**
 * Advice for every observed subject: covered requests left out, names that would not survive a
 * rollout collapsed, names unique within the run (and, with `missingOnly`, apart from the
 * manifests' objects), and each advice proven with the evaluator.
 */
export function adviseAll(input: AdviceReportInput): AllAdvice {
  const options = input.advise ?? {};
  const missingOnly = options.missingOnly === true && input.policy !== undefined;
  const base = input.policy ?? bootstrapPolicy(options.kubeVersion);
  const existing = missingOnly ? existingNames(base) : new Set<string>();
  const observed = input.subjects.subjects();
  const subjects = observed.map((o) => adviceSubject(o.username));
  const baseNames = uniqueBaseNames(subjects);
  const advices: Advice[] = [];
  const trailers: string[] = [];
  for (const [i, o] of observed.entries()) {
    const user: UserInfo = diffUser(o.username, o.groups());
    const allowed = o.list('allow');
    // Granted already: to the subject's groups (no binding names the empty user), or with
    // missingOnly to the subject itself by the manifests.
    const coverage: AdviceCoverage = missingOnly ? { policy: base, user } : { policy: base, user: { name: '', groups: user.groups } };
    let advice: Advice | undefined;
    for (let n = 1; advice === undefined || collides(advice, existing); n++) {
      const nameInfix = missingOnly ? (n === 1 ? '-extra' : `-extra${n}`) : '';
      advice = adviseRbac(subjects[i], allowed, { ...options, baseName: baseNames[i], nameInfix, coverage });
    }
    const unproven = unprovenAccesses(base, adviceObjects(advice), user, allowed);
    if (unproven.length > 0) {
      return {
        advices: [],
        diffs: [],
        error: `internal error: the advice for ${JSON.stringify(o.username)} would not allow ${unproven.map((a) => JSON.stringify(target(a))).join(', ')}, `
          + 'which the log shows allowed; nothing was printed. This is a bug: please report it with the log lines of those requests.',
      };
    }
    advices.push(advice);
    trailers.push(input.policy
      ? renderDiff(diffGrants(input.policy, o.username, [...allowed, ...o.list('forbid')], {
        includeBootstrap: input.includeBootstrap,
        ...(o.groups() ? { groups: o.groups() } : {}),
      }))
      : '');
  }
  return { advices, diffs: trailers };
}

function runHeader(input: AdviceReportInput, count: number): string {
  const left = input.subjects.systemIdentitiesLeftOut;
  const lines = [
    `Least-privilege advice for ${count} subject(s) with requests in the audit log${input.advise?.missingOnly && input.policy ? ': only what the manifests do not grant yet' : ''}.`,
    ...(left > 0 ? [`${left} control plane or node identit${left === 1 ? 'y was' : 'ies were'} left out: their grants come with Kubernetes (--include-system-identities advises them too).`] : []),
  ];
  return lines.join('\n');
}

function render(input: AdviceReportInput, advices: readonly Advice[], trailers: readonly string[]): string {
  const sections = advices.length !== 1 || input.subjects.systemIdentitiesLeftOut > 0 || input.advise?.missingOnly === true;
  if (input.format === 'typescript') {
    const module = renderAdviceTypeScriptModule(advices, { importFrom: input.importFrom }, trailers);
    return sections ? `${commentLines(runHeader(input, advices.length), '// ')}${module}` : module;
  }
  if (advices.length === 0) return yamlComment(runHeader(input, 0));
  const body = advices.map((advice, i) => {
    const banner = sections ? yamlComment(`==== ${i + 1} of ${advices.length}: ${advice.subject.username} ====`) : '';
    const diff = trailers[i] ? `\n${yamlComment(trailers[i])}` : '';
    return `${banner}${renderAdviceYaml(advice)}${diff}`;
  });
  return (sections ? yamlComment(runHeader(input, advices.length)) : '') + body.join(sections ? '\n' : '');
}

function reportWarnings(subjects: ObservedSubjects): string[] {
  const warnings = subjects.rejected.map((r) => `${r.location.file}:${r.location.line}: left out of the advice: ${r.message}.`);
  if (subjects.rejectedTotal > subjects.rejected.length) warnings.push(`... and ${subjects.rejectedTotal - subjects.rejected.length} more line(s) left out of the advice`);
  return warnings;
}
