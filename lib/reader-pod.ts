import { Construct } from 'constructs';
import { ISecretRef } from './credentials-secret';
import { IdentityPod, IdentityPodProps, ImagePullPolicy, ReaderResources, SERVICE_ACCOUNT_DIR } from './identity-pod';
import { addValidation } from './private/validation';
import { IServiceAccountRef } from './reader-identity';
import { IReaderScriptRef, READER_SCRIPT_FILE, ReaderScript } from './reader-script';

/**
 * A stock curl image pinned to a version tag and its multi-arch index digest, so the bytes
 * that run cannot change under the tag (it ships `/bin/sh`, `tr`, `sed` and curl).
 */
export const DEFAULT_READER_IMAGE = 'curlimages/curl:8.10.1@sha256:d9b4541e214bcd85196d6e92e2753ac6d0ea699f0af5741f8c6cccbfcf00ef4b';
/** Where the reader script is mounted. */
export const SCRIPT_DIR = '/opt/api-reader';
/** Labels every reader pod carries; {@link ReaderNetworkPolicy} selects on them. */
export const READER_POD_LABELS: Readonly<Record<string, string>> = {
  'app.kubernetes.io/name': 'api-reader',
  'app.kubernetes.io/component': 'reader',
  'app.kubernetes.io/part-of': 'cdk8s-api-reader',
};

/** Options for {@link ReaderPod}. */
export interface ReaderPodProps {
  /** The pod's name, e.g. `secret-access-pod`. */
  readonly name: string;
  /** The ServiceAccount the pod runs as; its namespace is the pod's namespace. */
  readonly identity: IServiceAccountRef;
  /**
   * The ConfigMap holding the reader script: a {@link ReaderScript}, or an existing one
   * ({@link ReaderScript.fromConfigMapName}) in the pod's namespace.
   */
  readonly script: IReaderScriptRef;
  /** The Secret the script reads. */
  readonly secret: ISecretRef;
  /**
   * The container image; it must provide `/bin/sh` and curl.
   * @default DEFAULT_READER_IMAGE
   */
  readonly image?: string;
  /**
   * Lifetime of the projected, bound token (600 to 86400 seconds); the kubelet rotates it.
   * @default 3600
   */
  readonly tokenExpirationSeconds?: number;
  /**
   * Audience of the projected token. The API server rejects (401) a token for an audience it
   * does not accept, so only set this for a server configured with `--api-audiences`.
   * @default - none: the API server's own audience
   */
  readonly tokenAudience?: string;
  /**
   * UID and GID the container runs as (at least 10000).
   * @default 65532
   */
  readonly runAsId?: number;
  /**
   * Resource requests and limits, equal so the pod gets the Guaranteed QoS class and cannot
   * grow past what was scheduled.
   * @default { cpu: '50m', memory: '32Mi', ephemeralStorage: '16Mi' }
   */
  readonly resources?: ReaderResources;
  /**
   * When the kubelet pulls the image (see {@link IdentityPodProps.imagePullPolicy}).
   * @default 'Always'
   */
  readonly imagePullPolicy?: ImagePullPolicy;
  /**
   * The API server URL the script calls.
   * @default 'https://kubernetes.default.svc'
   */
  readonly apiServerUrl?: string;
}

/**
 * A pod that runs the reader script with its own short-lived, bound ServiceAccount token and
 * passes the Pod Security Standard "restricted" profile: an {@link IdentityPod} whose container
 * runs the script from the {@link ReaderScript} ConfigMap against one Secret.
 */
export class ReaderPod extends IdentityPod {
  public constructor(scope: Construct, id: string, props: ReaderPodProps) {
    const namespace = props.identity.namespace;
    // The script reads its own namespace by default; a Secret elsewhere is passed as the argument.
    const namespaceArg = props.secret.namespace === namespace ? [] : [props.secret.namespace];
    super(scope, id, {
      name: props.name,
      identity: props.identity,
      image: props.image ?? DEFAULT_READER_IMAGE,
      containerName: 'reader',
      labels: { ...READER_POD_LABELS, 'app.kubernetes.io/instance': props.name },
      command: ['/bin/sh', `${SCRIPT_DIR}/${READER_SCRIPT_FILE}`],
      args: ['--keep-alive', ...namespaceArg],
      env: {
        TARGET_NAME: props.secret.name,
        API_SERVER: props.apiServerUrl ?? 'https://kubernetes.default.svc',
        SA_DIR: SERVICE_ACCOUNT_DIR,
      },
      configMaps: [{ volumeName: 'reader-script', configMapName: props.script.name, mountPath: SCRIPT_DIR }],
      ...(props.tokenExpirationSeconds !== undefined ? { tokenExpirationSeconds: props.tokenExpirationSeconds } : {}),
      ...(props.tokenAudience !== undefined ? { tokenAudience: props.tokenAudience } : {}),
      ...(props.runAsId !== undefined ? { runAsId: props.runAsId } : {}),
      ...(props.resources !== undefined ? { resources: props.resources } : {}),
      ...(props.imagePullPolicy !== undefined ? { imagePullPolicy: props.imagePullPolicy } : {}),
    });
    addValidation(this, () => (props.script.namespace === this.namespace
      ? []
      : [`The reader script ConfigMap lives in "${props.script.namespace}" but the pod runs in "${this.namespace}"; a pod can only mount ConfigMaps of its own namespace. Create the ReaderScript in "${this.namespace}".`]));
  }
}
