/**
 * The advice as a cdk8s chart using this project's constructs: `ReaderIdentity` for a service
 * account (its `grant()` and `grantRead()`), `AccessRole` and `AccessBinding` for users and for
 * cluster-wide rules next to namespaced ones. Synthesizing it yields the objects of
 * {@link renderAdviceYaml} (plus the ServiceAccount that `ReaderIdentity` defines). Every value
 * from the log is a string literal ({@link tsString}); comments go through `commentText`.
 */
import { identityBaseName, identityClusterObjectName } from '../../rbac/naming';
import { NAMES_WIDENED_RISK } from '../../rbac/risks';
import { PolicyRule } from '../../rbac/types';
import { Advice, AdviceGrant } from '../advice';
import { coveredText, privilegedText } from './advice-yaml';
import { commentLines, tsString } from './encode';

/** Options for {@link renderAdviceTypeScript}. */
export interface AdviceTypeScriptOptions {
  /**
   * The module the constructs are imported from.
   * @default 'cdk8s-api-reader'
   */
  readonly importFrom?: string;
  /**
   * The chart class's name (of the first chart, when there are several).
   * @default - the base name in PascalCase followed by `Grants`, e.g. `SecretAccessGrants`
   */
  readonly className?: string;
}

function pascal(text: string): string {
  const words = text.split(/[^A-Za-z0-9]+/).filter((w) => w !== '');
  const joined = words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
  return /^[A-Za-z]/.test(joined) ? joined : `Subject${joined}`;
}

function list(values: readonly string[]): string {
  return `[${values.map(tsString).join(', ')}]`;
}

function ruleLiteral(rule: PolicyRule): string {
  const parts = [`verbs: ${list(rule.verbs)}`];
  if (rule.apiGroups?.length) parts.push(`apiGroups: ${list(rule.apiGroups)}`);
  if (rule.resources?.length) parts.push(`resources: ${list(rule.resources)}`);
  if (rule.resourceNames?.length) parts.push(`resourceNames: ${list(rule.resourceNames)}`);
  if (rule.nonResourceURLs?.length) parts.push(`nonResourceURLs: ${list(rule.nonResourceURLs)}`);
  return `{ ${parts.join(', ')} }`;
}

/** True for the rule `grantRead` creates: get on one named secret in the core group. */
function isSecretRead(rule: PolicyRule): boolean {
  return rule.verbs.length === 1 && rule.verbs[0] === 'get'
    && rule.apiGroups?.length === 1 && rule.apiGroups[0] === ''
    && rule.resources?.length === 1 && rule.resources[0] === 'secrets'
    && rule.resourceNames?.length === 1 && !rule.nonResourceURLs?.length;
}

function comment(text: string, indent: string): string[] {
  return commentLines(text, `${indent}// `).trimEnd().split('\n');
}

/** How the acknowledgement of a risk is passed: `grant()` takes it in its options, `addRule()` as its second argument. */
type AckStyle = 'grant' | 'addRule';

function ruleComments(grant: AdviceGrant, index: number, indent: string, style: AckStyle): string[] {
  const ack = (risk: string) => `[{ risk: '${risk}', reason: '...' }]`;
  return [
    ...grant.role.risks[index].flatMap((risk) => comment(risk === NAMES_WIDENED_RISK
      ? `RISK "${risk}": this rule names no objects, so it reaches every one of them in its scope, not only those the log shows; list the names if you can.`
      : style === 'grant'
        ? `RISK "${risk}": synth fails until you narrow this rule or pass { acknowledge: ${ack(risk)} } to grant() with a real reason.`
        : `RISK "${risk}": synth fails until you narrow this rule or pass ${ack(risk)} as addRule()'s second argument with a real reason.`, indent)),
    ...grant.role.notes[index].flatMap((note) => comment(`NOTE: ${note}.`, indent)),
  ];
}

/** One chart class: its import names and its lines. */
function chartClass(advice: Advice, className: string): { imports: string[]; lines: string[] } {
  const subject = advice.subject;
  const body: string[] = [];
  const imports = new Set<string>();
  const i2 = '    ';
  const home = advice.grants.find((g) => g.scope.kind === 'home');
  const namespaced = advice.grants.filter((g) => g.scope.kind !== 'cluster');
  const cluster = advice.grants.find((g) => g.scope.kind === 'cluster');

  if (advice.privilegedGroup !== undefined) {
    body.push(...comment(privilegedText(advice), i2));
  } else if (advice.grants.length === 0) {
    body.push(...comment(advice.covered.length > 0
      ? `No new grant for ${subject.username}: everything it was allowed to do is granted already.`
      : `No allowed requests of ${subject.username} in the audit log: it needs no grant.`, i2));
  } else if (subject.kind === 'ServiceAccount' && advice.baseName === identityBaseName(subject.name) && (home !== undefined || namespaced.length === 0)) {
    // ReaderIdentity's own names and shape: a home grant, or only cluster-wide rules.
    imports.add('ReaderIdentity').add('RestrictedNamespace');
    const clusterWide = namespaced.length === 0 && cluster !== undefined;
    body.push(`${i2}// Defines the ServiceAccount too; if your app already has a ReaderIdentity for it, move the grants there.`);
    body.push(`${i2}const identity = new ReaderIdentity(this, ${tsString(pascal(subject.name))}, {`);
    body.push(`${i2}  namespace: RestrictedNamespace.fromNamespaceName(${tsString(subject.namespace!)}),`);
    body.push(`${i2}  serviceAccountName: ${tsString(subject.name)},`);
    // The advice's names where ReaderIdentity's defaults differ (they put the namespace in cluster-scoped names).
    const held = clusterWide ? cluster : home!;
    if (held.role.name !== identityClusterObjectName(subject.namespace!, subject.name, 'clusterRole')) body.push(`${i2}  clusterRoleName: ${tsString(held.role.name)},`);
    if (clusterWide && cluster.binding.name !== identityClusterObjectName(subject.namespace!, subject.name, 'clusterRoleBinding')) body.push(`${i2}  bindingName: ${tsString(cluster.binding.name)},`);
    if (clusterWide) body.push(`${i2}  clusterWide: true,`);
    body.push(`${i2}});`);
    for (const grant of advice.grants) {
      if (grant.scope.kind === 'cluster' && !clusterWide) continue;
      body.push(...comment(grant.why, i2));
      grant.role.rules.forEach((rule, j) => {
        body.push(...ruleComments(grant, j, i2, 'grant'));
        if (grant.scope.kind === 'namespace') {
          body.push(`${i2}identity.grant(${ruleLiteral(rule)}, { namespace: ${tsString(grant.scope.namespace)}, crossNamespace: true });`);
        } else if (grant.scope.kind === 'home' && isSecretRead(rule)) {
          body.push(`${i2}identity.grantRead({ name: ${tsString(rule.resourceNames![0])}, namespace: ${tsString(grant.scope.namespace)} });`);
        } else {
          body.push(`${i2}identity.grant(${ruleLiteral(rule)});`);
        }
      });
    }
    if (cluster && !clusterWide) {
      imports.add('AccessRole').add('AccessBinding');
      body.push(...comment(cluster.why, i2));
      body.push(...clusterRoleLines(cluster, `identity.subject()`, i2));
    }
  } else {
    // Users, and service accounts without a home grant or with names apart from ReaderIdentity's.
    imports.add('AccessRole').add('AccessBinding');
    body.push(subject.kind === 'ServiceAccount'
      ? `${i2}const subject = { kind: 'ServiceAccount' as const, name: ${tsString(subject.name)}, namespace: ${tsString(subject.namespace!)} };`
      : `${i2}const subject = { kind: 'User' as const, name: ${tsString(subject.name)} };`);
    for (const grant of advice.grants) {
      body.push(...comment(grant.why, i2));
      body.push(...clusterRoleLines(grant, 'subject', i2));
    }
  }
  const covered = coveredText(advice);
  return {
    imports: [...imports],
    lines: [
      ...comment(`Least-privilege grants for ${subject.username}, generated from ${advice.requests} distinct allowed request(s) in the audit log.`, ''),
      ...(covered ? comment(covered, '') : []),
      `export class ${className} extends Chart {`,
      `  constructor(scope: Construct, id: string) {`,
      `    super(scope, id);`,
      ...body,
      `  }`,
      `}`,
    ],
  };
}

/** A class name for each advice: `options.className` for the first, else from the base name, made unique. */
function classNames(advices: readonly Advice[], first: string | undefined): string[] {
  const used = new Set<string>();
  return advices.map((a, i) => {
    const wanted = i === 0 && first !== undefined ? first : `${pascal(a.baseName)}Grants`;
    let name = wanted;
    for (let n = 2; used.has(name); n++) name = `${wanted}${n}`;
    used.add(name);
    return name;
  });
}

/**
 * The advice for several subjects as one TypeScript module with one `Chart` subclass each.
 * @param trailers comment text to put after each subject's class (e.g. its grant diff), same order
 */
export function renderAdviceTypeScriptModule(advices: readonly Advice[], options: AdviceTypeScriptOptions = {}, trailers: readonly string[] = []): string {
  const importFrom = options.importFrom ?? 'cdk8s-api-reader';
  const names = classNames(advices, options.className);
  const classes = advices.map((a, i) => chartClass(a, names[i]));
  const imports = [...new Set(classes.flatMap((c) => c.imports))].sort();
  return [
    `import { Chart } from 'cdk8s';`,
    `import { Construct } from 'constructs';`,
    ...(imports.length > 0 ? [`import { ${imports.join(', ')} } from ${tsString(importFrom)};`] : []),
    ...classes.flatMap((c, i) => ['', ...c.lines, ...(trailers[i] ? comment(trailers[i], '') : [])]),
    '',
  ].join('\n');
}

/** The advice as a TypeScript module exporting one cdk8s `Chart` subclass. */
export function renderAdviceTypeScript(advice: Advice, options: AdviceTypeScriptOptions = {}): string {
  return renderAdviceTypeScriptModule([advice], options);
}

function clusterRoleLines(grant: AdviceGrant, subjectExpr: string, indent: string): string[] {
  const scoped = (name: string, ns: string | undefined) => tsString(`${pascal(name)}${ns ? `-${ns}` : ''}`);
  const ns = grant.role.namespace !== undefined ? `, namespace: ${tsString(grant.role.namespace)}` : '';
  const bns = grant.binding.namespace !== undefined ? `, namespace: ${tsString(grant.binding.namespace)}` : '';
  const inner = `${indent}  `;
  return [
    `${indent}{`,
    `${inner}const role = new AccessRole(this, ${scoped(grant.role.name, grant.role.namespace)}, { name: ${tsString(grant.role.name)}${ns} });`,
    ...grant.role.rules.flatMap((rule, j) => [...ruleComments(grant, j, inner, 'addRule'), `${inner}role.addRule(${ruleLiteral(rule)});`]),
    `${inner}new AccessBinding(this, ${scoped(grant.binding.name, grant.binding.namespace)}, { name: ${tsString(grant.binding.name)}${bns}, role, subjects: [${subjectExpr}] });`,
    `${indent}}`,
  ];
}
