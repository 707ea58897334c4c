/**
 * Synth-time guardrails: a risky rule (see the risk catalogue, {@link privilegeRisks}) fails synth
 * unless its author accepts the risk by name, with a reason.
 */
import { Acknowledgement, privilegeRisks } from '../rbac/risks';
import { PolicyRule } from '../rbac/types';

/**
 * Sentences for every risk of `rule` that is not acknowledged, every acknowledgement without
 * a reason, and every acknowledgement of a risk the rule does not carry (so they cannot rot).
 *
 * @param rule the rule as rendered
 * @param clusterWide true when the role is bound by a ClusterRoleBinding
 * @param acknowledgements what the author accepted
 */
export function guardrailProblems(rule: PolicyRule, clusterWide: boolean, acknowledgements: readonly Acknowledgement[]): string[] {
  const risks = privilegeRisks(rule, clusterWide);
  const acknowledged = new Set(acknowledgements.map((a) => a.risk));
  const describe = JSON.stringify(rule);
  const problems: string[] = [];
  for (const risk of risks.filter((r) => !acknowledged.has(r))) {
    problems.push(
      `The rule ${describe} grants "${risk}". Narrow the rule, or acknowledge it by name: ` +
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
