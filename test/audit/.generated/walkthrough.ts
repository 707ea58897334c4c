// Least-privilege grants for system:serviceaccount:dev:secret-access-sa, generated from 1 distinct allowed request(s) in the audit log.
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ReaderIdentity, RestrictedNamespace } from '../../../lib';

/** The grants system:serviceaccount:dev:secret-access-sa used, and nothing more. */
export class SecretAccessGrants extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    // Defines the ServiceAccount too; if your app already has a ReaderIdentity for it, move the grants there.
    const identity = new ReaderIdentity(this, 'SecretAccessSa', {
      namespace: RestrictedNamespace.fromNamespaceName('dev'),
      serviceAccountName: 'secret-access-sa',
    });
    // A ClusterRole bound by a RoleBinding in "dev": the binding confines the rules to the service account's own namespace, and it is the shape ReaderIdentity ships, so it compares line by line with today's grant.
    identity.grantRead({ name: 'api-access-secret', namespace: 'dev' });
  }
}
