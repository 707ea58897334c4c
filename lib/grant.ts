import type { AccessBinding } from './access-binding';
import type { AccessRole } from './access-role';
import { PolicyRule } from './rbac/types';

/** Who a grant is for: the identity's ServiceAccount and its Kubernetes username. */
export interface IGrantee {
  /** The ServiceAccount's name. */
  readonly name: string;
  /** The ServiceAccount's namespace. */
  readonly namespace: string;
  /** The Kubernetes username, `system:serviceaccount:NS:NAME`. */
  readonly username: string;
}

/** A grant that was added: the rule, and the role and binding that carry it. */
export interface GrantAddedOptions {
  /** Who the grant is for. */
  readonly grantee: IGrantee;
  /** The rule as it will be rendered. */
  readonly rule: PolicyRule;
  /** The role holding the rule. */
  readonly role: AccessRole;
  /** The binding of that role to the grantee. */
  readonly binding: AccessBinding;
}

/** A grant that was refused, and why. */
export interface GrantRefusedOptions {
  /** Who the grant was for. */
  readonly grantee: IGrantee;
  /** The rule asked for. */
  readonly rule: PolicyRule;
  /**
   * The namespace the rule was asked for in.
   * @default - every namespace
   */
  readonly namespace?: string;
  /** Why it was refused, as a whole sentence that says how to fix it (also a synth-time error). */
  readonly reason: string;
}

/**
 * The result of a `grant*` call, in the shape of aws-iam's `Grant`: what was granted, where and
 * through which role and binding (the constructs themselves), so callers and tests can inspect it
 * instead of trusting a `void`. Created only through {@link Grant.added} and {@link Grant.refused}.
 */
export class Grant {
  /** A grant that was added through `options.role` and `options.binding`. */
  public static added(options: GrantAddedOptions): Grant {
    return new Grant(options.grantee, options.rule, options.binding.namespace, options.role, options.binding, undefined);
  }

  /** A grant that was refused; synth fails with the same reason. */
  public static refused(options: GrantRefusedOptions): Grant {
    return new Grant(options.grantee, options.rule, options.namespace, undefined, undefined, options.reason);
  }

  /** The user the grant is for, e.g. `system:serviceaccount:dev:secret-access-sa`. */
  public readonly principal: string;
  /** Who the grant is for. */
  public readonly grantee: IGrantee;
  /** The rule added (or that would have been added). */
  public readonly rule: PolicyRule;
  /** The namespace the rule applies in; `undefined` means every namespace. */
  public readonly namespace: string | undefined;
  /** The role that holds the rule; `undefined` when the grant was refused. */
  public readonly role: AccessRole | undefined;
  /** The binding that carries the rule; `undefined` when the grant was refused. */
  public readonly binding: AccessBinding | undefined;
  /** True when the rule was added. */
  public readonly success: boolean;
  private readonly failure: string | undefined;

  private constructor(
    grantee: IGrantee, rule: PolicyRule, namespace: string | undefined,
    role: AccessRole | undefined, binding: AccessBinding | undefined, failure: string | undefined,
  ) {
    this.grantee = grantee;
    this.principal = grantee.username;
    this.rule = rule;
    this.namespace = namespace;
    this.role = role;
    this.binding = binding;
    this.failure = failure;
    this.success = failure === undefined;
  }

  /** Throws with the reason when the grant was not added. */
  public assertSuccess(): void {
    if (!this.success) {
      throw new Error(this.failure);
    }
  }

  /** A one-line description, e.g. `get secrets/api-access-secret in dev via RoleBinding "secret-access-rb/dev" of ClusterRole "secret-access-cr"`. */
  public toString(): string {
    const what = this.rule.nonResourceURLs
      ? this.rule.nonResourceURLs.join(',')
      : (this.rule.resources ?? []).map((r) => (this.rule.resourceNames ? this.rule.resourceNames.map((n) => `${r}/${n}`).join(',') : r)).join(',');
    const where = this.namespace === undefined ? 'in every namespace' : `in ${this.namespace}`;
    const via = this.binding && this.role ? `${this.binding.describe()} of ${this.role.describe()}` : '(refused)';
    return `${this.rule.verbs.join(',')} ${what} ${where} via ${via}`;
  }
}
