/**
 * The manifests under test: dist/ (what `kubectl apply -f dist/` reads: its top-level files), the
 * examples' synthesized output (examples/<name>/dist* /**), and the e2e-only fixtures.
 * E2E_DIST_DIR points the suite at another dist (e.g. a deliberately broken copy).
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from './state';

/** Any parsed Kubernetes object. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [k: string]: unknown };
  [field: string]: unknown;
}

const MANIFEST = /\.(ya?ml|json)$/i;

/** The dist directory under test (E2E_DIST_DIR, default `dist/`). */
export function distDir(): string {
  return path.resolve(process.env.E2E_DIST_DIR ?? path.join(REPO_ROOT, 'dist'));
}

/** The manifest files `kubectl apply -f dist/` reads (top level only: dist/audit/ is not applied), sorted. */
export function distFiles(): string[] {
  const dir = distDir();
  return fs.readdirSync(dir).filter((f) => MANIFEST.test(f) && fs.statSync(path.join(dir, f)).isFile()).sort().map((f) => path.join(dir, f));
}

function walk(dir: string, out: string[]): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const full = path.join(dir, e.name);
    if (e.isDirectory()) walk(full, out);
    else if (e.isFile() && MANIFEST.test(e.name)) out.push(full);
  }
}

/**
 * Synthesized manifests of the examples: files under any directory named `dist*` inside
 * `examples/` (e.g. examples/log-exporter/dist/log-exporter.k8s.yaml), sorted by path.
 */
export function exampleFiles(): string[] {
  const root = path.join(REPO_ROOT, 'examples');
  if (!fs.existsSync(root)) return [];
  const out: string[] = [];
  const find = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (!e.isDirectory() || e.name.startsWith('.') || e.name === 'node_modules') continue;
      const full = path.join(dir, e.name);
      if (/^dist/.test(e.name)) walk(full, out);
      else find(full);
    }
  };
  find(root);
  return out;
}

/** The e2e-only fixtures (seed scenarios that dist/ does not cover), sorted. */
export function fixtureFiles(): string[] {
  const dir = path.join(REPO_ROOT, 'e2e', 'fixtures');
  return fs.readdirSync(dir).filter((f) => MANIFEST.test(f)).sort().map((f) => path.join(dir, f));
}

/** Every object in a manifest file (YAML multi-doc or JSON; `List` items flattened). */
export function readObjects(file: string): K8sObject[] {
  const text = fs.readFileSync(file, 'utf8');
  const docs = parseAllDocuments(text);
  const out: K8sObject[] = [];
  for (const d of docs) {
    if (d.errors.length > 0) throw new Error(`${file}: ${d.errors[0].message}`);
    const o = d.toJS() as K8sObject | null;
    if (!o || typeof o !== 'object') continue;
    if (o.kind === 'List' && Array.isArray(o.items)) out.push(...(o.items as K8sObject[]));
    else out.push(o);
  }
  return out;
}

/** Objects `kubectl apply` can take: everything except audit policies (audit.k8s.io is not an API). */
export function applyable(objects: readonly K8sObject[]): K8sObject[] {
  return objects.filter((o) => !String(o.apiVersion).startsWith('audit.k8s.io/'));
}

/** `kind/name` the way kubectl apply prints it (`namespace/dev`, `clusterrole.rbac.authorization.k8s.io/x`). */
export function kubectlRef(o: K8sObject): string {
  const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
  return `${o.kind.toLowerCase()}${group ? `.${group}` : ''}/${o.metadata.name}`;
}
