/** The grant diff as text: three titled lists. */
import { GrantDiff, CheckedAccess } from '../diff';
import { ObservedAccess } from '../observed';

/** A request in kubectl's words, e.g. `get secrets/api-access-secret -n dev` or `get /api`. */
export function target(a: ObservedAccess): string {
  if (a.path !== undefined) return `${a.verb} ${a.path}`;
  const resource = `${a.resource}${a.group ? `.${a.group}` : ''}${a.subresource ? `/${a.subresource}` : ''}`;
  return `${a.verb} ${resource}${a.name ? `/${a.name}` : ''}${a.namespace ? ` -n ${a.namespace}` : ' (cluster-wide)'}`;
}

function checked(c: CheckedAccess): string {
  const times = c.access.count === 1 ? `once at ${c.access.firstTime}` : `${c.access.count} times, ${c.access.firstTime} .. ${c.access.lastTime}`;
  return `  - ${target(c.access)}: ${times}; today: ${c.allowedToday ? 'allowed' : 'denied'} (${c.today || 'no reason given'})\n`;
}

/** The diff as text, one section per list; an empty list says "none". */
export function renderDiff(diff: GrantDiff): string {
  const unused = diff.grantedButUnused.map((u) => `  - ${u.ruleText} ${u.namespace ? `in "${u.namespace}"` : 'cluster-wide'}, by ${u.grantedBy}\n`);
  const section = (title: string, lines: string[]) => `${title}:\n${lines.length > 0 ? lines.join('') : '  (none)\n'}`;
  return [
    section(`Granted but never used (${diff.user.name})`, unused),
    section('Denied but attempted', diff.deniedButAttempted.map(checked)),
    section('Used but not granted by these manifests', diff.usedButNotGranted.map(checked)),
  ].join('');
}
