/**
 * "Did you mean …?": the candidates closest to a mistyped name, by case-insensitive edit distance. Its own small
 * module so that a hyperparameter or learner lookup does not load the strategy zoo (src/strategies/registry.ts
 * re-exports it for the strategy names).
 */

/** A name as lookups compare it: trimmed, inner spaces collapsed, lower case. */
export function normaliseName(name: string): string {
  return name.trim().replace(/\s+/g, " ").toLowerCase();
}

/** Levenshtein distance between two strings. */
function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  const cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
    }
    for (let j = 0; j <= b.length; j++) prev[j] = cur[j];
  }
  return prev[b.length];
}

/** The `k` names of `candidates` closest to `name` (case-insensitive edit distance), e.g. hyperparameter keys. */
export function closestAmong(name: string, candidates: readonly string[], k = 3): string[] {
  const target = normaliseName(name);
  return candidates
    .map((n) => ({ n, d: editDistance(target, normaliseName(n)) }))
    .sort((x, y) => x.d - y.d || x.n.localeCompare(y.n))
    .slice(0, k)
    .map((x) => x.n);
}
