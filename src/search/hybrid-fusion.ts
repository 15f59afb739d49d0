/**
 * Fuses a lexical and a dense ranking into one.
 *
 * Linear fusion ("relative score" blend): each side's scores are rescaled so that its best
 * candidate is 1 and its candidate at FUSION_FLOOR_RANK is 0, then blended:
 * (1 - alpha) * lexical + alpha * dense. Rescaling against a floor, not against 0, is what
 * lets a paper found only by meaning compete. Dividing BM25F by the best score alone (the
 * earlier blend) left every lexical candidate of a long query near 0.5-1, so none of the
 * papers the vector side alone found ever reached a page (arxiv-topics reach 0.005 against
 * 0.095 now). The floor is a fixed rank, not the list's end, so a first page is the same
 * whether the caller fetched 30 candidates per side (the product) or 1000 (the evaluation).
 * A candidate a side did not list gets that side's last listed score (a bound: it scored no
 * more), or its true cosine when the caller can compute it; when the lexical side listed fewer
 * than FUSION_FLOOR_RANK papers, those are all the papers holding the words, and the rest get 0.
 *
 * Reciprocal rank fusion (Cormack et al. 2009) is the parameter-light alternative: sum of
 * 1 / (k + rank).
 */

/** Rank (1-based) whose score each side's rescaling maps to 0; the product's first-page depth. */
export const FUSION_FLOOR_RANK = 30;

export interface ScoredKey {
  key: string;
  score: number;
}

function byScoreThenKey(a: ScoredKey, b: ScoredKey): number {
  return b.score - a.score || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

/**
 * Maps a side's scores to 1 at its best and 0 at its floor rank (below the floor: negative).
 * A list shorter than the floor rank holds every candidate there is (callers fetch at least
 * FUSION_FLOOR_RANK per side): with `unlistedScoreZero` (lexical: fewer papers match the words)
 * the paper at the floor rank scores 0, otherwise (vectors: the corpus or the filter is that
 * small) the last listed one is the floor.
 */
function relativeScale(list: readonly ScoredKey[], floorRank: number, unlistedScoreZero: boolean): (score: number) => number {
  if (list.length === 0) return () => 0;
  const best = list[0]!.score;
  const floor = list.length >= floorRank ? list[floorRank - 1]!.score : unlistedScoreZero ? 0 : list[list.length - 1]!.score;
  // A side with one candidate, or all tied: each listed candidate counts as fully matching.
  if (!(best > floor)) return (score) => (score >= best ? 1 : 0);
  return (score) => (score - floor) / (best - floor);
}

export function linearFusion(lexical: readonly ScoredKey[], dense: readonly ScoredKey[], alpha: number, cosineOf?: (key: string) => number, floorRank = FUSION_FLOOR_RANK): ScoredKey[] {
  const lexicalScale = relativeScale(lexical, floorRank, true);
  const denseScale = relativeScale(dense, floorRank, false);
  // A full lexical list bounds what it left out by its last score; a short one listed every match.
  const lexicalUnlisted = lexical.length >= floorRank ? lexicalScale(lexical[lexical.length - 1]!.score) : 0;
  const denseUnlisted = dense.length > 0 ? denseScale(dense[dense.length - 1]!.score) : 0;
  const fused = new Map<string, number>();
  for (const h of lexical) fused.set(h.key, (1 - alpha) * lexicalScale(h.score));
  const seenDense = new Set<string>();
  for (const h of dense) {
    seenDense.add(h.key);
    fused.set(h.key, (fused.get(h.key) ?? (1 - alpha) * lexicalUnlisted) + alpha * denseScale(h.score));
  }
  for (const h of lexical) {
    if (seenDense.has(h.key)) continue;
    fused.set(h.key, fused.get(h.key)! + alpha * (cosineOf ? denseScale(cosineOf(h.key)) : denseUnlisted));
  }
  return [...fused].map(([key, score]) => ({ key, score })).sort(byScoreThenKey);
}

export function reciprocalRankFusion(lists: readonly (readonly ScoredKey[])[], k = 60): ScoredKey[] {
  const fused = new Map<string, number>();
  for (const list of lists) list.forEach((h, rank) => fused.set(h.key, (fused.get(h.key) ?? 0) + 1 / (k + rank + 1)));
  return [...fused].map(([key, score]) => ({ key, score })).sort(byScoreThenKey);
}
