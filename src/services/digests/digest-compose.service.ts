/**
 * Composes digests: the period's top papers for a list (trending from the papers published in
 * the content window ranked by decayed upvotes; topic from the injected search; "for you" from
 * the member's recommender), rendered once per list and period (once per member for "for you")
 * and then personalized per subscriber. An empty digest is not composed.
 */
import type { Config } from '../../config/config.js';
import { rankTrending, toDigestEntry, type DigestContent, type ForYouSource, type RankedPaper, type TopicSearch, type TrendingSource, type VoteCounter } from '../../domain/digest.js';
import type { Period } from '../../domain/digest-period.js';
import { listKey, type DigestList } from '../../domain/subscription.js';
import { prepareDigestEmail, type PreparedDigest } from '../../mail/digest.email.js';
import type { Db } from '../../store/database.js';
import { listPapersPublishedIn, searchPapersLike } from '../../store/delivery-content.repository.js';

/** How many recent papers of a window trending considers before ranking. */
const TRENDING_CANDIDATES = 1000;

export interface ComposeDeps {
  db: Db;
  config: Config;
  votes: VoteCounter;
  topicSearch: TopicSearch;
  /** The site's trending list for a window; without it, papers published in the window ranked here. */
  trending?: TrendingSource;
  /** A member's recommendations for a window; without it "for you" digests are empty (not sent). */
  forYou?: ForYouSource;
}

/** The fallback topic search: every query term in the title or abstract (SQL LIKE), newest first. */
export function likeTopicSearch(db: Db): TopicSearch {
  return (query, window, limit) => searchPapersLike(db.kysely, query, window, limit);
}

export async function composeDigestContent(deps: ComposeDeps, list: DigestList, period: Period): Promise<DigestContent> {
  const limit = deps.config.digest.papersPerDigest;
  let ranked: RankedPaper[];
  if (list.kind === 'trending' && deps.trending) {
    ranked = (await deps.trending(period.content, limit)).slice(0, limit);
  } else if (list.kind === 'trending') {
    const candidates = await listPapersPublishedIn(deps.db.kysely, period.content, TRENDING_CANDIDATES);
    const votes = await deps.votes.countVotes(candidates.map((p) => p.arxivId));
    ranked = rankTrending(candidates, votes, period.dueAt, limit);
  } else if (list.kind === 'for-you') {
    ranked = deps.forYou ? (await deps.forYou(list.memberId, period.content, limit)).slice(0, limit) : [];
  } else {
    const papers = (await deps.topicSearch(list.query, period.content, limit)).slice(0, limit);
    const votes = await deps.votes.countVotes(papers.map((p) => p.arxivId));
    ranked = papers.map((paper) => ({ paper, upvotes: votes.get(paper.arxivId) ?? 0 }));
  }
  return { list, period, entries: ranked.map(toDigestEntry) };
}

/** Prepares each (list, period) digest once; null for an empty one. Lives for one run. */
export function createDigestComposer(deps: ComposeDeps): (list: DigestList, period: Period) => Promise<PreparedDigest | null> {
  const cache = new Map<string, Promise<PreparedDigest | null>>();
  const site = { name: 'Paperboy', publicUrl: deps.config.publicUrl };
  return (list, period) => {
    // "for you" lists share a key but not their papers: each member's digest is their own.
    const key = `${listKey(list)}${list.kind === 'for-you' ? `:${list.memberId}` : ''}\n${period.key}\n${period.content.from}`;
    let prepared = cache.get(key);
    if (!prepared) {
      prepared = composeDigestContent(deps, list, period).then((content) => (content.entries.length === 0 ? null : prepareDigestEmail(content, site)));
      // A failed composition is retried by the next delivery that needs it.
      prepared.catch(() => cache.delete(key));
      cache.set(key, prepared);
    }
    return prepared;
  };
}
