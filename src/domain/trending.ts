/**
 * The trending rule of DESIGN.md section 6: upvotes with time decay, ties broken by recency.
 * A paper's score is `upvotes / (ageHours + 2)^GRAVITY` (the Hacker News form): a fresh paper
 * with a few votes outranks an old one with slightly more, and the +2 keeps brand-new papers
 * from dividing by nothing. Age is measured against a reference instant, not the wall clock,
 * so an archived day ranks its papers as it would have on that day.
 */
export const TRENDING_GRAVITY = 1.5;

export interface TrendingCandidate {
  upvotes: number;
  /** When the paper entered the feed (submission time, else publication), ISO 8601. */
  enteredAt: string;
  /** Tie-breaker that keeps the order total: the arXiv id. */
  arxivId: string;
}

const HOUR_MS = 3_600_000;

/** Milliseconds since the epoch of an ISO date or timestamp (a bare date is midnight UTC). */
export function instantOf(iso: string): number {
  const t = Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  return Number.isNaN(t) ? 0 : t;
}

export function trendingScore(upvotes: number, enteredAt: string, reference: number): number {
  if (upvotes <= 0) return 0;
  const ageHours = Math.max(0, (reference - instantOf(enteredAt)) / HOUR_MS);
  return upvotes / Math.pow(ageHours + 2, TRENDING_GRAVITY);
}

/** Sorts trending first: score, then more upvotes, then newer, then arXiv id (descending). */
export function compareTrending(reference: number) {
  return (a: TrendingCandidate, b: TrendingCandidate): number =>
    trendingScore(b.upvotes, b.enteredAt, reference) - trendingScore(a.upvotes, a.enteredAt, reference) ||
    b.upvotes - a.upvotes ||
    instantOf(b.enteredAt) - instantOf(a.enteredAt) ||
    (a.arxivId < b.arxivId ? 1 : a.arxivId > b.arxivId ? -1 : 0);
}

/** Newest first, then arXiv id (descending), so pages are stable. */
export function compareNewest(a: TrendingCandidate, b: TrendingCandidate): number {
  return instantOf(b.enteredAt) - instantOf(a.enteredAt) || (a.arxivId < b.arxivId ? 1 : a.arxivId > b.arxivId ? -1 : 0);
}
