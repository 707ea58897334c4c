/**
 * EKS's control-plane audit logs, which CloudWatch Logs holds in the log group
 * `/aws/eks/<cluster>/cluster`, streams `kube-apiserver-audit-*`, each log event's `message` a v1
 * Event as a JSON string. Read as exported: `aws logs filter-log-events` / `get-log-events` output
 * (`{ "events": [...] }`), a subscription filter's payload (`{ "logEvents": [...] }`), one log
 * event object per line, and an S3 export task's lines (`<ISO time> <event JSON>`).
 */

/** The prefix of the log streams that hold audit events. */
export const EKS_AUDIT_STREAM_PREFIX = 'kube-apiserver-audit';

type Json = Readonly<Record<string, unknown>>;

/** The keys under which exports list CloudWatch log events. */
export const CLOUDWATCH_EVENT_LISTS: readonly string[] = ['events', 'logEvents'];

/** True when `value` is a CloudWatch Logs log event: a `message` string with a `timestamp` or a stream name. */
export function isCloudWatchEvent(value: Json): boolean {
  return typeof value.message === 'string' && (typeof value.timestamp === 'number' || typeof value.logStreamName === 'string' || typeof value.ingestionTime === 'number');
}

/**
 * The event text of a CloudWatch log event (check {@link isCloudWatchEvent} first).
 * @returns `{ text }`, the message to parse, or a sentence saying why it holds no audit event
 */
export function cloudWatchEventText(event: Json): { readonly text: string } | string {
  const stream = event.logStreamName;
  if (typeof stream === 'string' && !stream.startsWith(EKS_AUDIT_STREAM_PREFIX)) {
    return `a CloudWatch log event of stream ${JSON.stringify(stream)}, not ${EKS_AUDIT_STREAM_PREFIX}-* (only those hold audit events)`;
  }
  return { text: event.message as string };
}

const EXPORT_LINE = /^\d{4}-\d{2}-\d{2}T\S+ \{/;

/**
 * The JSON part of an S3 export line (`2024-05-01T10:00:00.000Z {"kind":"Event",...}`).
 * @returns the JSON text, or `undefined` when the line is not such a line
 */
export function s3ExportJson(line: string): string | undefined {
  return EXPORT_LINE.test(line) ? line.slice(line.indexOf(' ') + 1) : undefined;
}
