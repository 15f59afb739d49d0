/**
 * The reader side as one service object (`services.reader`): the daily feed, paper pages and
 * paper search. The composition root passes the search engine's backend and similar papers.
 */
import type { Db } from '../../store/database.js';
import type { Feed, FeedQuery } from './feed.types.js';
import { getFeed, latestFeedDay } from './feed.service.js';
import { listPapersPage, type PaperListPage } from './paper-list.service.js';
import { getPaperPage, type PaperPage, type SimilarPapersSource } from './paper-page.service.js';
import { createSearchPapers, type SearchBackend, type SearchPapers } from './search-papers.service.js';

export interface ReaderServices {
  feed(query: FeedQuery): Promise<Feed>;
  /** The most recent day on or before `today` (YYYY-MM-DD) that has papers, or null. */
  latestFeedDay(today: string): Promise<string | null>;
  /** @throws NotFoundError `paper_not_found` */
  paperPage(arxivId: string): Promise<PaperPage>;
  search: SearchPapers;
  /** Every visible paper, newest first; `cursor` is the previous page's `nextCursor`. @throws ValidationError for a foreign cursor. */
  listPapers(query: { cursor?: string | undefined; limit: number }): Promise<PaperListPage>;
  /** Today's UTC date, from the injected clock. */
  today(): string;
}

export interface ReaderOptions {
  searchBackend: SearchBackend;
  similarPapers: SimilarPapersSource;
  now: () => Date;
}

export function createReaderServices(deps: { db: Db } & ReaderOptions): ReaderServices {
  const now = deps.now;
  const feedDeps = { db: deps.db, now };
  return {
    feed: (query) => getFeed(feedDeps, query),
    latestFeedDay: (today) => latestFeedDay(feedDeps, today),
    paperPage: (arxivId) => getPaperPage({ db: deps.db, similarPapers: deps.similarPapers }, arxivId),
    listPapers: (query) => listPapersPage({ db: deps.db }, query),
    search: createSearchPapers({ db: deps.db, backend: deps.searchBackend }),
    today: () => now().toISOString().slice(0, 10),
  };
}
