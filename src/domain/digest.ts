/**
 * What a digest contains and how its papers are chosen. Trending is the site's rule ("upvotes
 * with time decay, ties broken by recency", domain/trending.ts); "for you" is the member's
 * recommender; papers and votes come through small interfaces (`TrendingSource`, `VoteCounter`,
 * `TopicSearch`, `ForYouSource`), so digests work without
 * votes (0 upvotes everywhere: newest first) and follow the feed and the search engine once the
 * composition root plugs them in.
 */
import { texToText } from './tex-to-text.js';
import type { Paper } from './paper.js';
import type { ContentWindow, Period } from './digest-period.js';
import { describeList, type DigestList } from './subscription.js';

/** Upvote counts per arXiv id; ids without votes may be missing from the map. */
export interface VoteCounter {
  countVotes(arxivIds: readonly string[]): Promise<ReadonlyMap<string, number>>;
}


/** Papers matching a saved query, published inside the window, best first. */
export type TopicSearch = (query: string, window: ContentWindow, limit: number) => Promise<Paper[]>;

export interface RankedPaper {
  paper: Paper;
  upvotes: number;
}

/** The trending papers of a content window, best first (the site's trending feed). */
export type TrendingSource = (window: ContentWindow, limit: number) => Promise<RankedPaper[]>;

/** Papers of a content window recommended for one member, best first; empty when there is nothing to learn from. */
export type ForYouSource = (memberId: number, window: ContentWindow, limit: number) => Promise<RankedPaper[]>;

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
