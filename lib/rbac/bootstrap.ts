/**
 * Kubernetes' bootstrap RBAC policy as data: the default ClusterRoles and ClusterRoleBindings every
 * real cluster has, so "discovery works for everyone" and "bind `view` to the default SA" are
 * answered the way a real cluster answers them.
 *
 * Source (facts, copied as data): kubernetes/kubernetes v1.34.4,
 * `plugin/pkg/auth/authorizer/rbac/bootstrappolicy/testdata/cluster-roles.yaml` and
 * `cluster-role-bindings.yaml` (generated upstream from `bootstrappolicy/policy.go`). Only
 * `creationTimestamp: null` was dropped and `rules: null` written as `[]`. The subset kept: `cluster-admin`, `admin`, `edit`, `view`
 * and the `system:aggregate-to-*` roles they aggregate, `system:discovery`, `system:basic-user`,
 * `system:public-info-viewer`, `system:service-account-issuer-discovery`, and their bindings.
 *
 * Notes:
 * - `admin`, `edit` and `view` ship with an aggregationRule and no rules; the policy fills them in
 *   from the `aggregate-to-*` labels, as the clusterrole-aggregation controller does (`edit` carries
 *   `aggregate-to-admin` and `view` carries `aggregate-to-edit`, so admin ⊇ edit ⊇ view).
 * - Since v1.14 `system:discovery` and `system:basic-user` are bound to `system:authenticated` only;
 *   `system:public-info-viewer` is also bound to `system:unauthenticated`.
 * - `system:masters` is allowed everything by a separate authorizer before RBAC is asked; here the
 *   `cluster-admin` ClusterRoleBinding to `system:masters` gives the same answer (with an RBAC reason
 *   where the server gives an empty one).
 */
import { ClusterRole, ClusterRoleBinding } from './types';

/** The Kubernetes version the bootstrap data was taken from. */
export const BOOTSTRAP_POLICY_VERSION = 'v1.34.4';

const BOOTSTRAP_CLUSTER_ROLES: readonly ClusterRole[] = [
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: {
      annotations: {
        'rbac.authorization.kubernetes.io/autoupdate': 'true',
      },
      labels: {
        'kubernetes.io/bootstrapping': 'rbac-defaults',
      },
      name: 'admin',
    },
    aggregationRule: {
      clusterRoleSelectors: [
        {
          matchLabels: {
            'rbac.authorization.k8s.io/aggregate-to-admin': 'true',
          },
        },
      ],
    },
    rules: [],
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: {
      annotations: {
        'rbac.authorization.kubernetes.io/autoupdate': 'true',
      },
      labels: {
        'kubernetes.io/bootstrapping': 'rbac-defaults',
      },
      name: 'cluster-admin',
    },
    rules: [
      {
        apiGroups: ['*'],
        resources: ['*'],
        verbs: ['*'],
      },
      {
        nonResourceURLs: ['*'],
        verbs: ['*'],
      },
    ],
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: {
      annotations: {
        'rbac.authorization.kubernetes.io/autoupdate': 'true',
      },
      labels: {
        'kubernetes.io/bootstrapping': 'rbac-defaults',
        'rbac.authorization.k8s.io/aggregate-to-admin': 'true',
      },
      name: 'edit',
    },
    aggregationRule: {
      clusterRoleSelectors: [
        {
          matchLabels: {
            'rbac.authorization.k8s.io/aggregate-to-edit': 'true',
          },
        },
      ],
    },
    rules: [],
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: {
      annotations: {
        'rbac.authorization.kubernetes.io/autoupdate': 'true',
      },
      labels: {
        'kubernetes.io/bootstrapping': 'rbac-defaults',
        'rbac.authorization.k8s.io/aggregate-to-admin': 'true',
      },
      name: 'system:aggregate-to-admin',
    },
    rules: [
      {
        apiGroups: ['authorization.k8s.io'],
        resources: ['localsubjectaccessreviews'],
        verbs: ['create'],
      },
      {
        apiGroups: ['rbac.authorization.k8s.io'],
        resources: ['rolebindings', 'roles'],
        verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      },
    ],
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: {
      annotations: {
        'rbac.authorization.kubernetes.io/autoupdate': 'true',
      },
      labels: {
        'kubernetes.io/bootstrapping': 'rbac-defaults',
        'rbac.authorization.k8s.io/aggregate-to-edit': 'true',
      },
      name: 'system:aggregate-to-edit',
    },
    rules: [
      {
        apiGroups: [''],
        resources: ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy'],
        verbs: ['get', 'list', 'watch'],
      },
      {
        apiGroups: [''],
        resources: ['serviceaccounts'],
        verbs: ['impersonate'],
      },
      {
        apiGroups: [''],
        resources: ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy'],
        verbs: ['create', 'delete', 'deletecollection', 'patch', 'update'],
      },
      {
        apiGroups: [''],
        resources: ['pods/eviction'],
        verbs: ['create'],
      },
      {
        apiGroups: [''],
        resources: [
          'configmaps',
          'events',
          'persistentvolumeclaims',
          'replicationcontrollers',
          'replicationcontrollers/scale',
          'secrets',
          'serviceaccounts',
          'services',
          'services/proxy',
        ],
        verbs: ['create', 'delete', 'deletecollection', 'patch', 'update'],
      },
      {
        apiGroups: [''],
        resources: ['serviceaccounts/token'],
        verbs: ['create'],
      },
      {
        apiGroups: ['apps'],
        resources: [
          'daemonsets',
          'deployments',
          'deployments/rollback',
          'deployments/scale',
          'replicasets',
          'replicasets/scale',
          'statefulsets',
          'statefulsets/scale',
        ],
        verbs: ['create', 'delete', 'deletecollection', 'patch', 'update'],
      },
      {
        apiGroups: ['autoscaling'],
        resources: ['horizontalpodautoscalers'],
        verbs: ['create', 'delete', 'deletecollection', 'patch', 'update'],
      },
      {
        apiGroups: ['batch'],
        resources: ['cronjobs', 'jobs'],
        verbs: ['create', 'delete', 'deletecollection', 'patch', 'update'],
      },
      {
        apiGroups: ['extensions'],
        resources: [
          'daemonsets',
          'deployments',
          'deployments/rollback',
          'deployments/scale',
          'ingresses',
          'networkpolicies',
          'replicasets',
          'replicasets/scale',
          'replicationcontrollers/scale',
        ],
        verbs: ['create', 'delete', 'deletecollection', 'patch', 'update'],
      },
      {
        apiGroups: ['policy'],
        resources: ['poddisruptionbudgets'],
        verbs: ['create', 'delete', 'deletecollection', 'patch', 'update'],
      },
      {
        apiGroups: ['networking.k8s.io'],
        resources: ['ingresses', 'networkpolicies'],
        verbs: ['create', 'delete', 'deletecollection', 'patch', 'update'],
      },
      {
        apiGroups: ['coordination.k8s.io'],
        resources: ['leases'],
        verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      },
      {
        apiGroups: ['resource.k8s.io'],
        resources: ['resourceclaims', 'resourceclaimtemplates'],
        verbs: ['create', 'delete', 'deletecollection', 'patch', 'update'],
      },
    ],
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: {
      annotations: {
        'rbac.authorization.kubernetes.io/autoupdate': 'true',
      },
      labels: {
        'kubernetes.io/bootstrapping': 'rbac-defaults',
        'rbac.authorization.k8s.io/aggregate-to-view': 'true',
      },
      name: 'system:aggregate-to-view',
    },
    rules: [
      {
        apiGroups: [''],
        resources: [
          'configmaps',
          'endpoints',
          'persistentvolumeclaims',
          'persistentvolumeclaims/status',
          'pods',
          'replicationcontrollers',
          'replicationcontrollers/scale',
          'serviceaccounts',
          'services',
          'services/status',
        ],
        verbs: ['get', 'list', 'watch'],
      },
      {
        apiGroups: [''],
        resources: [
          'bindings',
          'events',
          'limitranges',
          'namespaces/status',
          'pods/log',
          'pods/status',
          'replicationcontrollers/status',
          'resourcequotas',
          'resourcequotas/status',
        ],
        verbs: ['get', 'list', 'watch'],
      },
      {
        apiGroups: [''],
        resources: ['namespaces'],
        verbs: ['get', 'list', 'watch'],
      },
      {
        apiGroups: ['discovery.k8s.io'],
        resources: ['endpointslices'],
        verbs: ['get', 'list', 'watch'],
      },
      {
        apiGroups: ['apps'],
        resources: [
          'controllerrevisions',
          'daemonsets',
          'daemonsets/status',
          'deployments',
          'deployments/scale',
          'deployments/status',
          'replicasets',
          'replicasets/scale',
          'replicasets/status',
          'statefulsets',
          'statefulsets/scale',
          'statefulsets/status',
        ],
        verbs: ['get', 'list', 'watch'],
      },
      {
        apiGroups: ['autoscaling'],
        resources: ['horizontalpodautoscalers', 'horizontalpodautoscalers/status'],
        verbs: ['get', 'list', 'watch'],
      },
      {
        apiGroups: ['batch'],
        resources: ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status'],
        verbs: ['get', 'list', 'watch'],
      },
      {
        apiGroups: ['extensions'],
        resources: [
          'daemonsets',
          'daemonsets/status',
          'deployments',
          'deployments/scale',
          'deployments/status',
          'ingresses',
          'ingresses/status',
          'networkpolicies',
          'replicasets',
          'replicasets/scale',
          'replicasets/status',
          'replicationcontrollers/scale',
        ],
        verbs: ['get', 'list', 'watch'],
      },
      {
        apiGroups: ['policy'],
        resources: ['poddisruptionbudgets', 'poddisruptionbudgets/status'],
        verbs: ['get', 'list', 'watch'],
      },
      {
        apiGroups: ['networking.k8s.io'],
        resources: ['ingresses', 'ingresses/status', 'networkpolicies'],
        verbs: ['get', 'list', 'watch'],
      },
      {
        apiGroups: ['resource.k8s.io'],
        resources: ['resourceclaims', 'resourceclaims/status', 'resourceclaimtemplates'],
        verbs: ['get', 'list', 'watch'],
      },
    ],
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: {
      annotations: {
        'rbac.authorization.kubernetes.io/autoupdate': 'true',
      },
      labels: {
        'kubernetes.io/bootstrapping': 'rbac-defaults',
      },
      name: 'system:basic-user',
    },
    rules: [
      {
        apiGroups: ['authorization.k8s.io'],
        resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
        verbs: ['create'],
      },
      {
        apiGroups: ['authentication.k8s.io'],
        resources: ['selfsubjectreviews'],
        verbs: ['create'],
      },
    ],
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: {
      annotations: {
        'rbac.authorization.kubernetes.io/autoupdate': 'true',
      },
      labels: {
        'kubernetes.io/bootstrapping': 'rbac-defaults',
      },
      name: 'system:discovery',
    },
    rules: [
      {
        nonResourceURLs: [
          '/api',
          '/api/*',
          '/apis',
          '/apis/*',
          '/healthz',
          '/livez',
          '/openapi',
          '/openapi/*',
          '/readyz',
          '/version',
          '/version/',
        ],
        verbs: ['get'],
      },
    ],
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: {
      annotations: {
        'rbac.authorization.kubernetes.io/autoupdate': 'true',
      },
      labels: {
        'kubernetes.io/bootstrapping': 'rbac-defaults',
      },
      name: 'system:public-info-viewer',
    },
    rules: [
      {
        nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'],
        verbs: ['get'],
      },
    ],
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: {
      annotations: {
        'rbac.authorization.kubernetes.io/autoupdate': 'true',
      },
      labels: {
        'kubernetes.io/bootstrapping': 'rbac-defaults',
      },
      name: 'system:service-account-issuer-discovery',
    },
    rules: [
      {
        nonResourceURLs: [
          '/.well-known/openid-configuration',
          '/.well-known/openid-configuration/',
          '/openid/v1/jwks',
          '/openid/v1/jwks/',
        ],
        verbs: ['get'],
      },
    ],
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: {
      annotations: {
        'rbac.authorization.kubernetes.io/autoupdate': 'true',
      },
      labels: {
        'kubernetes.io/bootstrapping': 'rbac-defaults',
        'rbac.authorization.k8s.io/aggregate-to-edit': 'true',
      },
      name: 'view',
    },
    aggregationRule: {
      clusterRoleSelectors: [
        {
          matchLabels: {
            'rbac.authorization.k8s.io/aggregate-to-view': 'true',
          },
        },
      ],
    },
    rules: [],
  },
];

const BOOTSTRAP_CLUSTER_ROLE_BINDINGS: readonly ClusterRoleBinding[] = [
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: {
      annotations: {
        'rbac.authorization.kubernetes.io/autoupdate': 'true',
      },
      labels: {
        'kubernetes.io/bootstrapping': 'rbac-defaults',
      },
      name: 'cluster-admin',
    },
    roleRef: {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: 'cluster-admin',
    },
    subjects: [
      {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Group',
        name: 'system:masters',
      },
    ],
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: {
      annotations: {
        'rbac.authorization.kubernetes.io/autoupdate': 'true',
      },
      labels: {
        'kubernetes.io/bootstrapping': 'rbac-defaults',
      },
      name: 'system:basic-user',
    },
    roleRef: {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: 'system:basic-user',
    },
    subjects: [
      {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Group',
        name: 'system:authenticated',
      },
    ],
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: {
      annotations: {
        'rbac.authorization.kubernetes.io/autoupdate': 'true',
      },
      labels: {
        'kubernetes.io/bootstrapping': 'rbac-defaults',
      },
      name: 'system:discovery',
    },
    roleRef: {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: 'system:discovery',
    },
    subjects: [
      {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Group',
        name: 'system:authenticated',
      },
    ],
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: {
      annotations: {
        'rbac.authorization.kubernetes.io/autoupdate': 'true',
      },
      labels: {
        'kubernetes.io/bootstrapping': 'rbac-defaults',
      },
      name: 'system:public-info-viewer',
    },
    roleRef: {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: 'system:public-info-viewer',
    },
    subjects: [
      {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Group',
        name: 'system:authenticated',
      },
      {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Group',
        name: 'system:unauthenticated',
      },
    ],
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: {
      annotations: {
        'rbac.authorization.kubernetes.io/autoupdate': 'true',
      },
      labels: {
        'kubernetes.io/bootstrapping': 'rbac-defaults',
      },
      name: 'system:service-account-issuer-discovery',
    },
    roleRef: {
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'ClusterRole',
      name: 'system:service-account-issuer-discovery',
    },
    subjects: [
      {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Group',
        name: 'system:serviceaccounts',
      },
    ],
  },
];

/** Fresh deep copies of the bootstrap ClusterRoles (callers may mutate them). */
export function bootstrapClusterRoles(): ClusterRole[] {
  return JSON.parse(JSON.stringify(BOOTSTRAP_CLUSTER_ROLES)) as ClusterRole[];
}

/** Fresh deep copies of the bootstrap ClusterRoleBindings (callers may mutate them). */
export function bootstrapClusterRoleBindings(): ClusterRoleBinding[] {
  return JSON.parse(JSON.stringify(BOOTSTRAP_CLUSTER_ROLE_BINDINGS)) as ClusterRoleBinding[];
}

/** Every bootstrap object: ClusterRoles first, then ClusterRoleBindings, in upstream (name) order. */
export function bootstrapObjects(): Array<ClusterRole | ClusterRoleBinding> {
  return [...bootstrapClusterRoles(), ...bootstrapClusterRoleBindings()];
}
