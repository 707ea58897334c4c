/**
 * Runs last: stops the local cluster the way globalTeardown would (stop-cluster.sh), and checks
 * that the machine is left as found: stop-node.sh compares a host snapshot taken before the node
 * started (iptables, ipsets, links, mounts, netns, kubelet dirs, cgroups, sysctls) with one taken
 * after it stopped, and exits 3 with the difference when they differ.
 * Skipped (reported as skipped) against an existing cluster: nothing was started there.
 */
import * as fs from 'fs';
import * as path from 'path';
import { stopLocalControlPlane } from './support/global-setup';
import { clusterState } from './support/state';
import { run } from './support/run';
import { SCRIPTS_DIR } from './support/state';

const local = clusterState().mode === 'local' && clusterState().node?.dir !== undefined;

(local ? describe : describe.skip)('stopping the local cluster', () => {
  it('leaves the machine as found (no process, iptables rule or chain, ipset, bridge, mount, cgroup, kubelet dir left)', () => {
    const { workdir, node } = clusterState();
    const stop = run('bash', [path.join(SCRIPTS_DIR, 'stop-cluster.sh'), workdir!], { timeoutMs: 180_000 });
    const diff = fs.existsSync(path.join(node!.dir!, 'host-diff.txt')) ? fs.readFileSync(path.join(node!.dir!, 'host-diff.txt'), 'utf8') : '(no diff file)';
    const pids = ['containerd', 'kubelet', 'kube-scheduler', 'kube-router-netpol']
      .map((c) => path.join(node!.dir!, 'pids', `${c}.pid`))
      .filter((f) => fs.existsSync(f));
    expect({ exit: stop.code, hostDiff: diff, pidFilesLeft: pids, stderrTail: stop.code === 0 ? '' : stop.stderr.slice(-2000) })
      .toEqual({ exit: 0, hostDiff: '', pidFilesLeft: [], stderrTail: '' });
    stopLocalControlPlane(workdir!); // removes the WORKDIR (globalTeardown then has nothing left to do)
  });
});
