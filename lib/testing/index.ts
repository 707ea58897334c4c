/**
 * Jest matchers for your own tests of RBAC manifests, a separate entry point
 * (`cdk8s-api-reader/testing`) so that production code never loads anything of Jest's:
 *
 * ```ts
 * import { apiReaderMatchers } from 'cdk8s-api-reader/testing';
 * expect.extend(apiReaderMatchers);
 *
 * expect('dist/').toAllow('system:serviceaccount:dev:secret-access-sa', 'get', 'secrets/api-access-secret', 'dev');
 * expect('dist/').toDeny('system:serviceaccount:dev:no-access-sa', 'get', 'secrets/api-access-secret', 'dev');
 * expect('dist/').toAllow('system:serviceaccount:logging:log-exporter-sa', 'get', 'pods', { clusterWide: true, subresource: 'log' });
 * ```
 *
 * Verbs and resources are checked as kubectl checks them (singular and short names resolve, `pods/log`
 * means the pod named `log`: give a subresource in the scope); an unknown one, or manifests without
 * any RBAC object, throw rather than letting `toDeny` pass. So do a namespaced resource asked about without a
 * namespace or `{ clusterWide: true }` (no default scope: kubectl asks in `default`), and a user name that no
 * binding and no ServiceAccount of the manifests names (`team-a:ci-deployer` is a user of that literal name,
 * as for kubectl `--as`; the error suggests `system:serviceaccount:team-a:ci-deployer`).
 *
 * Or register them for every test file with `setupFilesAfterEnv: ['cdk8s-api-reader/testing/setup']`,
 * and let TypeScript see their types by listing the package in your tsconfig's `types`
 * (`"types": ["jest", "cdk8s-api-reader/testing"]`) or importing it once in a `.d.ts` file.
 * The failure message carries upstream's reason (`RBAC: allowed by ...` or the denial).
 */
import { UserInfo } from '../rbac/types';
import { checkAccess, MatcherResult, MatcherScope, MatcherUser } from './matchers';

export { accessSummary } from './access-summary';
export { checkAccess, policyOf } from './matchers';
export type { ManifestsInput, MatcherResult, MatcherScope, MatcherUser } from './matchers';

/** The matchers, ready for `expect.extend(apiReaderMatchers)`. */
export const apiReaderMatchers = {
  /**
   * Passes when RBAC allows `user` to `verb` `resource` in `namespace`.
   * @param received a path, an array of manifest objects, or an RbacPolicy
   * @param user as for `--as`, e.g. `system:serviceaccount:dev:secret-access-sa`, or a UserInfo
   * @param verb e.g. `get`
   * @param resource `RESOURCE[.GROUP][/NAME]`, e.g. `secrets/api-access-secret`, `deployments.apps`, or `/api`
   * @param where the namespace, or `{ namespace | clusterWide: true, subresource }`; required for a namespaced resource
   */
  toAllow(received: unknown, user: MatcherUser, verb: string, resource: string, where?: string | MatcherScope): MatcherResult {
    return checkAccess(received, true, user, verb, resource, where);
  },
  /**
   * Passes when RBAC denies `user` `verb` on `resource` in `namespace` (the arguments of {@link apiReaderMatchers.toAllow}).
   */
  toDeny(received: unknown, user: MatcherUser, verb: string, resource: string, where?: string | MatcherScope): MatcherResult {
    return checkAccess(received, false, user, verb, resource, where);
  },
};

declare global {
  // Augments @types/jest's `expect(...)` (the global `jest` namespace) with the matchers.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    // Type parameters must match @types/jest's declaration exactly.
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    interface Matchers<R, T = {}> {
      /** RBAC allows `user` to `verb` `resource` (`secrets/NAME`, `deployments.apps`, `/api`) in `where`: a namespace or `{ namespace | clusterWide: true, subresource }` (required for a namespaced resource). */
      toAllow(user: string | UserInfo, verb: string, resource: string, where?: string | MatcherScope): R;
      /** RBAC denies `user` `verb` on `resource` in `where` (as for toAllow). */
      toDeny(user: string | UserInfo, verb: string, resource: string, where?: string | MatcherScope): R;
    }
  }
}
