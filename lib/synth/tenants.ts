import * as fs from 'fs';
import { App } from 'cdk8s';
import { parse } from 'yaml';
import { dns1123LabelProblems } from '../private/names';
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
 * Reads and checks a tenants file (YAML or JSON). Problems name the file and the tenant's
 * position, and are all reported at once.
 *
 * @param file the path of the tenants file
 */
export function loadTenantsFile(file: string): TenantConfig[] {
  const parsed: unknown = parse(fs.readFileSync(file, 'utf8'));
  const tenants = (parsed as Partial<TenantsFile> | null)?.tenants;
  if (!Array.isArray(tenants)) {
    throw new Error(`${file}: expected a top-level "tenants:" list. Write tenants:\\n  - name: team-a`);
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  tenants.forEach((tenant: Record<string, unknown>, index: number) => {
    const where = `${file}: tenants[${index}]`;
    if (typeof tenant !== 'object' || tenant === null) {
      problems.push(`${where} is not a map. Write it as "- name: <tenant>".`);
      return;
    }
    for (const key of Object.keys(tenant)) {
      if (!TENANT_KEYS.has(key)) problems.push(`${where} has an unknown key "${key}". Use only ${[...TENANT_KEYS].join(', ')}.`);
    }
    const name = String(tenant.name ?? '');
    problems.push(...dns1123LabelProblems('tenant name', name).map((p) => `${where}: ${p}`));
    if (seen.has(name)) problems.push(`${where}: the tenant "${name}" is listed twice. Give each tenant its own name.`);
    seen.add(name);
  });
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return tenants as TenantConfig[];
}
