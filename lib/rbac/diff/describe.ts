/**
 * Access changes in words, shared by every output format: `get, list`, `secrets/api-access-secret`,
 * `in namespace dev`, `cluster-wide`. Pure text: each format escapes it as it needs.
 */
import type { SourceLocation } from '../load';
import type { AccessChange, SubjectAccessDiff } from './access-diff';
import type { ValueSet } from './rows';

/** A value set in words: `a, b`; `*`; `* except a, b`. */
export function setText(set: ValueSet, show: (v: string) => string = (v) => v): string {
  if (!set.any) return set.values.map(show).join(', ');
  return set.values.length === 0 ? '*' : `* except ${set.values.map(show).join(', ')}`;
}

/** `file:line`. */
export function locationText(at: SourceLocation): string {
  return `${at.file}:${at.line}`;
}

/** What a row is about: `secrets/api-access-secret`, `pods/log`, `/healthz/*`. */
export function targetText(change: AccessChange): string {
  if (change.kind === 'url') return setText(change.urls!);
  const subs = change.subresources!;
  const onlyResource = !subs.any && subs.values.length === 1 && subs.values[0] === '';
  const resources = setText(change.resources!);
  const sub = onlyResource ? '' : `/${subs.values.length === 1 && !subs.any ? subs.values[0] : `{${setText(subs, (v) => (v === '' ? '(none)' : v))}}`}`;
  const names = change.names!;
  const allNames = names.any && names.values.length === 0;
  const named = allNames ? '' : ` named ${setText(names, (v) => (v === '' ? '(no name)' : v))}`;
  return `${resources}${sub}${named}`;
}

/** Where a row holds: `cluster-wide`, `in namespace dev`, `cluster-wide except in namespace dev`. */
export function scopeText(change: AccessChange): string {
  if (change.kind === 'url') return 'cluster-wide';
  const ns = change.namespaces!;
  const show = (v: string) => (v === '' ? '(no namespace)' : v);
  if (ns.any) return ns.values.length === 0 ? 'cluster-wide' : `cluster-wide except in ${ns.values.map(show).join(', ')}`;
  return `in ${ns.values.length === 1 ? 'namespace' : 'namespaces'} ${ns.values.map(show).join(', ')}`;
}

/** A row in one line: `get, list secrets in namespace dev`. */
export function changeText(change: AccessChange): string {
  return `${setText(change.verbs)} ${targetText(change)} ${scopeText(change)}`;
}

/** A subject in words: `ServiceAccount dev/app`, `User alice`, `Group devs`. */
export function subjectText(s: SubjectAccessDiff): string {
  const { subject } = s;
  return subject.kind === 'ServiceAccount' ? `ServiceAccount ${subject.namespace}/${subject.name}` : `${subject.kind} ${subject.name}`;
}

/** `(new)`, `(gone)` or `""`. */
export function presenceText(s: SubjectAccessDiff): string {
  if (!s.inBase && s.inHead) return ' (new)';
  if (s.inBase && !s.inHead) return ' (gone)';
  return '';
}
