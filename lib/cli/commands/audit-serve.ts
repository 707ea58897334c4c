/**
 * `api-reader audit serve`: the audit webhook backend. kube-apiserver sends its events to it
 * (`--audit-webhook-config-file`, a kubeconfig naming this server); it keeps the same views as
 * `audit` over a log file (summary, JSON lines, advice) and reports on SIGHUP and when it stops
 * (SIGTERM or SIGINT: it stops accepting, finishes the requests in flight, then reports). The
 * server is `lib/audit`'s; this module reads the flags and files and owns the signals.
 */
import * as fs from 'fs';
import type { AuditOptions } from '../../audit/options';
import { DEFAULT_MAX_BODY_BYTES } from '../../audit/webhook/limits';
import { FlagSpec, ParsedArgs } from '../args';
import {
  CommandResult, CommandStreams, CommonOptions, OptionsContext, StreamingCommand,
} from '../command';
import { CliInputError, OutputClosedError, UsageError } from '../errors';
import { LoadedInput } from '../input';
import { terminalText } from '../render/terminal-text';
import { AUDIT_FLAGS, auditCommandOptions, parseByteSize, sharedAuditCommandOptions, userSpellingHints } from './audit-options';

const NAME = 'audit serve';

/** The options of `audit serve`. */
export interface AuditServeOptions extends CommonOptions {
  /** What to keep and report (the logs are unused). */
  readonly audit: AuditOptions;
  /** Host to listen on. */
  readonly host: string;
  /** Port to listen on; 0 picks a free one (printed on stderr). */
  readonly port: number;
  /** `--tls-cert-file`. */
  readonly certFile: string;
  /** `--tls-private-key-file`. */
  readonly keyFile: string;
  /** `--client-ca-file`, when client certificates are accepted. */
  readonly clientCaFile?: string;
  /** `--token-file`, when bearer tokens are accepted. */
  readonly tokenFile?: string;
  /** `--max-body`. */
  readonly maxBodyBytes: number;
  /** `--request-timeout`, in milliseconds. */
  readonly requestTimeoutMs: number;
  /** `--events-file`: every kept record appended as a JSON line. */
  readonly eventsFile?: string;
  /** `--report-file`: where reports go instead of stdout. */
  readonly reportFile?: string;
}

const SERVE_FLAGS: readonly FlagSpec[] = [
  { name: 'listen', type: 'string', placeholder: 'HOST:PORT', description: 'address to listen on (default 127.0.0.1:9443; port 0 picks a free one, printed on stderr)' },
  { name: 'tls-cert-file', type: 'string', placeholder: 'FILE', description: "the server's certificate (PEM); required" },
  { name: 'tls-private-key-file', type: 'string', placeholder: 'FILE', description: "the server's private key (PEM); required" },
  { name: 'client-ca-file', type: 'string', placeholder: 'FILE', description: 'accept client certificates signed by this CA (PEM)' },
  { name: 'token-file', type: 'string', placeholder: 'FILE', description: 'accept the bearer tokens in this file, one per line (never printed)' },
  { name: 'max-body', type: 'string', placeholder: 'SIZE', description: `largest batch accepted, e.g. 64Mi; larger ones get 413 (default ${DEFAULT_MAX_BODY_BYTES / 1024 / 1024}Mi)` },
  { name: 'request-timeout', type: 'string', placeholder: 'SECONDS', description: 'cut off a caller that takes longer to send one request (default 30)' },
  { name: 'events-file', type: 'string', placeholder: 'FILE', description: "append every kept event to FILE as a JSON line, the API server's log file format that api-reader audit reads; a batch that cannot be written (a full disk) gets 503 and is not counted" },
  { name: 'report-file', type: 'string', placeholder: 'FILE', description: 'write each report (on SIGHUP and at exit) to FILE instead of stdout' },
];

/**
 * The `audit` flags that make sense for a server: not those about reading log lines (--strict,
 * --max-line-bytes), and its own -o (no table, which keeps every row; summary by default).
 */
const KEPT_AUDIT_FLAGS: readonly FlagSpec[] = AUDIT_FLAGS.filter((f) => !['strict', 'max-line-bytes'].includes(f.name)).map((f) => (f.name !== 'output' ? f : {
  ...f,
  placeholder: 'summary|json|yaml|typescript',
  description: 'The view: summary (default), json (JSON lines) or yaml (one document per request), written as batches arrive; with --advise: yaml (default) or typescript.',
}));

function listenAddress(value: string | undefined): { host: string; port: number } {
  const text = value ?? '127.0.0.1:9443';
  const m = /^(.*):(\d{1,5})$/.exec(text);
  if (!m || m[1] === '' || Number(m[2]) > 65535) throw new UsageError(`--listen ${JSON.stringify(text)} is not HOST:PORT, e.g. 127.0.0.1:9443.`, NAME);
  return { host: m[1].replace(/^\[(.*)\]$/, '$1'), port: Number(m[2]) };
}

function required(args: ParsedArgs, flag: string): string {
  const value = args.string(flag);
  if (value === undefined || value === '') throw new UsageError(`--${flag} FILE is required.`, NAME);
  return value;
}

function options(args: ParsedArgs, context: OptionsContext): AuditServeOptions {
  if (args.positionals.length > 0) throw new UsageError(`audit serve reads no log files (got ${JSON.stringify(args.positionals[0])}): the API server sends the events.`, NAME);
  const audit = auditCommandOptions([], args, context.now, NAME, 'summary');
  if (audit.view === 'table' || audit.view === 'wide') {
    throw new UsageError('the table view keeps every row, which a server cannot; use -o summary (the default), -o json or --advise.', NAME);
  }
  const clientCaFile = args.string('client-ca-file');
  const tokenFile = args.string('token-file');
  if (clientCaFile === undefined && tokenFile === undefined) {
    throw new UsageError('give --client-ca-file or --token-file (or both): the server must authenticate the API server.', NAME);
  }
  const maxBody = args.string('max-body');
  const files = args.list('filename');
  if (files.length > 0 && audit.advise === undefined) throw new UsageError('-f names manifests for --advise; add --advise.', NAME);
  if (audit.advise?.missingOnly && files.length === 0) throw new UsageError('--missing-only needs the manifests that grant today: add -f PATH.', NAME);
  const timeout = args.string('request-timeout');
  if (timeout !== undefined && !/^[1-9]\d{0,4}$/.test(timeout)) throw new UsageError(`--request-timeout must be a whole number of seconds from 1 to 99999, not ${JSON.stringify(timeout)}.`, NAME);
  const eventsFile = args.string('events-file');
  const reportFile = args.string('report-file');
  return {
    ...sharedAuditCommandOptions(args, audit, files, NAME),
    ...listenAddress(args.string('listen')),
    certFile: required(args, 'tls-cert-file'),
    keyFile: required(args, 'tls-private-key-file'),
    ...(clientCaFile !== undefined ? { clientCaFile } : {}),
    ...(tokenFile !== undefined ? { tokenFile } : {}),
    maxBodyBytes: maxBody !== undefined ? parseByteSize(maxBody, '--max-body', NAME) : DEFAULT_MAX_BODY_BYTES,
    requestTimeoutMs: (timeout !== undefined ? Number(timeout) : 30) * 1000,
    ...(eventsFile !== undefined ? { eventsFile } : {}),
    ...(reportFile !== undefined ? { reportFile } : {}),
  };
}

function readFile(file: string, what: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new CliInputError(`${file}: cannot read the ${what} (${(e as NodeJS.ErrnoException).code ?? 'error'}); check the path and its permissions.`);
  }
}

function tokens(file: string): string[] {
  const list = readFile(file, 'token file').toString('utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  if (list.length === 0) throw new CliInputError(`${file}: the token file holds no token; put one token per line.`);
  return list;
}

function errorCode(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));
}

/**
 * The `--events-file`: each batch's kept events appended whole, or not at all (a failed write is
 * cut back to where the batch began, so the file never ends in half an event).
 */
class EventsFile {
  private readonly fd: number;

  constructor(private readonly file: string) {
    try {
      this.fd = fs.openSync(file, 'a', 0o600);
    } catch (e) {
      throw new CliInputError(`${file}: cannot open the events file (${errorCode(e)}); check the path and its permissions.`);
    }
  }

  /** @throws Error saying why, when the text could not be written whole */
  append(text: string): void {
    let start: number | undefined;
    try {
      start = fs.fstatSync(this.fd).size;
      fs.writeSync(this.fd, text);
    } catch (e) {
      try {
        if (start !== undefined) fs.ftruncateSync(this.fd, start);
      } catch {
        // Not a regular file (a device, a pipe): nothing to cut back.
      }
      throw new Error(`cannot append to the events file ${this.file} (${errorCode(e)})`);
    }
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}

async function execute(o: AuditServeOptions, input: LoadedInput | undefined, streams: CommandStreams): Promise<CommandResult> {
  const cert = readFile(o.certFile, 'TLS certificate');
  const key = readFile(o.keyFile, 'TLS private key');
  const clientCa = o.clientCaFile !== undefined ? readFile(o.clientCaFile, 'client CA') : undefined;
  const bearerTokens = o.tokenFile !== undefined ? tokens(o.tokenFile) : undefined;
  const events = o.eventsFile !== undefined ? new EventsFile(o.eventsFile) : undefined;
  const logErr = (line: string) => streams.writeErr(`api-reader: audit serve: ${terminalText(line)}\n`);
  // Loaded on use, as in commands/audit.ts: other commands never need the audit library.
  const [{ AuditSink }, { renderKept }, { createAuditWebhookServer, closeAuditWebhookServer }] = await Promise.all([
    import('../../audit/sink'), import('../../audit/run'), import('../../audit/webhook/server'),
  ]);
  const sink = new AuditSink(o.audit);
  let problems = 0;
  // -o json: true while stdout has not taken what was written (batches then get 503, so memory stays bounded).
  let outputFull = false;
  let drained: Promise<void> | undefined;
  let outputClosed = false;

  /** Writes to stdout; false when stdout is gone. */
  const write = (text: string): boolean => {
    if (outputClosed) return false;
    try {
      const pending = streams.write(text);
      if (pending !== undefined) {
        outputFull = true;
        drained = pending.then(() => { outputFull = false; });
      }
      return true;
    } catch (e) {
      if (!(e instanceof OutputClosedError)) throw e;
      outputClosed = true;
      logErr('error: stdout is closed; nothing more is written to it');
      return false;
    }
  };

  /** Writes one report; never throws: a failure is an error line and `false`. */
  const report = async (why: string): Promise<boolean> => {
    const kept = renderKept(sink, o.audit, { ...(input ? { policy: input.policy } : {}), ...(streams.table ? { headers: streams.table.headers } : {}) });
    for (const w of [...kept.warnings, ...(sink.matched === 0 ? userSpellingHints(o.audit) : [])]) logErr(`warning: ${w}`);
    if (kept.error !== undefined) {
      logErr(`error: ${kept.error}`);
      return false;
    }
    logErr(`report (${why}): ${sink.records} request(s) received, ${sink.matched} kept${problems > 0 ? `, ${problems} item(s) that were not events skipped` : ''}`);
    if (o.reportFile !== undefined) {
      try {
        fs.writeFileSync(o.reportFile, kept.text, { mode: 0o600 });
      } catch (e) {
        logErr(`error: cannot write the report to ${o.reportFile} (${errorCode(e)}); check the path and its permissions (the server keeps running)`);
        return false;
      }
    } else if (kept.text !== '') {
      if (!write(kept.text)) return false;
      if (outputFull) await drained;
    }
    return true;
  };

  const server = createAuditWebhookServer({
    cert, key,
    ...(clientCa ? { clientCa } : {}),
    ...(bearerTokens ? { bearerTokens } : {}),
    maxBodyBytes: o.maxBodyBytes,
    requestTimeoutMs: o.requestTimeoutMs,
    onRecords: (records, lines) => {
      // A throw refuses the whole batch (503): so nothing of it may be kept before the last check.
      if (outputFull) throw new Error('stdout is not taking the JSON lines as fast as they come (-o json)');
      if (events !== undefined) {
        const kept = lines.filter((_, i) => sink.keep(records[i])).join('');
        if (kept !== '') events.append(kept);
      }
      let text = '';
      for (const r of records) text += sink.offer(r);
      if (text !== '') write(text);
    },
    onProblems: (list) => {
      problems += list.length;
    },
    onLog: logErr,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(new CliInputError(`cannot listen on ${o.host}:${o.port} (${e.code ?? e.message}); pick another --listen address.`)));
    server.listen(o.port, o.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : o.port;
  logErr(`listening on https://${o.host.includes(':') ? `[${o.host}]` : o.host}:${port}`);

  const onHup = () => void report('SIGHUP').catch((e: unknown) => logErr(`error: the report failed (${errorCode(e)})`));
  process.on('SIGHUP', onHup);
  const signal = await new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  process.off('SIGHUP', onHup);
  logErr(`${signal}: no new requests; finishing those in flight`);
  // Connections with nothing in flight (idle, or TLS never started) are closed at once; requests
  // still open after 5 s are cut off, and what they sent is not counted.
  await closeAuditWebhookServer(server, 5_000);
  events?.close();
  const ok = await report(signal);
  return { stdout: '', warnings: [], outcome: ok ? { kind: 'done' } : { kind: 'input-error' } };
}

/** `api-reader audit serve --tls-cert-file F --tls-private-key-file F (--client-ca-file F | --token-file F) [filters] [-o summary|json | --advise ...]`. */
export const auditServeCommand: StreamingCommand<AuditServeOptions> = {
  name: NAME,
  streaming: true,
  summary: "the API server's audit webhook backend: the same reports and advice, live",
  usage: 'audit serve --tls-cert-file FILE --tls-private-key-file FILE (--client-ca-file FILE | --token-file FILE)\n'
    + '       [--listen HOST:PORT] [filters] [-o summary|json|yaml | --advise [-o yaml|typescript] [-f PATH]] [flags]',
  details: [
    "An HTTPS backend for kube-apiserver's audit webhook. Point the API server at it with",
    '--audit-webhook-config-file, a kubeconfig whose cluster is https://HOST:PORT (with this',
    "server's CA) and whose user has a client certificate signed by --client-ca-file or a token from",
    '--token-file. Anything else gets 401 and nothing is recorded; a body that is not an',
    'audit.k8s.io/v1 EventList gets 400, one over --max-body gets 413, and a slow or stalled caller',
    '(or a connection that never starts TLS) is cut off after --request-timeout, so memory stays',
    'bounded: only the counts of the chosen view are kept.',
    '',
    'It reports with the same filters and views as `api-reader audit` (the summary by default, or',
    '--advise as YAML or TypeScript; -o json streams each request as it arrives) on SIGHUP, and when',
    'it stops on SIGTERM or SIGINT (after finishing the requests in flight). --events-file keeps',
    'every request as JSON lines, so `api-reader audit FILE` can report on it later. A batch it',
    'cannot keep now (stdout not keeping up with -o json, a full disk under --events-file) gets 503',
    'and is not counted; the API server sends it again.',
    '',
    'Example:',
    '  api-reader audit serve --listen 127.0.0.1:9443 --tls-cert-file tls.crt --tls-private-key-file tls.key \\',
    '    --token-file webhook.token --advise --user system:serviceaccount:dev:secret-access-sa --events-file audit.jsonl',
    '',
    'Exit codes: 0 stopped and reported, 2 a usage or input error (or an advice that failed its proof).',
  ].join('\n'),
  flags: [...KEPT_AUDIT_FLAGS.map((f) => ({ ...f, description: `${f.description[0].toLowerCase()}${f.description.slice(1)}`.replace(/\.$/, '') })), ...SERVE_FLAGS,
    { name: 'filename', short: 'f', type: 'list', placeholder: 'PATH', description: "with --advise: manifests to diff the advice against" }],
  requiresInput: false,
  options,
  execute,
};
