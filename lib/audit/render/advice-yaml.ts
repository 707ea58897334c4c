/**
 * The advice as `rbac.authorization.k8s.io/v1` manifests: multi-document YAML in the layout
 * `cdk8s synth` writes (keys sorted, two-space indent, sequences indented), so a suggested object
 * can be compared byte for byte with the synthesized one in dist/.
 */
import { stringify } from 'yaml';
import { Advice, AdviceGrant, bindingSubject } from '../advice';
import { RBAC_GROUP } from '../../rbac/types';

const API_VERSION = `${RBAC_GROUP}/v1`;

/** The role and binding of every grant, as plain manifest objects, roles before their bindings. */
export function adviceObjects(advice: Advice): Array<Record<string, unknown>> {
  return advice.grants.flatMap((g: AdviceGrant) => [
    {
      apiVersion: API_VERSION,
      kind: g.role.kind,
      metadata: { name: g.role.name, ...(g.role.namespace !== undefined ? { namespace: g.role.namespace } : {}) },
      rules: g.role.rules.map((r) => ({ ...r })),
    },
    {
      apiVersion: API_VERSION,
      kind: g.binding.kind,
      metadata: { name: g.binding.name, ...(g.binding.namespace !== undefined ? { namespace: g.binding.namespace } : {}) },
      roleRef: { apiGroup: RBAC_GROUP, kind: g.binding.roleRef.kind, name: g.binding.roleRef.name },
      subjects: [bindingSubject(advice.subject)],
    },
  ]);
}

/** One object as YAML in cdk8s's layout. */
export function toManifestYaml(object: unknown): string {
  return stringify(object, { sortMapEntries: true, indentSeq: true, lineWidth: 0 });
}

/** The advice as multi-document YAML, each grant preceded by a comment saying why it has its shape. */
export function renderAdviceYaml(advice: Advice): string {
  if (advice.grants.length === 0) {
    return `# No allowed requests of ${advice.subject.username} in the audit log: it needs no grant.\n`;
  }
  const objects = adviceObjects(advice);
  const header = `# Least-privilege grants for ${advice.subject.username}, covering the ${advice.requests} distinct allowed request(s) in the audit log.\n`;
  return header + advice.grants
    .map((g, i) => {
      const risks = g.role.risks.flatMap((r, j) => r.map((risk) => `# RISK: rule ${j + 1} of ${g.role.kind} "${g.role.name}" carries "${risk}"; narrow it if you can.\n`));
      return `---\n# ${g.why}\n${risks.join('')}${toManifestYaml(objects[2 * i])}---\n${toManifestYaml(objects[2 * i + 1])}`;
    })
    .join('');
}
