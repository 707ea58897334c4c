import { Construct } from 'constructs';
import { KubeServiceAccount } from '../imports/k8s';
import { AccessBinding } from './access-binding';
import { AccessRole } from './access-role';
import { ISecretRef } from './credentials-secret';
import { addValidation } from './private/validation';
import { Grant, IGrantee } from './grant';
import { Acknowledgement } from './rbac/risks';
import { dns1123SubdomainProblems } from './private/names';
import { secretReadRule } from './private/policy-rule';
import { identityObjectName } from './rbac/naming';
import { PolicyRule } from './rbac/types';
import { INamespaceRef } from './restricted-namespace';

/** A ServiceAccount that pods can run as. */
export interface IServiceAccountRef {
  /** The ServiceAccount's name. */
  readonly name: string;
  /** Its namespace. */
  readonly namespace: string;
}

/** Options for {@link ReaderIdentity}. */
export interface ReaderIdentityProps {
  /** The namespace of the ServiceAccount (and of its RoleBinding). */
  readonly namespace: INamespaceRef;
  /** The ServiceAccount's name, e.g. `secret-access-sa`. */
  readonly serviceAccountName: string;
  /**
   * The name of the role holding the identity's rules.
   * @default - the ServiceAccount name with `-sa` replaced by `-cr` (`secret-access-sa` -> `secret-access-cr`), or `-role` when `namespacedRole`
   */
  readonly clusterRoleName?: string;
  /**
   * The binding of that ClusterRole to the ServiceAccount.
   * @default - the ServiceAccount name with `-sa` replaced by `-rb` (`-crb` when `clusterWide`)
   */
  readonly bindingName?: string;
  /**
   * Hold the rules in a namespaced Role (named `<base>-role`) instead of a ClusterRole, for
   * rules that only make sense in one namespace. Cannot be combined with `clusterWide`.
   * @default false
   */
  readonly namespacedRole?: boolean;
  /**
   * Bind with a ClusterRoleBinding so the rules apply in every namespace (a log exporter),
   * instead of a RoleBinding that scopes them to `namespace`.
   * @default false
   */
  readonly clusterWide?: boolean;
}

/** Options for a single grant. */
export interface GrantOptions {
  /**
   * The namespace the rule must apply in.
   * @default - the identity's own namespace (every namespace when `clusterWide`)
   */
  readonly namespace?: string;
  /**
   * Allows a grant on an object in another namespace than the identity's. The grant then gets
   * its own Role and RoleBinding in that namespace, so it never widens the home binding.
   * @default false - such a grant fails synth
   */
  readonly crossNamespace?: boolean;
  /**
   * Risks of this grant accepted explicitly, each with a reason (see {@link PrivilegeRisk}).
   * @default [] - a risky grant fails synth
   */
  readonly acknowledge?: readonly Acknowledgement[];
}

/**
 * A workload identity: a ServiceAccount with automounted tokens off, one ClusterRole holding
 * its rules, and a RoleBinding that scopes those rules to the ServiceAccount's namespace
 * (or a ClusterRoleBinding when `clusterWide`). Grants go through {@link ReaderIdentity.grant}.
 */
export class ReaderIdentity extends Construct implements IServiceAccountRef, IGrantee {
  public readonly name: string;
  public readonly namespace: string;
  /** The Kubernetes username of this identity, `system:serviceaccount:NS:NAME`. */
  public readonly username: string;
  /** The ClusterRole (or namespaced Role) holding the identity's rules. */
  public readonly role: AccessRole;
  /** The binding of {@link ReaderIdentity.role} to the ServiceAccount. */
  public readonly binding: AccessBinding;
  private readonly crossNamespaceRoles = new Map<string, { role: AccessRole; binding: AccessBinding }>();

  public constructor(scope: Construct, id: string, props: ReaderIdentityProps) {
    super(scope, id);
    this.name = props.serviceAccountName;
    this.namespace = props.namespace.name;
    this.username = `system:serviceaccount:${this.namespace}:${this.name}`;
    
    new KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: this.name, namespace: this.namespace },
      automountServiceAccountToken: false,
    });
    this.role = props.namespacedRole
      ? new AccessRole(this, 'Role', { name: props.clusterRoleName ?? identityObjectName(this.name, 'role'), namespace: this.namespace })
      : new AccessRole(this, 'Role', { name: props.clusterRoleName ?? identityObjectName(this.name, 'clusterRole') });
    this.binding = new AccessBinding(this, 'Binding', {
      name: props.bindingName ?? identityObjectName(this.name, props.clusterWide ? 'clusterRoleBinding' : 'roleBinding'),
      namespace: props.clusterWide ? undefined : this.namespace,
      role: this.role,
      subjects: [this.subject()],
    });
    addValidation(this, () => [
      ...dns1123SubdomainProblems('ServiceAccount name', props.serviceAccountName),
      ...(props.namespacedRole && props.clusterWide
        ? ['namespacedRole and clusterWide exclude each other: a ClusterRoleBinding cannot bind a Role. Drop one of them.']
        : []),
    ]);
  }

  /**
   * Grants `get` on exactly one Secret (by name), the least privilege a reader needs: no
   * `list`, which would return every secret's value.
   *
   * @param secret the Secret to read
   * @param options cross-namespace opt-in
   * @default options `{}`
   */
  public grantRead(secret: ISecretRef, options: GrantOptions = {}): Grant {
    return this.grant(secretReadRule([secret.name]), { ...options, namespace: secret.namespace });
  }

  /**
   * The one primitive behind every grant: grants `rule` to this identity and says how.
   *
   * @param rule the rule to grant
   * @param options the namespace, the cross-namespace opt-in, acknowledged risks
   * @default options `{}`
   * @returns the grant: the role and binding that carry it, or why it was refused (synth then fails)
   */
  public grant(rule: PolicyRule, options: GrantOptions = {}): Grant {
    const home = this.binding.namespace;
    const namespace = options.namespace;
    if (namespace === undefined || home === undefined || namespace === home) {
      const rendered = this.role.addRule(rule, options.acknowledge);
      return Grant.added({ grantee: this, rule: rendered, role: this.role, binding: this.binding });
    }
    if (!options.crossNamespace) {
      const reason =
        `The grant for ${this.username} targets namespace "${namespace}", but its RoleBinding grants only in "${home}". ` +
        `Pass { crossNamespace: true } to bind a Role in "${namespace}" explicitly, or grant on an object in "${home}".`;
      addValidation(this, () => [reason]);
      return Grant.refused({ grantee: this, rule: { verbs: [...rule.verbs] }, namespace, reason });
    }
    const { role, binding } = this.crossNamespaceAccess(namespace);
    const rendered = role.addRule(rule, options.acknowledge);
    return Grant.added({ grantee: this, rule: rendered, role, binding });
  }

  /**
   * @deprecated use {@link ReaderIdentity.grant}, which takes the namespace in its options.
   * @param rule the rule to grant
   * @param namespace where the rule must apply
   * @param options the cross-namespace opt-in, acknowledged risks
   * @default namespace - the identity's own namespace
   * @default options `{}`
   */
  public allow(rule: PolicyRule, namespace?: string, options: GrantOptions = {}): Grant {
    return this.grant(rule, { ...options, ...(namespace === undefined ? {} : { namespace }) });
  }

  /** The RBAC subject for this identity's ServiceAccount. */
  public subject(): { kind: 'ServiceAccount'; name: string; namespace: string } {
    return { kind: 'ServiceAccount', name: this.name, namespace: this.namespace };
  }

  private crossNamespaceAccess(namespace: string): { role: AccessRole; binding: AccessBinding } {
    let access = this.crossNamespaceRoles.get(namespace);
    if (!access) {
      // The construct id is built from the namespace, so a second namespace never collides.
      const role = new AccessRole(this, `Role-${namespace}`, { name: identityObjectName(this.name, 'role'), namespace });
      const binding = new AccessBinding(this, `Binding-${namespace}`, {
        name: identityObjectName(this.name, 'roleBinding'), namespace, role, subjects: [this.subject()],
      });
      access = { role, binding };
      this.crossNamespaceRoles.set(namespace, access);
    }
    return access;
  }
}

