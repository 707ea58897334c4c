import { ApiObject, App, Lazy } from 'cdk8s';
import { apiObjectParts, hasDefaultResolversOnly, stockRenderUnchanged } from './private/cdk8s-internals';
import { l1ConverterOf } from './private/l1-converters';

/**
 * `obj.toJson()` for the linear synth, without cdk8s's per-value overhead, for the same result.
 *
 * Stock `ApiObject.toJson()` resolves the object (`resolve()` looks up `App.of(obj).resolvers` and
 * copies the key path at every value, and runs three resolver objects on each), sanitizes the result
 * (sorted keys, no `null`/`undefined`), applies the JSON patches, puts `apiVersion`, `kind` and
 * `metadata` first, and an L1 class then converts that with its props converter. Here resolution
 * and sanitizing are one walk with the default resolvers inlined (a `Lazy` is produced, a value with
 * a `resolve()` function resolved, a number/string union such as `IntOrString` replaced by
 * `{ value }`), in the same order of evaluation, the patch step is skipped when there are no
 * patches (then it returns its input), and the L1 converter runs as in the class's `toJson`.
 *
 * An object goes through its own `toJson()` when anything differs from what this reproduces: the
 * app has resolvers of its own, the object has JSON patches or is not a plain instance of a
 * generated L1 class, a value is not a plain object, array or primitive (a class instance, a
 * function, a sparse array, a `__proto__` key, ...), evaluation throws (the stock path then throws
 * its own error), or cdk8s's rendering functions are not the ones reproduced (see
 * `private/cdk8s-internals.ts`). `test/synth/fast-render.test.ts` compares both on varied objects.
 *
 * @param app the app whose objects are rendered
 * @returns a function that renders one of the app's API objects exactly as `toJson()` does
 */
export function apiObjectRenderer(app: App): (obj: ApiObject) => unknown {
  if (!hasDefaultResolversOnly(app) || !stockRenderUnchanged()) return (obj) => obj.toJson();
  const sortKeys = !process.env.CDK8S_DISABLE_SORT;
  return (obj) => fastToJson(obj, sortKeys) ?? obj.toJson();
}

/** Thrown inside the walk for anything it does not reproduce: the object then uses `toJson()`. */
const UNUSUAL: unique symbol = Symbol('unusual');

const TOP_KEYS = ['apiVersion', 'kind', 'metadata'];

function fastToJson(obj: ApiObject, sortKeys: boolean): unknown {
  const convert = l1ConverterOf(obj);
  const parts = convert && apiObjectParts(obj);
  if (convert === undefined || parts === undefined || parts.patches.length > 0) return undefined;
  let json: Record<string, unknown>;
  try {
    // ApiObjectMetadataDefinition.toJson: sorted keys whatever CDK8S_DISABLE_SORT says, empties dropped.
    const metadata = walk(parts.metadata, true, true);
    // Stock resolves and sanitizes the rendered metadata a second time, which leaves it as it is
    // (plain, sorted, nothing null): it is put back afterwards instead, where the key order below
    // puts it anyway.
    json = walk({ ...parts.props, metadata: undefined }, sortKeys, false) as Record<string, unknown>;
    if (metadata !== undefined) json.metadata = metadata;
  } catch {
    return undefined; // UNUSUAL, or a producer or token that throws: toJson() then throws the stock error
  }
  // As ApiObject.toJson: apiVersion, kind and metadata first, then the rest.
  const ordered: Record<string, unknown> = {};
  for (const k of [...TOP_KEYS, ...Object.keys(json)]) if (k in json) ordered[k] = json[k];
  return convert(ordered);
}

/**
 * `sanitizeValue(resolve(value))` with the default resolvers: what one value renders to, or
 * `undefined` where sanitizing drops it.
 */
function walk(value: unknown, sort: boolean, filterEmpty: boolean): unknown {
  let v = value;
  // The resolvers, in the stock order; a replaced value is resolved again from the first one.
  for (;;) {
    if (v === null || v === undefined) return undefined;
    if (typeof v !== 'object') {
      if (typeof v === 'function') throw UNUSUAL;
      return v;
    }
    if (v instanceof Lazy) {
      v = v.produce();
      continue;
    }
    const o = v as { resolve?: unknown; constructor?: unknown; value?: unknown };
    if (typeof o.resolve === 'function') {
      v = (o.resolve as () => unknown).call(o);
      continue;
    }
    if (o.constructor !== Object && (typeof o.value === 'number' || typeof o.value === 'string')) {
      v = { value: o.value };
      continue;
    }
    break;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto === Array.prototype) return walkArray(v as unknown[], sort, filterEmpty);
  if (proto === Object.prototype && (v as object).constructor === Object) return walkMap(v as Record<string, unknown>, sort, filterEmpty);
  throw UNUSUAL; // stock sanitizing throws for a non-plain object, or keeps a look-alike
}

function walkArray(items: readonly unknown[], sort: boolean, filterEmpty: boolean): unknown[] | undefined {
  const n = items.length;
  if (filterEmpty && n === 0) return undefined;
  const out = new Array<unknown>(n);
  for (let i = 0; i < n; i++) {
    if (!(i in items)) throw UNUSUAL;
    out[i] = walk(items[i], sort, filterEmpty);
  }
  return out;
}

function walkMap(map: Record<string, unknown>, sort: boolean, filterEmpty: boolean): Record<string, unknown> | undefined {
  const keys = Object.keys(map);
  const n = keys.length;
  // Read every value first (as Object.entries does), then resolve in key order.
  const values = new Array<unknown>(n);
  for (let i = 0; i < n; i++) {
    if (keys[i] === '__proto__') throw UNUSUAL;
    values[i] = map[keys[i]];
  }
  for (let i = 0; i < n; i++) values[i] = walk(values[i], sort, filterEmpty);
  const out: Record<string, unknown> = {};
  let kept = 0;
  const order = sort && !isSorted(keys) ? sortedOrder(keys) : undefined;
  for (let j = 0; j < n; j++) {
    const i = order === undefined ? j : order[j];
    const value = values[i];
    if (value !== undefined && value !== null) {
      out[keys[i]] = value;
      kept++;
    }
  }
  return filterEmpty && kept === 0 ? undefined : out;
}

function isSorted(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (keys[i - 1] > keys[i]) return false;
  return true;
}

/** Indices of `keys` in the order of `keys.slice().sort()` (by UTF-16 code units); keys are distinct. */
function sortedOrder(keys: readonly string[]): number[] {
  const n = keys.length;
  if (n > 32) return keys.map((_, i) => i).sort((a, b) => (keys[a] < keys[b] ? -1 : 1));
  // Insertion sort: manifests' maps are small.
  const order = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const key = keys[i];
    let j = i;
    while (j > 0 && keys[order[j - 1]] > key) {
      order[j] = order[j - 1];
      j--;
    }
    order[j] = i;
  }
  return order;
}
