import { execFileSync } from 'child_process';
import * as fs from 'fs';
import { builtinModules } from 'module';
import * as path from 'path';
import * as ts from 'typescript';

// What the npm package declares and what its shipped code loads. The install a consumer pays for
// is `dependencies` (and the peers): each must be something the shipped code loads at run time.
const ROOT = path.join(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

function filesUnder(dir: string, ext: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p, ext) : e.name.endsWith(ext) ? [p] : [];
  });
}

/** The bare module specifiers a source file names, split into run-time loads and type-only ones. */
function specifiers(file: string): { runtime: string[]; typeOnly: string[] } {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const runtime: string[] = [];
  const typeOnly: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const onlyTypes = clause !== undefined && (clause.isTypeOnly
        || (clause.name === undefined && clause.namedBindings !== undefined && ts.isNamedImports(clause.namedBindings)
          && clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      (onlyTypes ? typeOnly : runtime).push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      (node.isTypeOnly ? typeOnly : runtime).push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require'
      && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0])) {
      runtime.push(node.arguments[0].text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      typeOnly.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { runtime, typeOnly };
}

/** `cdk8s` for `cdk8s/lib/_util`, `@scope/name` for `@scope/name/x`; undefined for relative paths and Node built-ins. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('node:') || builtinModules.includes(specifier)) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The packages the shipped sources (lib/ and imports/, which build/lib and build/imports come from) name. */
function shippedPackages(): { runtime: Set<string>; typeOnly: Set<string> } {
  const runtime = new Set<string>();
  const typeOnly = new Set<string>();
  for (const file of [...filesUnder(path.join(ROOT, 'lib'), '.ts'), ...filesUnder(path.join(ROOT, 'imports'), '.ts')]) {
    const found = specifiers(file);
    for (const s of found.runtime) { const p = packageOf(s); if (p !== undefined && p !== pkg.name) runtime.add(p); }
    for (const s of found.typeOnly) { const p = packageOf(s); if (p !== undefined && p !== pkg.name) typeOnly.add(p); }
  }
  return { runtime, typeOnly };
}

describe('the npm package', () => {
  test('every dependency is loaded by the shipped code at run time (no install weight for types or tools)', () => {
    const { runtime } = shippedPackages();
    const unused = Object.keys(pkg.dependencies ?? {}).filter((d) => !runtime.has(d));
    expect(unused).toEqual([]);
  });

  test('every package the shipped code or its declarations name is a dependency or a peer', () => {
    const { runtime, typeOnly } = shippedPackages();
    const declared = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]);
    expect([...runtime, ...typeOnly].filter((p) => !declared.has(p)).sort()).toEqual([]);
  });

  test('cdk8s-plus-27 (and the backport tool it pulls in) is a devDependency: the L1 copy in imports/ stands alone', () => {
    expect(pkg.dependencies?.['cdk8s-plus-27']).toBeUndefined();
    expect(pkg.peerDependencies?.['cdk8s-plus-27']).toBeUndefined();
    expect(pkg.devDependencies['cdk8s-plus-27']).toBeDefined();
    const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));
    expect(lock.packages['node_modules/backport'].dev).toBe(true);
    expect(lock.packages['node_modules/cdk8s-plus-27'].dev).toBe(true);
  });

  test('says its license (with the LICENSE file npm packs) and carries the keyword Construct Hub indexes', () => {
    expect(pkg.license).toBe('Apache-2.0');
    const license = fs.readFileSync(path.join(ROOT, 'LICENSE'), 'utf8');
    expect(license).toMatch(/^\s+Apache License\n\s+Version 2\.0, January 2004\n/);
    expect(license).toContain('END OF TERMS AND CONDITIONS');
    expect(license).toContain('APPENDIX: How to apply the Apache License to your work.');
    expect(pkg.keywords).toContain('cdk8s');
  });
});

describe('the examples', () => {
  const apps = filesUnder(path.join(ROOT, 'examples'), '.ts').filter((f) => !['index.ts', 'synth.ts'].includes(path.relative(path.join(ROOT, 'examples'), f)));

  test('import the library by its package name, so they can be copied into an app as they are', () => {
    expect(apps.length).toBeGreaterThanOrEqual(6);
    for (const file of apps) {
      const { runtime, typeOnly } = specifiers(file);
      const outside = [...runtime, ...typeOnly].filter((s) => s.startsWith('.') && !path.resolve(path.dirname(file), s).startsWith(path.dirname(file)));
      expect({ file: path.relative(ROOT, file), outside }).toEqual({ file: path.relative(ROOT, file), outside: [] });
      expect([...runtime, ...typeOnly]).toContain(pkg.name);
    }
  });

  test('npm run synth:examples resolves the package name to the sources of its exports, and nothing it does not export', () => {
    const script = [
      "const r = (s) => { try { return require('path').relative(process.cwd(), require.resolve(s)); } catch (e) { return e.code; } };",
      "console.log(JSON.stringify(['cdk8s-api-reader', 'cdk8s-api-reader/rbac', 'cdk8s-api-reader/testing/setup', 'cdk8s-api-reader/lib/private/names'].map(r)));",
    ].join('\n');
    const out = execFileSync(process.execPath, ['-r', './scripts/register-ts.js', '-r', './scripts/self-reference.js', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual(['lib/index.ts', 'lib/rbac/index.ts', 'lib/testing/setup.ts', 'ERR_PACKAGE_PATH_NOT_EXPORTED']);
  });
});
