/**
 * Waiver hygiene for lint-waivers.yaml (the one waiver file of `npm run lint:manifests`).
 * That a waiver still matches a finding needs the scanners, so scripts/lint/run.sh enforces it;
 * here: every waiver is complete, says why it is safe, and appears once.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';

const repo = path.resolve(__dirname, '..', '..');
const file = path.join(repo, 'lint-waivers.yaml');
const TOOLS = ['kube-linter', 'kube-score', 'checkov', 'kubernetes-validate', 'trivy', 'polaris'];
const MIN_WORDS = 5;

interface Waiver {
  tool?: unknown;
  check?: unknown;
  object?: { kind?: unknown; name?: unknown; namespace?: unknown };
  reason?: unknown;
}

const doc = parse(fs.readFileSync(file, 'utf8')) as { waivers?: Waiver[] };
const waivers: Waiver[] = doc?.waivers ?? [];
const label = (w: Waiver, i: number) =>
  `#${i + 1} ${String(w.tool)} ${String(w.check)} ${String(w.object?.kind)}/${String(w.object?.namespace ?? '*')}/${String(w.object?.name)}`;
const nonEmpty = (v: unknown) => typeof v === 'string' && v.trim().length > 0;

describe('lint-waivers.yaml', () => {
  test('has a list of waivers', () => {
    expect(Array.isArray(doc?.waivers)).toBe(true);
  });

  test('every waiver names a known tool, a check and an object (kind and name)', () => {
    const bad = waivers
      .map((w, i) => ({ w, i }))
      .filter(({ w }) =>
        !TOOLS.includes(String(w.tool)) || !nonEmpty(w.check) || !w.object || !nonEmpty(w.object.kind) ||
        !nonEmpty(w.object.name) || (w.object.namespace !== undefined && !nonEmpty(w.object.namespace)))
      .map(({ w, i }) => label(w, i));
    expect(bad).toEqual([]);
  });

  test(`every waiver has a reason of at least ${MIN_WORDS} words`, () => {
    const bad = waivers
      .map((w, i) => ({ w, i }))
      .filter(({ w }) => !nonEmpty(w.reason) || String(w.reason).trim().split(/\s+/).length < MIN_WORDS)
      .map(({ w, i }) => label(w, i));
    expect(bad).toEqual([]);
  });

  test('no two waivers cover the same tool, check and object', () => {
    const seen = new Map<string, number>();
    const dups: string[] = [];
    waivers.forEach((w, i) => {
      const key = [w.tool, w.check, w.object?.kind, w.object?.namespace ?? '*', w.object?.name].join('|');
      if (seen.has(key)) dups.push(`${label(w, i)} repeats #${seen.get(key)! + 1}`);
      else seen.set(key, i);
    });
    expect(dups).toEqual([]);
  });

  test('the checker run.sh uses finds no problem either', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { loadWaivers } = require(path.join(repo, 'scripts', 'lint', 'findings.js'));
    expect(loadWaivers(file).problems).toEqual([]);
  });
});
