/**
 * Label selectors as `metav1.LabelSelectorAsSelector` evaluates them, for ClusterRole aggregation.
 */
import { RbacInputError } from './errors';
import { LabelSelector } from './types';

/** A label selector that cannot be evaluated (unknown operator, values where none are allowed, ...). */
export class InvalidSelectorError extends RbacInputError {}

/**
 * True when `labels` satisfy `selector`. As upstream, an empty selector (no matchLabels, no
 * matchExpressions) matches everything, and `NotIn`/`DoesNotExist` match objects without the label.
 * @throws InvalidSelectorError for an unknown operator or misplaced values
 */
export function labelSelectorMatches(selector: LabelSelector, labels: Readonly<Record<string, string>> | undefined): boolean {
  const have = labels ?? {};
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (have[key] !== value) return false;
  }
  for (const req of selector.matchExpressions ?? []) {
    const values = req.values ?? [];
    const present = Object.prototype.hasOwnProperty.call(have, req.key);
    switch (req.operator) {
      case 'In':
        if (values.length === 0) throw new InvalidSelectorError(`label selector requirement on ${JSON.stringify(req.key)}: operator In needs at least one value.`);
        if (!present || !values.includes(have[req.key])) return false;
        break;
      case 'NotIn':
        if (values.length === 0) throw new InvalidSelectorError(`label selector requirement on ${JSON.stringify(req.key)}: operator NotIn needs at least one value.`);
        if (present && values.includes(have[req.key])) return false;
        break;
      case 'Exists':
        if (values.length > 0) throw new InvalidSelectorError(`label selector requirement on ${JSON.stringify(req.key)}: operator Exists takes no values.`);
        if (!present) return false;
        break;
      case 'DoesNotExist':
        if (values.length > 0) throw new InvalidSelectorError(`label selector requirement on ${JSON.stringify(req.key)}: operator DoesNotExist takes no values.`);
        if (present) return false;
        break;
      default:
        throw new InvalidSelectorError(
          `label selector requirement on ${JSON.stringify(req.key)}: ${JSON.stringify(req.operator)} is not a valid operator; use In, NotIn, Exists or DoesNotExist.`,
        );
    }
  }
  return true;
}
