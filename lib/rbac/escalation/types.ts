/**
 * The shapes of `api-reader escalations`' answer: identities reached through hops, each hop naming
 * the rule and binding (with file:line) that enable it. Names come from manifests: they are data.
 */
import type { SourceLocation } from '../load';
import type { PrivilegeRisk, RiskSeverity } from '../risks';
import type { PolicyRule } from '../types';

/** A ServiceAccount, by namespace and name. */
export interface ServiceAccountNode {
  /** `ServiceAccount`. */
  readonly kind: 'ServiceAccount';
  /** Its namespace. */
  readonly namespace: string;
  /** Its name. */
  readonly name: string;
}

/** A user, or a member of a group, by name. */
export interface UserOrGroupNode {
  /** `User` or `Group` (a member of the group). */
  readonly kind: 'User' | 'Group';
  /** The user or group name. */
  readonly name: string;
}

/** Root on a node: `*` is any node (a pod the holder creates can pick its node with `nodeName`). */
export interface NodeNode {
  /** `Node`. */
  readonly kind: 'Node';
  /** The node name, or `*` for any node. */
  readonly name: string;
}

/** The permissions of a role that a hop bound to the subject (or let it rewrite). */
export interface GrantNode {
  /** `Grant`. */
  readonly kind: 'Grant';
  /** The role's kind (`ClusterRole`, `Role`), or `*` for "every rule" (a role it may rewrite). */
  readonly roleKind: string;
  /** The role's name. */
  readonly roleName: string;
  /** The namespace the grant holds in; `""` for cluster-wide. */
  readonly namespace: string;
}

/** Cluster-admin equivalence: `*` on `*` cluster-wide, or membership of `system:masters`. */
export interface ClusterAdminNode {
  /** `ClusterAdmin`. */
  readonly kind: 'ClusterAdmin';
}

/** Anything a path starts at, passes through or ends at. */
export type EscalationNode = ServiceAccountNode | UserOrGroupNode | NodeNode | GrantNode | ClusterAdminNode;

/** A binding or role, with where it was read. */
export interface PolicyObjectRef {
  /** `RoleBinding`, `ClusterRoleBinding`, `Role` or `ClusterRole`. */
  readonly kind: string;
  /** Its name. */
  readonly name: string;
  /**
   * Its namespace.
   * @default - cluster-scoped
   */
  readonly namespace?: string;
  /**
   * Where it was read (`file:line`).
   * @default - not read from a file (Kubernetes' bootstrap policy)
   */
  readonly source?: SourceLocation;
}

/** One permission a hop needs, and what grants it. */
export interface HopGrant {
  /** The request, as upstream's logs describe it, e.g. `"create" resource "pods" in namespace "dev"`. */
  readonly request: string;
  /** The rule that allows it. */
  readonly rule: PolicyRule;
  /** The role holding the rule. */
  readonly role: PolicyObjectRef;
  /**
   * The binding that grants the role to the hop's holder.
   * @default - none: the role was bound by the hop before (a `Grant` node)
   */
  readonly binding?: PolicyObjectRef;
}

/** An object of the input a hop goes through (the Pod exec'd into, the token Secret read). */
export interface HopObject {
  /** Its kind. */
  readonly kind: string;
  /** Its name. */
  readonly name: string;
  /** Its namespace. */
  readonly namespace: string;
  /** Where it was read. */
  readonly source: SourceLocation;
}

/** One step: from an identity (or grant) to another, through one catalogue hop kind. */
export interface EscalationHop {
  /** The hop kind: the id of its entry in the risk catalogue. */
  readonly kind: PrivilegeRisk;
  /** The catalogue entry's severity. */
  readonly severity: RiskSeverity;
  /** Where the hop starts. */
  readonly from: EscalationNode;
  /** Where it ends. */
  readonly to: EscalationNode;
  /** What the holder does, as a phrase, e.g. `create a pod in namespace "dev" that runs as it`. */
  readonly action: string;
  /** Every permission the hop needs, each with the rule and binding granting it. */
  readonly grants: readonly HopGrant[];
  /**
   * The object of the input the hop goes through.
   * @default - none
   */
  readonly object?: HopObject;
}

/** A chain of hops from a subject to an identity (or cluster-admin). */
export interface EscalationPath {
  /** Where it ends. */
  readonly target: EscalationNode;
  /** The hops, in order; the first starts at the subject. */
  readonly hops: readonly EscalationHop[];
  /** The highest severity of its hops. */
  readonly severity: RiskSeverity;
  /** True when the target is cluster-admin equivalence, or an identity that holds it. */
  readonly clusterAdmin: boolean;
}

/** Every path of one subject. */
export interface SubjectEscalations {
  /** The subject (a User, Group or ServiceAccount of the input). */
  readonly subject: EscalationNode;
  /** True when the subject holds cluster-admin equivalence already (then it has no paths). */
  readonly holdsClusterAdmin: boolean;
  /** Its paths, shortest first, one per target, at most {@link EscalationReport.maxPathsPerSubject}. */
  readonly paths: readonly EscalationPath[];
  /** True when the cap cut the list: more targets are reachable than shown. */
  readonly truncated: boolean;
}

/** The answer of `findEscalations`. */
export interface EscalationReport {
  /** The cap on paths per subject that applied. */
  readonly maxPathsPerSubject: number;
  /** Every subject asked about, in input order. */
  readonly subjects: readonly SubjectEscalations[];
}
