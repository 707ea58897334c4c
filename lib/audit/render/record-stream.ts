/**
 * The views written one request at a time, as the log is read: `json` (one JSON object per line)
 * and `yaml` (one YAML document per request, `---` before each, the same fields as `json`).
 */
import { stringify } from 'yaml';
import type { AuditView } from '../options';
import { AuditRecord } from '../types';
import { jsonRow, renderJsonLine } from './json-lines';

/**
 * One request as a YAML document: `---`, then the fields of {@link jsonRow}. Written as YAML 1.1, as
 * kubectl's YAML is: a string that a 1.1 reader would take for another type (a time, `yes`) is quoted.
 */
export function renderYamlDocument(record: AuditRecord): string {
  return `---\n${stringify(jsonRow(record), { lineWidth: 0, version: '1.1' })}`;
}

/** The writer of one request for a view written record by record (`json`, `yaml`), or `undefined` for the other views. */
export function recordRenderer(view: AuditView): ((record: AuditRecord) => string) | undefined {
  return view === 'json' ? renderJsonLine : view === 'yaml' ? renderYamlDocument : undefined;
}
