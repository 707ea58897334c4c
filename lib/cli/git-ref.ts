/**
 * `--base-ref REF`: the same manifest paths as they are in a git ref of the repository the
 * command runs in (`git ls-tree` and `git show`, never a checkout), read as `loadPaths` reads a
 * working tree: `.yaml`, `.yml` and `.json` files, directories recursively, hidden ones skipped.
 * Each object's source is `REF:PATH:LINE`, so an error names the side it came from.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { LoadResult, mergeLoadResults, parseManifests } from '../rbac';
import { CliInputError } from './errors';

const EXTENSIONS = ['.yaml', '.yml', '.json'];

function git(args: readonly string[], cwd: string, maxBuffer: number): { ok: boolean; stdout: string; stderr: string; tooLarge: boolean } {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer });
  const tooLarge = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOBUFS';
  if (r.error && !tooLarge) throw new CliInputError(`cannot run git (${r.error.message}); --base-ref needs git on the PATH.`);
  return { ok: r.status === 0, stdout: r.stdout ?? '', stderr: (r.stderr ?? '').trim(), tooLarge };
}

/** What a path is on the base side. */
export interface RefPaths {
  /** The objects read from the ref. */
  readonly load: LoadResult;
  /** The paths that do not exist in the ref (new in head: everything they grant is gained). */
  readonly newInHead: readonly string[];
}

/**
 * Reads `paths` (relative to `cwd`, as given on the command line) from `ref`.
 * @param maxBytes the largest file read
 * @throws CliInputError when `ref` is not a commit of the repository, `cwd` is not in one, or a file is over `maxBytes`
 */
export function loadFromGitRef(ref: string, paths: readonly string[], cwd: string, maxBytes: number): RefPaths {
  if (ref.startsWith('-')) throw new CliInputError(`--base-ref ${JSON.stringify(ref)} is not a git ref; name a branch, tag or commit, e.g. origin/main.`);
  const verify = git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], cwd, 1 << 20);
  if (!verify.ok) {
    const inRepo = git(['rev-parse', '--git-dir'], cwd, 1 << 20).ok;
    throw new CliInputError(inRepo
      ? `git ref ${JSON.stringify(ref)} does not exist in this repository; fetch it first (in GitHub Actions: actions/checkout with fetch-depth: 0) or name an existing branch, tag or commit.`
      : `--base-ref needs a git repository, and ${JSON.stringify(cwd)} is not in one; run the command inside the repository, or give BASE and HEAD paths instead.`);
  }
  const commit = verify.stdout.trim();
  const parts: LoadResult[] = [];
  const newInHead: string[] = [];
  for (const p of paths) {
    const listed = git(['ls-tree', '-r', '-z', '--full-name', '--name-only', commit, '--', p], cwd, 64 << 20);
    if (!listed.ok) throw new CliInputError(`cannot list ${JSON.stringify(p)} in ${ref}: ${listed.stderr}`);
    const prefix = git(['rev-parse', '--show-prefix'], cwd, 1 << 20).stdout.trim();
    const files = listed.stdout.split('\0').filter((f) => f !== '')
      .filter((f) => EXTENSIONS.includes(path.extname(f).toLowerCase()))
      .filter((f) => !path.relative(prefix, f).split('/').some((seg) => seg.startsWith('.') && seg !== '.' && seg !== '..'))
      .sort();
    if (files.length === 0) {
      if (!fs.existsSync(path.resolve(cwd, p))) throw new CliInputError(`${JSON.stringify(p)} exists neither in ${ref} nor in the working tree; check the path.`);
      newInHead.push(p);
      continue;
    }
    for (const f of files) {
      const shown = git(['show', `${commit}:${f}`], cwd, maxBytes + 1);
      if (shown.tooLarge || Buffer.byteLength(shown.stdout) > maxBytes) {
        throw new CliInputError(`${ref}:${f} is over the limit of ${maxBytes} bytes; raise the limit (--max-manifest-bytes).`);
      }
      if (!shown.ok) throw new CliInputError(`cannot read ${ref}:${f}: ${shown.stderr}`);
      const ext = path.extname(f).toLowerCase();
      parts.push(parseManifests(shown.stdout, `${ref}:${path.relative(prefix, f) || f}`, ext === '.json' ? 'json' : 'yaml'));
    }
  }
  return { load: mergeLoadResults(parts), newInHead };
}
