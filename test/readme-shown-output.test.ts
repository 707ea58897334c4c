/**
 * README shows what the commands print now, and renders as it reads: every `$ npx api-reader ...`
 * line of a console block is run with the built CLI and must print exactly the lines shown under it
 * (and exit as its `# exit N` comment says); the Mermaid graph is `graph -f dist/`'s output; the
 * command table is one GitHub table listing every command of `api-reader --help`; every link and
 * anchor resolves, and a link to a file the package does not ship says it is in the repository.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MAIN, ROOT, assertBuilt, runInProcess } from './cli/cli';

const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** The fenced blocks of a markdown text, with their info string. */
function fencedBlocks(text: string): Array<{ lang: string; body: string }> {
  return [...text.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1], body: m[2] }));
}

/** GitHub's heading anchor: lower case, punctuation other than `-` and `_` dropped, spaces to `-`. */
function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

function anchors(markdown: string): Set<string> {
  const outside = markdown.replace(/^```[\s\S]*?^```$/gm, '');
  return new Set([...outside.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1])));
}

interface Shown {
  readonly command: string;
  readonly output: string;
  readonly exit: number;
}

/** The `$ npx api-reader` commands of README's console blocks, the files `$ cat` shows, and what each prints. */
function shownCommands(): { files: Map<string, string>; commands: Shown[] } {
  const files = new Map<string, string>();
  const commands: Shown[] = [];
  for (const block of fencedBlocks(README).filter((b) => b.lang === 'console')) {
    const steps = block.body.split(/^\$ /m).slice(1);
    for (const step of steps) {
      const [line, ...rest] = step.split('\n');
      const output = rest.join('\n');
      const cat = /^cat (\S+)$/.exec(line);
      if (cat) files.set(cat[1], output);
      const cli = /^npx api-reader (.*?)\s*(?:#(.*))?$/.exec(line);
      if (!cli) continue;
      const exit = /exit (\d)/.exec(cli[2] ?? '');
      commands.push({ command: cli[1], output, exit: exit ? Number(exit[1]) : 0 });
    }
  }
  return { files, commands };
}

describe("README's shown output", () => {
  const { files, commands } = shownCommands();
  let dir: string;

  beforeAll(() => {
    assertBuilt();
    // The commands run where README's relative paths resolve: dist/ and test/ of the repository,
    // and the files README shows with `$ cat`.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-shown-'));
    for (const name of ['dist', 'test']) fs.symlinkSync(path.join(ROOT, name), path.join(dir, name));
    for (const [name, text] of files) fs.writeFileSync(path.join(dir, name), text);
  });

  it('shows can-i, who-can, escalations and audit runs', () => {
    for (const c of ['can-i', 'who-can', 'escalations', 'audit']) expect(commands.map((s) => s.command.split(' ')[0])).toContain(c);
  });

  it.each(shownCommands().commands.map((s) => [s.command, s] as const))('npx api-reader %s prints what README shows', (_, shown) => {
    const env = { ...process.env };
    delete env.NO_COLOR;
    const r = spawnSync('bash', ['-c', `node ${JSON.stringify(MAIN)} ${shown.command}`], { cwd: dir, env, encoding: 'utf8' });
    expect({ output: r.stdout + r.stderr, exit: r.status }).toEqual({ output: shown.output, exit: shown.exit });
  });

  it('shows the graph of dist/ as `graph -f dist/` prints it', () => {
    const mermaid = fencedBlocks(README).filter((b) => b.lang === 'mermaid');
    expect(mermaid).toHaveLength(1);
    const r = spawnSync(process.execPath, [MAIN, 'graph', '-f', 'dist/'], { cwd: ROOT, encoding: 'utf8' });
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(mermaid[0].body).toBe(r.stdout);
  });
});

describe("README's command table", () => {
  const lines = README.split('\n');
  const header = lines.indexOf('| command | what it answers |');

  it('is one table GitHub renders: a blank line, the header, the delimiter, then only rows', () => {
    expect(header).toBeGreaterThan(0);
    expect(lines[header - 1]).toBe('');
    expect(lines[header + 1]).toBe('|---|---|');
    const end = lines.indexOf('', header);
    expect(lines.slice(header + 2, end).every((l) => /^\| `.+` \| .+ \|$/.test(l))).toBe(true);
  });

  it('is, like every table of README, never a row GitHub would read as text (each table starts with a header)', () => {
    const text = README.replace(/^```[\s\S]*?^```$/gm, (block) => block.replace(/[^\n]/g, ''));
    const rows = text.split('\n');
    const orphans = rows.filter((l, i) => l.startsWith('|') && !rows[i - 1].startsWith('|') && !(rows[i - 1] === '' && /^\|[-:| ]+\|$/.test(rows[i + 1])));
    expect(orphans).toEqual([]);
  });

  it('lists every command of api-reader --help', async () => {
    const help = (await runInProcess(['--help'])).stdout;
    const listed = help.slice(help.indexOf('Commands:'), help.indexOf('\n\n', help.indexOf('Commands:')));
    const names = [...listed.matchAll(/^ {2}(\S+(?: serve)?) {2,}/gm)].map((m) => m[1]);
    expect(names).toEqual(expect.arrayContaining(['can-i', 'who-can', 'matrix', 'graph', 'escalations', 'audit', 'audit serve']));
    const rows = lines.slice(header + 2, lines.indexOf('', header)).map((l) => /^\| `([^`]*)`/.exec(l)![1]);
    for (const name of names) expect([name, rows.some((r) => r === name || r.startsWith(`${name} `))]).toEqual([name, true]);
  });
});

describe("README's links", () => {
  const outsideCode = README.replace(/^```[\s\S]*?^```$/gm, '');
  const links = [...outsideCode.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => ({ target: m[1], at: m.index! }));

  it('point to headings that exist', () => {
    const own = anchors(README);
    const missing = links.filter((l) => l.target.startsWith('#') && !own.has(l.target.slice(1)));
    expect(missing.map((l) => l.target)).toEqual([]);
  });

  it('point to files of the repository, and to headings that exist in them', () => {
    const relative = links.filter((l) => !l.target.startsWith('#') && !/^[a-z]+:/.test(l.target));
    expect(relative.length).toBeGreaterThan(0);
    for (const { target } of relative) {
      const [file, anchor] = target.split('#');
      expect([target, fs.existsSync(path.join(ROOT, file))]).toEqual([target, true]);
      if (anchor) expect([target, anchors(fs.readFileSync(path.join(ROOT, file), 'utf8')).has(anchor)]).toEqual([target, true]);
    }
  });

  it('say "in the repository" where the package does not ship the file (it ships build/ and README.md)', () => {
    const unshipped = links.filter((l) => !l.target.startsWith('#') && !/^[a-z]+:/.test(l.target) && !l.target.startsWith('build/'));
    const unlabelled = unshipped.filter((l) => !/in the\s+repository/.test(outsideCode.slice(Math.max(0, l.at - 120), l.at)));
    expect(unlabelled.map((l) => l.target)).toEqual([]);
  });
});
