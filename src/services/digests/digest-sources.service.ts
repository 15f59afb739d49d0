/**
 * Where digests get their papers: the trending list is the site's trending feed for the period
 * (member submissions, else arXiv announcements; votes; moderation), topic digests ask the search
 * engine with the period as a date filter, "for you" digests ask the member's recommender, and
 * votes come from the votes table.
 */
import { dayPeriod, weekPeriodOf, type FeedPeriod } from '../../domain/feed-period.js';
import type { ForYouSource, TopicSearch, TrendingSource, VoteCounter } from '../../domain/digest.js';
import { addDays, isoWeekLabel } from '../../domain/civil-date.js';
import type { Db } from '../../store/database.js';
import { countVotesByArxivId } from '../../store/vote.repository.js';
import type { ReaderServices } from '../reader/reader.services.js';
import type { RecommendationService } from '../for-you/recommendation.service.js';
import { MAX_PAGE_SIZE, MAX_QUERY_CHARS } from '../reader/search-papers.service.js';
import type { DigestSources } from './digest-compose.service.js';

/** The sources the site's own lists are made of. */
export function siteDigestSources(deps: { reader: Pick<ReaderServices, 'feed' | 'search'>; recommendations: RecommendationService; db: Db }): DigestSources {
  const votes = tableVotes(deps.db);
  return { trending: feedTrending(deps.reader), topicSearch: engineTopicSearch(deps.reader), votes, forYou: recommendedPapers(deps.recommendations, votes) };
}

export function feedTrending(reader: Pick<ReaderServices, 'feed'>): TrendingSource {
  return async (window, limit) => {
    const last = addDays(window.toExclusive, -1);
    // Daily digests cover one day, weekly ones the seven days before their weekday: an ISO week
    // (Monday to Sunday) for Monday digests, otherwise a week-long span the feed is asked for by
    // its first and last day.
    const week = weekPeriodOf(window.from);
    const period: FeedPeriod = window.from === last ? dayPeriod(window.from) : week.from === window.from && week.to === last ? week : { kind: 'week', label: isoWeekLabel(window.from), from: window.from, to: last };
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

/** "For you" digests: the member's recommendations for the window, with their upvote counts. */
export function recommendedPapers(recommendations: RecommendationService, votes: VoteCounter): ForYouSource {
  return async (memberId, window, limit) => {
    const result = await recommendations.forYou(memberId, { since: window.from, until: addDays(window.toExclusive, -1), limit });
    const counts = await votes.countVotes(result.items.map((i) => i.paper.arxivId));
    return result.items.map((i) => ({ paper: i.paper, upvotes: counts.get(i.paper.arxivId) ?? 0 }));
  };
}
