/**
 * What a subject may do, as `kubectl auth can-i --list` shows it: every granted rule broken down to
 * one (group, resource, name) or one URL, rules on the same target merged (verbs joined), sorted as
 * kubectl sorts them (by verbs, then groups, resources, names, URLs).
 */
import { GrantedRule } from '../types';
import { combineResourceGroup } from './rule-text';

/** One line of the `--list` table. */
export interface AccessRow {
  /** `resource[.group][/subresource]`, or `""` for a non-resource row. */
  readonly resources: string;
  /** The URLs of a non-resource row. */
  readonly nonResourceURLs: readonly string[];
  /** The names a resource row is limited to (empty for every name). */
  readonly resourceNames: readonly string[];
  /** The verbs. */
  readonly verbs: readonly string[];
}

interface Piece {
  readonly key: string;
  readonly group: string;
  readonly row: AccessRow;
}

function breakdown(granted: GrantedRule): Piece[] {
  const { rule } = granted;
  const pieces: Piece[] = [];
  const verbs = rule.verbs ?? [];
  for (const group of rule.apiGroups ?? []) {
    for (const resource of rule.resources ?? []) {
      const names = rule.resourceNames?.length ? rule.resourceNames.map((n) => [n]) : [[]];
      for (const resourceNames of names) {
        const resources = combineResourceGroup(resource, group);
        pieces.push({ key: `r\0${group}\0${resource}\0${resourceNames.join()}`, group, row: { resources, nonResourceURLs: [], resourceNames, verbs } });
      }
    }
  }
  for (const url of rule.nonResourceURLs ?? []) {
    pieces.push({ key: `u\0${url}\0${verbs.join()}`, group: '', row: { resources: '', nonResourceURLs: [url], resourceNames: [], verbs } });
  }
  return pieces;
}

function sortKey(piece: Piece): string {
  const r = piece.row;
  return [r.verbs.join(' '), piece.group, r.resources, r.resourceNames.join(' '), r.nonResourceURLs.join(' ')].join('\0');
}

/** The `--list` rows for the rules `rulesFor` returned. */
export function accessRows(rules: readonly GrantedRule[]): AccessRow[] {
  const merged = new Map<string, Piece>();
  for (const piece of rules.flatMap(breakdown)) {
    const seen = merged.get(piece.key);
    if (!seen) {
      merged.set(piece.key, piece);
      continue;
    }
    const verbs = [...seen.row.verbs, ...piece.row.verbs.filter((v) => !seen.row.verbs.includes(v))];
    merged.set(piece.key, { ...seen, row: { ...seen.row, verbs } });
  }
  return [...merged.values()]
    .map((p) => ({ p, k: sortKey(p) }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
    .map(({ p }) => p.row);
}
