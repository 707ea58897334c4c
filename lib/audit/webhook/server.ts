/**
 * An HTTPS backend for kube-apiserver's audit webhook (`--audit-webhook-config-file`). It
 * authenticates its caller (a client certificate signed by the given CA, or a bearer token; anything
 * else gets 401 and nothing is recorded), reads each batch with a size limit (413 beyond it; 400 for
 * a body that is not an EventList), and hands the records on. Memory is bounded: a body is held
 * only while it is read, at most `maxBodyBytes` each for at most `maxConnections` callers, and slow
 * or stalled callers are cut off after `requestTimeoutMs`. No flags, no signals: the CLI owns those.
 */
import { createHash, timingSafeEqual } from 'crypto';
import * as http from 'http';
import * as https from 'https';
import { TLSSocket } from 'tls';
import { AuditRecord, LogProblem } from '../types';
import { readEventList } from './event-list';
import { DEFAULT_MAX_BODY_BYTES } from './limits';

export { DEFAULT_MAX_BODY_BYTES };

/** Options for {@link createAuditWebhookServer}. */
export interface AuditWebhookServerOptions {
  /** The server's certificate chain (PEM). */
  readonly cert: string | Uint8Array;
  /** The server's private key (PEM). */
  readonly key: string | Uint8Array;
  /**
   * CA certificates (PEM) that sign the client certificates accepted.
   * @default - no client certificates are accepted
   */
  readonly clientCa?: string | Uint8Array;
  /**
   * Bearer tokens accepted (compared in constant time; never logged).
   * @default - no tokens are accepted
   */
  readonly bearerTokens?: readonly string[];
  /**
   * The largest body accepted; a larger one gets 413.
   * @default DEFAULT_MAX_BODY_BYTES
   */
  readonly maxBodyBytes?: number;
  /**
   * How long a caller may take to send one request, headers and body.
   * @default 30000
   */
  readonly requestTimeoutMs?: number;
  /**
   * The most connections open at once.
   * @default 64
   */
  readonly maxConnections?: number;
  /** Receives the records of each accepted batch, in order, and each event as a JSON line (the log file format). */
  readonly onRecords: (records: AuditRecord[], lines: string[]) => void;
  /** Receives items of a batch that were not audit events. */
  readonly onProblems?: (problems: LogProblem[]) => void;
  /** Receives one line per refused request (no secrets in it). */
  readonly onLog: (line: string) => void;
}

function pem(value: string | Uint8Array): string | Buffer {
  return typeof value === 'string' ? value : Buffer.from(value);
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Whether the request carries an accepted client certificate or bearer token. */
function authenticated(req: http.IncomingMessage, tokens: readonly Buffer[]): boolean {
  // `authorized` alone is not enough: on a resumed TLS session without a client certificate it can
  // be true, so a certificate must actually be there.
  const socket = req.socket as TLSSocket;
  const cert = socket.authorized === true ? socket.getPeerCertificate?.() : undefined;
  if (cert !== undefined && cert.raw !== undefined && cert.raw.length > 0) return true;
  const header = req.headers.authorization;
  if (tokens.length === 0 || typeof header !== 'string' || !header.startsWith('Bearer ')) return false;
  const given = digest(header.slice('Bearer '.length).trim());
  let ok = false;
  for (const t of tokens) ok = timingSafeEqual(given, t) || ok;
  return ok;
}

/**
 * An HTTPS server for the audit webhook; call `listen` on it.
 * @throws Error when neither `clientCa` nor `bearerTokens` is given (every caller would be refused)
 */
export function createAuditWebhookServer(options: AuditWebhookServerOptions): https.Server {
  const tokens = (options.bearerTokens ?? []).filter((t) => t !== '').map(digest);
  if (options.clientCa === undefined && tokens.length === 0) {
    throw new Error('the audit webhook server needs a client CA or a bearer token to authenticate the API server.');
  }
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  let batch = 0;
  const server = https.createServer({
    cert: pem(options.cert),
    key: pem(options.key),
    ...(options.clientCa !== undefined ? { ca: pem(options.clientCa), requestCert: true, rejectUnauthorized: false } : {}),
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    headersTimeout: Math.min(options.requestTimeoutMs ?? 30_000, 10_000),
  }, (req, res) => {
    const who = req.socket.remoteAddress ?? 'unknown';
    const answer = (code: number, why?: string) => {
      if (why !== undefined) options.onLog(`${code} for ${req.method} ${who}: ${why}`);
      res.writeHead(code, { 'content-type': 'application/json', ...(code >= 400 ? { connection: 'close' } : {}) });
      res.end(code === 200 ? '{}' : JSON.stringify({ code, message: why ?? '' }));
    };
    if (!authenticated(req, tokens)) {
      req.resume();
      return answer(401, 'no accepted client certificate or bearer token; nothing recorded');
    }
    if (req.method !== 'POST') {
      req.resume();
      return answer(405, 'only POST is accepted');
    }
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > maxBody) {
      req.resume();
      return answer(413, `the body of ${declared} bytes is over the limit of ${maxBody}`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > maxBody) {
        refused = true;
        chunks.length = 0;
        answer(413, `the body is over the limit of ${maxBody} bytes`);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (refused) return;
      const result = readEventList(Buffer.concat(chunks).toString('utf8'), `webhook#${++batch}`);
      if (!result.ok) return answer(400, result.message);
      if (result.problems.length > 0) options.onProblems?.(result.problems);
      options.onRecords(result.records, result.lines);
      answer(200);
    });
    req.on('error', () => undefined);
  });
  server.maxConnections = options.maxConnections ?? 64;
  // An idle or stalled connection is closed, so no caller holds a socket (and its buffers) for long.
  server.setTimeout(options.requestTimeoutMs ?? 30_000, (socket) => socket.destroy());
  server.on('tlsClientError', () => undefined);
  return server;
}
