/**
 * Fuses a lexical and a dense ranking into one. Linear fusion: each candidate's BM25F score is
 * divided by the query's best BM25F score (so it lies in [0, 1] whatever the query length) and
 * blended with its cosine similarity: (1 - alpha) * bm25 / max + alpha * cosine. Candidates the
 * lexical list missed get 0 lexical; candidates the dense list missed get their true cosine
 * when the caller can compute it. Reciprocal rank fusion (Cormack et al. 2009) is the
 * parameter-light alternative: sum of 1 / (k + rank).
 */

export interface ScoredKey {
  key: string;
  score: number;
}

function byScoreThenKey(a: ScoredKey, b: ScoredKey): number {
  return b.score - a.score || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

export function linearFusion(lexical: readonly ScoredKey[], dense: readonly ScoredKey[], alpha: number, cosineOf?: (key: string) => number): ScoredKey[] {
  const max = lexical.reduce((m, h) => Math.max(m, h.score), 0);
  const fused = new Map<string, number>();
  for (const h of lexical) fused.set(h.key, (1 - alpha) * (max > 0 ? h.score / max : 0));
  const seenDense = new Set<string>();
  for (const h of dense) {
    seenDense.add(h.key);
    fused.set(h.key, (fused.get(h.key) ?? 0) + alpha * h.score);
  }
  if (cosineOf) for (const h of lexical) if (!seenDense.has(h.key)) fused.set(h.key, fused.get(h.key)! + alpha * cosineOf(h.key));
  return [...fused].map(([key, score]) => ({ key, score })).sort(byScoreThenKey);
}

export function reciprocalRankFusion(lists: readonly (readonly ScoredKey[])[], k = 60): ScoredKey[] {
  const fused = new Map<string, number>();
  for (const list of lists) list.forEach((h, rank) => fused.set(h.key, (fused.get(h.key) ?? 0) + 1 / (k + rank + 1)));
  return [...fused].map(([key, score]) => ({ key, score })).sort(byScoreThenKey);
}
