/**
 * Items 15 to 17 of issue 24: what synth is given must not turn into a deleted project or a
 * manifest the API server refuses. The output-directory check compares real paths (a symlink to
 * the directory holding the project is refused); an API server CIDR the NetworkPolicy API refuses
 * (`10.0.0.1/33`, `999.1.1.1/32`) fails the synth, since `kubectl apply -f dist/` would otherwise
 * start the pods without their egress restriction; a credentials file key a Secret cannot hold
 * (`a/b`, `bad key`, `"q"`) is refused with its file:line, and `__proto__` is refused, never dropped.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import {
  ApiReaderWalkthrough, CredentialsSecret, CredentialsSource, ReaderNetworkPolicy, synthToDirectory,
} from '../../lib';
import { inDirectory } from '../support/outdir';

const walkthrough = (app: App) => new ApiReaderWalkthrough(app, 'api-reader');

describe('item 15: the output directory is compared by its real path', () => {
  /** tmp/parent/project (the working directory, with package.json) and tmp/link -> tmp/parent. */
  function project(): { root: string; parent: string; link: string; projectDir: string } {
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'api-reader-symlink-')));
    const parent = path.join(root, 'parent');
    const projectDir = path.join(parent, 'project');
    fs.mkdirSync(projectDir, { recursive: true });
    fs.writeFileSync(path.join(projectDir, 'package.json'), '{}\n');
    fs.writeFileSync(path.join(parent, 'keep.txt'), 'keep\n');
    const link = path.join(root, 'link');
    fs.symlinkSync(parent, link, 'dir');
    return { root, parent, link, projectDir };
  }

  it.each([
    ['outdir', (link: string) => synthToDirectory(walkthrough, { outdir: link })],
    ['CDK8S_OUTDIR', (link: string) => {
      process.env.CDK8S_OUTDIR = link;
      try {
        return synthToDirectory(walkthrough);
      } finally {
        delete process.env.CDK8S_OUTDIR;
      }
    }],
    ['a path through the symlink to a directory beside the project', (link: string) => synthToDirectory(walkthrough, { outdir: path.join(link, 'project', '..') })],
  ])('%s through a symlink to the directory holding the project is refused, and nothing changes', (_name, attempt) => {
    const p = project();
    try {
      expect(() => inDirectory(p.projectDir, () => attempt(p.link))).toThrow(/Refusing to synthesize into .*link.*: it is the project directory, or holds it/);
      expect(fs.lstatSync(p.link).isSymbolicLink()).toBe(true);
      expect(fs.readdirSync(p.parent).sort()).toEqual(['keep.txt', 'project']);
      expect(fs.readdirSync(p.root).sort()).toEqual(['link', 'parent']);
    } finally {
      fs.rmSync(p.root, { recursive: true, force: true });
    }
  });

  it('a symlink to a directory of its own is still fine', () => {
    const p = project();
    try {
      const own = path.join(p.root, 'own-dist');
      fs.mkdirSync(own);
      const link = path.join(p.root, 'dist-link');
      fs.symlinkSync(own, link, 'dir');
      expect(inDirectory(p.projectDir, () => synthToDirectory(walkthrough, { outdir: link }))).toBe(link);
      expect(fs.readdirSync(link)).toContain('api-reader.k8s.yaml');
    } finally {
      fs.rmSync(p.root, { recursive: true, force: true });
    }
  });
});

describe('item 16: the API server CIDR is one the NetworkPolicy API accepts', () => {
  function problems(cidr: string): string[] {
    const chart = new Chart(Testing.app(), 'c');
    new ReaderNetworkPolicy(chart, 'np', { namespace: { name: 'reader' }, apiServerCidr: cidr });
    return chart.node.findAll().flatMap((c) => c.node.validate());
  }

  it.each(['10.0.0.1/33', '999.1.1.1/32', '10.0.0.256/32', '10.0.0/8', '10.0.0.1/-1', '10.0.0.1', '::1/129', '1:2:3/64', '2001:db8::g/64', ' 10.0.0.1/32', '010.0.0.1/32'])(
    'refuses %j at synth', (cidr) => {
      expect(problems(cidr)).toEqual([expect.stringMatching(new RegExp(`apiServerCidr ${JSON.stringify(cidr).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not a CIDR.*e\\.g\\. 10\\.0\\.0\\.1/32`))]);
    },
  );

  it.each(['10.0.0.1/32', '0.0.0.0/0', '192.168.1.0/24', '2001:db8::/64', '::/0', 'fd00::1/128', '::ffff:10.0.0.1/128'])('accepts %j', (cidr) => {
    expect(problems(cidr)).toEqual([]);
  });

  it('API_READER_API_SERVER_CIDR=10.0.0.1/33 fails the walkthrough synth and writes nothing', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'api-reader-cidr-'));
    try {
      const out = path.join(root, 'dist');
      expect(() => synthToDirectory((app) => new ApiReaderWalkthrough(app, 'api-reader', { apiServerCidr: '10.0.0.1/33' }), { outdir: out }))
        .toThrow(/apiServerCidr "10\.0\.0\.1\/33" is not a CIDR/);
      expect(fs.existsSync(out)).toBe(false);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('item 17: credentials file keys a Secret cannot hold', () => {
  function resolveFile(text: string) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'api-reader-creds-'));
    const file = path.join(dir, 'creds.env');
    fs.writeFileSync(file, text, { mode: 0o600 });
    try {
      return { file, resolved: CredentialsSource.fromEnvFile(file).resolve() };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  it.each([
    ['a/b', 'a/b=value-1'],
    ['a space', 'bad key=value-2'],
    ['quotes', '"q"=value-3'],
    ['"."', '.=value-4'],
    ['"..x"', '..x=value-5'],
    ['254 characters', `${'k'.repeat(254)}=value-6`],
  ])('refuses a key with %s, naming its line and never its value', (_name, line) => {
    const { file, resolved } = resolveFile(`# credentials\nusername=reader\n${line}\n`);
    expect(resolved.values).toEqual({});
    expect(resolved.problems).toEqual([expect.stringMatching(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: .*not a valid Secret key.*letters, digits, "-", "_" or "\\."`))]);
    expect(resolved.problems.join('\n')).not.toMatch(/value-\d/);
  });

  it('refuses __proto__ with its line instead of dropping it', () => {
    const { file, resolved } = resolveFile('username=reader\n__proto__=value-7\npassword=secret\n');
    expect(resolved.values).toEqual({});
    expect(resolved.problems).toEqual([expect.stringMatching(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: the key "__proto__"`))]);
  });

  it('keeps every valid key (dots, dashes, underscores)', () => {
    const { resolved } = resolveFile('user.name=a\n_pass-word=b\nTLS_CRT=c\n');
    expect([resolved.problems, Object.keys(resolved.values).sort()]).toEqual([[], ['TLS_CRT', '_pass-word', 'user.name']]);
  });

  it('a source of its own with such keys fails the Secret\'s validation, naming the key, never the value', () => {
    const chart = new Chart(Testing.app(), 'c');
    const source = new (class extends CredentialsSource {
      public resolve() {
        return { values: JSON.parse('{"ok":"value-8","a/b":"value-9","__proto__":"value-10"}') as Record<string, string>, problems: [], isDemo: false };
      }
    })();
    new CredentialsSecret(chart, 'creds', { name: 'creds', namespace: { name: 'dev' }, source });
    const errors = chart.node.findAll().flatMap((c) => c.node.validate());
    expect(errors).toEqual([
      expect.stringMatching(/key "a\/b" is not a valid Secret key/),
      expect.stringMatching(/key "__proto__"/),
    ]);
    expect(errors.join('\n')).not.toMatch(/value-\d/);
  });
});
