import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { addValidation } from './private/validation';

/**
 * Fails synth when two API objects under `scope` share kind, namespace and name: the second
 * `kubectl apply` would silently overwrite the first.
 *
 * @param scope usually a chart; only objects below it are compared
 */
export function validateUniqueObjectNames(scope: IConstruct): void {
  addValidation(scope, () => {
    const seen = new Map<string, string>();
    const problems: string[] = [];
    for (const child of scope.node.findAll()) {
      if (!ApiObject.isApiObject(child)) continue;
      const group = child.apiGroup || 'core';
      const key = `${group}/${child.kind}/${child.metadata.namespace ?? ''}/${child.name}`;
      const first = seen.get(key);
      if (first === undefined) {
        seen.set(key, child.node.path);
      } else {
        const where = child.metadata.namespace ? ` in namespace "${child.metadata.namespace}"` : '';
        problems.push(`${child.kind} "${child.name}"${where} is defined twice (${first} and ${child.node.path}). Give one of them another name.`);
      }
    }
    return problems;
  });
}
