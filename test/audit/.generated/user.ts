// Least-privilege grants for alice, generated from 2 distinct allowed request(s) in the audit log.
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { AccessBinding, AccessRole } from '../../../lib';

/** The grants alice used, and nothing more. */
export class AliceGrants extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const subject = { kind: 'User' as const, name: 'alice' };
    // A Role and RoleBinding in "dev": the rules exist only in that namespace.
    {
      const role = new AccessRole(this, 'AliceRole-dev', { name: 'alice-role', namespace: 'dev' });
      role.allow({ verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['c'] });
      new AccessBinding(this, 'AliceRb-dev', { name: 'alice-rb', namespace: 'dev', role, subjects: [subject] });
    }
    // A Role and RoleBinding in "prod": the rules exist only in that namespace.
    {
      const role = new AccessRole(this, 'AliceRole-prod', { name: 'alice-role', namespace: 'prod' });
      role.allow({ verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['c'] });
      new AccessBinding(this, 'AliceRb-prod', { name: 'alice-rb', namespace: 'prod', role, subjects: [subject] });
    }
  }
}
