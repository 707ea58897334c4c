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
import { IDENTITY_NAME_SUFFIXES, identityBaseName, identityClusterObjectName, identityObjectName } from './rbac/naming';
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
   * @default - the namespace, a dot, and the ServiceAccount name with `-sa` replaced by `-cr`
   * (`db-reader-sa` in `team-a` -> `team-a.db-reader-cr`): a ClusterRole's name is one for the whole
   * cluster, so the same ServiceAccount name in two namespaces gets two ClusterRoles. A
   * ServiceAccount named after its namespace keeps the short name (`log-exporter-sa` in
   * `log-exporter` -> `log-exporter-cr`). With `namespacedRole`, the Role is `<base>-role`
   * (`db-reader-role`) in the namespace.
   */
  readonly clusterRoleName?: string;
  /**
   * The binding of that role to the ServiceAccount.
   * @default - the ServiceAccount name with `-sa` replaced by `-rb` (`db-reader-rb`, a RoleBinding in
   * the namespace); with `clusterWide`, `team-a.db-reader-crb`, named like the ClusterRole (a
   * ClusterRoleBinding's name is one for the whole cluster)
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
  /**
   * Emit the identity's role and its binding even when no grant adds a rule to it: a role that
   * grants nothing, on purpose (the walkthrough's `no-access-cr`).
   * @default false - the role and binding exist only once something is granted (or
   * {@link ReaderIdentity.role} is used); an identity without grants is a plain ServiceAccount
   */
  readonly keepEmptyRole?: boolean;
}

/** Options for {@link ReaderIdentity.bindClusterRole}. */
export interface BindClusterRoleOptions {
  /**
   * The namespace the ClusterRole's rules apply in (the RoleBinding's namespace).
   * @default - the identity's own namespace
   */
  readonly namespace?: string;
  /**
   * The RoleBinding's name.
   * @default - `<base>-<clusterRole>-rb`, the base being the ServiceAccount name without `-sa` (`reader-sa` + `view` -> `reader-view-rb`)
   */
  readonly bindingName?: string;
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
 * A workload identity: a ServiceAccount with automounted tokens off and, once something is
 * granted to it, one ClusterRole holding its rules and a RoleBinding that scopes those rules to
 * the ServiceAccount's namespace (or a ClusterRoleBinding when `clusterWide`). Grants go through
 * {@link ReaderIdentity.grant}; an existing ClusterRole such as `view` is bound with
 * {@link ReaderIdentity.bindClusterRole}. Without grants it is a plain ServiceAccount.
 */
export class ReaderIdentity extends Construct implements IServiceAccountRef, IGrantee {
  public readonly name: string;
  public readonly namespace: string;
  /** The Kubernetes username of this identity, `system:serviceaccount:NS:NAME`. */
  public readonly username: string;
  private readonly props: ReaderIdentityProps;
  private own?: { role: AccessRole; binding: AccessBinding };
  private readonly crossNamespaceRoles = new Map<string, { role: AccessRole; binding: AccessBinding }>();
  private readonly clusterRoleBindings = new Map<string, AccessBinding>();

  public constructor(scope: Construct, id: string, props: ReaderIdentityProps) {
    super(scope, id);
    this.name = props.serviceAccountName;
    this.namespace = props.namespace.name;
    this.username = `system:serviceaccount:${this.namespace}:${this.name}`;
    this.props = props;

    new KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: this.name, namespace: this.namespace },
      automountServiceAccountToken: false,
    });
    if (props.keepEmptyRole) this.ownAccess();
    addValidation(this, () => [
      ...dns1123SubdomainProblems('ServiceAccount name', props.serviceAccountName),
      ...(props.namespacedRole && props.clusterWide
        ? ['namespacedRole and clusterWide exclude each other: a ClusterRoleBinding cannot bind a Role. Drop one of them.']
        : []),
    ]);
  }

  /**
   * The ClusterRole (or namespaced Role) holding the identity's rules. It is created by the first
   * grant in the identity's home namespace, or by reading this (then, without a grant, it is a role
   * that grants nothing, which fails synth unless `keepEmptyRole` says it is meant).
   */
  public get role(): AccessRole {
    return this.ownAccess().role;
  }

  /** The binding of {@link ReaderIdentity.role} to the ServiceAccount, created with it. */
  public get binding(): AccessBinding {
    return this.ownAccess().binding;
  }

  /**
   * Binds an existing ClusterRole, such as the built-in `view` or `edit`, to this identity in one
   * namespace, with a RoleBinding: no role of its own is created. Binding the same ClusterRole in
   * the same namespace again returns the same binding. The synth-time guardrails cannot see the
   * rules of a role this app does not define: `edit` and `admin` include reading and writing
   * Secrets, `pods/exec` and impersonating ServiceAccounts in that namespace (see what a binding
   * grants with `api-reader can-i --list` on the synthesized manifests).
   *
   * @param clusterRoleName the ClusterRole's name, e.g. `view`
   * @param options the namespace and the binding's name
   * @default options `{}`
   * @returns the RoleBinding
   */
  public bindClusterRole(clusterRoleName: string, options: BindClusterRoleOptions = {}): AccessBinding {
    const namespace = options.namespace ?? this.namespace;
    const key = JSON.stringify([clusterRoleName, namespace]);
    let binding = this.clusterRoleBindings.get(key);
    if (binding === undefined) {
      binding = new AccessBinding(this, `ClusterRole-${clusterRoleName}-in-${namespace}`, {
        name: options.bindingName ?? `${identityBaseName(this.name)}-${clusterRoleName}${IDENTITY_NAME_SUFFIXES.roleBinding}`,
        namespace,
        role: AccessRole.fromClusterRoleName(clusterRoleName),
        subjects: [this.subject()],
      });
      this.clusterRoleBindings.set(key, binding);
      if (clusterRoleName.trim() === '') {
        addValidation(binding, () => ['bindClusterRole() got an empty ClusterRole name. Name the ClusterRole to bind, e.g. view.']);
      }
    }
    return binding;
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
    const home = this.props.clusterWide ? undefined : this.namespace;
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

  /** The identity's own role and binding, created on first use. */
  private ownAccess(): { role: AccessRole; binding: AccessBinding } {
    if (this.own === undefined) {
      const props = this.props;
      const role = props.namespacedRole
        ? new AccessRole(this, 'Role', { name: props.clusterRoleName ?? identityObjectName(this.name, 'role'), namespace: this.namespace })
        : new AccessRole(this, 'Role', { name: props.clusterRoleName ?? identityClusterObjectName(this.namespace, this.name, 'clusterRole') });
      const binding = new AccessBinding(this, 'Binding', {
        name: props.bindingName ?? (props.clusterWide
          ? identityClusterObjectName(this.namespace, this.name, 'clusterRoleBinding')
          : identityObjectName(this.name, 'roleBinding')),
        namespace: props.clusterWide ? undefined : this.namespace,
        role,
        subjects: [this.subject()],
      });
      this.own = { role, binding };
      if (!props.keepEmptyRole) {
        addValidation(role, () => (role.renderRules().length > 0 ? [] : [
          `The ${role.describe()} of ${this.username} holds no rule, so it and its binding grant nothing. ` +
            'Grant something, or set keepEmptyRole: true when a role that grants nothing is meant.',
        ]));
      }
    }
    return this.own;
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

