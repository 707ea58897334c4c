/**
 * The value classes of one subject's access diff. RBAC matches a request's verb, group, resource,
 * subresource, name and URL against rules only by equality, by `*`, and (URLs) by prefix, and a
 * RoleBinding applies only in its namespace. So two requests whose every value is either the same
 * value, or a value that none of the subject's rules and bindings (on either side) mention, get
 * the same answer from both policies. Each dimension is therefore split into the values mentioned
 * plus one {@link OTHER} class ("any value not mentioned"), and the diff is exact over the finite
 * product of classes: wildcards stay symbolic, unmentioned names are decided by wildcards.
 */
import { PolicyRule } from '../types';

/** The class of every value that no rule or binding mentions (stands for `*` in output). */
export const OTHER: unique symbol = Symbol('other');

/** A value class: a mentioned value, or {@link OTHER}. */
export type ValueClass = string | typeof OTHER;

/** The mentioned values of each dimension, and how to pick representatives. */
export class Classes {
  /** Verbs mentioned (not `*`). */
  public readonly verbs = new Set<string>();
  /** API groups mentioned (not `*`). */
  public readonly groups = new Set<string>();
  /** Resources mentioned (the part before the first `/`; not `*`). */
  public readonly resources = new Set<string>();
  /** Subresources mentioned (after the first `/`), and `""` (none). */
  public readonly subresources = new Set<string>(['']);
  /**
   * Object names mentioned, and `""` (none); the RoleBindings' namespaces too, as a request on
   * `namespaces/NAME` carries NAME as its namespace.
   */
  public readonly names = new Set<string>(['']);
  /** The RoleBindings' namespaces, and `""` (a request without a namespace). */
  public readonly namespaces = new Set<string>(['']);
  /** Group/resource pairs cluster-scoped on either side that wildcards could reach: each its own class. */
  public readonly scopedPairs = new Map<string, readonly [string, string]>();
  /** Exact non-resource URLs mentioned. */
  public readonly urls = new Set<string>();
  /** URL prefixes (a pattern `/p/*` gives `/p/`). */
  public readonly urlPrefixes = new Set<string>();
  private otherToken?: string;

  /** Adds the values a rule mentions. */
  public addRule(rule: PolicyRule): void {
    for (const v of rule.verbs ?? []) if (v !== '*') this.verbs.add(v);
    for (const g of rule.apiGroups ?? []) if (g !== '*') this.groups.add(g);
    for (const r of rule.resources ?? []) {
      const slash = r.indexOf('/');
      const base = slash < 0 ? r : r.slice(0, slash);
      if (base !== '*') this.resources.add(base);
      if (slash >= 0) this.subresources.add(r.slice(slash + 1));
    }
    for (const n of rule.resourceNames ?? []) this.names.add(n);
    for (const u of rule.nonResourceURLs ?? []) {
      if (u === '*') continue;
      if (u.endsWith('*')) this.urlPrefixes.add(u.replace(/\*+$/, ''));
      else this.urls.add(u);
    }
  }

  /** Adds a RoleBinding's namespace. */
  public addNamespace(namespace: string): void {
    this.namespaces.add(namespace);
    this.names.add(namespace);
  }

  /** Adds a group/resource pair that is cluster-scoped on one side. */
  public addScopedPair(group: string, resource: string): void {
    this.scopedPairs.set(pairKey(group, resource), [group, resource]);
  }

  /**
   * The concrete string that represents {@link OTHER}: it starts with a character no mentioned
   * value holds, so it equals no mentioned value and, appended to a URL prefix, starts no longer
   * mentioned URL.
   */
  public other(): string {
    if (this.otherToken !== undefined) return this.otherToken;
    const all = [...this.verbs, ...this.groups, ...this.resources, ...this.subresources, ...this.names, ...this.urls, ...this.urlPrefixes,
      ...[...this.scopedPairs.values()].flat()];
    let code = 0xe000;
    const used = (c: string) => all.some((v) => v.includes(c));
    while (used(String.fromCharCode(code))) code++;
    this.otherToken = `${String.fromCharCode(code)}other`;
    return this.otherToken;
  }

  /** The class of a value in a dimension. */
  public static classOf(values: ReadonlySet<string>, value: string): ValueClass {
    return values.has(value) ? value : OTHER;
  }

  /** The class of a URL path: itself when mentioned exactly, else the longest mentioned prefix it starts with (as `PREFIX*`), else {@link OTHER}. */
  public urlClassOf(path: string): UrlClass {
    if (this.urls.has(path)) return { kind: 'exact', value: path };
    let best: string | undefined;
    for (const p of this.urlPrefixes) if (path.startsWith(p) && (best === undefined || p.length > best.length)) best = p;
    return best === undefined ? { kind: 'other' } : { kind: 'under', value: best };
  }

  /** Every URL class: each exact URL, each prefix's "under", and other. */
  public urlClasses(): UrlClass[] {
    return [
      ...[...this.urls].sort().map((value): UrlClass => ({ kind: 'exact', value })),
      ...[...this.urlPrefixes].sort().map((value): UrlClass => ({ kind: 'under', value })),
      // With a prefix "" (a pattern such as "**") every path is under it: no path is "other".
      ...(this.urlPrefixes.has('') ? [] : [{ kind: 'other' } as UrlClass]),
    ];
  }

  /** A path that belongs to `c`. */
  public urlRepresentative(c: UrlClass): string {
    if (c.kind === 'exact') return c.value;
    if (c.kind === 'under') return `${c.value}${this.other()}`;
    return this.other();
  }
}

/** A class of URL paths: one exact URL, the paths under a prefix not otherwise mentioned, or any other path. */
export type UrlClass =
  | { readonly kind: 'exact'; readonly value: string }
  | { readonly kind: 'under'; readonly value: string }
  | { readonly kind: 'other' };

/** The key of a URL class. */
export function urlClassKey(c: UrlClass): string {
  return c.kind === 'other' ? 'o' : `${c.kind === 'exact' ? 'e' : 'u'}${c.value}`;
}

/** The key of a group/resource pair. */
export function pairKey(group: string, resource: string): string {
  return `${group}\u0000${resource}`;
}

/** Every class of a dimension: its values, sorted, then {@link OTHER}. */
export function classesOf(values: ReadonlySet<string>): ValueClass[] {
  return [...[...values].sort(), OTHER];
}
