// Before timing: the tools produce the same output. Ours against stock cdk8s byte for byte (chart
// files), ours against helm object for object (parsed).
import * as fs from 'fs';
import * as path from 'path';
import { isDeepStrictEqual } from 'util';
import { parseAllDocuments } from 'yaml';

export function yamlFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.yaml')) out.push(path.join(entry.parentPath, entry.name));
  }
  return out.sort();
}

function documents(files: string[]): unknown[] {
  return files.flatMap((f) =>
    parseAllDocuments(fs.readFileSync(f, 'utf8'))
      .map((d) => d.toJS())
      .filter((d) => d !== null),
  );
}

const key = (o: unknown) => {
  const x = o as { kind?: string; metadata?: { name?: string; namespace?: string } };
  return `${x.kind}/${x.metadata?.namespace ?? ''}/${x.metadata?.name ?? ''}`;
};

/** Ours vs stock byte for byte (chart files), ours vs helm object for object. */
export function checkEquivalence(n: number, dirs: { ours: string; stock: string; helm: string }): Record<string, unknown> {
  const ours = yamlFilesUnder(dirs.ours);
  const oursCharts = ours.filter((f) => !f.includes(`${path.sep}audit${path.sep}`));
  const stock = yamlFilesUnder(dirs.stock);
  const byteIdentical =
    oursCharts.length === stock.length &&
    oursCharts.every((f, i) => path.basename(f) === path.basename(stock[i]) && fs.readFileSync(f, 'utf8') === fs.readFileSync(stock[i], 'utf8'));
  const oursDocs = documents(ours);
  const helmDocs = documents(yamlFilesUnder(dirs.helm));
  const sorted = (docs: unknown[]) => [...docs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const sameObjects = isDeepStrictEqual(sorted(oursDocs), sorted(helmDocs));
  let firstDifference: string | undefined;
  if (!sameObjects) {
    const h = new Map(helmDocs.map((d) => [key(d), d]));
    const diff = oursDocs.find((d) => !isDeepStrictEqual(h.get(key(d)), d));
    firstDifference = diff ? key(diff) : `helm has ${helmDocs.length} objects, ours ${oursDocs.length}`;
  }
  const bytes = (files: string[]) => files.reduce((sum, f) => sum + fs.statSync(f).size, 0);
  return {
    tenants: n,
    ours_objects: oursDocs.length,
    ours_files: ours.length,
    ours_bytes: bytes(ours),
    helm_objects: helmDocs.length,
    helm_bytes: bytes(yamlFilesUnder(dirs.helm)),
    stock_files: stock.length,
    ours_equals_stock_bytes: byteIdentical,
    ours_equals_helm_objects: sameObjects,
    ...(firstDifference ? { first_difference: firstDifference } : {}),
  };
}
