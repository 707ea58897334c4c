/**
 * An HTTPS backend for kube-apiserver's audit webhook (`--audit-webhook-config-file`). It
 * authenticates its caller (a client certificate signed by the given CA, or a bearer token; anything
 * else gets 401 and nothing is recorded), reads each batch with a size limit (413 beyond it; 400 for
 * a body that is not an EventList), and hands the records on (503 when the receiver cannot take
 * them now, so kube-apiserver sends the batch again). Memory is bounded: a body is held only while
 * it is read, at most `maxBodyBytes` each for at most `maxConnections` callers, and slow or stalled
 * callers, including connections that never start TLS, are cut off after `requestTimeoutMs`. No
 * flags, no signals: the CLI owns those.
 */
import { createHash, timingSafeEqual } from 'crypto';
import * as http from 'http';
import * as https from 'https';
import type { Socket } from 'net';
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
  /**
   * Receives the records of each accepted batch, in order, and each event as a JSON line (the log
   * file format). It may throw to refuse the batch when it cannot take it now (its output is full,
   * its disk is full): the caller gets 503 and sends the batch again, and the error's message is
   * logged, so it must have kept nothing of the batch.
   */
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

/** The connections of a server and its requests in flight, for {@link closeAuditWebhookServer}. */
interface Connections {
  readonly sockets: Set<Socket>;
  inFlight: number;
  /** Called when the last request in flight is answered. */
  onIdle?: () => void;
}

const connectionsOf = new WeakMap<https.Server, Connections>();

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
  const timeout = options.requestTimeoutMs ?? 30_000;
  const connections: Connections = { sockets: new Set(), inFlight: 0 };
  let batch = 0;
  const server = https.createServer({
    cert: pem(options.cert),
    key: pem(options.key),
    ...(options.clientCa !== undefined ? { ca: pem(options.clientCa), requestCert: true, rejectUnauthorized: false } : {}),
    // A connection that never finishes (or never starts) its TLS handshake holds one of the
    // `maxConnections` places: Node's default of 120 s would let 64 idle sockets shut everyone out.
    handshakeTimeout: timeout,
    requestTimeout: timeout,
    headersTimeout: Math.min(timeout, 10_000),
  }, (req, res) => {
    connections.inFlight++;
    res.once('close', () => {
      if (--connections.inFlight === 0) connections.onIdle?.();
    });
    const who = req.socket.remoteAddress ?? 'unknown';
    const answer = (code: number, why?: string) => {
      if (why !== undefined) options.onLog(`${code} for ${req.method} ${who}: ${why}`);
      res.writeHead(code, {
        'content-type': 'application/json',
        ...(code >= 400 ? { connection: 'close' } : {}),
        ...(code === 503 ? { 'retry-after': '1' } : {}),
      });
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
      try {
        options.onRecords(result.records, result.lines);
      } catch (e) {
        return answer(503, `${e instanceof Error ? e.message : String(e)}; the batch was not kept, so the API server may send it again`);
      }
      if (result.problems.length > 0) options.onProblems?.(result.problems);
      answer(200);
    });
    req.on('error', () => undefined);
  });
  server.maxConnections = options.maxConnections ?? 64;
  // An idle or stalled connection is closed, so no caller holds a socket (and its buffers) for long.
  server.setTimeout(timeout, (socket) => socket.destroy());
  server.on('tlsClientError', () => undefined);
  // Every TCP connection, from before its TLS handshake on: closing must not wait for idle ones.
  server.on('connection', (socket: Socket) => {
    connections.sockets.add(socket);
    socket.once('close', () => connections.sockets.delete(socket));
  });
  connectionsOf.set(server, connections);
  return server;
}

/**
 * Stops a server made by {@link createAuditWebhookServer}: it accepts no new connection, lets the
 * requests in flight finish for at most `graceMs`, and closes every other connection at once
 * (idle keep-alive ones and those that never started TLS), then the rest.
 * @returns a promise that settles once every connection is closed
 */
export function closeAuditWebhookServer(server: https.Server, graceMs: number): Promise<void> {
  const connections = connectionsOf.get(server);
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    if (connections === undefined) {
      server.closeAllConnections();
      return;
    }
    const closeAll = () => {
      connections.onIdle = undefined;
      for (const socket of connections.sockets) socket.destroy();
      server.closeAllConnections();
    };
    if (connections.inFlight === 0) return closeAll();
    server.closeIdleConnections();
    connections.onIdle = closeAll;
    // Requests still open after the grace period are cut off; what they sent is not counted.
    setTimeout(closeAll, graceMs).unref();
  });
}
