/**
 * JSON in the shape of the public Hugging Face Papers API, so `huggingface_hub`
 * (`list_daily_papers`, `paper_info`, `list_papers`) and other clients of that API parse
 * Paperboy's answers unchanged. The client reads `title`, `numComments`, `submittedBy` and the
 * submission time only at the top level of a daily item, so those repeat what is inside
 * `paper`. Users carry both `name` and `user`. Timestamps are ISO 8601 in UTC ending in `Z`.
 * `githubRepo` and `projectPage` come from the paper's text or a member (domain/paper-links.ts).
 * Fields Paperboy cannot fill (AI summary and keywords, GitHub stars, organization, avatars)
 * are omitted rather than faked; `thumbnail` is null.
 */
import { createHash } from 'node:crypto';
import type { DailyEntry } from '../../domain/member.js';
import { texPlain } from '../../domain/tex-segments.js';
import type { FeedItem, FeedPaper } from '../../services/reader/feed.types.js';
import type { HighlightSegment, SearchHit } from '../../services/reader/search-papers.service.js';
import { isoInstant } from './paper.presenter.js';

export interface HfUser {
  _id: string;
  name: string;
  user: string;
  fullname: string;
  type: 'user';
}

export interface HfAuthor {
  _id: string;
  name: string;
  hidden: boolean;
}

export interface HfPaper {
  id: string;
  authors: HfAuthor[];
  publishedAt: string | null;
  submittedOnDailyAt?: string;
  submittedOnDailyBy?: HfUser;
  title: string;
  summary: string;
  upvotes: number;
  discussionId: string;
  githubRepo?: string;
  projectPage?: string;
  /** Paperboy extras (ignored by Hugging Face clients). */
  categories: string[];
  primaryCategory: string | null;
  arxivUrl: string;
}

export interface HfDailyItem {
  paper: HfPaper;
  publishedAt: string | null;
  title: string;
  summary: string;
  thumbnail: null;
  numComments: number;
  submittedBy?: HfUser;
  githubRepo?: string;
  projectPage?: string;
  isAuthorParticipating: boolean;
}

export interface HfSearchItem extends HfDailyItem {
  highlightedTitle: HighlightSegment[];
  highlightedSummary: HighlightSegment[];
}

/** A stable 24-hex id (the length of Hugging Face's object ids) derived from a name. */
function objectId(seed: string): string {
  return createHash('sha1').update(seed).digest('hex').slice(0, 24);
}

function hfUser(submitter: NonNullable<DailyEntry['submitter']>): HfUser {
  return { _id: objectId(`user:${submitter.handle}`), name: submitter.handle, user: submitter.handle, fullname: submitter.displayName, type: 'user' };
}

/** `plain`: title and abstract already converted from TeX (search hits carry them), else converted here. */
export function presentHfPaper(paper: FeedPaper, signals: { upvotes: number; entry: DailyEntry | null }, plain?: { title: string; abstract: string }): HfPaper {
  const out: HfPaper = {
    id: paper.arxivId,
    authors: paper.authors.map((a, i) => ({ _id: objectId(`author:${paper.arxivId}:${i}`), name: a.name, hidden: false })),
    publishedAt: isoInstant(paper.publishedAt),
    title: plain?.title ?? texPlain(paper.title),
    summary: plain?.abstract ?? texPlain(paper.abstract),
    upvotes: signals.upvotes,
    discussionId: paper.arxivId,
    categories: paper.categories,
    primaryCategory: paper.primaryCategory,
    arxivUrl: `https://arxiv.org/abs/${paper.arxivId}`,
  };
  const submittedAt = isoInstant(signals.entry?.submittedAt);
  if (submittedAt) out.submittedOnDailyAt = submittedAt;
  if (signals.entry?.submitter) out.submittedOnDailyBy = hfUser(signals.entry.submitter);
  // Hugging Face's field holds GitHub repositories only; other forges stay on Paperboy's pages.
  if (paper.codeUrl?.startsWith('https://github.com/')) out.githubRepo = paper.codeUrl;
  if (paper.projectUrl) out.projectPage = paper.projectUrl;
  return out;
}

/** `GET /api/papers/{id}`: the paper object, flat, with the counts the client reads at top level. */
export function presentHfPaperInfo(paper: FeedPaper, signals: { upvotes: number; comments: number; entry: DailyEntry | null }) {
  const inner = presentHfPaper(paper, signals);
  return { ...inner, numComments: signals.comments, ...(inner.submittedOnDailyBy ? { submittedBy: inner.submittedOnDailyBy } : {}) };
}

export function presentHfDailyItem(paper: FeedPaper, signals: { upvotes: number; comments: number; entry: DailyEntry | null; enteredAt: string }, plain?: { title: string; abstract: string }): HfDailyItem {
  const inner = presentHfPaper(paper, signals, plain);
  return {
    paper: inner,
    // Top-level publishedAt is when the paper entered the daily feed (what the client calls submitted_at).
    publishedAt: isoInstant(signals.enteredAt) ?? inner.publishedAt,
    title: inner.title,
    summary: inner.summary,
    thumbnail: null,
    numComments: signals.comments,
    ...(inner.submittedOnDailyBy ? { submittedBy: inner.submittedOnDailyBy } : {}),
    // The client reads the links only at the top level of an item.
    ...(inner.githubRepo ? { githubRepo: inner.githubRepo } : {}),
    ...(inner.projectPage ? { projectPage: inner.projectPage } : {}),
    isAuthorParticipating: false,
  };
}

export function presentHfFeedItem(item: FeedItem): HfDailyItem {
  return presentHfDailyItem(item.paper, item);
}

export function presentHfSearchItem(hit: SearchHit): HfSearchItem {
  return {
    ...presentHfDailyItem(hit.paper, { upvotes: hit.upvotes, comments: hit.comments, entry: null, enteredAt: hit.paper.publishedAt ?? hit.paper.firstSeenAt }, hit.plain),
    highlightedTitle: hit.highlightedTitle,
    highlightedSummary: hit.highlightedSummary,
  };
}
