/**
 * Finding 9 of issue 13: the consumer pattern README teaches keeps dist/ when synth fails. It must
 * go through synthToDirectory (atomic) and runMain (a true message), with cdk8s's own output
 * pointed away from dist/; that path itself is tested in synth-output.test.ts and cdk8s-synth.test.ts.
 */
import * as fs from 'fs';
import * as path from 'path';

const README = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
// The consumer path: from its heading to the next second-level heading.
const start = README.indexOf('## Reuse the constructs');
const section = README.slice(start, README.indexOf('\n## ', start + 1));
const blocks = (lang: string) => [...section.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]);

describe("README's consumer pattern", () => {
  it('is a section of its own that holds the app', () => {
    expect(start).toBeGreaterThan(0);
    expect(section).toContain('<!-- consumer-app: main.ts -->');
  });

  it('synthesizes through runMain and synthToDirectory, never a bare app.synth()', () => {
    const [code] = blocks('ts');
    expect(code).toMatch(/runMain\(\(\) => synthToDirectory\(/);
    expect(code).not.toMatch(/\.synth\(\)/);
  });

  it("points cdk8s synth's own output away from dist/", () => {
    const [config] = blocks('yaml');
    expect(config).toMatch(/^output: \.cdk8s\.out$/m);
  });

  it('imports only names the package exports', () => {
    const [code] = blocks('ts');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const api = require('../../lib') as Record<string, unknown>;
    const names = /import \{([^}]*)\} from 'cdk8s-api-reader'/.exec(code)![1].split(',').map((n) => n.trim());
    for (const name of names) expect(api[name]).toBeDefined();
  });
});
