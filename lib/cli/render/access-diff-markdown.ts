/**
 * The access diff as a pull-request comment (GitHub-flavoured Markdown): a summary table, then
 * each subject's details folded. Every name from the manifests is escaped: Markdown and HTML
 * characters as entities, so a name cannot add a link, an image, a table cell or an @-mention.
 */
import type { AccessChange, AccessDiff, SubjectAccessDiff } from '../../rbac/diff/access-diff';
import { changeText, locationText, presenceText, subjectText } from '../../rbac/diff/describe';
import { terminalText } from './terminal-text';

/** Text safe anywhere in Markdown and HTML: control characters shown as escapes, markup characters as entities. */
export function markdownText(text: string): string {
  return terminalText(text).replace(/[&<>"'`*_~[\]()#|\\!@{}]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function highest(s: SubjectAccessDiff): string {
  return s.gained.find((g) => g.severity)?.severity ?? '';
}

function rowLine(change: AccessChange): string {
  const risk = change.risks.length > 0 ? ` — **${change.severity}**: ${change.risks.map((r) => `\`${r.id}\``).join(', ')}` : '';
  const by = [...new Set(change.grantedBy.map((g) => `${markdownText(g.binding)}${g.at ? ` at ${markdownText(locationText(g.at))}` : ''}`))].join('; ');
  return `- ${change.change === 'gained' ? '➕' : '➖'} ${markdownText(changeText(change))}${risk}<br>${change.change === 'gained' ? 'by' : 'was by'} ${by}`;
}

/** Renders the diff as a pull-request comment. */
export function renderAccessDiffMarkdown(diff: AccessDiff): string {
  const out = ['### RBAC access diff', ''];
  if (diff.subjects.length === 0) {
    out.push(`No change in effective access (${diff.subjectsCompared} subjects compared).`, '');
    return out.join('\n');
  }
  out.push('| Subject | Gained | Lost | Highest risk |', '|---|---:|---:|---|');
  for (const s of diff.subjects) out.push(`| ${markdownText(`${subjectText(s)}${presenceText(s)}`)} | ${s.gained.length} | ${s.lost.length} | ${highest(s)} |`);
  out.push('');
  for (const s of diff.subjects) {
    out.push('<details>', `<summary>${markdownText(subjectText(s))}${markdownText(presenceText(s))}: ${s.gained.length} gained, ${s.lost.length} lost</summary>`, '');
    for (const c of [...s.gained, ...s.lost]) out.push(rowLine(c));
    out.push('', '</details>', '');
  }
  return out.join('\n');
}
