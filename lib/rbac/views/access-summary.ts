/**
 * What a set of manifests grants, as stable text a Jest snapshot can hold: the access each
 * subject has beyond what the bootstrap policy alone gives it (the access diff from a cluster
 * with only the bootstrap policy to these manifests), one block per subject, sorted, with the
 * risk of each grant and the binding behind it. No file:line (an unrelated edit moves lines), no
 * timestamps: the text changes exactly when someone's effective access changes.
 */
import { diffAccess } from '../diff/access-diff';
import { changeText, subjectText } from '../diff/describe';
import { RbacPolicy } from '../policy';

/**
 * The access summary of `policy`: for each subject, one line per access its manifests grant
 * (`get secrets named api-access-secret in namespace dev  [medium: secrets-read]`), each followed
 * by the bindings that grant it; `(no access granted)` when the manifests grant nobody anything.
 */
export function accessSummaryOf(policy: RbacPolicy): string {
  const empty = RbacPolicy.fromObjects([], { bootstrap: policy.includesBootstrap, kubeVersion: policy.kubeVersion });
  const diff = diffAccess({ policy: empty }, { policy });
  const lines: string[] = [];
  for (const s of diff.subjects) {
    if (s.gained.length === 0) continue;
    if (lines.length > 0) lines.push('');
    lines.push(subjectText(s));
    const rows = s.gained.map((g) => ({ g, text: changeText(g) })).sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
    for (const { g, text } of rows) {
      const risk = g.risks.length > 0 ? `  [${g.severity}: ${g.risks.map((r) => r.id).join(', ')}]` : '';
      lines.push(`  ${text}${risk}`);
      for (const by of [...new Set(g.grantedBy.map((x) => x.binding))].sort()) lines.push(`    by ${by}`);
    }
  }
  return `${lines.length > 0 ? lines.join('\n') : '(no access granted)'}\n`;
}
