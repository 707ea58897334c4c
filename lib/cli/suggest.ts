/**
 * "Did you mean": the closest known word to a mistyped one (a command, a flag), by edit distance
 * with transpositions (`who-cna` is one edit from `who-can`), as cobra suggests commands.
 */

/** The optimal-string-alignment distance between `a` and `b` (insertions, deletions, substitutions, adjacent swaps). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The longest word compared: a longer input is not a typo of a short name. */
const MAX_WORD = 64;

/**
 * The candidate closest to `word` when it is near enough to be a typo: at most 2 edits (1 for words
 * of up to 4 letters), or `word` is a prefix of exactly one candidate; `undefined` otherwise.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  if (word === '' || word.length > MAX_WORD) return undefined;
  const limit = word.length <= 4 ? 1 : 2;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const distance = editDistance(word, c);
    if (distance < bestDistance) {
      best = c;
      bestDistance = distance;
    }
  }
  if (best !== undefined && bestDistance <= limit) return best;
  const prefixed = candidates.filter((c) => c.startsWith(word));
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

/** `"; did you mean X?"` for the closest candidate (shown with `show`), or `""`. */
export function didYouMean(word: string, candidates: readonly string[], show: (c: string) => string = (c) => c): string {
  const match = closest(word, candidates);
  return match === undefined ? '' : `; did you mean ${show(match)}?`;
}
