import { Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { KubeClusterRoleBinding, KubeRoleBinding } from '../imports/k8s';
import { IRoleRef } from './access-role';
import { apiObjectsOfKind, perValidationPass } from './private/per-pass-index';
import { addValidation } from './private/validation';
import { dns1123SubdomainProblems } from './private/names';
import { bindingLabel } from './rbac/format';
import { RBAC_GROUP } from './rbac/types';

/** Who a binding grants to (the RBAC `Subject`). */
export interface SubjectSpec {
  /** `ServiceAccount`, `User` or `Group`. */
  readonly kind: 'ServiceAccount' | 'User' | 'Group';
  /** The subject's name. */
  readonly name: string;
  /**
   * The ServiceAccount's namespace. Required for ServiceAccounts: a ClusterRoleBinding subject
   * without one matches nobody, so we reject it rather than guess.
   * @default - none (Users and Groups have no namespace)
   */
  readonly namespace?: string;
}

/** Options for {@link AccessBinding}. */
export interface AccessBindingProps {
  /** The binding's name (a DNS-1123 subdomain). */
  readonly name: string;
  /** The role granted. A `Role` can only be bound in its own namespace. */
  readonly role: IRoleRef;
  /** Who receives the role. */
  readonly subjects: readonly SubjectSpec[];
  /**
   * Makes it a RoleBinding that grants only in this namespace.
   * @default - a ClusterRoleBinding that grants in every namespace
   */
  readonly namespace?: string;
}

/**
 * A RoleBinding (with `namespace`) or ClusterRoleBinding (without). Subjects are checked at
 * synth time: every ServiceAccount subject names its namespace, and when this chart defines
 * that ServiceAccount, the namespace is the one it is defined in.
 */
export class AccessBinding extends Construct {
  /** The binding's name. */
  public readonly name: string;
  /** The namespace a RoleBinding grants in; `undefined` for a ClusterRoleBinding. */
  public readonly namespace?: string;
  /** The role granted. */
  public readonly role: IRoleRef;

  public constructor(scope: Construct, id: string, props: AccessBindingProps) {
    super(scope, id);
    this.name = props.name;
    this.namespace = props.namespace;
    this.role = props.role;

    const roleRef = { apiGroup: RBAC_GROUP, kind: props.role.kind, name: props.role.name };
    const subjects = props.subjects.map((s) => ({
      kind: s.kind,
      name: s.name,
      ...(s.kind === 'ServiceAccount' ? { namespace: s.namespace } : { apiGroup: RBAC_GROUP }),
    }));
    if (props.namespace === undefined) {
      new KubeClusterRoleBinding(this, 'Resource', { metadata: { name: props.name }, roleRef, subjects });
    } else {
      new KubeRoleBinding(this, 'Resource', { metadata: { name: props.name, namespace: props.namespace }, roleRef, subjects });
    }
    addValidation(this, () => [
      ...dns1123SubdomainProblems(`${this.kindName()} name`, props.name),
      ...this.roleProblems(),
      ...props.subjects.flatMap((s) => this.subjectProblems(s)),
    ]);
  }

  /** The binding in upstream RBAC reason wording, e.g. `RoleBinding "secret-access-rb/dev"`. */
  public describe(): string {
    return bindingLabel(this.kindName(), this.name, this.namespace);
  }

  private kindName(): 'ClusterRoleBinding' | 'RoleBinding' {
    return this.namespace === undefined ? 'ClusterRoleBinding' : 'RoleBinding';
  }

  private roleProblems(): string[] {
    if (this.role.kind !== 'Role') return [];
    if (this.namespace === undefined) {
      return [`A ClusterRoleBinding cannot refer to the Role "${this.role.name}". Bind a ClusterRole, or give the binding a namespace.`];
    }
    if (this.role.namespace !== this.namespace) {
      return [`The RoleBinding "${this.name}" in namespace "${this.namespace}" refers to the Role "${this.role.name}" of namespace "${this.role.namespace}", which grants nothing there. Create the Role in "${this.namespace}" or bind a ClusterRole.`];
    }
    return [];
  }

  private subjectProblems(subject: SubjectSpec): string[] {
    if (subject.kind !== 'ServiceAccount') {
      return subject.name ? [] : [`A ${subject.kind} subject has no name. Name it.`];
    }
    const problems = dns1123SubdomainProblems('ServiceAccount subject name', subject.name);
    if (!subject.namespace) {
      return [
        ...problems,
        `The ServiceAccount subject "${subject.name}" of ${this.kindName()} "${this.name}" has no namespace, so it matches nobody. Set the subject's namespace to the ServiceAccount's namespace.`,
      ];
    }
    const definedIn = serviceAccountIndex(this.node.root).get(subject.name) ?? [];
    if (definedIn.length > 0 && !definedIn.includes(subject.namespace)) {
      problems.push(
        `The ServiceAccount subject "${subject.name}" of ${this.kindName()} "${this.name}" names namespace "${subject.namespace}", but this app defines that ServiceAccount in ${definedIn.map((n) => `"${n}"`).join(', ')}. Set the subject's namespace to where the ServiceAccount lives.`,
      );
    }
    return problems;
  }
}

/** Where every ServiceAccount of the app lives: name -> namespaces (one scan per validation pass). */
function serviceAccountIndex(root: IConstruct): Map<string, string[]> {
  return perValidationPass(root, 'service-accounts', () => {
    const index = new Map<string, string[]>();
    for (const child of apiObjectsOfKind(root, 'ServiceAccount')) {
      const namespace = child.metadata.namespace ?? Chart.of(child).namespace ?? 'default';
      index.set(child.name, [...(index.get(child.name) ?? []), namespace]);
    }
    return index;
  });
}
