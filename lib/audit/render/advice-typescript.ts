/**
 * The advice as a cdk8s chart using this project's constructs: `ReaderIdentity` for a service
 * account (its `allow()` and `grantRead()`), `AccessRole` and `AccessBinding` for users and for
 * cluster-wide rules next to namespaced ones. Synthesizing it yields the objects of
 * {@link renderAdviceYaml} (plus the ServiceAccount that `ReaderIdentity` defines).
 */
import { PolicyRule } from '../../rbac/types';
import { Advice, AdviceGrant } from '../advice';

/** Options for {@link renderAdviceTypeScript}. */
export interface AdviceTypeScriptOptions {
  /**
   * The module the constructs are imported from.
   * @default 'cdk8s-api-reader'
   */
  readonly importFrom?: string;
  /**
   * The chart class's name.
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
  return `[${values.map((v) => quote(v)).join(', ')}]`;
}

function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
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

function riskComments(grant: AdviceGrant, index: number, indent: string): string[] {
  return grant.role.risks[index].map((risk) =>
    `${indent}// RISK "${risk}": synth fails until you narrow this rule or add { acknowledge: [{ risk: '${risk}', reason: '...' }] } with a real reason.`);
}

/** The advice as a TypeScript module exporting one cdk8s `Chart` subclass. */
export function renderAdviceTypeScript(advice: Advice, options: AdviceTypeScriptOptions = {}): string {
  const importFrom = options.importFrom ?? 'cdk8s-api-reader';
  const className = options.className ?? `${pascal(advice.baseName)}Grants`;
  const subject = advice.subject;
  const body: string[] = [];
  const imports = new Set<string>();
  const i2 = '    ';
  const home = advice.grants.find((g) => g.scope.kind === 'home');
  const namespaced = advice.grants.filter((g) => g.scope.kind !== 'cluster');
  const cluster = advice.grants.find((g) => g.scope.kind === 'cluster');

  if (subject.kind === 'ServiceAccount') {
    imports.add('ReaderIdentity').add('RestrictedNamespace');
    const clusterWide = namespaced.length === 0 && cluster !== undefined;
    body.push(`${i2}// Defines the ServiceAccount too; if your app already has a ReaderIdentity for it, move the grants there.`);
    if (!home && !clusterWide) body.push(`${i2}// No request was made in "${subject.namespace}": the identity's home ClusterRole stays empty.`);
    body.push(`${i2}const identity = new ReaderIdentity(this, ${quote(pascal(subject.name))}, {`);
    body.push(`${i2}  namespace: RestrictedNamespace.fromNamespaceName(${quote(subject.namespace!)}),`);
    body.push(`${i2}  serviceAccountName: ${quote(subject.name)},`);
    if (clusterWide) body.push(`${i2}  clusterWide: true,`);
    body.push(`${i2}});`);
    for (const grant of advice.grants) {
      if (grant.scope.kind === 'cluster' && !clusterWide) continue;
      body.push(`${i2}// ${grant.why}`);
      grant.role.rules.forEach((rule, j) => {
        body.push(...riskComments(grant, j, i2));
        if (grant.scope.kind === 'namespace') {
          body.push(`${i2}identity.allow(${ruleLiteral(rule)}, ${quote(grant.scope.namespace)}, { crossNamespace: true });`);
        } else if (grant.scope.kind === 'home' && isSecretRead(rule)) {
          body.push(`${i2}identity.grantRead({ name: ${quote(rule.resourceNames![0])}, namespace: ${quote(grant.scope.namespace)} });`);
        } else {
          body.push(`${i2}identity.allow(${ruleLiteral(rule)});`);
        }
      });
    }
    if (cluster && !clusterWide) {
      imports.add('AccessRole').add('AccessBinding');
      body.push(`${i2}// ${cluster.why}`);
      body.push(...clusterRoleLines(cluster, `identity.subject()`, i2));
    }
  } else {
    imports.add('AccessRole').add('AccessBinding');
    const who = `{ kind: 'User' as const, name: ${quote(subject.name)} }`;
    body.push(`${i2}const subject = ${who};`);
    for (const grant of advice.grants) {
      body.push(`${i2}// ${grant.why}`);
      body.push(...clusterRoleLines(grant, 'subject', i2));
    }
  }
  if (advice.grants.length === 0) body.push(`${i2}// No allowed requests of ${subject.username} in the audit log: it needs no grant.`);

  return [
    `// Least-privilege grants for ${subject.username}, generated from ${advice.requests} distinct allowed request(s) in the audit log.`,
    `import { Chart } from 'cdk8s';`,
    `import { Construct } from 'constructs';`,
    `import { ${[...imports].sort().join(', ')} } from ${quote(importFrom)};`,
    '',
    `/** The grants ${subject.username} used, and nothing more. */`,
    `export class ${className} extends Chart {`,
    `  constructor(scope: Construct, id: string) {`,
    `    super(scope, id);`,
    ...body,
    `  }`,
    `}`,
    '',
  ].join('\n');
}

function clusterRoleLines(grant: AdviceGrant, subjectExpr: string, indent: string): string[] {
  const scoped = (name: string, ns: string | undefined) => quote(`${pascal(name)}${ns ? `-${ns}` : ''}`);
  const ns = grant.role.namespace !== undefined ? `, namespace: ${quote(grant.role.namespace)}` : '';
  const bns = grant.binding.namespace !== undefined ? `, namespace: ${quote(grant.binding.namespace)}` : '';
  const inner = `${indent}  `;
  return [
    `${indent}{`,
    `${inner}const role = new AccessRole(this, ${scoped(grant.role.name, grant.role.namespace)}, { name: ${quote(grant.role.name)}${ns} });`,
    ...grant.role.rules.flatMap((rule, j) => [...riskComments(grant, j, inner), `${inner}role.allow(${ruleLiteral(rule)});`]),
    `${inner}new AccessBinding(this, ${scoped(grant.binding.name, grant.binding.namespace)}, { name: ${quote(grant.binding.name)}${bns}, role, subjects: [${subjectExpr}] });`,
    `${indent}}`,
  ];
}
