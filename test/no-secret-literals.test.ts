import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { readTree } from './support/outdir';

const REPO = path.resolve(__dirname, '..');

/** Every committed manifest: dist/ and each example's dist/. */
function committedManifests(): Array<[string, string]> {
  const files: Array<[string, string]> = Object.entries(readTree(path.join(REPO, 'dist'))).map(([f, c]) => [`dist/${f}`, c]);
  for (const example of fs.readdirSync(path.join(REPO, 'examples'), { withFileTypes: true })) {
    const dist = path.join(REPO, 'examples', example.name, 'dist');
    if (example.isDirectory() && fs.existsSync(dist)) {
      files.push(...Object.entries(readTree(dist)).map(([f, c]): [string, string] => [`examples/${example.name}/dist/${f}`, c]));
    }
  }
  return files;
}

describe('no secret value is committed', () => {
  const manifests = committedManifests();

  test('there are committed manifests to check', () => {
    expect(manifests.map(([f]) => f)).toContain('dist/api-reader.k8s.yaml');
  });

  test.each(manifests.map(([file]) => file))('%s holds no Secret with data and no stringData', (file) => {
    const text = manifests.find(([f]) => f === file)![1];
    expect(text).not.toMatch(/stringData/);
    for (const doc of parseAllDocuments(text)) {
      const object = doc.toJS();
      if (object?.kind === 'Secret') {
        expect({ file, name: object.metadata?.name, data: object.data ?? null }).toEqual({ file, name: object.metadata?.name, data: null });
      }
    }
  });

  test('credential files are git-ignored', () => {
    const ignore = fs.readFileSync(path.join(REPO, '.gitignore'), 'utf8');
    expect(ignore).toMatch(/^dist\/\*-credentials\.k8s\.yaml$/m);
  });
});
