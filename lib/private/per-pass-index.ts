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
  if (!REFRESHED_ROOTS.has(root)) {
    REFRESHED_ROOTS.add(root);
    root.node.addValidation({ validate: () => { INDEXES.delete(root); return []; } });
  }
  let indexes = INDEXES.get(root);
  if (!indexes) {
    indexes = new Map();
    INDEXES.set(root, indexes);
  }
  if (!indexes.has(key)) indexes.set(key, build());
  return indexes.get(key) as T;
}
