import { Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { KubeClusterRole, KubeRole } from '../imports/k8s';
import { apiObjectsOfKind, perValidationPass } from './private/per-pass-index';
import { addValidation } from './private/validation';
import { guardrailProblems } from './private/guardrails';
import { Acknowledgement } from './rbac/risks';
import { PolicyRule } from './rbac/types';
import { dns1123SubdomainProblems } from './private/names';
import { policyRuleProblems, renderPolicyRule } from './private/policy-rule';

/** A role that bindings can refer to. */
export interface IRoleRef {
  /** `ClusterRole` or `Role`. */
  readonly kind: 'ClusterRole' | 'Role';
  /** The role's name. */
  readonly name: string;
  /** The namespace of a `Role`; `undefined` for a ClusterRole. */
  readonly namespace?: string;
}

/** Options for {@link AccessRole}. */
export interface AccessRoleProps {
  /** The role's name (a DNS-1123 subdomain). */
  readonly name: string;
  /**
   * Makes it a namespaced `Role` in this namespace.
   * @default - a cluster-scoped `ClusterRole` (without `metadata.namespace`)
   */
  readonly namespace?: string;
  /**
   * Rules to start with; more can be added with {@link AccessRole.addRule}.
   * @default - no rules: the role grants nothing
   */
  readonly rules?: readonly PolicyRule[];
}

/**
 * A ClusterRole or Role whose rules are added with {@link AccessRole.addRule} and rendered at
 * synth time, so every grant made after construction still lands in the manifest.
 */
export class AccessRole extends Construct implements IRoleRef {
  /** Refers to a ClusterRole this app does not manage, e.g. the built-in `view`. */
  public static fromClusterRoleName(name: string): IRoleRef {
    return { kind: 'ClusterRole', name };
  }

  public readonly kind: 'ClusterRole' | 'Role';
  public readonly name: string;
  public readonly namespace?: string;
  private readonly rules: Array<{ rule: PolicyRule; acknowledge: readonly Acknowledgement[] }> = [];

  public constructor(scope: Construct, id: string, props: AccessRoleProps) {
    super(scope, id);
    this.name = props.name;
    this.namespace = props.namespace;
    this.kind = props.namespace === undefined ? 'ClusterRole' : 'Role';
    for (const rule of props.rules ?? []) {
      this.addRule(rule);
    }

    const metadata = { name: props.name, ...(props.namespace === undefined ? {} : { namespace: props.namespace }) };
    // A role without rules is emitted without the `rules` key: the API server stores `rules: []`
    // as null, so an explicit empty list would make every `kubectl apply` report "configured".
    // The L1 API spells the field `nonResourceUrLs` (and drops `nonResourceURLs` silently).
    const rules = Lazy.any({
      produce: () => (this.rules.length === 0 ? undefined : this.renderRules().map(({ nonResourceURLs, ...rest }) => ({
        ...rest, ...(nonResourceURLs ? { nonResourceUrLs: nonResourceURLs } : {}),
      }))),
    });
    if (this.kind === 'ClusterRole') {
      new KubeClusterRole(this, 'Resource', { metadata, rules });
    } else {
      new KubeRole(this, 'Resource', { metadata, rules });
    }
    addValidation(this, () => [
      ...dns1123SubdomainProblems(`${this.kind} name`, props.name),
      ...this.rules.flatMap(({ rule, acknowledge }) => [
        ...policyRuleProblems(rule, this.kind === 'Role'),
        ...guardrailProblems(renderPolicyRule(rule), this.isBoundClusterWide(), acknowledge, this.holderLabel()),
      ]),
    ]);
  }

  /**
   * Adds a rule to this role. `ReaderIdentity.grant` and its thin helpers such as `grantRead` call it.
   * Risky rules (wildcards, escalate, bind, impersonate, secrets cluster-wide,
   * serviceaccounts/token create, pods/exec) fail synth unless acknowledged by name.
   *
   * @param rule the rule to add
   * @param acknowledge the risks of this rule accepted explicitly, each with a reason
   * @default acknowledge []
   * @returns the rule as it will be rendered
   */
  public addRule(rule: PolicyRule, acknowledge: readonly Acknowledgement[] = []): PolicyRule {
    this.rules.push({ rule, acknowledge });
    return renderPolicyRule(rule);
  }

  /**
   * @deprecated use {@link AccessRole.addRule} (the name says it adds a rule to this role and
   * returns it, where `ReaderIdentity.grant` returns a {@link Grant}).
   * @param rule the rule to add
   * @param acknowledge the risks of this rule accepted explicitly
   * @default acknowledge []
   */
  public allow(rule: PolicyRule, acknowledge: readonly Acknowledgement[] = []): PolicyRule {
    return this.addRule(rule, acknowledge);
  }

  /** Whether a ClusterRoleBinding anywhere in the app binds this ClusterRole, so its rules apply in every namespace. */
  private isBoundClusterWide(): boolean {
    return this.kind === 'ClusterRole' && clusterRolesBoundClusterWide(this.node.root).has(this.name);
  }

  /** Who holds this role's rules, for the escalation path a risky rule opens. */
  private holderLabel(): string {
    if (this.kind === 'Role') return `the subjects of ${this.describe()} in namespace "${this.namespace}"`;
    return `the subjects of ${this.describe()} ${this.isBoundClusterWide() ? '(bound cluster-wide)' : '(in the namespaces of its RoleBindings)'}`;
  }

  /** The rules as rendered into the manifest, in the order they were added. */
  public renderRules(): PolicyRule[] {
    return this.rules.map(({ rule }) => renderPolicyRule(rule));
  }

  /** The role in upstream RBAC reason wording, e.g. `ClusterRole "secret-access-cr"`. */
  public describe(): string {
    return `${this.kind} "${this.name}"`;
  }
}

/**
 * The names of the ClusterRoles that the app's ClusterRoleBindings bind, read from the manifests
 * themselves (so a binding made with the raw L1 class counts too); one scan per validation pass.
 */
function clusterRolesBoundClusterWide(root: IConstruct): ReadonlySet<string> {
  return perValidationPass(root, 'cluster-role-bindings', () => {
    const names = new Set<string>();
    for (const child of apiObjectsOfKind(root, 'ClusterRoleBinding')) {
      const roleRef = (child.toJson() as { roleRef?: { kind?: string; name?: string } }).roleRef;
      if (roleRef?.kind === 'ClusterRole' && typeof roleRef.name === 'string') names.add(roleRef.name);
    }
    return names;
  });
}
