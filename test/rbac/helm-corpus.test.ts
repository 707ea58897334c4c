import * as fs from 'fs';
import * as path from 'path';
import { loadFile, loadPaths, RbacPolicy } from '../../lib/rbac';

// Issue 23: the RBAC objects of 1,497 public Helm chart renders (../shared/data/helm-rbac/, see its
// SOURCES.md), read from the shared directory, never copied into the repository. Every chart is
// loaded; the loader never crashes; each refused object is named with its file:line; the figures
// below are what the evaluator does with them (bench/README.md, "Real charts").
const DIR = process.env.HELM_RBAC_DIR ?? path.resolve(__dirname, '../../../shared/data/helm-rbac');
const present = fs.existsSync(DIR);
const suite = present ? describe : describe.skip;

suite(`the helm-rbac corpus (${present ? DIR : 'not present: skipped'})`, () => {
  const files = present ? fs.readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort().map((f) => path.join(DIR, f)) : [];
  const results = files.map((file) => {
    const load = loadFile(file, { keepGoing: true });
    const policy = RbacPolicy.fromLoadResult(load, { bootstrap: false, invalidObjects: 'skip' });
    return { file, load, policy };
  });

  it('loads every chart without a crash, names each rejected object with its file:line', () => {
    expect(files).toHaveLength(1497);
    for (const { file, policy } of results) {
      for (const r of policy.rejected) expect(r.startsWith(`${file}:`)).toBe(true);
    }
    const refused = results.filter((r) => r.policy.rejected.length > 0);
    expect({ loaded: results.length - refused.length, refused: refused.length }).toEqual({ loaded: 1398, refused: 99 });
  });

  it('refuses every chart written for rbac.authorization.k8s.io/v1beta1 or v1alpha1, as a 1.22+ server does', () => {
    const unserved = results.filter((r) => /^apiVersion: rbac\.authorization\.k8s\.io\/v1(beta|alpha)1\s*$/m.test(fs.readFileSync(r.file, 'utf8')));
    expect(unserved.length).toBeGreaterThanOrEqual(88);
    for (const r of unserved) expect([r.file, r.policy.rejected.some((m) => m.includes('is not served since Kubernetes 1.22'))]).toEqual([r.file, true]);
    expect(results.filter((r) => r.policy.rejected.some((m) => m.includes('is not served since Kubernetes 1.22')))).toHaveLength(unserved.length);
  });

  it('reads the charts with a duplicated mapping key (last value wins, as kubectl), each with a warning naming the line', () => {
    const duplicated = results.filter((r) => (r.load.warnings ?? []).length > 0);
    expect(duplicated.length).toBeGreaterThanOrEqual(13);
    for (const r of duplicated) {
      expect(r.load.objects.length).toBeGreaterThan(0);
      for (const w of r.load.warnings ?? []) expect(w).toMatch(new RegExp(`^${r.file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: a mapping has a duplicated key`));
    }
    expect(results.every((r) => (r.load.errors ?? []).length === 0)).toBe(true);
  });

  it('reads the whole directory at once to the same objects as chart by chart', () => {
    const all = loadPaths([DIR], { keepGoing: true });
    expect(all.objects.length).toBe(results.reduce((n, r) => n + r.load.objects.length, 0));
    expect(all.files).toHaveLength(files.length);
  });
});
