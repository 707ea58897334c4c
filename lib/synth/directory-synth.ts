import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { synthAppLinearFiles } from './linear-synth';
import { synthTestHooks } from './private/test-hooks';
import { stringifyDocument } from './yaml-writer';
import { AuditPolicy } from '../audit-policy';

/** Options for {@link synthToDirectory}. */
export interface SynthToDirectoryOptions {
  /**
   * The output directory.
   * @default - `$CDK8S_OUTDIR` (set by `cdk8s synth -o DIR`), else `dist`
   */
  readonly outdir?: string;
}

/** The default output directory. */
export const DEFAULT_OUTDIR = 'dist';
/**
 * The scratch directory `cdk8s.yaml` names as the CLI's `output`. `cdk8s synth` deletes its
 * output directory before it runs the app, so pointing it at `dist/` would lose the previous
 * manifests whenever synth fails. When the CLI hands us this directory we write `dist/`
 * atomically instead and mirror the result here for the CLI's listing and validation plugins.
 */
export const CLI_SCRATCH_DIR = '.cdk8s.out';

/** The sub-directory of the output that holds audit policies (not applied by `kubectl apply -f dist/`). */
export const AUDIT_SUBDIR = 'audit';

/**
 * Builds and synthesizes an app so that the output directory changes only when everything
 * succeeded: the app is synthesized into a sibling staging directory (charts, then every
 * {@link AuditPolicy} into `audit/`), and only then swapped into place. A construct or
 * validation that throws leaves the previous output byte for byte as it was, and files from
 * an earlier synth that are no longer produced disappear.
 *
 * It refuses an output directory that is (or holds) the project or the app, or holds `.git` or
 * `package.json`, since synth replaces the whole directory. A swap interrupted by a kill is
 * repaired at the start of the next run, before anything else. Files holding Secret values are
 * written 0600 and listed in a `.gitignore` inside the output, wherever it goes.
 *
 * Run by `cdk8s synth` (whose listing names only its scratch copy in `.cdk8s.out/`, and which
 * shows only the app's stderr), it names on stderr the files it wrote to `dist/`.
 *
 * @param build adds the charts to the app
 * @param options where to write
 * @default options `{}`
 * @returns the output directory written
 * @throws Error when the build or synth fails; `runMain` then says whether the
 * previous output is known to be intact
 */
export function synthToDirectory(build: (app: App) => void, options: SynthToDirectoryOptions = {}): string {
  const requested = path.resolve(options.outdir ?? process.env.CDK8S_OUTDIR ?? DEFAULT_OUTDIR);
  const fromCli = options.outdir === undefined && requested === path.resolve(CLI_SCRATCH_DIR);
  const target = fromCli ? path.resolve(DEFAULT_OUTDIR) : requested;
  for (const dir of fromCli ? [requested, target] : [target]) refuseUnsafeOutdir(dir);
  repairInterruptedSwap(target);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const staging = fs.mkdtempSync(path.join(path.dirname(target), `${stagingPrefix(target)}`));
  try {
    const app = new App({ outdir: staging });
    build(app);
    const written = synthAppLinearFiles(app);
    writeAuditPolicies(app, staging);
    protectSecretFiles(staging, written);
    synthTestHooks.staged?.(staging);
    swapInto(staging, target);
  } catch (err) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw markKept(err, target);
  }
  if (fromCli) {
    fs.rmSync(requested, { recursive: true, force: true });
    fs.cpSync(target, requested, { recursive: true });
    process.stderr.write(writtenListing(target, requested));
  }
  return target;
}

const kept = new WeakMap<object, string>();

function markKept(err: unknown, target: string): unknown {
  if (typeof err === 'object' && err !== null && !(err instanceof SwapFailedError && !err.restored)) kept.set(err, target);
  return err;
}

/**
 * The output directory whose previous contents a failed {@link synthToDirectory} is known to have
 * left exactly as they were, or `undefined` when that is not known (the error did not come from
 * it, or a failed swap could not put the previous output back).
 * @param error what {@link synthToDirectory} threw
 */
export function previousOutputKept(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? kept.get(error) : undefined;
}

/** The swap of a finished synth into place failed. */
export class SwapFailedError extends Error {
  /**
   * @param message what failed and what state the output is in
   * @param restored whether the previous output is back in place
   */
  constructor(message: string, public readonly restored: boolean) {
    super(message);
    this.name = 'SwapFailedError';
    Object.setPrototypeOf(this, SwapFailedError.prototype);
  }
}

/**
 * What a synth run by `cdk8s synth` wrote, in the CLI's own listing style, e.g.
 * `Wrote dist/ (.cdk8s.out/ below is cdk8s's scratch copy of it):\n  - dist/app.k8s.yaml\n`.
 */
function writtenListing(target: string, scratch: string): string {
  const rel = (p: string) => path.relative(process.cwd(), p) || '.';
  const lines = filesUnder(target).map((f) => `  - ${rel(f)}\n`);
  return `Wrote ${rel(target)}/ (${rel(scratch)}/ below is cdk8s's scratch copy of it):\n${lines.join('')}`;
}

/** Every file under `dir`, sorted by path, sub-directories' files after the directory's own. */
function filesUnder(dir: string): string[] {
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return [
    ...entries.filter((e) => !e.isDirectory()).map((e) => path.join(dir, e.name)),
    ...entries.filter((e) => e.isDirectory()).flatMap((e) => filesUnder(path.join(dir, e.name))),
  ];
}

function stagingPrefix(target: string): string {
  return `.${path.basename(target)}.staging-`;
}

/** Whether `dir` is `p` or one of its ancestors. */
function holds(dir: string, p: string): boolean {
  const rel = path.relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * The path `p` names once every symlink in it is followed: the real path of its longest existing
 * ancestor, with the rest appended (the rest does not exist yet, so it holds no symlink).
 */
function realPath(p: string): string {
  const rest: string[] = [];
  let existing = path.resolve(p);
  for (;;) {
    try {
      return path.join(fs.realpathSync(existing), ...rest);
    } catch {
      const parent = path.dirname(existing);
      if (parent === existing) return path.resolve(p);
      rest.unshift(path.basename(existing));
      existing = parent;
    }
  }
}

/** Whether `dir` holds `p`, as written or once symlinks are followed (a link to the project's parent holds the project). */
function holdsReally(dir: string, p: string): boolean {
  return holds(dir, p) || holds(realPath(dir), realPath(p));
}

/**
 * Throws when `dir` must not be replaced by synth output: the filesystem root, the working
 * directory or one of its ancestors, a directory holding the running app, `.git` or `package.json`,
 * whether named directly or through a symlink.
 */
function refuseUnsafeOutdir(dir: string): void {
  const app = process.argv[1] ? path.resolve(process.argv[1]) : undefined;
  let reason: string | undefined;
  if (holdsReally(dir, process.cwd())) reason = 'it is the project directory, or holds it';
  else if (app !== undefined && holdsReally(dir, app)) reason = `it holds the app (${path.relative(process.cwd(), app)})`;
  else reason = ['.git', 'package.json'].filter((f) => fs.existsSync(path.join(dir, f))).map((f) => `it holds ${f}`)[0];
  if (reason !== undefined) {
    throw new Error(`Refusing to synthesize into ${dir}: ${reason}, and synth replaces the whole output directory. `
      + `Set outdir (or CDK8S_OUTDIR, or cdk8s synth -o) to a directory of its own, such as ${DEFAULT_OUTDIR}.`);
  }
}

/**
 * Cleans up after a run that was killed: when the output directory is missing but the previous
 * one is still beside it (a kill between the two renames of the swap), it is put back; every
 * other staging directory left beside the output (they may hold Secret values) is removed.
 */
function repairInterruptedSwap(target: string): void {
  const parent = path.dirname(target);
  if (!fs.existsSync(parent)) return;
  const prefix = stagingPrefix(target);
  const leftovers = fs.readdirSync(parent).filter((n) => n.startsWith(prefix)).map((n) => path.join(parent, n));
  const previous = leftovers.filter((p) => p.endsWith('.previous'))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  if (!fs.existsSync(target) && previous.length > 0) {
    fs.renameSync(previous[0], target);
    process.stderr.write(`Restored ${target} from ${path.basename(previous[0])}, left by a synth that was interrupted while swapping it in.\n`);
  }
  for (const p of leftovers) fs.rmSync(p, { recursive: true, force: true });
}

/** Kubernetes manifests of a Secret with values (`data` or `stringData`). */
function holdsSecretValues(text: string): boolean {
  return /^kind: Secret$/m.test(text) && /^(data|stringData):/m.test(text);
}

/** Name of the ignore file written next to files holding Secret values. */
export const SECRET_IGNORE_FILE = '.gitignore';

/**
 * Makes every output file that holds Secret values private (0600) and git-ignored wherever the
 * output goes: a `.gitignore` in the output lists them (and itself). The chart files the linear
 * synth wrote are checked from their text in memory; anything else is read back.
 */
function protectSecretFiles(dir: string, written: ReadonlyMap<string, string> | undefined): void {
  const textOf = (file: string) => written?.get(file) ?? fs.readFileSync(file, 'utf8');
  const secrets = fs.readdirSync(dir).filter((n) => n.endsWith('.yaml') && holdsSecretValues(textOf(path.join(dir, n))));
  if (secrets.length === 0) return;
  for (const n of secrets) fs.chmodSync(path.join(dir, n), 0o600);
  const lines = ['# Written by synth: these files hold Secret values; never commit them.', ...secrets.map((n) => `/${n}`), `/${SECRET_IGNORE_FILE}`];
  fs.writeFileSync(path.join(dir, SECRET_IGNORE_FILE), `${lines.join('\n')}\n`);
}

function writeAuditPolicies(app: App, outdir: string): void {
  // Many charts (one per tenant) may each carry the same policy: write each file once.
  const files = new Map<string, { json: string; policy: AuditPolicy }>();
  for (const policy of AuditPolicy.findAll(app)) {
    const json = JSON.stringify(policy.toJson());
    const existing = files.get(policy.fileName);
    if (existing !== undefined && existing.json !== json) {
      throw new Error(`[${policy.node.path}] Another audit policy is already written to ${AUDIT_SUBDIR}/${policy.fileName} with other rules. Give this one its own fileName.`);
    }
    files.set(policy.fileName, { json, policy });
  }
  if (files.size === 0) return;
  const dir = path.join(outdir, AUDIT_SUBDIR);
  fs.mkdirSync(dir, { recursive: true });
  for (const [fileName, { policy }] of files) {
    // The same bytes as cdk8s's Yaml.stringify, without waking the yaml library for one small file.
    fs.writeFileSync(path.join(dir, fileName), stringifyDocument(policy.toJson()));
  }
}

function swapInto(staging: string, target: string): void {
  // Keep the staging dir's permissions ordinary (mkdtemp creates it 0700).
  fs.chmodSync(staging, 0o755);
  if (!fs.existsSync(target)) {
    fs.renameSync(staging, target);
    return;
  }
  // Between these two renames there is no output directory; a kill there is repaired by the next
  // run (see repairInterruptedSwap), and a failure of the second rename puts the previous one back.
  const previous = `${staging}.previous`;
  fs.renameSync(target, previous);
  try {
    fs.renameSync(staging, target);
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    try {
      fs.renameSync(previous, target);
    } catch (restoreErr) {
      const again = (restoreErr as NodeJS.ErrnoException).code ?? (restoreErr as Error).message;
      throw new SwapFailedError(`Could not move the new output into ${target} (${why}), nor put the previous output back (${again}): `
        + `it is in ${previous}. Move it back to ${target}, or synth again (the next run restores it first).`, false);
    }
    throw new SwapFailedError(`Could not move the new output into ${target} (${why}); the previous output was put back. Check that ${target} and its parent are writable.`, true);
  }
  fs.rmSync(previous, { recursive: true, force: true });
}
