import { Construct } from 'constructs';
import { EnvVar, KubePod, Quantity, Volume, VolumeMount } from '../imports/k8s';
import { addValidation } from './private/validation';
import { dns1123SubdomainProblems } from './private/names';
import { IServiceAccountRef } from './reader-identity';
import { DEFAULT_NON_ROOT_ID, MIN_NON_ROOT_ID, restrictedContainerSecurityContext, restrictedPodSecurityContext } from './restricted-security';

/** Where the projected token, CA bundle and namespace are mounted (the standard path). */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
/** The API server's minimum for a projected token's `expirationSeconds`. */
export const MIN_TOKEN_EXPIRATION_SECONDS = 600;
/** The longest token lifetime we accept (one day). */
export const MAX_TOKEN_EXPIRATION_SECONDS = 86400;

/** CPU, memory and ephemeral-storage figures for one container. */
export interface ReaderResources {
  /** CPU, e.g. `10m`. */
  readonly cpu: string;
  /** Memory, e.g. `16Mi`. */
  readonly memory: string;
  /** Ephemeral storage, e.g. `8Mi`. */
  readonly ephemeralStorage: string;
}

/** A ConfigMap mounted read-only into the container. */
export interface ConfigMapMount {
  /** The ConfigMap's name (in the pod's namespace). */
  readonly configMapName: string;
  /** Where it is mounted, e.g. `/opt/api-reader`. */
  readonly mountPath: string;
  /** The volume's name in the pod spec (a DNS-1123 label). */
  readonly volumeName: string;
}

/** Options for {@link IdentityPod}. */
export interface IdentityPodProps {
  /** The pod's name. */
  readonly name: string;
  /** The ServiceAccount the pod runs as; its namespace is the pod's namespace. */
  readonly identity: IServiceAccountRef;
  /** The container image, pinned by digest where you can. */
  readonly image: string;
  /**
   * The container's command.
   * @default - the image's entrypoint
   */
  readonly command?: readonly string[];
  /**
   * The container's arguments.
   * @default - none
   */
  readonly args?: readonly string[];
  /**
   * Environment variables of the container, in order.
   * @default - none
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * ConfigMaps mounted read-only beside the token.
   * @default - none
   */
  readonly configMaps?: readonly ConfigMapMount[];
  /**
   * The container's name.
   * @default 'main'
   */
  readonly containerName?: string;
  /**
   * Extra labels of the pod.
   * @default - none
   */
  readonly labels?: Readonly<Record<string, string>>;
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
   * Resource requests and limits, equal so the pod gets the Guaranteed QoS class.
   * @default { cpu: '50m', memory: '32Mi', ephemeralStorage: '16Mi' }
   */
  readonly resources?: ReaderResources;
  /**
   * The pod's restart policy.
   * @default 'Always'
   */
  readonly restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  /**
   * When the kubelet pulls the image. `Always` re-checks the registry on every start, so a node
   * never runs a cached image another tenant pulled; `IfNotPresent` suits an image pinned by
   * digest on an offline or rate-limited node.
   * @default 'Always'
   */
  readonly imagePullPolicy?: ImagePullPolicy;
}

/** A container's `imagePullPolicy`. */
export type ImagePullPolicy = 'Always' | 'IfNotPresent' | 'Never';

const IMAGE_PULL_POLICIES: readonly string[] = ['Always', 'IfNotPresent', 'Never'] satisfies readonly ImagePullPolicy[];

const DEFAULT_RESOURCES: ReaderResources = { cpu: '50m', memory: '32Mi', ephemeralStorage: '16Mi' };

/**
 * A hardened pod that runs as one identity: its own projected, bound, short-lived token (the
 * ServiceAccount's automounted token stays off), `ca.crt` from `kube-root-ca.crt` and the namespace
 * from the downward API at the standard path, and the Pod Security Standard "restricted" profile
 * (non-root numeric ids, seccomp RuntimeDefault, all capabilities dropped, no privilege escalation,
 * read-only root FS), with Guaranteed resources. {@link ReaderPod} is one; a log exporter or any
 * other workload that calls the API server with its own identity can be another.
 */
export class IdentityPod extends Construct {
  /** The pod's name. */
  public readonly name: string;
  /** The pod's namespace (the identity's). */
  public readonly namespace: string;

  public constructor(scope: Construct, id: string, props: IdentityPodProps) {
    super(scope, id);
    this.name = props.name;
    this.namespace = props.identity.namespace;
    const runAsId = props.runAsId ?? DEFAULT_NON_ROOT_ID;
    const expirationSeconds = props.tokenExpirationSeconds ?? 3600;
    const resources = props.resources ?? DEFAULT_RESOURCES;
    const configMaps = props.configMaps ?? [];
    const env: EnvVar[] = Object.entries(props.env ?? {}).map(([name, value]) => ({ name, value }));
    const mounts: VolumeMount[] = [
      { name: 'api-access', mountPath: SERVICE_ACCOUNT_DIR, readOnly: true },
      ...configMaps.map((c) => ({ name: c.volumeName, mountPath: c.mountPath, readOnly: true })),
    ];
    const volumes: Volume[] = [
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
      ...configMaps.map((c) => ({ name: c.volumeName, configMap: { name: c.configMapName, defaultMode: 0o444 } })),
    ];

    new KubePod(this, 'Resource', {
      metadata: { name: props.name, namespace: this.namespace, ...(props.labels ? { labels: { ...props.labels } } : {}) },
      spec: {
        serviceAccountName: props.identity.name,
        automountServiceAccountToken: false,
        enableServiceLinks: false,
        terminationGracePeriodSeconds: 5,
        restartPolicy: props.restartPolicy ?? 'Always',
        // Names like kubernetes.default.svc resolve through the search list on the second try
        // instead of the fifth (the default ndots is 5).
        dnsConfig: { options: [{ name: 'ndots', value: '2' }] },
        securityContext: restrictedPodSecurityContext(runAsId),
        containers: [
          {
            name: props.containerName ?? 'main',
            image: props.image,
            imagePullPolicy: props.imagePullPolicy ?? 'Always',
            ...(props.command ? { command: [...props.command] } : {}),
            ...(props.args ? { args: [...props.args] } : {}),
            ...(env.length > 0 ? { env } : {}),
            resources: { requests: toQuantities(resources), limits: toQuantities(resources) },
            securityContext: restrictedContainerSecurityContext(runAsId),
            volumeMounts: mounts,
          },
        ],
        volumes,
      },
    });

    addValidation(this, () => [
      ...dns1123SubdomainProblems('pod name', props.name),
      ...tokenProblems(expirationSeconds, props.tokenAudience),
      ...(Number.isInteger(runAsId) && runAsId >= MIN_NON_ROOT_ID
        ? []
        : [`runAsId ${runAsId} is below ${MIN_NON_ROOT_ID} or not an integer; scanners flag low ids as possibly shared with the host. Use ${DEFAULT_NON_ROOT_ID}.`]),
      ...(props.image.trim() === '' ? ['The image is empty. Name the container image, pinned by digest where you can.'] : []),
      ...(props.imagePullPolicy === undefined || IMAGE_PULL_POLICIES.includes(props.imagePullPolicy) ? [] : [
        `imagePullPolicy ${JSON.stringify(props.imagePullPolicy)} is not one Kubernetes knows. Use ${IMAGE_PULL_POLICIES.join(', ')}.`,
      ]),
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
