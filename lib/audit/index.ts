/**
 * Audit-log reading and reporting: streaming, pure, no cdk8s. Read `audit.k8s.io/v1` JSON lines
 * (plain or gzip) and legacy text logs, filter, and report as a table, a summary, JSON lines, or
 * least-privilege advice with a diff against the manifests.
 *
 * @example
 * const result = await runAudit(
 *   auditOptions(['/var/log/kube-apiserver/audit.log'], flags, Date.now()),
 *   { logs: logInputs(['/var/log/kube-apiserver/audit.log'], () => process.stdin) },
 * );
 */
export * from './types';
export * from './errors';
export * from './request-uri';
export * from './go-quote';
export * from './event';
export * from './legacy';
export * from './line';
export * from './lines';
export * from './reader';
export * from './files';
export * from './time';
export * from './filter';
export * from './summary';
export * from './observed';
export * from './advice';
export * from './diff';
export * from './options';
export * from './sink';
export * from './parallel/batch';
export * from './parallel/pool';
export * from './parallel/read';
export * from './render/columns';
export * from './render/table';
export * from './render/summary';
export * from './render/json-lines';
export * from './render/advice-yaml';
export * from './render/advice-typescript';
export * from './render/diff';
export * from './run';
