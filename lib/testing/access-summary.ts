/**
 * `accessSummary(manifests)`: the effective access an app's manifests grant, as stable text for
 * a Jest snapshot, so that a change of anyone's access fails the consumer's tests and shows up in
 * review: `expect(accessSummary(Testing.synth(chart))).toMatchSnapshot()`.
 */
import { accessSummaryOf } from '../rbac/views/access-summary';
import { policyOf } from './matchers';

/**
 * The access summary of `manifests` (a path such as `dist/`, an array of manifest objects such as
 * `Testing.synth(chart)`, or an `RbacPolicy`): one block per subject, one line per access with its
 * risk, and the bindings that grant it.
 * @throws ManifestLoadError when the manifests hold no RBAC object (a snapshot of nothing would pass silently)
 */
export function accessSummary(manifests: unknown): string {
  return accessSummaryOf(policyOf(manifests));
}
