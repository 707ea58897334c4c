/**
 * Synth-time guardrails: a risky rule (see the risk catalogue, {@link privilegeRisks}) fails synth
 * unless its author accepts the risk by name, with a reason.
 */
import { Acknowledgement, privilegeRisks, riskDefinition } from '../rbac/risks';
import { PolicyRule } from '../rbac/types';

/**
 * Sentences for every risk of `rule` that is not acknowledged, every acknowledgement without
 * a reason, and every acknowledgement of a risk the rule does not carry (so they cannot rot).
 *
 * @param rule the rule as rendered
 * @param clusterWide true when the role is bound by a ClusterRoleBinding
 * @param acknowledgements what the author accepted
 * @param holder who holds the rule, for the escalation path a hop risk opens, e.g. `Role "ops" in namespace "ops"`
 * @default holder "the role's subjects"
 */
export function guardrailProblems(rule: PolicyRule, clusterWide: boolean, acknowledgements: readonly Acknowledgement[], holder = "the role's subjects"): string[] {
  const risks = privilegeRisks(rule, clusterWide);
  const acknowledged = new Set(acknowledgements.map((a) => a.risk));
  const describe = JSON.stringify(rule);
  const problems: string[] = [];
  for (const risk of risks.filter((r) => !acknowledged.has(r))) {
    // A risk that is an escalation hop (the catalogue's `reaches`) names the path it opens, as `api-reader escalations` would.
    const reaches = riskDefinition(risk)?.reaches;
    const path = reaches ? `, which opens an escalation path: ${holder} -> ${risk} -> ${reaches}` : '';
    problems.push(
      `The rule ${describe} grants "${risk}"${path}. Narrow the rule, or acknowledge it by name: ` +
        `grant(rule, { acknowledge: [{ risk: '${risk}', reason: 'why this is needed and safe' }] }) ` +
        `(on an AccessRole: addRule(rule, [{ risk: '${risk}', reason: '...' }])).`,
    );
  }
  for (const ack of acknowledgements) {
    if (!risks.includes(ack.risk)) {
      problems.push(`The acknowledgement of "${ack.risk}" on rule ${describe} names a risk the rule does not carry. Remove it.`);
    } else if (!ack.reason || ack.reason.trim() === '') {
      problems.push(`The acknowledgement of "${ack.risk}" on rule ${describe} has no reason. Say why it is needed and safe.`);
    }
  }
  return problems;
}
