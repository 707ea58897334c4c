/**
 * YAML output (`--output yaml`): the document `--output json` prints, as YAML in kubectl's layout
 * (sequences not indented under their key), never folded, never coloured. Strings from manifests
 * are data: the YAML writer quotes whatever would otherwise read as another value, in YAML 1.1 as
 * kubectl's YAML does (`"yes"`, `"on"`, times), so older readers get strings too.
 */
import { stringify } from 'yaml';

/** Renders `value` as one YAML document ending in a newline. */
export function renderYaml(value: unknown): string {
  return stringify(value, { indentSeq: false, lineWidth: 0, version: '1.1' });
}

/** The JSON text a command printed for `--output json`, re-rendered as YAML. */
export function jsonTextToYaml(json: string): string {
  return json.trim() === '' ? json : renderYaml(JSON.parse(json));
}
