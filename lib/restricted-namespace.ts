import { Construct } from 'constructs';
import { KubeNamespace } from '../imports/k8s';
import { addValidation } from './private/validation';
import { dns1123LabelProblems } from './private/names';

/** A namespace other constructs can place their objects in. */
export interface INamespaceRef {
  /** The namespace's name. */
  readonly name: string;
}

/** Pod Security Admission levels (https://kubernetes.io/docs/concepts/security/pod-security-standards/). */
export enum PodSecurityLevel {
  /** Unrestricted. */
  PRIVILEGED = 'privileged',
  /** Prevents known privilege escalations. */
  BASELINE = 'baseline',
  /** Current pod hardening best practice. */
  RESTRICTED = 'restricted',
}

/** Options for {@link RestrictedNamespace}. */
export interface RestrictedNamespaceProps {
  /** The namespace's name (a DNS-1123 label). */
  readonly name: string;
  /**
   * The Pod Security level enforced, audited and warned about.
   * @default PodSecurityLevel.RESTRICTED
   */
  readonly level?: PodSecurityLevel;
  /**
   * The Pod Security Standards version the level is pinned to, so a cluster upgrade cannot
   * silently change what is admitted.
   * @default 'v1.27' (the Kubernetes API version this library targets)
   */
  readonly podSecurityVersion?: string;
  /**
   * Extra labels on the namespace.
   * @default - only the Pod Security Admission labels
   */
  readonly labels?: Record<string, string>;
}

const POD_SECURITY_MODES = ['enforce', 'audit', 'warn'] as const;
const VERSION_PATTERN = /^(latest|v1\.\d+)$/;

/**
 * A Namespace whose pods must pass a Pod Security Standard: the same level is enforced,
 * audited and warned about, pinned to one version.
 */
export class RestrictedNamespace extends Construct implements INamespaceRef {
  /** Refers to a namespace managed elsewhere (for example `default`). */
  public static fromNamespaceName(name: string): INamespaceRef {
    return { name };
  }

  public readonly name: string;

  public constructor(scope: Construct, id: string, props: RestrictedNamespaceProps) {
    super(scope, id);
    this.name = props.name;
    const level = props.level ?? PodSecurityLevel.RESTRICTED;
    const version = props.podSecurityVersion ?? 'v1.27';

    const labels: Record<string, string> = { ...props.labels };
    for (const mode of POD_SECURITY_MODES) {
      labels[`pod-security.kubernetes.io/${mode}`] = level;
      labels[`pod-security.kubernetes.io/${mode}-version`] = version;
    }
    new KubeNamespace(this, 'Resource', { metadata: { name: props.name, labels } });

    addValidation(this, () => [
      ...dns1123LabelProblems('namespace name', props.name),
      ...(VERSION_PATTERN.test(version)
        ? []
        : [`The Pod Security version "${version}" is not "latest" or "v1.<minor>". Pin a version such as "v1.27".`]),
    ]);
  }
}
