// Least-privilege grants for system:serviceaccount:dev:secret-access-sa, generated from 1 distinct allowed request(s) in the audit log.
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ReaderIdentity, RestrictedNamespace } from '../../../lib';

/** The grants system:serviceaccount:dev:secret-access-sa used, and nothing more. */
export class ClusterOnly extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    // Defines the ServiceAccount too; if your app already has a ReaderIdentity for it, move the grants there.
    const identity = new ReaderIdentity(this, 'SecretAccessSa', {
      namespace: RestrictedNamespace.fromNamespaceName('dev'),
      serviceAccountName: 'secret-access-sa',
      clusterWide: true,
    });
    // A ClusterRole bound by a ClusterRoleBinding: cluster-scoped resources, requests across all namespaces and non-resource URLs are granted by nothing else; keep these rules few.
    identity.allow({ verbs: ['list'], apiGroups: [''], resources: ['nodes'] });
  }
}
