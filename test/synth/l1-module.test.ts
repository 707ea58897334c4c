import { execFileSync } from 'child_process';
import * as path from 'path';
import { ApiObject, Chart, Testing } from 'cdk8s';
import * as upstream from 'cdk8s-plus-27/lib/imports/k8s';
import * as generated from '../../imports/k8s-l1.generated';
import { addTenants } from '../../lib';
import { prng } from '../support/prng';

// imports/k8s-l1.generated.ts is a copy of part of cdk8s-plus-27's L1 module with a faster
// undefined-filtering step (scripts/generate-l1.js). These tests fail when it is stale or when it
// renders anything differently from the original.
const ROOT = path.join(__dirname, '..', '..');
const up = upstream as unknown as Record<string, any>;
const gen = generated as unknown as Record<string, any>;

/** Resolved `ApiObject` JSON of every object of a tenant chart (what an L1 converter gets). */
function tenantObjects(): ApiObject[] {
  const app = Testing.app();
  addTenants(app, [{ name: 'team-a' }]);
  return app.node.findAll().filter(ApiObject.isApiObject);
}

/** The same value with random undefined entries added to its maps, and random keys of maps reordered. */
function perturb(value: unknown, next: () => number): unknown {
  if (Array.isArray(value)) return value.map((v) => perturb(v, next));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).map(([k, v]) => [k, perturb(v, next)] as [string, unknown]);
  if (next() < 0.3) entries.push([`extra${Math.floor(next() * 3)}`, next() < 0.5 ? undefined : 'x']);
  if (next() < 0.3) entries.push(['10', 'ten']);
  if (next() < 0.3) entries.reverse();
  return Object.fromEntries(entries);
}

describe('the generated L1 module', () => {
  it('is what scripts/generate-l1.js makes of the installed cdk8s-plus-27', () => {
    expect(() => execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'generate-l1.js'), '--check'], { cwd: ROOT, stdio: 'pipe' })).not.toThrow();
  });

  it('exports the classes of the original with the same GVK', () => {
    for (const name of Object.keys(gen).filter((n) => n.startsWith('Kube'))) {
      expect(gen[name].GVK).toEqual(up[name].GVK);
    }
  });

  it('renders every object of a tenant chart exactly as the original classes do', () => {
    for (const o of tenantObjects()) {
      const name = o.constructor.name;
      expect(Object.getPrototypeOf(o)).toBe(gen[name].prototype);
      const chart = new Chart(Testing.app(), Chart.of(o).node.id);
      const props = (o as unknown as { props: Record<string, unknown> }).props;
      const twin = new up[name](chart, o.node.id, { ...props, metadata: { ...(props.metadata as object), name: o.name, namespace: o.metadata.namespace } });
      expect(JSON.stringify(o.toJson())).toBe(JSON.stringify(twin.toJson()));
    }
  });

  it('has converters that give what the original ones give, on varied input (seeded)', () => {
    const resolved = tenantObjects().map((o) => ({ name: o.constructor.name, json: ApiObject.prototype.toJson.call(o) }));
    for (let seed = 1; seed <= 200; seed++) {
      const next = prng(seed);
      const { name, json } = resolved[seed % resolved.length];
      const input = perturb(json, next);
      const converter = `toJson_${name}Props`;
      const mine = gen[converter](input);
      const theirs = up[converter](input);
      expect(mine).toStrictEqual(theirs);
      expect(JSON.stringify(mine)).toBe(JSON.stringify(theirs));
    }
  });
});
