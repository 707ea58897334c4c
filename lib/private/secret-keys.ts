/**
 * The keys a Secret's `data` may hold, as the API server validates them (apimachinery
 * `IsConfigMapKey`): 1 to 253 letters, digits, `-`, `_` or `.`, neither `.` nor `..` nor starting
 * with `..`.
 */

const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
const MAX_SECRET_KEY_LENGTH = 253;
/** How much of a refused key a message shows. */
const SHOWN = 64;

function shown(key: string): string {
  return key.length > SHOWN ? `${JSON.stringify(key.slice(0, SHOWN))}... (${key.length} characters)` : JSON.stringify(key);
}

/**
 * Why `key` cannot be a key of the Secret this library writes, in a sentence that starts with
 * "the key" (never holding a value), or `undefined` when it can.
 */
export function secretKeyProblem(key: string): string | undefined {
  if (key === '__proto__') {
    // The API server would take it, but a JavaScript object given this key changes its prototype
    // instead: the key would vanish from the Secret without a word.
    return 'the key "__proto__" cannot be carried into the Secret (a JavaScript object drops it). Rename the key.';
  }
  if (key.length > MAX_SECRET_KEY_LENGTH || !SECRET_KEY.test(key) || key === '.' || key === '..' || key.startsWith('..')) {
    return `the key ${shown(key)} is not a valid Secret key: use 1 to ${MAX_SECRET_KEY_LENGTH} letters, digits, "-", "_" or ".", `
      + 'not "." or ".." and not starting with "..". The API server refuses the Secret otherwise.';
  }
  return undefined;
}
