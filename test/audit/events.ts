/** Hand-written audit.k8s.io/v1 Events in the shape kube-apiserver writes, for the audit tests. */
import * as path from 'path';
import { Readable } from 'stream';
import { AuditRecord, LogInput, logInputs, ObservedAccesses, readAuditRecords, recordFromEvent } from '../../lib/audit';

/** Overrides for {@link auditEvent}; `objectRef: null` drops it. */
export type EventOverrides = Record<string, unknown>;

const SA = 'system:serviceaccount:dev:secret-access-sa';

/**
 * A `ResponseComplete` Event of `secret-access-sa` reading `api-access-secret` in `dev`, allowed;
 * `overrides` replace top-level fields.
 */
export function auditEvent(overrides: EventOverrides = {}): Record<string, unknown> {
  const base: Record<string, unknown> = {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID: '6f1c2d3e-0000-4000-8000-000000000001',
    stage: 'ResponseComplete',
    requestURI: '/api/v1/namespaces/dev/secrets/api-access-secret',
    verb: 'get',
    user: {
      username: SA,
      uid: '0b7c9a51-5c1e-4a43-9d0e-2f4a1b3c5d6e',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:dev', 'system:authenticated'],
      extra: { 'authentication.kubernetes.io/pod-name': ['secret-access-pod'] },
    },
    sourceIPs: ['10.244.0.7'],
    userAgent: 'curl/8.10.1',
    objectRef: { resource: 'secrets', namespace: 'dev', name: 'api-access-secret', apiVersion: 'v1' },
    responseStatus: { metadata: {}, code: 200 },
    requestReceivedTimestamp: '2024-05-01T10:00:00.000000Z',
    stageTimestamp: '2024-05-01T10:00:00.002000Z',
    annotations: {
      'authorization.k8s.io/decision': 'allow',
      'authorization.k8s.io/reason': 'RBAC: allowed by RoleBinding "secret-access-rb/dev" of ClusterRole "secret-access-cr" to ServiceAccount "secret-access-sa/dev"',
    },
  };
  const out = { ...base, ...overrides };
  for (const [k, v] of Object.entries(out)) if (v === null) delete out[k];
  return out;
}

/** A forbidden variant: code 403, decision forbid, empty reason (as RBAC logs a plain denial). */
export function forbidden(overrides: EventOverrides = {}): Record<string, unknown> {
  return auditEvent({
    responseStatus: { metadata: {}, status: 'Failure', reason: 'Forbidden', code: 403 },
    annotations: { 'authorization.k8s.io/decision': 'forbid', 'authorization.k8s.io/reason': '' },
    ...overrides,
  });
}

/** The user block of a service account. */
export function saUser(namespace: string, name: string): Record<string, unknown> {
  return {
    username: `system:serviceaccount:${namespace}:${name}`,
    groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
  };
}

/** JSON lines of `events`, newline-terminated. */
export function jsonLines(events: ReadonlyArray<Record<string, unknown> | string>): string {
  return events.map((e) => (typeof e === 'string' ? e : JSON.stringify(e))).join('\n') + '\n';
}

/** A log input over in-memory bytes, delivered in chunks of `chunkSize` (like stdin). */
export function memoryInput(name: string, data: string | Buffer, chunkSize = 64): LogInput {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return {
    name,
    open: () => {
      const chunks: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
      return Readable.from(chunks);
    },
  };
}

/** The record of one hand-written event (`make` builds it, {@link auditEvent} by default). */
export function record(overrides: EventOverrides, make: (o: EventOverrides) => Record<string, unknown> = auditEvent): AuditRecord {
  const r = recordFromEvent(make(overrides), { file: 't', line: 1 });
  if (typeof r === 'string') throw new Error(r);
  return r;
}

/** What `username` was observed doing in `records`. */
export function observe(username: string, records: AuditRecord[]): ObservedAccesses {
  const o = new ObservedAccesses(username);
  records.forEach((r) => o.add(r));
  return o;
}

/** An `objectRef` override for {@link auditEvent}. */
export function objectRef(resource: string, namespace: string, name?: string, extra: Record<string, string> = {}): EventOverrides {
  return { objectRef: { resource, namespace, apiVersion: 'v1', ...(name ? { name } : {}), ...extra } };
}

/** The walkthrough's audit log fixture. */
export const WALKTHROUGH_LOG = path.join(__dirname, 'fixtures', 'walkthrough.jsonl');

/** What `secret-access-sa` did in the walkthrough's log. */
export async function walkthroughObserved(): Promise<ObservedAccesses> {
  const o = new ObservedAccesses(SA);
  for await (const r of readAuditRecords(logInputs([WALKTHROUGH_LOG], () => process.stdin))) o.add(r);
  return o;
}
