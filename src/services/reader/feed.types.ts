/**
 * Shapes the feed, paper page and search services hand to the web layer. They live here, not
 * in store/, because web/ may import services but never storage.
 */
import type { FeedPeriod } from '../../domain/feed-period.js';
import type { DailyEntry } from '../../domain/member.js';
import type { Paper } from '../../domain/paper.js';

/** A paper as pages show it: the stored record plus its code and project links when known. */
export type FeedPaper = Paper & { codeUrl: string | null; projectUrl?: string | null };

export type FeedSort = 'trending' | 'newest';

export interface FeedQuery {
  period: FeedPeriod;
  sort: FeedSort;
  /** 0-based page. */
  page: number;
  pageSize: number;
  category?: string;
  /** Only papers with a code link (extracted or set by a member). */
  withCode?: boolean;
  /** Only papers this member (handle) submitted. */
  submitter?: string;
}

export interface FeedItem {
  paper: FeedPaper;
  upvotes: number;
  comments: number;
  /** The member submission that put it on the feed, when there is one. */
  entry: DailyEntry | null;
  /** When it entered the feed: the submission time, else the publication date. */
  enteredAt: string;
}

export interface FeedDayCount {
  day: string;
  count: number;
}

export interface Feed {
  query: FeedQuery;
  items: FeedItem[];
  total: number;
  hasMore: boolean;
  /** Where the items come from: member submissions, arXiv announcements, or both (days differ). */
  source: 'submissions' | 'announcements' | 'mixed' | 'empty';
  /** Papers per day of the chart's range (the period, or the week around a single day). */
  chart: { from: string; to: string; days: FeedDayCount[] };
  /** Nearest periods that have papers (days), or the calendar neighbours (weeks, months). */
  previous: FeedPeriod | null;
  next: FeedPeriod | null;
  /** Latest change among the listed papers, for Last-Modified. */
  lastModified: string | null;
}
