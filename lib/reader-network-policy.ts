import { Construct } from 'constructs';
import { IntOrString, KubeNetworkPolicy } from '../imports/k8s';
import { isCidr } from './private/cidr';
import { addValidation } from './private/validation';
import { dns1123SubdomainProblems } from './private/names';
import { READER_POD_LABELS } from './reader-pod';
import { INamespaceRef } from './restricted-namespace';

/** Options for {@link ReaderNetworkPolicy}. */
export interface ReaderNetworkPolicyProps {
  /** The namespace of the reader pods. */
  readonly namespace: INamespaceRef;
  /**
   * The policy's name.
   * @default 'api-reader'
   */
  readonly name?: string;
  /**
   * Where the API server's endpoints are. Set it to your control plane's addresses (e.g. the
   * `kubectl get endpoints kubernetes` IPs as a /32) to allow nothing else over HTTPS. It must be
   * a CIDR the API server accepts (IPv4 with a prefix of 0-32, IPv6 with 0-128): anything else
   * fails the synth, since the API server would refuse the policy and leave the pods unrestricted.
   * @default '0.0.0.0/0' (any address, but only on `apiServerPorts`)
   */
  readonly apiServerCidr?: string;
  /**
   * The API server's ports as the pods see them after service translation.
   * @default [443, 6443]
   */
  readonly apiServerPorts?: readonly number[];
}

/**
 * A NetworkPolicy for the reader pods: no ingress at all; egress only to cluster DNS
 * (kube-dns pods in kube-system, port 53) and to the API server's CIDR and ports.
 */
export class ReaderNetworkPolicy extends Construct {
  public constructor(scope: Construct, id: string, props: ReaderNetworkPolicyProps) {
    super(scope, id);
    const name = props.name ?? 'api-reader';
    const cidr = props.apiServerCidr ?? '0.0.0.0/0';
    const apiPorts = props.apiServerPorts ?? [443, 6443];
    const podSelector = {
      matchLabels: {
        'app.kubernetes.io/name': READER_POD_LABELS['app.kubernetes.io/name'],
        'app.kubernetes.io/component': READER_POD_LABELS['app.kubernetes.io/component'],
      },
    };

    new KubeNetworkPolicy(this, 'Resource', {
      metadata: { name, namespace: props.namespace.name },
      spec: {
        podSelector,
        // `Ingress` with no ingress rules denies all ingress. The list is left out rather than
        // empty because the API server drops an empty one, which would make every re-apply a change.
        policyTypes: ['Ingress', 'Egress'],
        egress: [
          {
            to: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
                podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
              },
            ],
            ports: [
              { protocol: 'UDP', port: IntOrString.fromNumber(53) },
              { protocol: 'TCP', port: IntOrString.fromNumber(53) },
            ],
          },
          {
            to: [{ ipBlock: { cidr } }],
            ports: apiPorts.map((port) => ({ protocol: 'TCP', port: IntOrString.fromNumber(port) })),
          },
        ],
      },
    });
    addValidation(this, () => [
      ...dns1123SubdomainProblems('NetworkPolicy name', name),
      ...(isCidr(cidr) ? [] : [`apiServerCidr ${JSON.stringify(cidr)} is not a CIDR the API server accepts (an IPv4 address with a prefix length of 0 to 32, or an IPv6 address with 0 to 128); `
        + 'without a valid one the NetworkPolicy is refused and the pods run with no egress restriction. Write it as ADDRESS/PREFIX, e.g. 10.0.0.1/32.']),
      ...(apiPorts.length > 0 && apiPorts.every((p) => Number.isInteger(p) && p > 0 && p < 65536)
        ? []
        : ['apiServerPorts must list at least one port between 1 and 65535. Use e.g. [443, 6443].']),
    ]);
  }
}
