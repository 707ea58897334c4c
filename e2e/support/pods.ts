/**
 * Real pods: dist's reader pods, run on the cluster's node. On the local cluster no image can be
 * pulled, so the pods under test are dist's pod documents, byte for byte, with only the `image:`
 * and `imagePullPolicy:` lines replaced by the locally built reader image (imported into the
 * node's containerd, `Never` pulled). On an existing cluster they are dist's pods unchanged.
 */
import * as fs from 'fs';
import { kubectl } from './kube';
import { distFiles } from './manifests';
import { describeRun, RunResult, sleep } from './run';
import { clusterState } from './state';

/** One pod document of dist, and the document the tests apply. */
export interface PodUnderTest {
  readonly name: string;
  readonly namespace: string;
  /** The document's text exactly as in dist (between `---` separators). */
  readonly distText: string;
  /** The same text with only the image reference and imagePullPolicy lines replaced (local cluster). */
  readonly testText: string;
}

const IMAGE_LINE = /^(\s*)image: .*$/;
const PULL_LINE = /^(\s*)imagePullPolicy: .*$/;

/** Replaces the image and imagePullPolicy lines of one document; every other byte stays. */
export function withLocalImage(doc: string, image: string | undefined): string {
  if (!image) return doc;
  return doc
    .split('\n')
    .map((l) => l.replace(IMAGE_LINE, `$1image: ${image}`).replace(PULL_LINE, '$1imagePullPolicy: Never'))
    .join('\n');
}

/** dist's Pod documents (text), with the variant the tests apply. */
export function podsUnderTest(): PodUnderTest[] {
  const image = clusterState().node?.readerImage;
  const out: PodUnderTest[] = [];
  for (const file of distFiles()) {
    for (const doc of fs.readFileSync(file, 'utf8').split(/^---$/m)) {
      if (!/^kind: Pod$/m.test(doc)) continue;
      const name = /^ {2}name: (.+)$/m.exec(doc)?.[1] ?? '';
      const namespace = /^ {2}namespace: (.+)$/m.exec(doc)?.[1] ?? 'default';
      out.push({ name, namespace, distText: doc, testText: withLocalImage(doc, image) });
    }
  }
  return out;
}

/** A line diff of two texts with the same number of lines (as {@link withLocalImage} keeps): `-`/`+` pairs. */
export function changedLines(a: string, b: string): string[] {
  const al = a.split('\n');
  const bl = b.split('\n');
  if (al.length !== bl.length) return [`line count differs: ${al.length} vs ${bl.length}`];
  const out: string[] = [];
  al.forEach((l, i) => {
    if (l !== bl[i]) out.push(`@@ line ${i + 1}`, `-${l}`, `+${bl[i]}`);
  });
  return out;
}

/** Waits until `probe` returns a value, polling every 500 ms; throws with `describe()` on timeout. */
export async function poll<T>(what: string, probe: () => T | undefined, timeoutMs: number, describe: () => string = () => ''): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}\n${describe()}`);
    await sleep(500);
  }
}

/** `kubectl describe pod` and the pod's events, for failure messages. */
export function describePod(namespace: string, name: string): string {
  return kubectl(['describe', 'pod', name, '-n', namespace]).stdout.split('\n').slice(-40).join('\n');
}

/** Deletes a pod (if present) and waits until it is gone. */
export function deletePod(namespace: string, name: string): void {
  kubectl(['delete', 'pod', name, '-n', namespace, '--ignore-not-found', '--grace-period=1', '--wait=true', '--timeout=90s'], { timeoutMs: 100_000 });
}

/** Creates a pod from YAML/JSON text; throws with kubectl's answer on failure. */
export function createPod(text: string): RunResult {
  const r = kubectl(['create', '-f', '-'], { input: text });
  if (r.code !== 0) throw new Error(`kubectl create failed:\n${describeRun(r)}`);
  return r;
}

/** Waits for a pod phase (Running or Succeeded) and returns the pod's IP. */
export async function waitForPhase(namespace: string, name: string, phase: 'Running' | 'Succeeded', timeoutMs = 120_000): Promise<string> {
  return poll(
    `pod ${namespace}/${name} ${phase}`,
    () => {
      const r = kubectl(['get', 'pod', name, '-n', namespace, '-o', 'jsonpath={.status.phase} {.status.podIP}']);
      const [p, ip] = r.stdout.split(' ');
      if (p === 'Failed' && phase !== 'Succeeded') throw new Error(`pod ${namespace}/${name} Failed\n${describePod(namespace, name)}`);
      return p === phase ? (ip ?? '') : undefined;
    },
    timeoutMs,
    () => describePod(namespace, name),
  );
}

/** `kubectl logs` of a pod once it contains `marker`. */
export async function logsWith(namespace: string, name: string, marker: RegExp, timeoutMs = 60_000): Promise<string> {
  return poll(`\`kubectl logs -n ${namespace} ${name}\` to match ${marker}`, () => {
    const r = kubectl(['logs', '-n', namespace, name]);
    return r.code === 0 && marker.test(r.stdout) ? r.stdout : undefined;
  }, timeoutMs, () => describeRun(kubectl(['logs', '-n', namespace, name])));
}

/** `kubectl exec` in a pod's first container (no TTY, no stdin unless given). */
export function exec(namespace: string, name: string, command: readonly string[], input?: string): RunResult {
  return kubectl(['exec', ...(input === undefined ? [] : ['-i']), '-n', namespace, name, '--', ...command], { input, timeoutMs: 60_000 });
}

/** The claims of a JWT (payload only; the token itself is never returned or printed). */
export function jwtClaims(token: string): Record<string, unknown> {
  const payload = token.trim().split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}
