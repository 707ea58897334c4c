/**
 * The access diff as SARIF 2.1.0 for GitHub code scanning: one rule per risk of the catalogue
 * (ids `rbac-access/<risk>`, stable) plus `rbac-access/gained` for a gain without a catalogued
 * risk; one result per gained row, at the head-side `file:line` that grants it (the binding when
 * it is new or changed, else the role). Rows without a location (bootstrap objects) are reported
 * at the first head input. JSON escaping keeps every name exact and inert.
 */
import type { AccessDiff } from '../../rbac/diff/access-diff';
import { changeText, subjectText } from '../../rbac/diff/describe';
import { RISK_CATALOGUE, RiskSeverity } from '../../rbac/risks';
import { renderJson } from './json';

/** The rule id of a gain without a catalogued risk. */
export const GAINED_RULE_ID = 'rbac-access/gained';

const SECURITY_SEVERITY: Readonly<Record<RiskSeverity, string>> = { low: '3.0', medium: '5.5', high: '8.0', critical: '9.5' };
const LEVEL: Readonly<Record<RiskSeverity, string>> = { low: 'note', medium: 'warning', high: 'error', critical: 'error' };

/** The SARIF rule id of a catalogue risk. */
export function sarifRuleId(risk: string): string {
  return `rbac-access/${risk}`;
}

function uri(file: string): string {
  return file.replace(/\\/g, '/').replace(/^\.\//, '');
}

/**
 * Renders the diff as a SARIF log.
 * @param fallbackFile where to place results whose grant has no location (the first head input)
 */
export function renderAccessDiffSarif(diff: AccessDiff, fallbackFile: string): string {
  const rules = [
    ...RISK_CATALOGUE.map((r) => ({
      id: sarifRuleId(r.id), name: r.id,
      shortDescription: { text: `Gained access: ${r.id}` },
      fullDescription: { text: r.why },
      help: { text: `${r.why} Sources: ${r.sources.join('; ')}.` },
      defaultConfiguration: { level: LEVEL[r.severity] },
      properties: { 'security-severity': SECURITY_SEVERITY[r.severity], 'tags': ['security', 'rbac'] },
    })),
    {
      id: GAINED_RULE_ID, name: 'gained',
      shortDescription: { text: 'Gained access' },
      fullDescription: { text: 'A subject gains access it did not have before this change.' },
      help: { text: 'Review that the subject needs the access.' },
      defaultConfiguration: { level: 'note' },
      properties: { tags: ['rbac'] },
    },
  ];
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results = diff.subjects.flatMap((s) => s.gained.map((g) => {
    const ruleId = g.risks.length > 0 ? sarifRuleId(g.risks[0].id) : GAINED_RULE_ID;
    const at = g.grantedBy.find((x) => x.at)?.at;
    const risks = g.risks.length > 0 ? ` Risks: ${g.risks.map((r) => `${r.id} (${r.severity}): ${r.why}`).join(' ')}` : '';
    return {
      ruleId, ruleIndex: index.get(ruleId),
      level: g.severity ? LEVEL[g.severity] : 'note',
      message: { text: `${subjectText(s)} gains ${changeText(g)}, by ${g.grantedBy.map((x) => x.binding).join('; ')}.${risks}` },
      locations: [{ physicalLocation: { artifactLocation: { uri: uri(at?.file ?? fallbackFile) }, region: { startLine: at?.line ?? 1 } } }],
      partialFingerprints: { subjectAccess: `${s.subject.key}|${changeText(g)}` },
    };
  }));
  return renderJson({
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'api-reader', rules } }, results }],
  });
}
