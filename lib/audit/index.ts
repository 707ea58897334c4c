/**
 * `cdk8s-api-reader/audit`: audit-log reading and reporting. Streaming and pure: no cdk8s, no
 * command-line flags, no exit codes. Reads `audit.k8s.io` v1, v1beta1 and v1alpha1 events as JSON
 * lines or `EventList` documents (plain or gzip), legacy text logs of both generations, and GKE,
 * AKS and EKS exports; filters, and reports as a table, a summary, JSON lines, or least-privilege
 * advice with a diff against the manifests. Every name below is exported on purpose; the rest is internal.
 *
 * @example
 * const result = await runAudit(
 *   { logs: ['/var/log/kube-apiserver/audit.log'], filter: { decision: 'forbid' }, view: 'summary' },
 *   { logs: logInputs(['/var/log/kube-apiserver/audit.log'], () => process.stdin) },
 * );
 * process.stdout.write(result.stdout);
 */

// One run, from options to output
export { MAX_WARNINGS, renderKept, runAudit } from './run';
export type { AuditRunInput, AuditRunResult, KeptReport } from './run';
export { AuditSink } from './sink';

// The audit webhook (kube-apiserver's --audit-webhook-config-file)
export { createAuditWebhookServer, DEFAULT_MAX_BODY_BYTES } from './webhook/server';
export type { AuditWebhookServerOptions } from './webhook/server';
export { readEventList } from './webhook/event-list';
export type { EventListResult } from './webhook/event-list';
export type { AdviseRunOptions, AuditOptions, AuditView } from './options';

// Reading logs
export { logInputs, STDIN_NAME } from './files';
export { readAuditBatches, readAuditRecords } from './reader';
export type { LogInput, ReadOptions } from './reader';
export { recordFromEvent } from './event';
export type { EventContext } from './event';
export { parseRequestUri } from './request-uri';
export type { RequestInfo } from './request-uri';
export {
  AUDIT_STAGES, DECISION_ANNOTATION, effectiveUser, REASON_ANNOTATION, resourceLabel,
} from './types';
export type {
  AuditDecision, AuditEnvelope, AuditEventV1, AuditFormat, AuditRecord, AuditStage, LogLocation, LogProblem,
} from './types';
export { AuditLogError, AuditUsageError } from './errors';

// Filtering
export { compileFilter, DEFAULT_STAGES, expandUser, isUserPrefix, parseResourceSelector, resourceSelected, userPattern } from './filter';
export type { AuditFilter, ResourceSelector } from './filter';
export { parseDuration, parseTimeBound, recordTime } from './time';

// Reports
export { AuditSummary, summarize } from './summary';
export type { SummaryRow } from './summary';
export { accessRequest, ObservedAccesses } from './observed';
export type { ObservedAccess } from './observed';
export { adviceSubject, adviseRbac, DEFAULT_MAX_NAMES } from './advice';
export type {
  Advice, AdviceCoverage, AdviceGrant, AdviceScope, AdviceSubject, AdviseOptions, CoveredAccess, LeastRules, RuleOptions,
  SuggestedBinding, SuggestedRole,
} from './advice';
export { adviceReport, adviseAll } from './advice-report';
export type { AdviceReport, AdviceReportInput, AllAdvice } from './advice-report';
export { isSystemIdentity, ObservedSubjects } from './observed-subjects';
export type { RejectedRecord, SubjectSelection } from './observed-subjects';
export { diffGrants } from './diff';
export type { CheckedAccess, DiffOptions, GrantDiff, UnusedGrant } from './diff';
export { renderTable } from './render/table';
export { renderSummary } from './render/summary';
export type { CellText, ColumnFormat, ColumnFormatLike } from './render/columns';
export { jsonRow, renderJsonLine } from './render/json-lines';
export type { AuditJsonRow } from './render/json-lines';
export { renderAdviceYaml } from './render/advice-yaml';
export { renderAdviceTypeScript, renderAdviceTypeScriptModule } from './render/advice-typescript';
export type { AdviceTypeScriptOptions } from './render/advice-typescript';
export { renderDiff } from './render/diff';
