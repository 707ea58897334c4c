import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { AuditPolicy } from './audit-policy';
import { CredentialsSecret, ISecretRef } from './credentials-secret';
import { Grant } from './grant';
import { ReaderIdentity } from './reader-identity';
import { ReaderNetworkPolicy } from './reader-network-policy';
import { ReaderPod } from './reader-pod';
import { ReaderScript } from './reader-script';
import { RestrictedNamespace } from './restricted-namespace';

/** Options for {@link ApiReaderWalkthrough}. */
export interface ApiReaderWalkthroughProps {
  /**
   * The namespace everything lives in.
   * @default 'dev'
   */
  readonly namespace?: string;
  /**
   * The Secret the readers try to read. The chart only references it by name; create it with
   * `kubectl create secret generic` or add a {@link CredentialsSecret} in a separate chart.
   * @default 'api-access-secret'
   */
  readonly secretName?: string;
  /**
   * The reader pods' image.
   * @default DEFAULT_READER_IMAGE
   */
  readonly image?: string;
  /**
   * Lifetime of the readers' projected tokens.
   * @default 3600
   */
  readonly tokenExpirationSeconds?: number;
  /**
   * Audience of the readers' projected tokens.
   * @default - none: the API server's own audience
   */
  readonly tokenAudience?: string;
  /**
   * CIDR of the API server endpoints for the readers' egress policy.
   * @default '0.0.0.0/0'
   */
  readonly apiServerCidr?: string;
  /**
   * Prefix of the two ClusterRole names, which are cluster-wide and so must differ between
   * several copies of this chart (one per tenant).
   * @default '' (the walkthrough's names `secret-access-cr` and `no-access-cr`)
   */
  readonly clusterRoleNamePrefix?: string;
}

/**
 * The service-account walkthrough, hardened: namespace `dev` (Pod Security "restricted"),
 * readers `secret-access-sa` (may `get` the one Secret) and `no-access-sa` (may do nothing),
 * their ClusterRoles bound only inside the namespace, the reader script, two reader pods,
 * a NetworkPolicy, and the audit policy. Object names are the original guide's.
 */
export class ApiReaderWalkthrough extends Chart {
  /** The namespace. */
  public readonly readerNamespace: RestrictedNamespace;
  /** The Secret the readers try to read. */
  public readonly secret: ISecretRef;
  /** The reader allowed to read the Secret. */
  public readonly secretReader: ReaderIdentity;
  /** The reader allowed nothing. */
  public readonly noAccessReader: ReaderIdentity;
  /** The one grant of the walkthrough: `get` on the Secret, by name, in the namespace. */
  public readonly secretGrant: Grant;
  /** The audit policy written to `<outdir>/audit/`. */
  public readonly auditPolicy: AuditPolicy;

  public constructor(scope: Construct, id: string, props: ApiReaderWalkthroughProps = {}) {
    super(scope, id);
    this.readerNamespace = new RestrictedNamespace(this, 'Namespace', { name: props.namespace ?? 'dev' });
    this.secret = CredentialsSecret.fromExistingSecretName(props.secretName ?? 'api-access-secret', this.readerNamespace.name);

    const prefix = props.clusterRoleNamePrefix ?? '';
    this.secretReader = new ReaderIdentity(this, 'SecretAccess', {
      namespace: this.readerNamespace,
      serviceAccountName: 'secret-access-sa',
      clusterRoleName: `${prefix}secret-access-cr`,
    });
    this.noAccessReader = new ReaderIdentity(this, 'NoAccess', {
      namespace: this.readerNamespace,
      serviceAccountName: 'no-access-sa',
      clusterRoleName: `${prefix}no-access-cr`,
      keepEmptyRole: true,
    });
    this.secretGrant = this.secretReader.grantRead(this.secret);

    const script = new ReaderScript(this, 'Script', { namespace: this.readerNamespace });
    const podOptions = {
      script,
      secret: this.secret,
      image: props.image,
      tokenExpirationSeconds: props.tokenExpirationSeconds,
      tokenAudience: props.tokenAudience,
    };
    new ReaderPod(this, 'SecretAccessPod', { ...podOptions, name: 'secret-access-pod', identity: this.secretReader });
    new ReaderPod(this, 'NoAccessPod', { ...podOptions, name: 'no-access-pod', identity: this.noAccessReader });
    new ReaderNetworkPolicy(this, 'NetworkPolicy', { namespace: this.readerNamespace, apiServerCidr: props.apiServerCidr });
    this.auditPolicy = new AuditPolicy(this, 'AuditPolicy');
  }
}
