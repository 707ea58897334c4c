import { ApiObject, App, Chart, IResolver, JsonPatch, Lazy, ResolutionContext, Testing } from 'cdk8s';
import { IntOrString, KubeConfigMap, KubeNetworkPolicy, KubePod, KubeRole, Quantity } from '../../imports/k8s';
import { addTenants } from '../../lib';
import { apiObjectRenderer } from '../../lib/synth/fast-render';
import { apiObjectParts, hasDefaultResolversOnly } from '../../lib/synth/private/cdk8s-internals';
import { l1ConverterOf } from '../../lib/synth/private/l1-converters';
import { prng } from '../support/prng';

/** Renders with both and expects the same value, key order included. */
function expectSameRender(app: App, obj: ApiObject): void {
  const stock = obj.toJson();
  const fast = apiObjectRenderer(app)(obj);
  expect(fast).toStrictEqual(stock);
  expect(JSON.stringify(fast)).toBe(JSON.stringify(stock));
}

const lazy = (value: unknown) => Lazy.any({ produce: () => value });
const token = (value: unknown) => ({ resolve: () => value });

/** A random value of the shapes a manifest may hold, tokens and empties included. */
function randomValue(next: () => number, depth: number): unknown {
  const roll = next();
  const leaf = () => [undefined, null, '', 'x', 'B', 'a b', '10', 0, -0, 1.5, NaN, true, false][Math.floor(next() * 13)];
  if (depth <= 0 || roll < 0.35) return leaf();
  if (roll < 0.45) return lazy(randomValue(next, depth - 1));
  if (roll < 0.5) return token(randomValue(next, depth - 1));
  if (roll < 0.55) return next() < 0.5 ? IntOrString.fromNumber(Math.floor(next() * 100)) : Quantity.fromString(`${Math.floor(next() * 9)}Mi`);
  if (roll < 0.75) return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth - 1));
  const keys = ['b', 'a', 'Z', '10', '2', 'value', 'resolve', 'c-d', 'a.b'];
  const out: Record<string, unknown> = {};
  for (let i = Math.floor(next() * 5); i > 0; i--) out[keys[Math.floor(next() * keys.length)]] = randomValue(next, depth - 1);
  return out;
}

describe('apiObjectRenderer: the same JSON as ApiObject.toJson()', () => {
  it('renders every object of a tenant chart through the fast path, identically', () => {
    const app = Testing.app();
    addTenants(app, [{ name: 'team-a' }]);
    const objects = app.node.findAll().filter(ApiObject.isApiObject);
    expect(objects.length).toBeGreaterThan(5);
    for (const o of objects) {
      expect(l1ConverterOf(o)).toBeDefined();
      expect(apiObjectParts(o)).toBeDefined();
      expectSameRender(app, o);
    }
  });

  it('resolves Lazy values, implicit tokens, IntOrString and Quantity, nested and in metadata', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c', { labels: { team: 'a' }, namespace: 'ns' });
    const pod = new KubePod(chart, 'p', {
      metadata: { labels: lazy({ b: '1', a: token('2') }) as unknown as Record<string, string>, annotations: {}, finalizers: [] },
      spec: {
        containers: [{
          name: lazy('c') as unknown as string,
          image: 'i',
          ports: [{ containerPort: 80 }],
          resources: { limits: { cpu: Quantity.fromString('100m'), memory: lazy(Quantity.fromNumber(5)) as unknown as Quantity } },
          livenessProbe: { httpGet: { port: IntOrString.fromString('http'), path: token(lazy('/healthz')) as unknown as string } },
        }],
      },
    });
    pod.metadata.addAnnotation('z', 'last');
    pod.metadata.add('generateName', lazy('gen-'));
    expectSameRender(app, pod);
    const np = new KubeNetworkPolicy(chart, 'np', { spec: { podSelector: {}, egress: [{ ports: [{ port: IntOrString.fromNumber(443) }] }] } });
    expectSameRender(app, np);
  });

  it('drops undefined and null, keeps empty values where stock keeps them, and sorts keys (integer-like ones too)', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    const data = { b: 'x', a: undefined, '10': 'ten', '2': 'two', c: null, e: '', f: [] as string[], g: {} } as unknown as Record<string, string>;
    expectSameRender(app, new KubeConfigMap(chart, 'cm', { data, metadata: { annotations: { y: '', x: undefined as unknown as string } } }));
    expectSameRender(app, new KubeConfigMap(chart, 'empty', {}));
    expectSameRender(app, new KubeRole(chart, 'r', { rules: [{ verbs: ['get'], apiGroups: [''], resources: [] }] }));
  });

  it('matches on random nested values (seeded)', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const next = prng(seed);
      const app = Testing.app();
      const chart = new Chart(app, 'c');
      const data = randomValue(next, 4);
      const obj = new KubeConfigMap(chart, 'cm', {
        data: { v: data, w: randomValue(next, 3) } as unknown as Record<string, string>,
        metadata: { labels: randomValue(next, 1) as Record<string, string>, annotations: randomValue(next, 2) as Record<string, string> },
      });
      try {
        expectSameRender(app, obj);
      } catch (err) {
        throw new Error(`seed ${seed}: ${(err as Error).message}`);
      }
    }
  });

  it('honours CDK8S_DISABLE_SORT (metadata stays sorted, as in stock)', () => {
    const before = process.env.CDK8S_DISABLE_SORT;
    process.env.CDK8S_DISABLE_SORT = '1';
    try {
      const app = Testing.app();
      const chart = new Chart(app, 'c');
      expectSameRender(app, new KubeConfigMap(chart, 'cm', { data: { b: '1', a: '2' }, metadata: { labels: { z: '1', y: '2' } } }));
    } finally {
      if (before === undefined) delete process.env.CDK8S_DISABLE_SORT;
      else process.env.CDK8S_DISABLE_SORT = before;
    }
  });

  it('uses toJson() for JSON patches, custom resolvers, subclasses, plain ApiObjects and non-plain values', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    const patched = new KubeConfigMap(chart, 'patched', { data: { a: '1' } });
    patched.addJsonPatch(JsonPatch.add('/data/b', '2'));
    expectSameRender(app, patched);

    class Custom extends KubeConfigMap {
      public toJson(): any {
        return { ...super.toJson(), extra: true };
      }
    }
    const custom = new Custom(chart, 'custom', { data: { a: '1' } });
    expect(l1ConverterOf(custom)).toBeUndefined();
    expectSameRender(app, custom);

    const plain = new ApiObject(chart, 'plain', { apiVersion: 'v1', kind: 'Thing', spec: { b: lazy(1), a: IntOrString.fromString('x') } });
    expect(l1ConverterOf(plain)).toBeUndefined();
    expectSameRender(app, plain);

    const dated = new KubeConfigMap(chart, 'dated', { data: { when: new Date(0) as unknown as string } });
    expect(() => apiObjectRenderer(app)(dated)).toThrow(/Failed serializing construct at path 'c\/dated'.*non-simple object of type 'Date'/);
    const throwing = new KubeConfigMap(chart, 'throwing', { data: { x: Lazy.any({ produce: () => { throw new Error('boom'); } }) as unknown as string } });
    expect(() => apiObjectRenderer(app)(throwing)).toThrow(/Failed serializing construct at path 'c\/throwing'.*boom/);

    class Upper implements IResolver {
      public resolve(context: ResolutionContext): void {
        if (typeof context.value === 'string' && context.value !== context.value.toUpperCase()) context.replaceValue(context.value.toUpperCase());
      }
    }
    const resolving = new App({ outdir: '/nonexistent', resolvers: [new Upper()] });
    expect(hasDefaultResolversOnly(resolving)).toBe(false);
    expect(hasDefaultResolversOnly(app)).toBe(true);
    const cm = new KubeConfigMap(new Chart(resolving, 'c'), 'cm', { data: { a: 'lower' } });
    expectSameRender(resolving, cm);
    expect(apiObjectRenderer(resolving)(cm)).toMatchObject({ data: { a: 'LOWER' } });
  });
});
