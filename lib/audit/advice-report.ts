/**
 * Advice for every subject a run observed, as one report: per subject, the grants it needs (minus
 * what is granted already), proven against the evaluator before anything is printed, with the
 * grant diff when manifests are given. Pure: the observed requests and the policy in, text out.
 */
import { RbacPolicy } from '../rbac/policy';
import { UserInfo } from '../rbac/types';
import { Advice, AdviceCoverage, adviceBaseName, adviceSubject, AdviceSubject, adviseRbac } from './advice';
import { AdvisedPart, bindsOnly, disproveOutput, objectKey, roleRefKey } from './advice-proof';
import { diffGrants, diffUser } from './diff';
import { ObservedSubjects } from './observed-subjects';
import { AdviseRunOptions } from './options';
import { adviceObjects, renderAdviceYaml, yamlComment } from './render/advice-yaml';
import { renderAdviceTypeScriptModule } from './render/advice-typescript';
import { renderDiff } from './render/diff';
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

/** The group whose members kube-apiserver's privileged-group authorizer allows everything, before RBAC. */
export const PRIVILEGED_GROUP = 'system:masters';

/** Name candidates for a subject's objects: its base, then (service accounts) the namespace in front, then numbers. */
function baseCandidate(subject: AdviceSubject, base: string, attempt: number): string {
  if (attempt === 1) return base;
  if (attempt === 2 && subject.kind === 'ServiceAccount' && !base.startsWith(`${subject.namespace}-`)) return `${subject.namespace}-${base}`;
  return `${base}-${attempt}`;
}

/**
 * Why the objects of `advice` may not be applied under their names, or `undefined`: a name another
 * subject's advice in this output took, or (with `missingOnly`) any name the manifests have, or an
 * object of the manifests that reaches other subjects (a role another subject's binding references,
 * a binding of other subjects or of another role, an aggregated ClusterRole).
 */
function nameClash(advice: Advice, taken: ReadonlySet<string>, base: RbacPolicy, missingOnly: boolean): boolean {
  const keys = adviceKeys(advice);
  if (keys.some((k) => taken.has(k))) return true;
  for (const g of advice.grants) {
    const roleKey = objectKey(g.role.kind, g.role.namespace, g.role.name);
    const existingRole = g.role.kind === 'ClusterRole' ? base.clusterRole(g.role.name) : base.role(g.role.namespace!, g.role.name);
    if (existingRole) {
      if (missingOnly || ('aggregationRule' in existingRole && existingRole.aggregationRule) || (existingRole.metadata.labels && Object.keys(existingRole.metadata.labels).length > 0)) return true;
      const bindings = [...base.clusterRoleBindings(), ...base.roleBindings()].filter((b) => roleRefKey(b) === roleKey);
      if (bindings.some((b) => !bindsOnly(b, advice.subject))) return true;
    }
    const existingBinding = g.binding.kind === 'ClusterRoleBinding'
      ? base.clusterRoleBindings().find((b) => b.name === g.binding.name)
      : base.roleBindings(g.binding.namespace).find((b) => b.name === g.binding.name);
    if (existingBinding) {
      // roleRef cannot change (the API server refuses it), and the binding's other subjects would lose their grant.
      if (missingOnly || roleRefKey(existingBinding) !== objectKey(g.binding.roleRef.kind, g.binding.roleRef.kind === 'Role' ? g.binding.namespace : undefined, g.binding.roleRef.name)) return true;
      if (!bindsOnly(existingBinding, advice.subject)) return true;
    }
  }
  return false;
}

function adviceKeys(advice: Advice): string[] {
  return advice.grants.flatMap((g) => [objectKey(g.role.kind, g.role.namespace, g.role.name), objectKey(g.binding.kind, g.binding.namespace, g.binding.name)]);
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
 * rollout collapsed, names unique across the whole output and never replacing an object of the
 * manifests that reaches anyone else (with `missingOnly`, apart from every object of the manifests),
 * members of `system:masters` told that RBAC does not decide for them, and the whole output proven
 * with the evaluator as it would be applied.
 */
export function adviseAll(input: AdviceReportInput): AllAdvice {
  const options = input.advise ?? {};
  const missingOnly = options.missingOnly === true && input.policy !== undefined;
  const base = input.policy ?? bootstrapPolicy(options.kubeVersion);
  const observed = input.subjects.subjects();
  const subjects = observed.map((o) => adviceSubject(o.username));
  const baseNames = uniqueBaseNames(subjects);
  const taken = new Set<string>();
  const advices: Advice[] = [];
  const trailers: string[] = [];
  const parts: AdvisedPart[] = [];
  for (const [i, o] of observed.entries()) {
    const user: UserInfo = diffUser(o.username, o.groups());
    const allowed = o.list('allow');
    if (o.groups()?.includes(PRIVILEGED_GROUP)) {
      // The privileged-group authorizer allows these before RBAC is asked: no grant to propose.
      advices.push({ subject: subjects[i], baseName: baseNames[i], grants: [], requests: allowed.length, covered: [], privilegedGroup: PRIVILEGED_GROUP });
      trailers.push('');
      continue;
    }
    // Granted already: to the subject's groups (no binding names the empty user), or with
    // missingOnly to the subject itself by the manifests.
    const coverage: AdviceCoverage = missingOnly ? { policy: base, user } : { policy: base, user: { name: '', groups: user.groups } };
    let advice: Advice | undefined;
    for (let n = 1; advice === undefined || nameClash(advice, taken, base, missingOnly); n++) {
      advice = missingOnly
        ? adviseRbac(subjects[i], allowed, { ...options, baseName: baseNames[i], nameInfix: n === 1 ? '-extra' : `-extra${n}`, coverage })
        : adviseRbac(subjects[i], allowed, { ...options, baseName: baseCandidate(subjects[i], baseNames[i], n), coverage });
    }
    for (const k of adviceKeys(advice)) taken.add(k);
    parts.push({ subject: subjects[i], user, objects: adviceObjects(advice), allowed });
    advices.push(advice);
    trailers.push(input.policy
      ? renderDiff(diffGrants(input.policy, o.username, [...allowed, ...o.list('forbid')], {
        includeBootstrap: input.includeBootstrap,
        ...(o.groups() ? { groups: o.groups() } : {}),
      }))
      : '');
  }
  const problems = disproveOutput(base, parts);
  if (problems.length > 0) {
    return {
      advices: [],
      diffs: [],
      error: `internal error: ${problems.join('; ')}; nothing was printed. This is a bug: please report it with the log lines of those requests.`,
    };
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
  const unknown = subjects.unknownDecisions;
  if (unknown > 0) {
    warnings.push(subjects.includesUnknownDecisions
      ? `${unknown} request(s) of unknown decision (no decision annotation; a response other than 2xx or 403) were advised as allowed, as --include-unknown-decisions asks: the authorizer may never have allowed them.`
      : `${unknown} request(s) of unknown decision (no decision annotation; a response other than 2xx or 403, e.g. 404, or 400 and 429 that come before authorization) were left out of the advice; --include-unknown-decisions advises them as allowed.`);
  }
  return warnings;
}
