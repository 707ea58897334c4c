import { PodSecurityContext, SecurityContext } from '../imports/k8s';

/** The lowest UID/GID we accept: scanners flag lower ids as possibly shared with the host. */
export const MIN_NON_ROOT_ID = 10000;
/** The customary unprivileged UID/GID ("nonroot" in distroless images). */
export const DEFAULT_NON_ROOT_ID = 65532;

/**
 * The pod-level security context of the Pod Security Standard "restricted" profile, with
 * numeric ids so the kubelet can verify non-root without reading the image.
 *
 * @param id the UID and GID to run as
 */
export function restrictedPodSecurityContext(id: number): PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: id,
    runAsGroup: id,
    fsGroup: id,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/**
 * The container-level security context of the "restricted" profile plus a read-only root
 * filesystem.
 *
 * @param id the UID and GID to run as
 */
export function restrictedContainerSecurityContext(id: number): SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    runAsUser: id,
    runAsGroup: id,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}
