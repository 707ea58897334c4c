/**
 * Escalation paths as SARIF 2.1.0 (for code-scanning views): one rule per hop kind of the
 * catalogue, one result per path, located at the binding that grants its first hop (file:line),
 * the other grants as related locations. JSON keeps every name exact: names are data.
 */
import { EscalationPath, EscalationReport, HopGrant, RISK_CATALOGUE, RiskSeverity } from '../../rbac';
import { nodeLabel, objectRefLabel } from './escalations-text';

const LEVELS: Readonly<Record<RiskSeverity, string>> = { critical: 'error', high: 'error', medium: 'warning', low: 'note' };
const SCORES: Readonly<Record<RiskSeverity, string>> = { critical: '9.5', high: '8.0', medium: '5.5', low: '2.0' };

function location(grant: HopGrant, id?: number): Record<string, unknown> | undefined {
  const ref = grant.binding ?? grant.role;
  if (!ref.source) return undefined;
  return {
    ...(id !== undefined ? { id } : {}),
    physicalLocation: { artifactLocation: { uri: ref.source.file }, region: { startLine: ref.source.line } },
    message: { text: objectRefLabel(ref) },
  };
}

function result(subject: string, path: EscalationPath): Record<string, unknown> {
  const grants = path.hops.flatMap((h) => h.grants);
  const locations = grants.map((g) => location(g)).filter((l) => l !== undefined);
  const related = grants.slice(1).map((g, i) => location(g, i + 1)).filter((l) => l !== undefined);
  const steps = path.hops.map((h, i) => `${i + 1}. ${nodeLabel(h.from)} -> ${nodeLabel(h.to)} (${h.kind}): ${h.action}`).join(' ');
  return {
    ruleId: path.hops[0].kind,
    level: LEVELS[path.severity],
    message: { text: `${subject} can become ${nodeLabel(path.target)}${path.clusterAdmin && path.target.kind !== 'ClusterAdmin' ? ' (which holds cluster-admin)' : ''} in ${path.hops.length} hop${path.hops.length === 1 ? '' : 's'}: ${steps}` },
    ...(locations.length > 0 ? { locations: [locations[0]] } : {}),
    ...(related.length > 0 ? { relatedLocations: related } : {}),
    properties: { subject, target: path.target, hops: path.hops.map((h) => h.kind), severity: path.severity },
  };
}

/** The report as a SARIF 2.1.0 log (one run), ending in a newline. */
export function renderEscalationsSarif(report: EscalationReport): string {
  const rules = RISK_CATALOGUE.filter((d) => d.reaches !== undefined).map((d) => ({
    id: d.id,
    shortDescription: { text: d.why },
    fullDescription: { text: `Reaches ${d.reaches}. Sources: ${d.sources.join('; ')}.` },
    defaultConfiguration: { level: LEVELS[d.severity] },
    properties: { severity: d.severity, 'security-severity': SCORES[d.severity], tags: ['security', 'rbac', 'escalation'] },
  }));
  const results = report.subjects.flatMap((s) => s.paths.map((p) => result(nodeLabel(s.subject), p)));
  const truncated = report.subjects.filter((s) => s.truncated).map((s) => nodeLabel(s.subject));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'api-reader escalations', informationUri: 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/', rules } },
      results,
      properties: { maxPathsPerSubject: report.maxPathsPerSubject, truncatedSubjects: truncated },
    }],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
