import { Construct, IConstruct } from 'constructs';

/** Audit levels of `audit.k8s.io/v1` (https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/). */
export type AuditLevel = 'None' | 'Metadata' | 'Request' | 'RequestResponse';

/** One `audit.k8s.io/v1` PolicyRule, as written in the policy file. */
export interface AuditRule {
  /** The level for requests this rule matches. */
  readonly level: AuditLevel;
  /** Resources by group, e.g. `[{ group: '', resources: ['secrets'] }]`. @default - every resource */
  readonly resources?: ReadonlyArray<{ readonly group: string; readonly resources?: readonly string[] }>;
  /** Non-resource URL paths. @default - any */
  readonly nonResourceURLs?: readonly string[];
  /** Users the rule applies to. @default - every user */
  readonly users?: readonly string[];
  /** Verbs the rule applies to. @default - every verb */
  readonly verbs?: readonly string[];
  /** Stages not recorded for this rule. @default - the policy-wide omitStages */
  readonly omitStages?: readonly string[];
}

/** Options for {@link AuditPolicy}. */
export interface AuditPolicyProps {
  /**
   * The file name under `<outdir>/audit/`.
   * @default 'audit-policy.yaml'
   */
  readonly fileName?: string;
  /**
   * The level for everything the sensitive-resource rules do not match.
   * @default 'Metadata' (never request or response bodies)
   */
  readonly defaultLevel?: Exclude<AuditLevel, 'Request' | 'RequestResponse'>;
}

const AUDIT_POLICY_SYMBOL = Symbol.for('cdk8s-api-reader.AuditPolicy');
/** Every AuditPolicy by construct tree root, so synth finds them without walking the whole tree. */
const POLICIES_BY_ROOT = new WeakMap<IConstruct, AuditPolicy[]>();

/**
 * The API server's audit policy. It is a file for `--audit-policy-file`, not an API object,
 * so it is written to `<outdir>/audit/` where `kubectl apply -f dist/` (not recursive) never
 * sends it. Secrets, ConfigMaps, ServiceAccount tokens and token reviews are logged at
 * `Metadata` only: who did what, when, with which decision, never a body with a value.
 */
export class AuditPolicy extends Construct {
  /** True for an AuditPolicy, even from another installed copy of this library. */
  public static isAuditPolicy(x: unknown): x is AuditPolicy {
    return typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[AUDIT_POLICY_SYMBOL] === true;
  }

  /** Every AuditPolicy under `scope`, in the order they were created. */
  public static findAll(scope: IConstruct): AuditPolicy[] {
    const all = POLICIES_BY_ROOT.get(scope.node.root) ?? [];
    const prefix = scope.node.path === '' ? '' : `${scope.node.path}/`;
    return all.filter((policy) => prefix === '' || policy.node.path.startsWith(prefix) || policy.node.path === scope.node.path);
  }

  /** The file name under `<outdir>/audit/`. */
  public readonly fileName: string;
  /** The rules in evaluation order (the first match wins). */
  public readonly rules: readonly AuditRule[];

  public constructor(scope: Construct, id: string, props: AuditPolicyProps = {}) {
    super(scope, id);
    Object.defineProperty(this, AUDIT_POLICY_SYMBOL, { value: true });
    const registered = POLICIES_BY_ROOT.get(this.node.root) ?? [];
    registered.push(this);
    POLICIES_BY_ROOT.set(this.node.root, registered);
    this.fileName = props.fileName ?? 'audit-policy.yaml';
    this.rules = [
      // Health and version probes are noise, not access.
      { level: 'None', nonResourceURLs: ['/healthz*', '/livez*', '/readyz*', '/version'] },
      // Bodies of these would hold secret values or tokens: Metadata only, by design.
      {
        level: 'Metadata',
        resources: [
          { group: '', resources: ['secrets', 'configmaps', 'serviceaccounts', 'serviceaccounts/token'] },
          { group: 'authentication.k8s.io', resources: ['tokenreviews'] },
          { group: 'authorization.k8s.io', resources: ['subjectaccessreviews', 'selfsubjectaccessreviews'] },
        ],
      },
      { level: props.defaultLevel ?? 'Metadata' },
    ];
  }

  /** The policy document. */
  public toJson(): Record<string, unknown> {
    return {
      apiVersion: 'audit.k8s.io/v1',
      kind: 'Policy',
      omitStages: ['RequestReceived'],
      rules: this.rules,
    };
  }
}
