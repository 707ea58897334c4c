import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';

const INDEXES = new WeakMap<IConstruct, Map<string, unknown>>();
const REFRESHED_ROOTS = new WeakSet<IConstruct>();

/**
 * An app-wide index, built at most once per validation pass. Validations that need to look at the
 * whole app (is this ServiceAccount defined elsewhere? is this role bound cluster-wide?) would
 * otherwise scan the app once each, quadratic in the app's size. cdk8s validates in pre-order, so
 * a validation on the root (registered once per root) drops the indexes before any other
 * construct asks, and the first one to ask rebuilds it from the finished tree.
 *
 * @param root the app (`construct.node.root`)
 * @param key which index
 * @param build builds the index from the whole tree
 */
export function perValidationPass<T>(root: IConstruct, key: string, build: () => T): T {
  refreshEachPass(root);
  let indexes = INDEXES.get(root);
  if (!indexes) {
    indexes = new Map();
    INDEXES.set(root, indexes);
  }
  if (!indexes.has(key)) indexes.set(key, build());
  return indexes.get(key) as T;
}

/**
 * Registers, once per root, the root validation that drops the indexes at the start of each pass.
 * A root validation that reads an index registers this first, so that it sees the indexes of the
 * pass it runs in.
 * @param root the app (`construct.node.root`)
 */
export function refreshEachPass(root: IConstruct): void {
  if (REFRESHED_ROOTS.has(root)) return;
  REFRESHED_ROOTS.add(root);
  root.node.addValidation({ validate: () => { INDEXES.delete(root); return []; } });
}

/** The app's API objects by kind (one scan of the whole tree per validation pass), in tree order within each kind. */
export function apiObjectsByKind(root: IConstruct): ReadonlyMap<string, readonly ApiObject[]> {
  return perValidationPass(root, 'api-objects-by-kind', () => {
    const index = new Map<string, ApiObject[]>();
    for (const child of root.node.findAll()) {
      if (!ApiObject.isApiObject(child)) continue;
      const list = index.get(child.kind);
      if (list) list.push(child);
      else index.set(child.kind, [child]);
    }
    return index;
  });
}

/**
 * The app's API objects of one kind (`ServiceAccount`, `ClusterRoleBinding`, ...), from one scan
 * of the whole tree per validation pass shared by every index that needs a kind.
 *
 * @param root the app (`construct.node.root`)
 * @param kind the objects' `kind`
 */
export function apiObjectsOfKind(root: IConstruct, kind: string): readonly ApiObject[] {
  return apiObjectsByKind(root).get(kind) ?? [];
}
