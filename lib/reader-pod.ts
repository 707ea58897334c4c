import { Construct } from 'constructs';
import { KubePod, Quantity } from '../imports/k8s';
import { ISecretRef } from './credentials-secret';
import { addValidation } from './private/validation';
import { dns1123SubdomainProblems } from './private/names';
import { IServiceAccountRef } from './reader-identity';
import { READER_SCRIPT_FILE, ReaderScript } from './reader-script';
import { DEFAULT_NON_ROOT_ID, MIN_NON_ROOT_ID, restrictedContainerSecurityContext, restrictedPodSecurityContext } from './restricted-security';

/**
 * A stock curl image pinned to a version tag and its multi-arch index digest, so the bytes
 * that run cannot change under the tag (it ships `/bin/sh`, `tr`, `sed` and curl).
 */
export const DEFAULT_READER_IMAGE = 'curlimages/curl:8.10.1@sha256:d9b4541e214bcd85196d6e92e2753ac6d0ea699f0af5741f8c6cccbfcf00ef4b';
/** Where the projected token, CA bundle and namespace are mounted (the standard path). */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
/** Where the reader script is mounted. */
export const SCRIPT_DIR = '/opt/api-reader';
/** The API server's minimum for a projected token's `expirationSeconds`. */
export const MIN_TOKEN_EXPIRATION_SECONDS = 600;
/** The longest token lifetime we accept (one day). */
export const MAX_TOKEN_EXPIRATION_SECONDS = 86400;
/** Labels every reader pod carries; {@link ReaderNetworkPolicy} selects on them. */
export const READER_POD_LABELS: Readonly<Record<string, string>> = {
  'app.kubernetes.io/name': 'api-reader',
  'app.kubernetes.io/component': 'reader',
  'app.kubernetes.io/part-of': 'cdk8s-api-reader',
};

/** CPU, memory and ephemeral-storage figures for one container. */
export interface ReaderResources {
  /** CPU, e.g. `10m`. */
  readonly cpu: string;
  /** Memory, e.g. `16Mi`. */
  readonly memory: string;
  /** Ephemeral storage, e.g. `8Mi`. */
  readonly ephemeralStorage: string;
}

/** Options for {@link ReaderPod}. */
export interface ReaderPodProps {
  /** The pod's name, e.g. `secret-access-pod`. */
  readonly name: string;
  /** The ServiceAccount the pod runs as; its namespace is the pod's namespace. */
  readonly identity: IServiceAccountRef;
  /** The ConfigMap holding the reader script. */
  readonly script: ReaderScript;
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
   * The API server URL the script calls.
   * @default 'https://kubernetes.default.svc'
   */
  readonly apiServerUrl?: string;
}

const DEFAULT_RESOURCES: ReaderResources = { cpu: '50m', memory: '32Mi', ephemeralStorage: '16Mi' };

/**
 * A pod that runs the reader script with its own short-lived, bound ServiceAccount token and
 * passes the Pod Security Standard "restricted" profile: non-root numeric ids, seccomp
 * RuntimeDefault, all capabilities dropped, no privilege escalation, read-only root FS.
 */
export class ReaderPod extends Construct {
  /** The pod's name. */
  public readonly name: string;
  /** The pod's namespace (the identity's). */
  public readonly namespace: string;

  public constructor(scope: Construct, id: string, props: ReaderPodProps) {
    super(scope, id);
    this.name = props.name;
    this.namespace = props.identity.namespace;
    const runAsId = props.runAsId ?? DEFAULT_NON_ROOT_ID;
    const expirationSeconds = props.tokenExpirationSeconds ?? 3600;
    const resources = props.resources ?? DEFAULT_RESOURCES;
    // The script reads its own namespace by default; a Secret elsewhere is passed as the argument.
    const namespaceArg = props.secret.namespace === this.namespace ? [] : [props.secret.namespace];

    new KubePod(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: this.namespace,
        labels: { ...READER_POD_LABELS, 'app.kubernetes.io/instance': props.name },
      },
      spec: {
        serviceAccountName: props.identity.name,
        automountServiceAccountToken: false,
        enableServiceLinks: false,
        terminationGracePeriodSeconds: 5,
        restartPolicy: 'Always',
        // Names like kubernetes.default.svc resolve through the search list on the second try
        // instead of the fifth (the default ndots is 5).
        dnsConfig: { options: [{ name: 'ndots', value: '2' }] },
        securityContext: restrictedPodSecurityContext(runAsId),
        containers: [
          {
            name: 'reader',
            image: props.image ?? DEFAULT_READER_IMAGE,
            imagePullPolicy: 'Always',
            command: ['/bin/sh', `${SCRIPT_DIR}/${READER_SCRIPT_FILE}`],
            args: ['--keep-alive', ...namespaceArg],
            env: [
              { name: 'TARGET_NAME', value: props.secret.name },
              { name: 'API_SERVER', value: props.apiServerUrl ?? 'https://kubernetes.default.svc' },
              { name: 'SA_DIR', value: SERVICE_ACCOUNT_DIR },
            ],
            resources: { requests: toQuantities(resources), limits: toQuantities(resources) },
            securityContext: restrictedContainerSecurityContext(runAsId),
            volumeMounts: [
              { name: 'api-access', mountPath: SERVICE_ACCOUNT_DIR, readOnly: true },
              { name: 'reader-script', mountPath: SCRIPT_DIR, readOnly: true },
            ],
          },
        ],
        volumes: [
          {
            name: 'api-access',
            projected: {
              defaultMode: 0o444,
              sources: [
                {
                  serviceAccountToken: {
                    path: 'token',
                    expirationSeconds,
                    ...(props.tokenAudience === undefined ? {} : { audience: props.tokenAudience }),
                  },
                },
                { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
                { downwardApi: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
              ],
            },
          },
          { name: 'reader-script', configMap: { name: props.script.name, defaultMode: 0o444 } },
        ],
      },
    });

    addValidation(this, () => [
      ...dns1123SubdomainProblems('pod name', props.name),
      ...tokenProblems(expirationSeconds, props.tokenAudience),
      ...(Number.isInteger(runAsId) && runAsId >= MIN_NON_ROOT_ID
        ? []
        : [`runAsId ${runAsId} is below ${MIN_NON_ROOT_ID} or not an integer; scanners flag low ids as possibly shared with the host. Use ${DEFAULT_NON_ROOT_ID}.`]),
      ...(props.script.namespace === this.namespace
        ? []
        : [`The reader script ConfigMap lives in "${props.script.namespace}" but the pod runs in "${this.namespace}"; a pod can only mount ConfigMaps of its own namespace. Create the ReaderScript in "${this.namespace}".`]),
    ]);
  }
}

function tokenProblems(expirationSeconds: number, audience: string | undefined): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(expirationSeconds) || expirationSeconds < MIN_TOKEN_EXPIRATION_SECONDS || expirationSeconds > MAX_TOKEN_EXPIRATION_SECONDS) {
    problems.push(
      `tokenExpirationSeconds ${expirationSeconds} is outside ${MIN_TOKEN_EXPIRATION_SECONDS}..${MAX_TOKEN_EXPIRATION_SECONDS} ` +
        `(the API server's minimum is ${MIN_TOKEN_EXPIRATION_SECONDS}). Use a whole number of seconds in that range, e.g. 3600.`,
    );
  }
  if (audience !== undefined && audience.trim() === '') {
    problems.push('tokenAudience is empty. Leave it unset to use the API server\'s own audience.');
  }
  return problems;
}

function toQuantities(resources: ReaderResources): Record<string, Quantity> {
  return {
    cpu: Quantity.fromString(resources.cpu),
    memory: Quantity.fromString(resources.memory),
    'ephemeral-storage': Quantity.fromString(resources.ephemeralStorage),
  };
}
