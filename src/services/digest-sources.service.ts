/**
 * Where digests get their papers when the whole application is assembled: the trending list is
 * the site's trending feed for the period (member submissions, else arXiv announcements; votes;
 * moderation), topic digests ask the search engine with the period as a date filter, and votes
 * come from the votes table. `createServices` plugs these in; tests and the fallback use the
 * simpler sources in digest-compose.service.ts.
 */
import { dayPeriod, weekPeriodOf } from '../domain/date-period.js';
import type { TopicSearch, TrendingSource, VoteCounter } from '../domain/digest.js';
import { addDays } from '../domain/period.js';
import type { Db } from '../store/database.js';
import { countVotesByArxivId } from '../store/vote.repository.js';
import type { ReaderServices } from './feed.services.js';
import { MAX_PAGE_SIZE, MAX_QUERY_CHARS } from './search-papers.js';

export function feedTrending(reader: Pick<ReaderServices, 'feed'>): TrendingSource {
  return async (window, limit) => {
    const last = addDays(window.toExclusive, -1);
    // Daily digests cover one day, weekly ones an ISO week (Monday to Sunday).
    const period = window.from === last ? dayPeriod(window.from) : weekPeriodOf(window.from);
    const feed = await reader.feed({ period, sort: 'trending', page: 0, pageSize: Math.min(limit, MAX_PAGE_SIZE) });
    return feed.items.map((item) => ({ paper: item.paper, upvotes: item.upvotes }));
  };
}

export function engineTopicSearch(reader: Pick<ReaderServices, 'search'>): TopicSearch {
  return async (query, window, limit) => {
    const results = await reader.search.search({ q: query.slice(0, MAX_QUERY_CHARS), filters: { from: window.from, to: addDays(window.toExclusive, -1) }, page: 0, pageSize: Math.min(limit, MAX_PAGE_SIZE) });
    return results.hits.map((hit) => hit.paper);
  };
}

export function tableVotes(db: Db): VoteCounter {
  return { countVotes: (arxivIds) => countVotesByArxivId(db.kysely, arxivIds) };
}
