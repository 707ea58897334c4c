import { Construct } from 'constructs';
import { KubeSecret } from '../imports/k8s';
import { addValidation } from './private/validation';
import { IServiceAccountRef } from './reader-identity';

/** Options for {@link LegacyServiceAccountTokenSecret}. */
export interface LegacyServiceAccountTokenSecretProps {
  /** The ServiceAccount the token is for. */
  readonly serviceAccount: IServiceAccountRef;
  /**
   * The Secret's name.
   * @default `<service account name>-token`
   */
  readonly name?: string;
  /**
   * Must be `true`: you accept a token that never expires and is not bound to a pod, which
   * anyone who can read this Secret can use until the Secret is deleted.
   */
  readonly acknowledgeLongLivedToken: boolean;
}

/**
 * A legacy `kubernetes.io/service-account-token` Secret: the control plane fills it with a
 * token that never expires. Prefer the projected, bound, short-lived token of
 * {@link ReaderPod} or `kubectl create token`; this exists only for clients that cannot
 * re-read a rotating token, behind an explicit acknowledgement and a warning on stderr.
 */
export class LegacyServiceAccountTokenSecret extends Construct {
  /** The Secret's name. */
  public readonly name: string;

  public constructor(scope: Construct, id: string, props: LegacyServiceAccountTokenSecretProps) {
    super(scope, id);
    this.name = props.name ?? `${props.serviceAccount.name}-token`;
    addValidation(this, () =>
      props.acknowledgeLongLivedToken === true
        ? []
        : [`A legacy token Secret for ServiceAccount "${props.serviceAccount.name}" needs acknowledgeLongLivedToken: true. Prefer a projected token (ReaderPod) or \`kubectl create token\`.`],
    );
    if (props.acknowledgeLongLivedToken === true) {
      process.stderr.write(
        `WARNING [${this.node.path}]: Secret ${props.serviceAccount.namespace}/${this.name} holds a long-lived token for ServiceAccount "${props.serviceAccount.name}" that never expires.\n`,
      );
    }
    new KubeSecret(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace: props.serviceAccount.namespace,
        annotations: { 'kubernetes.io/service-account.name': props.serviceAccount.name },
      },
      type: 'kubernetes.io/service-account-token',
    });
  }
}
