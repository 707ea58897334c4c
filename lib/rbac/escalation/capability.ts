/**
 * What one node of an escalation path may do: a principal (user, group member, ServiceAccount)
 * asks the evaluator (`authorize`, so every answer is the API server's); a grant node holds only the
 * rules of the role a hop bound, in the namespace it was bound in. Each answer comes with the rule,
 * role and binding (file:line) that allow it, and each capability lists which catalogue hop kinds
 * its rules carry, so nodes whose rules carry none are not searched further.
 */
import { authorize, visitRulesFor } from '../evaluate';
import { describeOperation } from '../format';
import type { LoadResult, SourceLocation } from '../load';
import { appliesTo, ruleAllows } from '../matchers';
import { RbacPolicy, ResolvedBinding } from '../policy';
import { PrivilegeRisk, ruleRisks } from '../risks';
import { requestNamespace } from '../scope';
import { serviceAccountUsername } from '../subjects';
import { GrantedRule, PolicyRule, ResourceAttributes, UserInfo } from '../types';
import { HopGrant, PolicyObjectRef } from './types';

/** The hop kinds a node's rules carry, each with the namespaces it holds in (`""`: cluster-wide). */
export type HeldHops = ReadonlyMap<PrivilegeRisk, ReadonlySet<string>>;

/** What a node of a path may do. */
export interface Capability {
  /**
   * The rule, role and binding that allow `request`, or `undefined`.
   * @param literal true to authorize in `request.namespace` as given, as the API server's own checks
   *   do (`bind` on a ClusterRole for a RoleBinding carries the binding's namespace)
   */
  allows(request: ResourceAttributes, literal?: boolean): HopGrant | undefined;
  /** The catalogue hop kinds its rules carry, by namespace. */
  readonly held: HeldHops;
  /** The bindings that grant it roles (principals only), for `escalate`. */
  readonly bindings: readonly ResolvedBinding[];
}

function describeRequest(request: ResourceAttributes, scope: string): string {
  return `${describeOperation(request)} ${scope ? `in namespace "${scope}"` : 'cluster-wide'}`;
}

/** The shared, per-analysis indexes: where each role and binding was read, and rule classifications. */
export class CapabilityIndex {
  private readonly sources = new Map<string, SourceLocation>();
  private readonly riskCache = new WeakMap<PolicyRule, [readonly PrivilegeRisk[], readonly PrivilegeRisk[]]>();
  private roleBindingsBySubject?: Map<string, ResolvedBinding[]>;

  constructor(public readonly policy: RbacPolicy, load: LoadResult) {
    for (const { object, source } of load.objects) {
      const name = object.metadata?.name;
      if (typeof name === 'string') this.sources.set(`${String(object.kind)}/${object.metadata?.namespace ?? ''}/${name}`, source);
    }
  }

  /** A binding or role with its file:line (none for bootstrap objects). */
  public ref(kind: string, name: string, namespace: string): PolicyObjectRef {
    const source = this.sources.get(`${kind}/${kind === 'Role' || kind === 'RoleBinding' ? namespace : ''}/${name}`);
    return { kind, name, ...(namespace ? { namespace } : {}), ...(source ? { source } : {}) };
  }

  /** The hop kinds (catalogue entries with `reaches`) a rule carries: [namespaced grant, cluster-wide grant]. */
  public hopRisks(rule: PolicyRule, clusterWide: boolean): readonly PrivilegeRisk[] {
    let cached = this.riskCache.get(rule);
    if (!cached) {
      const hops = (wide: boolean) => ruleRisks(rule, wide).filter((d) => d.reaches !== undefined).map((d) => d.id);
      cached = [hops(false), hops(true)];
      this.riskCache.set(rule, cached);
    }
    return cached[clusterWide ? 1 : 0];
  }

  /** Every binding that applies to `user`: ClusterRoleBindings, then RoleBindings of every namespace. */
  public bindingsOf(user: UserInfo): ResolvedBinding[] {
    const out = this.policy.candidateBindings(user, '').filter((b) => appliesTo(user, b.subjects, b.namespace) >= 0);
    this.roleBindingsBySubject ??= indexRoleBindings(this.policy);
    const seen = new Set<ResolvedBinding>();
    for (const key of [`u:${user.name}`, ...user.groups.map((g) => `g:${g}`)]) {
      for (const b of this.roleBindingsBySubject.get(key) ?? []) {
        if (!seen.has(b) && appliesTo(user, b.subjects, b.namespace) >= 0) {
          seen.add(b);
          out.push(b);
        }
      }
    }
    return out;
  }

  /** The capability of a principal: the evaluator's answers for `user`. */
  public principal(user: UserInfo): Capability {
    const bindings = this.bindingsOf(user);
    const held = new Map<PrivilegeRisk, Set<string>>();
    for (const b of bindings) {
      for (const rule of b.rules ?? []) {
        for (const risk of this.hopRisks(rule, b.kind === 'ClusterRoleBinding')) addHeld(held, risk, b.namespace);
      }
    }
    return {
      held, bindings,
      allows: (request, literal = false) => {
        const found = literal ? literalGrant(this.policy, user, request) : authorize(this.policy, user, request).grant;
        if (!found) return undefined;
        const s = found.source;
        const ns = s.bindingNamespace ?? '';
        return {
          request: describeRequest(request, literal ? request.namespace ?? '' : requestNamespace(request, this.policy)),
          rule: found.rule,
          role: this.ref(s.roleRef.kind, s.roleRef.name, s.roleRef.kind === 'Role' ? ns : ''),
          binding: this.ref(s.bindingKind, s.bindingName, ns),
        };
      },
    };
  }

  /**
   * The capability of a role bound by a hop: its rules only, in `namespace` (`""`: everywhere).
   * @param role the role as its grant node names it; `*` kind for "every rule"
   */
  public grant(role: PolicyObjectRef, rules: readonly PolicyRule[], namespace: string): Capability {
    const held = new Map<PrivilegeRisk, Set<string>>();
    for (const rule of rules) for (const risk of this.hopRisks(rule, namespace === '')) addHeld(held, risk, namespace);
    return {
      held, bindings: [],
      allows: (request, literal = false) => {
        const scope = literal ? request.namespace ?? '' : requestNamespace(request, this.policy);
        if (namespace !== '' && scope !== namespace) return undefined;
        const rule = rules.find((r) => ruleAllows(request, r));
        return rule ? { request: describeRequest(request, scope), rule, role } : undefined;
      },
    };
  }
}

/** The first rule that allows `request` in its namespace as given (no scope lookup), with its source. */
function literalGrant(policy: RbacPolicy, user: UserInfo, request: ResourceAttributes): GrantedRule | undefined {
  let grant: GrantedRule | undefined;
  visitRulesFor(policy, user, request.namespace ?? '', (source, rule) => {
    if (rule && source && ruleAllows(request, rule)) {
      grant = { rule, source };
      return false;
    }
    return true;
  });
  return grant;
}

function addHeld(held: Map<PrivilegeRisk, Set<string>>, risk: PrivilegeRisk, namespace: string): void {
  let set = held.get(risk);
  if (!set) held.set(risk, (set = new Set()));
  set.add(namespace);
}

function indexRoleBindings(policy: RbacPolicy): Map<string, ResolvedBinding[]> {
  const index = new Map<string, ResolvedBinding[]>();
  for (const b of policy.roleBindings()) {
    for (const s of b.subjects) {
      const key = s.kind === 'User' ? `u:${s.name}`
        : s.kind === 'Group' ? `g:${s.name}`
          : s.kind === 'ServiceAccount' ? `u:${serviceAccountUsername(s.namespace || b.namespace, s.name)}` : undefined;
      if (!key) continue;
      const list = index.get(key);
      if (!list) index.set(key, [b]);
      else if (list[list.length - 1] !== b) list.push(b);
    }
  }
  return index;
}
