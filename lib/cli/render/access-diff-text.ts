/** The access diff as text for a terminal: one block per subject, gains (with risks) then losses. */
import type { AccessChange, AccessDiff } from '../../rbac/diff/access-diff';
import { changeText, locationText, presenceText, subjectText } from '../../rbac/diff/describe';
import { terminalLines } from './terminal-text';
import { Style } from './style';

function grantLines(change: AccessChange): string[] {
  return [...new Set(change.grantedBy.map((g) => {
    const where = [g.bindingAt ? locationText(g.bindingAt) : undefined, g.roleAt ? `rule in ${g.role} at ${locationText(g.roleAt)}` : undefined].filter(Boolean);
    return `      ${change.change === 'gained' ? 'by' : 'was by'} ${g.binding}${where.length > 0 ? ` (${where.join('; ')})` : ''}`;
  }))];
}

/** Renders the diff; "no change" when nothing changed. */
export function renderAccessDiffText(diff: AccessDiff, style: Style): string {
  if (diff.subjects.length === 0) return terminalLines([`No change in effective access (${diff.subjectsCompared} subjects compared).`]);
  const lines: string[] = [];
  const painted: string[] = [];
  for (const s of diff.subjects) {
    lines.push(`${subjectText(s)}${presenceText(s)}`);
    for (const g of s.gained) {
      const risk = g.risks.length > 0 ? `  [${g.severity}: ${g.risks.map((r) => r.id).join(', ')}]` : '';
      lines.push(`  + ${changeText(g)}${risk}`, ...grantLines(g));
    }
    for (const l of s.lost) lines.push(`  - ${changeText(l)}`, ...grantLines(l));
  }
  const gaining = diff.subjects.filter((s) => s.gained.length > 0).length;
  const losing = diff.subjects.filter((s) => s.lost.length > 0).length;
  lines.push('', `${gaining} of ${diff.subjectsCompared} subjects gain access, ${losing} lose access.`);
  // Paint after escaping, so the colour codes are not escaped themselves.
  for (const line of terminalLines(lines).split('\n')) {
    painted.push(line.startsWith('  + ') ? style.bad(line) : line.startsWith('  - ') ? style.ok(line) : line);
  }
  return painted.join('\n');
}
