import * as fs from 'fs';
import * as path from 'path';
import { App, Yaml } from 'cdk8s';
import { synthAppLinear } from './linear-synth';
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
 * @param build adds the charts to the app
 * @param options where to write
 * @default options `{}`
 * @returns the output directory written
 */
export function synthToDirectory(build: (app: App) => void, options: SynthToDirectoryOptions = {}): string {
  const requested = path.resolve(options.outdir ?? process.env.CDK8S_OUTDIR ?? DEFAULT_OUTDIR);
  const fromCli = options.outdir === undefined && requested === path.resolve(CLI_SCRATCH_DIR);
  const target = fromCli ? path.resolve(DEFAULT_OUTDIR) : requested;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const staging = fs.mkdtempSync(path.join(path.dirname(target), `.${path.basename(target)}.staging-`));
  try {
    const app = new App({ outdir: staging });
    build(app);
    synthAppLinear(app);
    writeAuditPolicies(app, staging);
  } catch (err) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw err;
  }
  swapInto(staging, target);
  if (fromCli) {
    fs.rmSync(requested, { recursive: true, force: true });
    fs.cpSync(target, requested, { recursive: true });
  }
  return target;
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
    fs.writeFileSync(path.join(dir, fileName), Yaml.stringify(policy.toJson()));
  }
}

function swapInto(staging: string, target: string): void {
  // Keep the staging dir's permissions ordinary (mkdtemp creates it 0700).
  fs.chmodSync(staging, 0o755);
  if (!fs.existsSync(target)) {
    fs.renameSync(staging, target);
    return;
  }
  const previous = `${staging}.previous`;
  fs.renameSync(target, previous);
  fs.renameSync(staging, target);
  fs.rmSync(previous, { recursive: true, force: true });
}
