/**
 * Kubernetes name rules (apimachinery `IsDNS1123Label` / `IsDNS1123Subdomain`), returning
 * whole sentences so callers can show them next to a construct path.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** The longest DNS-1123 label (namespace names, label-style names). */
export const MAX_LABEL_LENGTH = 63;
/** The longest DNS-1123 subdomain (most object names). */
export const MAX_SUBDOMAIN_LENGTH = 253;

/**
 * Problems with `value` as a DNS-1123 label (namespaces, container names, ...).
 *
 * @param what a short description used in the message, e.g. `namespace name`
 * @param value the name to check
 * @returns one sentence per problem; empty when the name is valid
 */
export function dns1123LabelProblems(what: string, value: string): string[] {
  return nameProblems(what, value, MAX_LABEL_LENGTH, DNS1123_LABEL, 'a lowercase RFC 1123 label');
}

/**
 * Problems with `value` as a DNS-1123 subdomain (most object names).
 *
 * @param what a short description used in the message, e.g. `secret name`
 * @param value the name to check
 * @returns one sentence per problem; empty when the name is valid
 */
export function dns1123SubdomainProblems(what: string, value: string): string[] {
  return nameProblems(what, value, MAX_SUBDOMAIN_LENGTH, DNS1123_SUBDOMAIN, 'a lowercase RFC 1123 subdomain');
}

function nameProblems(what: string, value: string, maxLength: number, pattern: RegExp, kind: string): string[] {
  if (typeof value !== 'string' || value.length === 0) {
    return [`The ${what} is empty. Give it a name of 1 to ${maxLength} characters.`];
  }
  const problems: string[] = [];
  if (value.length > maxLength) {
    problems.push(`The ${what} "${value}" is ${value.length} characters long. Shorten it to at most ${maxLength}.`);
  }
  if (!pattern.test(value)) {
    problems.push(
      `The ${what} "${value}" is not ${kind}. Use only lowercase letters, digits and '-'` +
        `${kind.includes('subdomain') ? " (and '.' between parts)" : ''}, starting and ending with a letter or digit.`,
    );
  }
  return problems;
}
