/**
 * Names that a controller generates and replaces: a rule listing them (`resourceNames`) breaks at
 * the next rollout or scale-up. Detected from the names alone, with the patterns the controllers
 * use: StatefulSet ordinals (`web-0`), a Deployment's ReplicaSets (`web-7c5ddbdf54`) and their pods
 * (`web-7c5ddbdf54-x2k9p`), CronJob jobs (`backup-28930560`) and `generateName` suffixes
 * (`job-x2k9p`). The random parts use Kubernetes' "safe" alphabet (no vowels, no 0, 1, 3).
 */

const SAFE = '[bcdfghjklmnpqrstvwxz2456789]';
const REPLICASET_POD = new RegExp(`^(.+)-${SAFE}{6,10}-${SAFE}{5}$`);
const REPLICASET = new RegExp(`^(.+)-${SAFE}{6,10}$`);
const CRONJOB = new RegExp(`^(.+)-\\d{8,}(-${SAFE}{5})?$`);
const GENERATED = new RegExp(`^(.+)-${SAFE}{5}$`);
const ORDINAL = /^(.+)-(\d+)$/;

/** Resources whose objects StatefulSets number: pods (and their subresources) and volume claims. */
const ORDINAL_RESOURCES: ReadonlySet<string> = new Set(['pods', 'persistentvolumeclaims']);

/**
 * The generated family `name` belongs to, as a phrase (e.g. `StatefulSet "web" ordinals`), or
 * `undefined` for a name that looks chosen by a person.
 * @param resource the resource the name is of (a subresource's parent resource)
 */
export function nameFamily(resource: string, name: string): string | undefined {
  let m: RegExpExecArray | null;
  if (resource === 'pods' && (m = REPLICASET_POD.exec(name))) return `pods of a Deployment "${m[1]}" ReplicaSet`;
  if ((m = CRONJOB.exec(name))) return `CronJob "${m[1]}" runs`;
  if (ORDINAL_RESOURCES.has(resource) && (m = ORDINAL.exec(name))) return `StatefulSet "${m[1]}" ordinals`;
  if ((resource === 'replicasets' || resource === 'controllerrevisions') && (m = REPLICASET.exec(name))) return `"${m[1]}" revisions (hash suffix)`;
  if ((m = GENERATED.exec(name))) return `generated names "${m[1]}-*"`;
  return undefined;
}
