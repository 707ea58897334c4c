import * as fs from 'fs';
import { App } from 'cdk8s';
import { dns1123LabelProblems, dns1123SubdomainProblems } from '../private/names';
import { ApiReaderWalkthrough } from '../walkthrough-chart';

/** One tenant: a namespace with its own readers, grants and reader pods. */
export interface TenantConfig {
  /** The tenant's name, used as its namespace, chart id and output file name (a DNS-1123 label). */
  readonly name: string;
  /**
   * The Secret its secret reader may `get`.
   * @default 'api-access-secret'
   */
  readonly secretName?: string;
  /**
   * CIDR of the API server endpoints for the readers' egress policy.
   * @default '0.0.0.0/0'
   */
  readonly apiServerCidr?: string;
  /**
   * Lifetime of the readers' projected tokens.
   * @default 3600
   */
  readonly tokenExpirationSeconds?: number;
}

/** The tenants file: `tenants: [{ name: team-a }, ...]`. */
export interface TenantsFile {
  /** Every tenant, in output order. */
  readonly tenants: readonly TenantConfig[];
}

/**
 * Adds one walkthrough chart per tenant to `app`: chart id and namespace are the tenant's name,
 * ClusterRoles are prefixed `<tenant>-` so tenants never share one. Synthesized with
 * {@link synthToDirectory}, each tenant lands in its own `<tenant>.k8s.yaml`, in time linear in
 * the number of tenants.
 *
 * @param app the app to add to
 * @param tenants the tenants
 * @returns the tenant charts, in order
 */
export function addTenants(app: App, tenants: readonly TenantConfig[]): ApiReaderWalkthrough[] {
  return tenants.map(
    (tenant) =>
      new ApiReaderWalkthrough(app, tenant.name, {
        namespace: tenant.name,
        secretName: tenant.secretName,
        apiServerCidr: tenant.apiServerCidr,
        tokenExpirationSeconds: tenant.tokenExpirationSeconds,
        clusterRoleNamePrefix: `${tenant.name}-`,
      }),
  );
}

const TENANT_KEYS = new Set(['name', 'secretName', 'apiServerCidr', 'tokenExpirationSeconds']);

/**
 * Namespaces a tenant must not be given unless the caller allows it by name: the cluster's own
 * (`kube-system`, `kube-public`, `kube-node-lease`) and `default`, where restricting Pod Security
 * or adding readers would change what everybody else runs.
 */
export const RESERVED_NAMESPACES: readonly string[] = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** Options for {@link loadTenantsFile}. */
export interface LoadTenantsOptions {
  /**
   * Reserved namespaces ({@link RESERVED_NAMESPACES}) that may still be tenants.
   * @default - none
   */
  readonly allowReservedNamespaces?: readonly string[];
}

/** A tenants file that cannot be used: every problem, each naming the file and the entry. */
export class TenantsFileError extends Error {
  /**
   * @param file the tenants file
   * @param problems one sentence per problem, each starting with the file (and entry)
   */
  constructor(public readonly file: string, public readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'TenantsFileError';
    Object.setPrototypeOf(this, TenantsFileError.prototype);
  }
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'a map' : `the ${typeof value} ${JSON.stringify(value)}`;
}

function readTenants(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new TenantsFileError(file, [`${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)}). Check the path.`]);
  }
  // The yaml library is loaded on first use: cdk8s bundles its own copy, so loading ours with this
  // module would parse a second YAML library in every synth that reads no tenants file.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { LineCounter, parseDocument } = require('yaml') as typeof import('yaml');
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    const pos = lineCounter.linePos(err.pos[0]);
    throw new TenantsFileError(file, [`${file}:${pos.line}:${pos.col}: invalid YAML: ${err.message.split('\n')[0]}. Fix the syntax.`]);
  }
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new TenantsFileError(file, [`${file}: cannot expand the YAML (${(e as Error).message}). Remove the aliases (*name).`]);
  }
}

function tenantProblems(where: string, tenant: Record<string, unknown>, allowed: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(tenant)) {
    if (!TENANT_KEYS.has(key)) problems.push(`${where} has an unknown key "${key}". Use only ${[...TENANT_KEYS].join(', ')}.`);
  }
  const name = tenant.name;
  if (typeof name !== 'string') {
    problems.push(`${where}: the tenant name must be a string, not ${describe(name)}. Write it as name: "team-a" (quoted if it looks like a number).`);
  } else {
    problems.push(...dns1123LabelProblems('tenant name', name).map((p) => `${where}: ${p}`));
    if (RESERVED_NAMESPACES.includes(name) && !allowed.has(name)) {
      problems.push(`${where}: "${name}" is a reserved namespace; a tenant there would restrict Pod Security for everything else in it. Pick a namespace of its own, or allow it explicitly (allowReservedNamespaces: ['${name}']).`);
    }
  }
  const secretName = tenant.secretName;
  if (secretName !== undefined) {
    if (typeof secretName !== 'string') problems.push(`${where}: secretName must be a string, not ${describe(secretName)}.`);
    else problems.push(...dns1123SubdomainProblems('secret name', secretName).map((p) => `${where}: ${p}`));
  }
  if (tenant.apiServerCidr !== undefined && typeof tenant.apiServerCidr !== 'string') {
    problems.push(`${where}: apiServerCidr must be a string such as "10.0.0.1/32", not ${describe(tenant.apiServerCidr)}.`);
  }
  const expiry = tenant.tokenExpirationSeconds;
  if (expiry !== undefined && !Number.isInteger(expiry)) {
    problems.push(`${where}: tokenExpirationSeconds must be a whole number of seconds, not ${describe(expiry)}.`);
  }
  return problems;
}

/**
 * Reads and checks a tenants file (YAML or JSON). Problems name the file and the tenant's
 * position, and are all reported at once: a name or `secretName` that is not a Kubernetes name (or
 * not a string), a reserved namespace not allowed in `options`, an unknown key, a duplicate, an
 * empty list (which would synthesize nothing), and YAML that does not parse (with file:line).
 *
 * @param file the path of the tenants file
 * @param options what else to allow
 * @default options `{}`
 * @throws TenantsFileError listing every problem
 */
export function loadTenantsFile(file: string, options: LoadTenantsOptions = {}): TenantConfig[] {
  const parsed = readTenants(file);
  const tenants = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Partial<TenantsFile>).tenants : undefined;
  if (!Array.isArray(tenants)) {
    throw new TenantsFileError(file, [`${file}: expected a top-level "tenants:" list. Write tenants:\n  - name: team-a`]);
  }
  if (tenants.length === 0) {
    throw new TenantsFileError(file, [`${file}: the "tenants:" list is empty, which would synthesize nothing. List at least one tenant (- name: team-a).`]);
  }
  const allowed = new Set(options.allowReservedNamespaces ?? []);
  const problems: string[] = [];
  const seen = new Set<string>();
  tenants.forEach((tenant: unknown, index: number) => {
    const where = `${file}: tenants[${index}]`;
    if (typeof tenant !== 'object' || tenant === null || Array.isArray(tenant)) {
      problems.push(`${where} is ${describe(tenant)}, not a map. Write it as "- name: <tenant>".`);
      return;
    }
    const entry = tenant as Record<string, unknown>;
    problems.push(...tenantProblems(where, entry, allowed));
    if (typeof entry.name === 'string') {
      if (seen.has(entry.name)) problems.push(`${where}: the tenant "${entry.name}" is listed twice. Give each tenant its own name.`);
      seen.add(entry.name);
    }
  });
  if (problems.length > 0) throw new TenantsFileError(file, problems);
  return tenants as TenantConfig[];
}
