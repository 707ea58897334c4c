/**
 * The exact diff of one subject: the product of its value classes (see `classes.ts`) that a rule
 * it gained or lost could reach, each cell asked of both sides with the evaluator's own matchers
 * on a representative request, and a classifier that maps any request to its cell.
 */
import { RbacInputError } from '../errors';
import { ruleAllows } from '../matchers';
import { ruleKey as contentKey } from '../policy';
import { requestNamespace, ScopeLookup } from '../scope';
import { SYSTEM_MASTERS } from '../subjects';
import { AccessRequest, isNonResourceRequest, NonResourceAttributes, PolicyRule, ResourceAttributes, UserInfo } from '../types';
import { Classes, classesOf, OTHER, pairKey, UrlClass, urlClassKey, ValueClass } from './classes';
import { SideGrant } from './grants';

/** Whether a subject gained or lost a request. */
export type ChangeKind = 'gained' | 'lost';

/** A class of resource requests. */
export interface ResourceCell {
  readonly kind: 'resource';
  readonly verb: ValueClass;
  readonly group: ValueClass;
  readonly resource: ValueClass;
  readonly subresource: ValueClass;
  readonly name: ValueClass;
  readonly namespace: ValueClass;
}

/** A class of non-resource requests. */
export interface UrlCell {
  readonly kind: 'url';
  readonly verb: ValueClass;
  readonly url: UrlClass;
}

/** A class of requests. */
export type Cell = ResourceCell | UrlCell;

/** A cell whose answer differs between the sides, with the grant that allows it on the side that allows it. */
export interface CellChange {
  readonly cell: Cell;
  readonly change: ChangeKind;
  readonly grant: SideGrant;
}

/** The two sides of one subject. */
export interface SubjectSides {
  readonly user: UserInfo;
  readonly base: readonly SideGrant[];
  readonly head: readonly SideGrant[];
  readonly baseScopes: ScopeLookup;
  readonly headScopes: ScopeLookup;
  /** Group/resource pairs cluster-scoped on either side. */
  readonly clusterScoped: readonly (readonly [string, string])[];
}

/**
 * The most request classes one subject's diff examines. Each class costs memory, and their number
 * is the product of the values the subject's rules mention (verbs x resources x names x
 * namespaces): hostile manifests could make it astronomical, so past this the diff refuses.
 */
export const MAX_CELLS = 2_000_000;

/** A subject's rules mention too many values to diff exactly within {@link MAX_CELLS}. */
export class TooManyCellsError extends RbacInputError {
  constructor(user: UserInfo, grant: SideGrant) {
    const at = grant.binding.source ? ` (${grant.binding.source.file}:${grant.binding.source.line})` : '';
    super(
      `The access of ${JSON.stringify(user.name || user.groups[0])} cannot be compared exactly: its rules mention so many verbs, resources, ` +
      `names and namespaces that over ${MAX_CELLS} classes of requests would have to be checked, from binding "${grant.binding.name}"${at} on. ` +
      'Split the change, or check the roles for generated lists of names.',
    );
    this.name = 'TooManyCellsError';
    Object.setPrototypeOf(this, TooManyCellsError.prototype);
  }
}

const ruleKeys = new WeakMap<PolicyRule, string>();

/** A rule's identity by content (the policy's `ruleKey`), computed once per rule object. */
export function ruleKey(rule: PolicyRule): string {
  let key = ruleKeys.get(rule);
  if (key === undefined) {
    key = contentKey(rule);
    ruleKeys.set(rule, key);
  }
  return key;
}

function grantKey(g: SideGrant): string {
  return `${g.scope}\u0000${ruleKey(g.rule)}`;
}

function vk(c: ValueClass): string {
  return c === OTHER ? '\u0001' : `\u0002${c}`;
}

/** The key of a cell. */
export function cellKey(cell: Cell): string {
  if (cell.kind === 'url') return `U${vk(cell.verb)}\u0000${urlClassKey(cell.url)}`;
  const parts: ValueClass[] = [cell.verb, cell.group, cell.resource, cell.subresource, cell.name, cell.namespace];
  return `R${parts.map(vk).join('\u0000')}`;
}

function hasWildcardTarget(rule: PolicyRule): boolean {
  return (rule.apiGroups ?? []).includes('*') || (rule.resources ?? []).some((r) => r.startsWith('*'));
}

/** The exact diff of one subject, computed on construction. */
export class SubjectCells {
  /** The value classes. */
  public readonly classes = new Classes();
  /** Every changed cell, by key. */
  public readonly changes = new Map<string, CellChange>();
  private readonly masters: boolean;
  /** How many cells the grants enumerated so far can make at most. */
  private planned = 0;
  private readonly lookups: { readonly base: SideLookup; readonly head: SideLookup };

  constructor(private readonly sides: SubjectSides) {
    this.masters = sides.user.groups.includes(SYSTEM_MASTERS);
    this.lookups = { base: new SideLookup(sides.base, sides.baseScopes), head: new SideLookup(sides.head, sides.headScopes) };
    if (this.masters) return;
    const all = [...sides.base, ...sides.head];
    let wildcardInNamespace = false;
    for (const g of all) {
      this.classes.addRule(g.rule);
      if (g.scope !== '') {
        this.classes.addNamespace(g.scope);
        if (hasWildcardTarget(g.rule)) wildcardInNamespace = true;
      }
    }
    if (wildcardInNamespace) for (const [group, resource] of sides.clusterScoped) this.classes.addScopedPair(group, resource);
    const baseKeys = new Set(sides.base.map(grantKey));
    const headKeys = new Set(sides.head.map(grantKey));
    const changed = [...sides.base.filter((g) => !headKeys.has(grantKey(g))), ...sides.head.filter((g) => !baseKeys.has(grantKey(g)))];
    // A resource whose scope differs between the sides changes what an unchanged RoleBinding grants.
    const scopeMoved = sides.clusterScoped.some(([g, r]) => sides.baseScopes.isClusterScoped(g, r) !== sides.headScopes.isClusterScoped(g, r));
    const candidates = scopeMoved ? all.filter((g) => g.scope !== '') : [];
    const seen = new Set<string>();
    for (const g of [...changed, ...candidates]) {
      for (const cell of this.cellsOf(g)) {
        const key = cellKey(cell);
        if (seen.has(key)) continue;
        seen.add(key);
        this.evaluate(key, cell);
      }
    }
  }

  /** Whether the subject has no change at all (no grant added or removed, scopes unchanged). */
  public static unchanged(sides: SubjectSides): boolean {
    if (sides.base.length !== sides.head.length) return false;
    const a = sides.base.map(grantKey).sort();
    const b = sides.head.map(grantKey).sort();
    return a.every((k, i) => k === b[i]);
  }

  /** How `request` changed for this subject: gained, lost, or `undefined` (unchanged). */
  public classify(request: AccessRequest): ChangeKind | undefined {
    if (this.masters) return undefined;
    return this.changes.get(cellKey(this.cellOfRequest(request)))?.change;
  }

  /** The representative request of a cell. */
  public representative(cell: Cell): AccessRequest {
    const other = this.classes.other();
    const rep = (c: ValueClass) => (c === OTHER ? other : c);
    if (cell.kind === 'url') return { verb: rep(cell.verb), path: this.classes.urlRepresentative(cell.url) } satisfies NonResourceAttributes;
    const sub = rep(cell.subresource);
    const name = rep(cell.name);
    const request: ResourceAttributes = {
      verb: rep(cell.verb), group: rep(cell.group), resource: rep(cell.resource), namespace: rep(cell.namespace),
      ...(sub !== '' ? { subresource: sub } : {}), ...(name !== '' ? { name } : {}),
    };
    return request;
  }

  private cellOfRequest(request: AccessRequest): Cell {
    const c = this.classes;
    if (isNonResourceRequest(request)) return { kind: 'url', verb: Classes.classOf(c.verbs, request.verb), url: c.urlClassOf(request.path) };
    const group = request.group ?? '';
    const pair = c.scopedPairs.has(pairKey(group, request.resource));
    return {
      kind: 'resource',
      verb: Classes.classOf(c.verbs, request.verb),
      group: pair ? group : Classes.classOf(c.groups, group),
      resource: pair ? request.resource : Classes.classOf(c.resources, request.resource),
      subresource: Classes.classOf(c.subresources, request.subresource ?? ''),
      name: Classes.classOf(c.names, request.name ?? ''),
      namespace: Classes.classOf(c.namespaces, request.namespace ?? ''),
    };
  }

  private evaluate(key: string, cell: Cell): void {
    const request = this.representative(cell);
    const base = this.lookups.base.allowedBy(request);
    const head = this.lookups.head.allowedBy(request);
    if (head && !base) this.changes.set(key, { cell, change: 'gained', grant: head });
    else if (base && !head) this.changes.set(key, { cell, change: 'lost', grant: base });
  }

  /** Every group/resource class. */
  public pairs(): Array<readonly [ValueClass, ValueClass]> {
    const out: Array<readonly [ValueClass, ValueClass]> = [];
    for (const g of classesOf(this.classes.groups)) for (const r of classesOf(this.classes.resources)) out.push([g, r]);
    for (const p of this.classes.scopedPairs.values()) {
      if (!(this.classes.groups.has(p[0]) && this.classes.resources.has(p[1]))) out.push(p);
    }
    return out;
  }

  /** Whether a group/resource class is cluster-scoped on either side (its namespace classes then all matter). */
  private scopedEitherSide(group: ValueClass, resource: ValueClass): boolean {
    if (group === OTHER || resource === OTHER) return false;
    return this.sides.baseScopes.isClusterScoped(group, resource) || this.sides.headScopes.isClusterScoped(group, resource);
  }

  /** Every cell a grant could allow (a superset; each is evaluated on both sides). */
  private *cellsOf(g: SideGrant): Generator<Cell> {
    const c = this.classes;
    const rule = g.rule;
    const verbs: ValueClass[] = (rule.verbs ?? []).includes('*') ? classesOf(c.verbs) : [...new Set(rule.verbs ?? [])];
    if (g.scope === '') {
      const urls = (rule.nonResourceURLs ?? []).includes('*') ? c.urlClasses() : this.urlClassesOf(rule.nonResourceURLs ?? []);
      for (const verb of verbs) for (const url of urls) yield { kind: 'url', verb, url };
    }
    const names: ValueClass[] = (rule.resourceNames ?? []).length === 0 ? classesOf(c.names) : [...new Set(rule.resourceNames)];
    const allNamespaces = classesOf(c.namespaces);
    const subAll = classesOf(c.subresources);
    const pairs = this.pairs();
    const targets = new Map<string, readonly [ValueClass, ValueClass, ValueClass]>();
    for (const group of new Set(rule.apiGroups ?? [])) {
      for (const resource of new Set(rule.resources ?? [])) {
        const slash = resource.indexOf('/');
        const base = slash < 0 ? resource : resource.slice(0, slash);
        const subs: ValueClass[] = slash >= 0 ? [resource.slice(slash + 1)] : resource === '*' ? subAll : [''];
        for (const [pg, pr] of pairs) {
          if (group !== '*' && pg !== group) continue;
          if (base !== '*' && pr !== base) continue;
          for (const sub of subs) targets.set(`${vk(pg)}\u0000${vk(pr)}\u0000${vk(sub)}`, [pg, pr, sub]);
        }
      }
    }
    // Checked before any cell is made: the product is known, and hostile input could make it astronomical.
    this.planned += targets.size * verbs.length * names.length * allNamespaces.length;
    if (this.planned > MAX_CELLS) throw new TooManyCellsError(this.sides.user, g);
    for (const [group, resource, subresource] of targets.values()) {
      const namespaces = g.scope === '' || this.scopedEitherSide(group, resource) ? allNamespaces : [g.scope];
      for (const verb of verbs) {
        for (const name of names) {
          for (const namespace of namespaces) yield { kind: 'resource', verb, group, resource, subresource, name, namespace };
        }
      }
    }
  }

  private urlClassesOf(patterns: readonly string[]): UrlClass[] {
    const all = this.classes.urlClasses();
    const out: UrlClass[] = [];
    for (const u of all) {
      const path = this.classes.urlRepresentative(u);
      if (patterns.some((p) => ruleAllows({ verb: 'get', path }, { verbs: ['get'], nonResourceURLs: [p] }))) out.push(u);
    }
    return out;
  }
}

/**
 * One side's grants of a subject, bucketed by the resource their rules name (wildcard resources,
 * subresource patterns included, in one bucket; URLs in another), so a request is matched against
 * the few rules that could allow it, in walk order.
 */
class SideLookup {
  private readonly byResource = new Map<string, number[]>();
  private readonly anyResource: number[] = [];
  private readonly urls: number[] = [];

  constructor(private readonly grants: readonly SideGrant[], private readonly scopes: ScopeLookup) {
    grants.forEach((g, i) => {
      if ((g.rule.nonResourceURLs ?? []).length > 0) this.urls.push(i);
      const bases = new Set((g.rule.resources ?? []).map((r) => {
        const slash = r.indexOf('/');
        return slash < 0 ? r : r.slice(0, slash);
      }));
      for (const base of bases) {
        if (base === '*') this.anyResource.push(i);
        else {
          const list = this.byResource.get(base);
          if (list) list.push(i);
          else this.byResource.set(base, [i]);
        }
      }
    });
  }

  /** The first grant (walk order) that allows `request`, or undefined. */
  public allowedBy(request: AccessRequest): SideGrant | undefined {
    if (isNonResourceRequest(request)) {
      const u = this.first(this.urls, request, undefined);
      return u === undefined ? undefined : this.grants[u];
    }
    const namespace = requestNamespace(request, this.scopes);
    const a = this.first(this.byResource.get(request.resource) ?? [], request, namespace);
    const b = this.first(this.anyResource, request, namespace);
    const first = a === undefined ? b : b === undefined ? a : Math.min(a, b);
    return first === undefined ? undefined : this.grants[first];
  }

  /** The first index whose grant allows `request`; `namespace` undefined for a URL (only cluster-wide grants apply). */
  private first(indexes: readonly number[], request: AccessRequest, namespace: string | undefined): number | undefined {
    for (const i of indexes) {
      const g = this.grants[i];
      if (g.scope !== '' && (namespace === undefined || g.scope !== namespace)) continue;
      if (ruleAllows(request, g.rule)) return i;
    }
    return undefined;
  }
}
