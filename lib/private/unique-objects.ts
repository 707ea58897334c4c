import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { apiObjectsByKind, perValidationPass, refreshEachPass } from './per-pass-index';

const CHECKED_ROOTS = new WeakSet<IConstruct>();
const REPORTING = new WeakSet<ApiObject>();

/**
 * Makes synth of the app that holds `scope` fail when two API objects would land on the same
 * object in the cluster: the same API group, kind and name, and the same namespace for a
 * namespaced kind (a cluster-scoped object has none). `kubectl apply` would keep whichever comes
 * last, in silence. Registered once per app; one map over the app's objects per validation pass.
 *
 * The error is reported on the later object, so it carries that object's construct path, and
 * its sentence names the earlier object's path: cdk8s validates in pre-order, so this root
 * validation runs first in each pass and hands each duplicate a validation of its own.
 *
 * @param scope any construct of the app
 */
export function checkUniqueObjects(scope: IConstruct): void {
  const root = scope.node.root;
  if (CHECKED_ROOTS.has(root)) return;
  CHECKED_ROOTS.add(root);
  refreshEachPass(root);
  root.node.addValidation({
    validate: () => {
      for (const later of duplicates(root).keys()) {
        if (REPORTING.has(later)) continue;
        REPORTING.add(later);
        later.node.addValidation({ validate: () => duplicateProblem(later, duplicates(root).get(later)) });
      }
      return [];
    },
  });
}

/** Each object that lands on the same API object as an earlier one -> that earlier one. */
function duplicates(root: IConstruct): ReadonlyMap<ApiObject, ApiObject> {
  return perValidationPass(root, 'duplicate-objects', () => {
    const later = new Map<ApiObject, ApiObject>();
    for (const objects of apiObjectsByKind(root).values()) {
      const first = new Map<string, ApiObject>();
      for (const object of objects) {
        // Kind is the same within the list; group, namespace and name pick the API object.
        const key = `${object.apiGroup}\0${object.metadata.namespace ?? ''}\0${object.name}`;
        const earlier = first.get(key);
        if (earlier === undefined) first.set(key, object);
        else later.set(object, earlier);
      }
    }
    return later;
  });
}

function duplicateProblem(object: ApiObject, earlier: ApiObject | undefined): string[] {
  if (earlier === undefined) return [];
  const namespace = object.metadata.namespace;
  const where = namespace ? ` in namespace "${namespace}"` : '';
  return [
    `${object.kind} "${object.name}"${where} is defined twice (${earlier.node.path} and ${object.node.path}): `
    + 'kubectl apply would keep only the last one, so the other would lose its rules or settings in silence. '
    + 'Give one of them another name (its name or clusterRoleName/bindingName prop, or metadata.name).',
  ];
}
