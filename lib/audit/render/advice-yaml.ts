/**
 * The advice as `rbac.authorization.k8s.io/v1` manifests: multi-document YAML in the layout
 * `cdk8s synth` writes (keys sorted, two-space indent, sequences indented), so a suggested object
 * can be compared byte for byte with the synthesized one in dist/. Values from the log are YAML
 * data written by the YAML library; comments go through `commentLines` (see `encode.ts`).
 */
import { Advice, AdviceGrant, bindingSubject } from '../advice';
import { RBAC_GROUP } from '../../rbac/types';
import { commentLines } from './encode';
import { target } from './diff';

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

/** One object as YAML in cdk8s's layout (the YAML library is loaded on first use: most CLI runs never write YAML). */
export function toManifestYaml(object: unknown): string {
  const { stringify } = require('yaml') as typeof import('yaml');
  return stringify(object, { sortMapEntries: true, indentSeq: true, lineWidth: 0 });
}

/** Comment lines (each made inert) with `# `. */
export function yamlComment(text: string): string {
  return commentLines(text, '# ');
}

/** The lines saying which allowed requests need no rule, and what grants them already. */
export function coveredText(advice: Advice): string {
  if (advice.covered.length === 0) return '';
  return `Already granted, so no rule is added (${advice.covered.length}):\n${advice.covered.map((c) => `  ${target(c.access)}: by ${c.by}\n`).join('')}`;
}

/** Why no grant is proposed for a member of a privileged group, once per subject (`""` for others). */
export function privilegedText(advice: Advice): string {
  if (advice.privilegedGroup === undefined) return '';
  return `No grant for ${advice.subject.username}: it is in the group "${advice.privilegedGroup}", whose members kube-apiserver's privileged-group authorizer allows everything before RBAC is asked. RBAC cannot narrow what it may do; take it out of the group to make RBAC decide, then advise again.`;
}

/** The advice as multi-document YAML, each grant preceded by a comment saying why it has its shape. */
export function renderAdviceYaml(advice: Advice): string {
  if (advice.privilegedGroup !== undefined) return yamlComment(privilegedText(advice));
  const covered = yamlComment(coveredText(advice));
  if (advice.grants.length === 0) {
    const text = advice.covered.length > 0
      ? `No new grant for ${advice.subject.username}: everything it was allowed to do is granted already.`
      : `No allowed requests of ${advice.subject.username} in the audit log: it needs no grant.`;
    return yamlComment(text) + covered;
  }
  const objects = adviceObjects(advice);
  const header = yamlComment(`Least-privilege grants for ${advice.subject.username}, covering the ${advice.requests} distinct allowed request(s) in the audit log.`);
  return header + covered + advice.grants
    .map((g, i) => {
      const notes = g.role.rules.flatMap((_r, j) => [
        ...g.role.risks[j].map((risk) => `RISK: rule ${j + 1} of ${g.role.kind} "${g.role.name}" carries "${risk}"; narrow it if you can.`),
        ...g.role.notes[j].map((note) => `NOTE: rule ${j + 1} of ${g.role.kind} "${g.role.name}": ${note}.`),
      ]);
      return `---\n${yamlComment([g.why, ...notes].join('\n'))}${toManifestYaml(objects[2 * i])}---\n${toManifestYaml(objects[2 * i + 1])}`;
    })
    .join('');
}
