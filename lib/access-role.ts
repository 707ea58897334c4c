import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { KubeClusterRole, KubeRole } from '../imports/k8s';
import { addValidation } from './errors';
import { dns1123SubdomainProblems } from './names';
import { PolicyRuleSpec, RenderedPolicyRule, policyRuleProblems, renderPolicyRule } from './policy-rule';

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
   * Rules to start with; more can be added with {@link AccessRole.allow}.
   * @default - no rules: the role grants nothing
   */
  readonly rules?: readonly PolicyRuleSpec[];
}

/**
 * A ClusterRole or Role whose rules are added with {@link AccessRole.allow} and rendered at
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
  private readonly rules: PolicyRuleSpec[] = [];

  public constructor(scope: Construct, id: string, props: AccessRoleProps) {
    super(scope, id);
    this.name = props.name;
    this.namespace = props.namespace;
    this.kind = props.namespace === undefined ? 'ClusterRole' : 'Role';
    for (const rule of props.rules ?? []) {
      this.allow(rule);
    }

    const metadata = { name: props.name, ...(props.namespace === undefined ? {} : { namespace: props.namespace }) };
    const rules = Lazy.any({ produce: () => this.renderRules() });
    if (this.kind === 'ClusterRole') {
      new KubeClusterRole(this, 'Resource', { metadata, rules });
    } else {
      new KubeRole(this, 'Resource', { metadata, rules });
    }
    addValidation(this, () => [
      ...dns1123SubdomainProblems(`${this.kind} name`, props.name),
      ...this.rules.flatMap((rule) => policyRuleProblems(rule, this.kind === 'Role')),
    ]);
  }

  /**
   * Adds a rule. Thin helpers such as `ReaderIdentity.grantRead` call this one primitive.
   *
   * @param rule the rule to add
   * @returns the rule as it will be rendered
   */
  public allow(rule: PolicyRuleSpec): RenderedPolicyRule {
    this.rules.push(rule);
    return renderPolicyRule(rule);
  }

  /** The rules as rendered into the manifest, in the order they were added. */
  public renderRules(): RenderedPolicyRule[] {
    return this.rules.map(renderPolicyRule);
  }

  /** The role in upstream RBAC reason wording, e.g. `ClusterRole "secret-access-cr"`. */
  public describe(): string {
    return `${this.kind} "${this.name}"`;
  }
}
