import { IConstruct } from 'constructs';
import { checkUniqueObjects } from './private/unique-objects';

/**
 * Fails synth when two API objects of the app that holds `scope` would land on the same object
 * in the cluster (the same API group, kind, namespace and name; cluster-scoped objects have no
 * namespace): `kubectl apply` would silently keep only the last one. The error carries the later
 * object's construct path and names the earlier one's.
 *
 * Every app that holds a construct of this library, and every app synthesized by
 * `synthToDirectory`, has this check already; call it for an app built only of other constructs
 * and synthesized with `app.synth()`.
 *
 * @param scope any construct of the app (the whole app is checked)
 */
export function validateUniqueObjectNames(scope: IConstruct): void {
  checkUniqueObjects(scope);
}
