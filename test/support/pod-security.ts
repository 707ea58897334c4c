/**
 * The fields of the Pod Security Standard "restricted" profile (plus our read-only root FS
 * and id >= 10000 rules) checked on a pod spec; returns one sentence per violation.
 */
export function restrictedProfileViolations(podSpec: any): string[] {
  const problems: string[] = [];
  const pod = podSpec.securityContext ?? {};
  const containers = [...(podSpec.initContainers ?? []), ...(podSpec.containers ?? [])];
  for (const c of containers) {
    const sc = c.securityContext ?? {};
    const where = `container ${c.name}`;
    const runAsNonRoot = sc.runAsNonRoot ?? pod.runAsNonRoot;
    const runAsUser = sc.runAsUser ?? pod.runAsUser;
    const runAsGroup = sc.runAsGroup ?? pod.runAsGroup;
    const seccomp = (sc.seccompProfile ?? pod.seccompProfile)?.type;
    if (runAsNonRoot !== true) problems.push(`${where}: runAsNonRoot is not true`);
    if (!(Number.isInteger(runAsUser) && runAsUser >= 10000)) problems.push(`${where}: runAsUser ${runAsUser} is not a number >= 10000`);
    if (!(Number.isInteger(runAsGroup) && runAsGroup >= 10000)) problems.push(`${where}: runAsGroup ${runAsGroup} is not a number >= 10000`);
    if (!['RuntimeDefault', 'Localhost'].includes(seccomp)) problems.push(`${where}: seccompProfile is ${seccomp}`);
    if (sc.allowPrivilegeEscalation !== false) problems.push(`${where}: allowPrivilegeEscalation is not false`);
    if (sc.privileged === true) problems.push(`${where}: privileged`);
    if (sc.readOnlyRootFilesystem !== true) problems.push(`${where}: root filesystem is writable`);
    const drop: string[] = sc.capabilities?.drop ?? [];
    if (!drop.includes('ALL')) problems.push(`${where}: capabilities do not drop ALL`);
    const add: string[] = sc.capabilities?.add ?? [];
    if (add.some((cap) => cap !== 'NET_BIND_SERVICE')) problems.push(`${where}: adds capabilities ${add.join(',')}`);
    for (const kind of ['requests', 'limits']) {
      for (const resource of ['cpu', 'memory', 'ephemeral-storage']) {
        if (c.resources?.[kind]?.[resource] === undefined) problems.push(`${where}: no ${resource} ${kind.slice(0, -1)}`);
      }
    }
  }
  for (const flag of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (podSpec[flag]) problems.push(`pod: ${flag}`);
  }
  for (const volume of podSpec.volumes ?? []) {
    if (volume.hostPath) problems.push(`volume ${volume.name}: hostPath`);
  }
  return problems;
}
