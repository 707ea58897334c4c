// The offline evaluator on a synthesized directory, full matrix: every ServiceAccount found x
// verbs x resources x namespaces, where the namespaces are every tenant namespace plus one
// foreign namespace (`--scope own`: each ServiceAccount's own namespace plus the foreign one;
// `--scope all`: every namespace found plus the foreign one, for every ServiceAccount).
// Prints one JSON object on stdout.
// Usage: node build/bench/evaluate-matrix.js DIR [own|all]
import { authorize, loadPaths, RbacPolicy, serviceAccountUser } from '../lib/rbac';

const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
const RESOURCES: { resource: string; subresource?: string; name?: string }[] = [
  // Named, so a grant limited by resourceNames (the secret reader's) can apply.
  { resource: 'secrets', name: 'api-access-secret' },
  { resource: 'configmaps' },
  { resource: 'pods' },
  { resource: 'pods', subresource: 'log' },
  { resource: 'serviceaccounts', subresource: 'token' },
];
const FOREIGN_NAMESPACE = 'bench-foreign-namespace';

const dir = process.argv[2];
const scope = process.argv[3] ?? 'own';
if (!dir || (scope !== 'own' && scope !== 'all')) {
  process.stderr.write('usage: node build/bench/evaluate-matrix.js DIR [own|all]\n');
  process.exit(2);
}

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const t0 = process.hrtime.bigint();
const loaded = loadPaths([dir]);
const loadMs = ms(t0);
const t1 = process.hrtime.bigint();
const policy = RbacPolicy.fromLoadResult(loaded);
const policyMs = ms(t1);

const serviceAccounts: { namespace: string; name: string }[] = [];
const namespaces: string[] = [];
for (const { object } of loaded.objects) {
  if (object.kind === 'ServiceAccount') serviceAccounts.push({ namespace: String(object.metadata?.namespace), name: String(object.metadata?.name) });
  if (object.kind === 'Namespace') namespaces.push(String(object.metadata?.name));
}

let decisions = 0;
let allowed = 0;
let allowedOutsideOwnNamespace = 0;
const t2 = process.hrtime.bigint();
for (const sa of serviceAccounts) {
  const user = serviceAccountUser(sa.namespace, sa.name);
  const targets = scope === 'all' ? [...namespaces, FOREIGN_NAMESPACE] : [sa.namespace, FOREIGN_NAMESPACE];
  for (const namespace of targets) {
    for (const verb of VERBS) {
      for (const r of RESOURCES) {
        const d = authorize(policy, user, { verb, namespace, ...r });
        decisions++;
        if (d.allowed) {
          allowed++;
          if (namespace !== sa.namespace) allowedOutsideOwnNamespace++;
        }
      }
    }
  }
}
const matrixMs = ms(t2);

process.stdout.write(
  `${JSON.stringify({
    scope,
    files: loaded.files.length,
    objects_used: loaded.objects.length,
    service_accounts: serviceAccounts.length,
    namespaces: namespaces.length + 1,
    decisions,
    allowed,
    allowed_outside_own_namespace: allowedOutsideOwnNamespace,
    policy_problems: policy.problems.length,
    load_ms: Math.round(loadMs),
    policy_ms: Math.round(policyMs),
    matrix_ms: Math.round(matrixMs),
    us_per_decision: Number(((matrixMs * 1000) / decisions).toFixed(3)),
  })}\n`,
);
