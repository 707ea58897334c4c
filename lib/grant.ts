import { PolicyRule } from './rbac/types';

/** Everything needed to describe one grant. */
export interface GrantDetails {
  /** The user the grant is for, e.g. `system:serviceaccount:dev:secret-access-sa`. */
  readonly principal: string;
  /** The rule added. */
  readonly rule: PolicyRule;
  /**
   * The namespace the rule applies in.
   * @default - every namespace (a ClusterRoleBinding)
   */
  readonly namespace?: string;
  /** The binding that carries it, in the upstream words, e.g. `RoleBinding "secret-access-rb/dev"`. */
  readonly binding: string;
  /** The role that holds the rule, e.g. `ClusterRole "secret-access-cr"`. */
  readonly role: string;
  /**
   * Why the grant was not added, as a whole sentence.
   * @default - the grant was added
   */
  readonly failure?: string;
}

/**
 * The result of a `grant*` or `allow` call: what was granted, where and through which
 * binding, so callers (and tests) can inspect it instead of trusting a `void`.
 */
export class Grant {
  /** The user the grant is for. */
  public readonly principal: string;
  /** The rule added (or that would have been added). */
  public readonly rule: PolicyRule;
  /** The namespace the rule applies in; `undefined` means every namespace. */
  public readonly namespace: string | undefined;
  /** The binding that carries the rule, e.g. `RoleBinding "secret-access-rb/dev"`. */
  public readonly binding: string;
  /** The role that holds the rule, e.g. `ClusterRole "secret-access-cr"`. */
  public readonly role: string;
  /** True when the rule was added. */
  public readonly success: boolean;
  private readonly failure: string | undefined;

  public constructor(details: GrantDetails) {
    this.principal = details.principal;
    this.rule = details.rule;
    this.namespace = details.namespace;
    this.binding = details.binding;
    this.role = details.role;
    this.failure = details.failure;
    this.success = details.failure === undefined;
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
    return `${this.rule.verbs.join(',')} ${what} ${where} via ${this.binding} of ${this.role}`;
  }
}
