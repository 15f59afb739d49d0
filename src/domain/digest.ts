/**
 * What a digest contains and how its papers are chosen. Trending is "upvotes with time decay,
 * ties broken by recency"; the votes come through `VoteCounter`, so digests work before members
 * can vote (every paper has 0 upvotes and the order is pure recency) and pick votes up once a
 * counter backed by the votes table is plugged in. Topic digests take their papers from an
 * injected `TopicSearch`.
 */
import { texToText } from './digest-tex.js';
import type { Paper } from './paper.js';
import type { ContentWindow, Period } from './period.js';
import { describeList, type DigestList } from './subscription.js';

/** Upvote counts per arXiv id; ids without votes may be missing from the map. */
export interface VoteCounter {
  countVotes(arxivIds: readonly string[]): Promise<ReadonlyMap<string, number>>;
}

export const noVotes: VoteCounter = { countVotes: async () => new Map() };

/** Papers matching a saved query, published inside the window, best first. */
export type TopicSearch = (query: string, window: ContentWindow, limit: number) => Promise<Paper[]>;

/** Gravity of the time decay (Hacker News uses 1.8); a higher value forgets old votes faster. */
const GRAVITY = 1.5;

function publishedMs(p: Pick<Paper, 'publishedAt'>): number {
  if (!p.publishedAt) return 0;
  const ms = Date.parse(p.publishedAt.length === 10 ? `${p.publishedAt}T00:00:00Z` : p.publishedAt);
  return Number.isNaN(ms) ? 0 : ms;
}

/** Score at instant `at`: upvotes / (age in hours + 2)^1.5. Zero votes score zero. */
export function trendingScore(upvotes: number, publishedAt: string | null, at: Date): number {
  if (upvotes <= 0) return 0;
  const ageHours = Math.max(0, (at.getTime() - publishedMs({ publishedAt })) / 3_600_000);
  return upvotes / Math.pow(ageHours + 2, GRAVITY);
}

/** Newest first; arXiv id (descending, so later submissions first) breaks exact ties. */
export function compareRecency(a: Pick<Paper, 'publishedAt' | 'arxivId'>, b: Pick<Paper, 'publishedAt' | 'arxivId'>): number {
  return publishedMs(b) - publishedMs(a) || (a.arxivId < b.arxivId ? 1 : a.arxivId > b.arxivId ? -1 : 0);
}

export interface RankedPaper {
  paper: Paper;
  upvotes: number;
}

export function rankTrending(papers: readonly Paper[], votes: ReadonlyMap<string, number>, at: Date, limit: number): RankedPaper[] {
  return papers
    .map((paper) => {
      const upvotes = votes.get(paper.arxivId) ?? 0;
      return { paper, upvotes, score: trendingScore(upvotes, paper.publishedAt, at) };
    })
    .sort((a, b) => b.score - a.score || compareRecency(a.paper, b.paper))
    .slice(0, limit)
    .map(({ paper, upvotes }) => ({ paper, upvotes }));
}

/** Cuts readable text at a word boundary near `max` characters. */
export function excerpt(text: string, max = 320): string {
  const t = text.trim();
  if (t.length <= max) return t;
  const cut = t.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.–—-]+$/, '')}…`;
}

export interface DigestEntry {
  arxivId: string;
  /** Rendered (TeX turned into Unicode) title. */
  title: string;
  /** "Ada Lovelace, Alan Turing and 3 others" */
  authors: string;
  excerpt: string;
  upvotes: number;
  publishedAt: string | null;
  absUrl: string;
  pdfUrl: string;
}

export interface DigestContent {
  list: DigestList;
  period: Pick<Period, 'key' | 'frequency' | 'localDate' | 'content'>;
  entries: DigestEntry[];
}

export function authorLine(names: readonly string[], shown = 3): string {
  if (names.length === 0) return '';
  if (names.length <= shown) return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  const others = names.length - shown;
  return `${names.slice(0, shown).join(', ')} and ${others} other${others === 1 ? '' : 's'}`;
}

export function toDigestEntry(ranked: RankedPaper): DigestEntry {
  const { paper, upvotes } = ranked;
  return {
    arxivId: paper.arxivId,
    title: texToText(paper.title),
    authors: authorLine(paper.authors.map((a) => texToText(a.name))),
    excerpt: excerpt(texToText(paper.abstract)),
    upvotes,
    publishedAt: paper.publishedAt,
    absUrl: `https://arxiv.org/abs/${paper.arxivId}`,
    pdfUrl: `https://arxiv.org/pdf/${paper.arxivId}`,
  };
}

export function digestSubject(content: DigestContent): string {
  const when = content.period.frequency === 'daily' ? content.period.localDate : `week of ${content.period.localDate}`;
  const n = content.entries.length;
  return `${describeList(content.list)} — ${when} (${n} paper${n === 1 ? '' : 's'})`;
}
