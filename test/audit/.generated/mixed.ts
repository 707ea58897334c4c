// Least-privilege grants for system:serviceaccount:dev:secret-access-sa, generated from 3 distinct allowed request(s) in the audit log.
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { AccessBinding, AccessRole, ReaderIdentity, RestrictedNamespace } from '../../../lib';

/** The grants system:serviceaccount:dev:secret-access-sa used, and nothing more. */
export class Mixed extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    // Defines the ServiceAccount too; if your app already has a ReaderIdentity for it, move the grants there.
    const identity = new ReaderIdentity(this, 'SecretAccessSa', {
      namespace: RestrictedNamespace.fromNamespaceName('dev'),
      serviceAccountName: 'secret-access-sa',
    });
    // A ClusterRole bound by a RoleBinding in "dev": the binding confines the rules to the service account's own namespace, and it is the shape ReaderIdentity ships, so it compares line by line with today's grant.
    identity.grantRead({ name: 'api-access-secret', namespace: 'dev' });
    // A Role and RoleBinding in "staging", outside the service account's namespace: the rules exist only there (ReaderIdentity's crossNamespace grant), so they never widen the home grant.
    identity.allow({ verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['c'] }, 'staging', { crossNamespace: true });
    // A ClusterRole bound by a ClusterRoleBinding: cluster-scoped resources, requests across all namespaces and non-resource URLs are granted by nothing else; keep these rules few.
    {
      const role = new AccessRole(this, 'SecretAccessClusterCr', { name: 'secret-access-cluster-cr' });
      role.allow({ verbs: ['list'], apiGroups: [''], resources: ['namespaces'] });
      new AccessBinding(this, 'SecretAccessCrb', { name: 'secret-access-crb', role, subjects: [identity.subject()] });
    }
  }
}
