/**
 * SubjectAccessReviews against the real API server, many at once: POST
 * /apis/authorization.k8s.io/v1/subjectaccessreviews over keep-alive HTTPS with a concurrency
 * limit, as the kubeconfig's admin. (Falls back to one `kubectl create -f` of a List when the
 * kubeconfig's user has neither a token nor a client certificate, e.g. an exec plugin.)
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { AccessRequest, UserInfo } from '../../lib/rbac';
import { isNonResourceRequest } from '../../lib/rbac';
import { admin, apiRequest, kubectlOk, mapLimit } from './kube';

/** The server's answer (`status` of the review), plus the HTTP status of the POST. */
export interface SarAnswer {
  readonly allowed: boolean;
  readonly denied?: boolean;
  readonly reason?: string;
  readonly evaluationError?: string;
  readonly httpStatus: number;
}

const SAR_PATH = '/apis/authorization.k8s.io/v1/subjectaccessreviews';

/** The SubjectAccessReview object for a user and a request (groups sent explicitly: the server adds none). */
export function sarObject(user: UserInfo, request: AccessRequest): Record<string, unknown> {
  const spec: Record<string, unknown> = { user: user.name, groups: [...user.groups] };
  if (isNonResourceRequest(request)) {
    spec.nonResourceAttributes = { verb: request.verb, path: request.path };
  } else {
    const attrs: Record<string, string> = { verb: request.verb, resource: request.resource };
    if (request.group) attrs.group = request.group;
    if (request.subresource) attrs.subresource = request.subresource;
    if (request.name) attrs.name = request.name;
    if (request.namespace) attrs.namespace = request.namespace;
    spec.resourceAttributes = attrs;
  }
  return { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec };
}

function answerOf(status: Record<string, unknown> | undefined, httpStatus: number): SarAnswer {
  return {
    allowed: status?.allowed === true,
    ...(status?.denied !== undefined ? { denied: status.denied === true } : {}),
    ...(typeof status?.reason === 'string' ? { reason: status.reason } : {}),
    ...(typeof status?.evaluationError === 'string' ? { evaluationError: status.evaluationError } : {}),
    httpStatus,
  };
}

/** Asks the server about every (user, request), at most `concurrency` at a time; answers keep the order. */
export async function subjectAccessReviews(queries: ReadonlyArray<{ user: UserInfo; request: AccessRequest }>, concurrency = 16): Promise<SarAnswer[]> {
  const c = admin();
  if (!c.token && !(c.cert && c.key)) return viaKubectl(queries);
  return mapLimit(queries, concurrency, async (q) => {
    const res = await apiRequest('POST', SAR_PATH, { as: 'admin', body: sarObject(q.user, q.request) });
    if (res.status !== 201 && res.status !== 200) {
      throw new Error(`POST ${SAR_PATH} for ${JSON.stringify(sarObject(q.user, q.request).spec)} answered HTTP ${res.status}: ${res.body}`);
    }
    return answerOf((JSON.parse(res.body) as { status?: Record<string, unknown> }).status, res.status);
  });
}

function viaKubectl(queries: ReadonlyArray<{ user: UserInfo; request: AccessRequest }>): SarAnswer[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-sar-'));
  try {
    const file = path.join(dir, 'reviews.json');
    fs.writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: queries.map((q) => sarObject(q.user, q.request)) }));
    const out = JSON.parse(kubectlOk(['create', '-f', file, '-o', 'json'], { timeoutMs: 600_000 }).stdout) as { items?: Array<{ status?: Record<string, unknown> }>; status?: Record<string, unknown> };
    const items = out.items ?? [out];
    return items.map((i) => answerOf(i.status, 201));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
