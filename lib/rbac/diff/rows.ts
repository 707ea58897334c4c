/**
 * Changed cells merged into readable rows: cells that differ in one dimension only are merged
 * (namespaces, then verbs, names, subresources, group/resources), so a gained ClusterRole on
 * `pods` reads as one row, not one per verb and namespace. The merge is exact: each row is the
 * product of its sets, and the rows together are exactly the changed cells.
 */
import { combineResourceGroup } from '../views/rule-text';
import { Classes, classesOf, OTHER, UrlClass, urlClassKey, ValueClass } from './classes';
import { CellChange, ResourceCell, SubjectCells, UrlCell } from './cells';
import { SideGrant } from './grants';

/**
 * A set of values: `any: false` is exactly `values`; `any: true` is every value except `values`.
 * For resources the values are kubectl's `RESOURCE[.GROUP]`, with `*` standing for any resource
 * or group not named elsewhere in the same subject's diff.
 */
export interface ValueSet {
  /** True when the set holds every value except {@link ValueSet.values}. */
  readonly any: boolean;
  /** The values held (`any: false`) or left out (`any: true`), sorted. */
  readonly values: readonly string[];
}

/** A merged row of changed resource requests, with the grants behind it. */
export interface ResourceRow {
  readonly kind: 'resource';
  readonly verbs: ValueSet;
  readonly resources: ValueSet;
  readonly subresources: ValueSet;
  readonly names: ValueSet;
  readonly namespaces: ValueSet;
  readonly grants: readonly SideGrant[];
}

/** A merged row of changed non-resource requests. */
export interface UrlRow {
  readonly kind: 'url';
  readonly verbs: ValueSet;
  readonly urls: ValueSet;
  readonly grants: readonly SideGrant[];
}

/** Any merged row. */
export type ChangeRow = ResourceRow | UrlRow;

/**
 * A row in the making: one list of class keys per dimension (with each list's text, the key of
 * the merge), and the grants. Drafts are merged in place: each pass consumes the previous one's.
 * The values behind the keys are kept once per dimension, in {@link Merge.values}.
 */
interface Draft {
  readonly keys: string[][];
  readonly texts: string[];
  grants: SideGrant[];
}

/** The drafts after merging, and each dimension's values by key. */
interface Merge {
  readonly drafts: Draft[];
  readonly values: Array<Map<string, unknown>>;
}

function keyOf(v: ValueClass): string {
  return v === OTHER ? '\u0001' : `\u0002${v}`;
}

/** Merges drafts that differ only in dimension `d`. */
function mergeAlong(drafts: Draft[], d: number): Draft[] {
  const byRest = new Map<string, Draft>();
  for (const draft of drafts) {
    const rest = draft.texts.map((t, i) => (i === d ? '' : t)).join('\u0004');
    const seen = byRest.get(rest);
    if (!seen) {
      byRest.set(rest, draft);
      continue;
    }
    seen.keys[d].push(...draft.keys[d]);
    seen.grants.push(...draft.grants);
  }
  const out = [...byRest.values()];
  for (const draft of out) {
    if (draft.keys[d].length > 1) draft.keys[d] = [...new Set(draft.keys[d])].sort();
    draft.texts[d] = draft.keys[d].join('\u0003');
  }
  return out;
}

function merged(cells: ReadonlyArray<{ dims: Array<[string, unknown]>; grant: SideGrant }>, order: readonly number[]): Merge {
  const values: Array<Map<string, unknown>> = [];
  let drafts: Draft[] = cells.map((c) => {
    c.dims.forEach(([k, v], i) => (values[i] ??= new Map()).set(k, v));
    return { keys: c.dims.map(([k]) => [k]), texts: c.dims.map(([k]) => k), grants: [c.grant] };
  });
  for (const d of order) drafts = mergeAlong(drafts, d);
  for (const draft of drafts) draft.grants = [...new Set(draft.grants)];
  return { drafts, values };
}

/** The values of a draft's dimension `d`. */
function held(m: Merge, draft: Draft, d: number): unknown[] {
  return draft.keys[d].map((k) => m.values[d].get(k));
}

/** A set of classes of one dimension as a {@link ValueSet} over `universe` (every class of the dimension). */
function valueSet(held: Iterable<ValueClass>, universe: readonly ValueClass[], show: (v: ValueClass) => string): ValueSet {
  const set = new Set(held);
  if (set.has(OTHER)) {
    const missing = universe.filter((u) => !set.has(u)).map(show);
    return { any: true, values: [...new Set(missing)].sort() };
  }
  return { any: false, values: [...new Set([...set].map(show))].sort() };
}

const star = (v: ValueClass) => (v === OTHER ? '*' : v);

function pairText(group: ValueClass, resource: ValueClass): string {
  return combineResourceGroup(star(resource), star(group));
}

function urlText(c: UrlClass): string {
  return c.kind === 'exact' ? c.value : c.kind === 'under' ? `${c.value}*` : '*';
}

/** The rows of one change kind of one subject. */
export function changeRows(cells: SubjectCells, changes: readonly CellChange[]): ChangeRow[] {
  const c: Classes = cells.classes;
  const resourceCells = changes.filter((x): x is CellChange & { cell: ResourceCell } => x.cell.kind === 'resource');
  const urlCells = changes.filter((x): x is CellChange & { cell: UrlCell } => x.cell.kind === 'url');
  const rows: ChangeRow[] = [];
  // Dimensions: 0 namespace, 1 verb, 2 name, 3 subresource, 4 group/resource pair.
  const resourceMerge = merged(resourceCells.map(({ cell, grant }) => ({
    dims: [
      [keyOf(cell.namespace), cell.namespace],
      [keyOf(cell.verb), cell.verb],
      [keyOf(cell.name), cell.name],
      [keyOf(cell.subresource), cell.subresource],
      [`${keyOf(cell.group)}\u0000${keyOf(cell.resource)}`, [cell.group, cell.resource]],
    ] as Array<[string, unknown]>,
    grant,
  })), [0, 1, 2, 3, 4]);
  const pairs = cells.pairs();
  for (const d of resourceMerge.drafts) {
    const pairsHeld = held(resourceMerge, d, 4) as Array<[ValueClass, ValueClass]>;
    const heldKeys = new Set(d.keys[4]);
    const anyPair = heldKeys.has(`${keyOf(OTHER)}\u0000${keyOf(OTHER)}`);
    const resources: ValueSet = anyPair
      ? { any: true, values: pairs.filter(([g, r]) => !heldKeys.has(`${keyOf(g)}\u0000${keyOf(r)}`)).map(([g, r]) => pairText(g, r)).sort() }
      : { any: false, values: pairsHeld.map(([g, r]) => pairText(g, r)).sort() };
    rows.push({
      kind: 'resource',
      namespaces: valueSet(held(resourceMerge, d, 0) as ValueClass[], classesOf(c.namespaces), star),
      verbs: valueSet(held(resourceMerge, d, 1) as ValueClass[], classesOf(c.verbs), star),
      names: valueSet(held(resourceMerge, d, 2) as ValueClass[], classesOf(c.names), star),
      subresources: valueSet(held(resourceMerge, d, 3) as ValueClass[], classesOf(c.subresources), star),
      resources,
      grants: d.grants,
    });
  }
  const urlMerge = merged(urlCells.map(({ cell, grant }) => ({
    dims: [[keyOf(cell.verb), cell.verb], [urlClassKey(cell.url), cell.url]] as Array<[string, unknown]>,
    grant,
  })), [0, 1]);
  const allUrls = c.urlClasses();
  for (const d of urlMerge.drafts) {
    const heldUrls = new Set(d.keys[1]);
    const hasOther = heldUrls.has('o') || (c.urlPrefixes.has('') && heldUrls.has('u'));
    const urls: ValueSet = hasOther
      ? { any: true, values: allUrls.filter((u) => !heldUrls.has(urlClassKey(u))).map(urlText).sort() }
      : { any: false, values: held(urlMerge, d, 1).map((u) => urlText(u as UrlClass)).sort() };
    rows.push({ kind: 'url', verbs: valueSet(held(urlMerge, d, 0) as ValueClass[], classesOf(c.verbs), star), urls, grants: d.grants });
  }
  return rows;
}
