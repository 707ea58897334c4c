/**
 * Escalation paths for people: per subject, each path as numbered hops, each hop with the rule,
 * role and binding (file:line) that allow it. Every name goes through the terminal escaping rule.
 */
import { EscalationHop, EscalationNode, EscalationReport, HopGrant, PolicyObjectRef, SubjectEscalations } from '../../rbac';
import { ruleLabel } from '../../rbac/views/rule-text';
import { terminalLines } from './terminal-text';

/** A node in a few words: `ServiceAccount t/boss`, `User alice`, `a node (any)`, `cluster-admin`. */
export function nodeLabel(node: EscalationNode): string {
  switch (node.kind) {
    case 'ServiceAccount':
      return `ServiceAccount ${node.namespace}/${node.name}`;
    case 'Node':
      return node.name === '*' ? 'a node (root on any node)' : `Node ${node.name}`;
    case 'Grant':
      return node.roleKind === '*'
        ? `every permission in namespace ${node.namespace}`
        : `${node.roleKind} ${node.roleName} ${node.namespace ? `in namespace ${node.namespace}` : 'cluster-wide'}`;
    case 'ClusterAdmin':
      return 'cluster-admin';
    default:
      return `${node.kind} ${node.name}`;
  }
}

/** A binding or role with its file:line: `RoleBinding t/rb (in.yaml:12)`, `ClusterRole admin (bootstrap policy)`. */
export function objectRefLabel(ref: PolicyObjectRef): string {
  const where = ref.source ? `${ref.source.file}:${ref.source.line}` : ref.kind === '*' ? 'rewritten by the hop before' : 'bootstrap policy';
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name} (${where})`;
}

/** How a hop's permission is granted, as one line. */
export function grantLabel(grant: HopGrant): string {
  const by = grant.binding ? `${objectRefLabel(grant.binding)} of ${objectRefLabel(grant.role)}` : `${objectRefLabel(grant.role)}, bound by the hop before`;
  return `${grant.request}: rule "${ruleLabel(grant.rule)}" of ${by}`;
}

function hopLines(hop: EscalationHop, n: number): string[] {
  return [
    `     ${n}. [${hop.kind}, ${hop.severity}] ${nodeLabel(hop.from)} -> ${nodeLabel(hop.to)}: ${hop.action}`,
    ...(hop.object ? [`        through ${hop.object.kind} ${hop.object.namespace}/${hop.object.name} (${hop.object.source.file}:${hop.object.source.line})`] : []),
    ...hop.grants.map((g) => `        allowed by ${grantLabel(g)}`),
  ];
}

function subjectLines(s: SubjectEscalations, cap: number): string[] {
  if (s.holdsClusterAdmin) return [`${nodeLabel(s.subject)}: holds cluster-admin already`];
  if (s.paths.length === 0) return [`${nodeLabel(s.subject)}: no escalation paths`];
  const lines = [`${nodeLabel(s.subject)}: ${s.paths.length} path${s.paths.length === 1 ? '' : 's'}${s.truncated ? ` (capped at ${cap}: more targets are reachable; raise --max-paths)` : ''}`];
  for (const path of s.paths) {
    lines.push(`  -> ${nodeLabel(path.target)}${path.clusterAdmin && path.target.kind !== 'ClusterAdmin' ? ' (holds cluster-admin)' : ''} [${path.severity}, ${path.hops.length} hop${path.hops.length === 1 ? '' : 's'}]`);
    path.hops.forEach((hop, i) => lines.push(...hopLines(hop, i + 1)));
  }
  return lines;
}

/**
 * The report as text: subjects with paths (or cluster-admin) first-listed in input order, then one
 * line counting the subjects without any; with `all`, every subject is listed.
 */
export function renderEscalationsText(report: EscalationReport, all: boolean): string {
  const lines: string[] = [];
  let quiet = 0;
  for (const s of report.subjects) {
    if (!all && !s.holdsClusterAdmin && s.paths.length === 0) {
      quiet++;
      continue;
    }
    lines.push(...subjectLines(s, report.maxPathsPerSubject));
  }
  if (quiet > 0) lines.push(`${quiet} other subject${quiet === 1 ? ' has' : 's have'} no escalation paths.`);
  if (lines.length === 0) lines.push('no subjects to search: the input binds nobody and has no ServiceAccounts.');
  return terminalLines(lines);
}
