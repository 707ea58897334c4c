// A summary of a V8 .cpuprofile: self time by function and by module (with where each module is
// entered from), and the inclusive time of the synth's phases.
import * as fs from 'fs';
import * as path from 'path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** Functions whose inclusive time the profile summary reports (require, build, validate/resolve, render, write). */
const INCLUSIVE = [
  'require (nested Module._load)',
  'addTenants',
  'synthToDirectory',
  'synthAppLinear',
  '_synthChart',
  'resolveDependencies',
  'validate',
  'chartObjectsInStockOrder',
  'toJson',
  'resolve',
  'stringifyDocuments',
  'writeFileSync',
  'swapInto',
  'writeAuditPolicies',
];

/** Self time by function and by module from a .cpuprofile. */
export function summarizeProfile(file: string, root: string): Record<string, unknown> {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const moduleOf = (url: string, fn: string) => {
    if (!url) return fn.startsWith('(') ? fn : '(native/builtin)';
    if (url.startsWith('node:')) return 'node: core';
    const nm = url.lastIndexOf('/node_modules/');
    if (nm >= 0) {
      const rest = url.slice(nm + 14).split('/');
      const pkg = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
      const inner = pkg === 'cdk8s' || pkg === 'cdk8s-plus-27' ? `/${rest.slice(pkg.startsWith('@') ? 2 : 1).join('/')}` : '';
      return `${pkg}${inner.replace(/^\/lib\//, ':')}`;
    }
    const rel = path.relative(root, url.replace(/^file:\/\//, ''));
    return rel.startsWith('..') ? url : rel;
  };
  const fnAgg = new Map<string, number>();
  const modAgg = new Map<string, number>();
  for (const [id, t] of self) {
    const n = byId.get(id)!;
    const mod = moduleOf(n.callFrame.url, n.callFrame.functionName);
    const fn = `${n.callFrame.functionName || '(anonymous)'} ${mod}${n.callFrame.url ? `:${n.callFrame.lineNumber + 1}` : ''}`;
    fnAgg.set(fn, (fnAgg.get(fn) ?? 0) + t);
    modAgg.set(mod, (modAgg.get(mod) ?? 0) + t);
  }
  // Inclusive time of the phases we care about (a sample counts once per name on its stack).
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inclusive = new Map<string, number>(INCLUSIVE.map((name) => [name, 0]));
  // Where each module's self time is entered from (the nearest caller outside the module).
  const enteredFrom = new Map<string, Map<string, number>>();
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const seen = new Set<string>();
    let loads = 0;
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      let name = byId.get(at)!.callFrame.functionName;
      // The entry script itself runs inside Module._load: count only nested loads (require).
      if (name === 'Module._load' && ++loads < 2) continue;
      if (name === 'Module._load') name = 'require (nested Module._load)';
      if (inclusive.has(name) && !seen.has(name)) {
        seen.add(name);
        inclusive.set(name, inclusive.get(name)! + dt);
      }
    }
    const leaf = byId.get(id)!.callFrame;
    const mod = moduleOf(leaf.url, leaf.functionName);
    for (let at = parent.get(id); at !== undefined; at = parent.get(at)) {
      const f = byId.get(at)!.callFrame;
      const m = moduleOf(f.url, f.functionName);
      if (m !== mod && f.url) {
        const caller = `${f.functionName || '(anonymous)'} ${m}`;
        const perModule = enteredFrom.get(mod) ?? new Map<string, number>();
        perModule.set(caller, (perModule.get(caller) ?? 0) + dt);
        enteredFrom.set(mod, perModule);
        break;
      }
    }
  });
  const top = (m: Map<string, number>, k: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(([name, us]) => ({ name, self_ms: Math.round(us / 1000), pct: Math.round((1000 * us) / total) / 10 }));
  return {
    sampled_ms: Math.round(total / 1000),
    top_functions: top(fnAgg, 15),
    top_modules: top(modAgg, 12).map((m) => ({ ...m, entered_from: enteredFrom.has(m.name) ? top(enteredFrom.get(m.name)!, 3).map((c) => `${c.name} ${c.self_ms} ms`) : [] })),
    inclusive: top(inclusive, INCLUSIVE.length).filter((x) => x.self_ms > 0).map(({ name, self_ms, pct }) => ({ name, total_ms: self_ms, pct })),
  };
}
