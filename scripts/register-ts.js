// Runs TypeScript without type-checking (that is `npm test` / `npm run build`'s job), so that
// `cdk8s synth` stays fast: each .ts file is transpiled by sucrase once and the result is kept
// in node_modules/.cache, keyed by the file's path and content and the sucrase version. A synth
// whose sources did not change never loads the transpiler at all.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const cacheDir = path.join(__dirname, '..', 'node_modules', '.cache', 'cdk8s-api-reader-ts');
const sucraseVersion = require('sucrase/package.json').version;
let sucrase;

function transpile(source, filename) {
  sucrase = sucrase || require('sucrase');
  const { code, sourceMap } = sucrase.transform(source, {
    transforms: ['imports', 'typescript'],
    filePath: filename,
    sourceMapOptions: { compiledFilename: filename },
  });
  const map = Buffer.from(JSON.stringify(sourceMap)).toString('base64');
  return `${code}\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,${map}`;
}

function cachedTranspile(source, filename) {
  const key = crypto.createHash('sha256').update(`${sucraseVersion}\0${filename}\0${source}`).digest('hex');
  const file = path.join(cacheDir, `${key}.js`);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    const code = transpile(source, filename);
    try {
      fs.mkdirSync(cacheDir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, code);
      fs.renameSync(tmp, file); // atomic: a concurrent reader sees the whole file or none
    } catch {
      // A read-only cache only costs speed.
    }
    return code;
  }
}

require.extensions['.ts'] = function loadTypeScript(module, filename) {
  module._compile(cachedTranspile(fs.readFileSync(filename, 'utf8'), filename), filename);
};
