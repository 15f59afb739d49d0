/**
 * Composes digests: the period's top papers for a list (the site's trending feed, the search
 * engine for a topic, the member's recommender for "for you"; see digest-sources.service.ts),
 * rendered once per list and period (once per member for "for you") and then personalized per
 * subscriber. An empty digest is not composed.
 */
import type { Config } from '../../config/config.js';
import { toDigestEntry, type DigestContent, type ForYouSource, type RankedPaper, type TopicSearch, type TrendingSource, type VoteCounter } from '../../domain/digest.js';
import type { Period } from '../../domain/digest-period.js';
import { listKey, type DigestList } from '../../domain/subscription.js';
import { prepareDigestEmail, type PreparedDigest } from '../../mail/digest.email.js';

/** Where a digest's papers come from. */
export interface DigestSources {
  /** Upvote counts of topic digests' papers. */
  votes: VoteCounter;
  topicSearch: TopicSearch;
  /** The site's trending list for a window. */
  trending: TrendingSource;
  /** A member's recommendations for a window. */
  forYou: ForYouSource;
}

export interface ComposeDeps extends DigestSources {
  config: Config;
}

export async function composeDigestContent(deps: ComposeDeps, list: DigestList, period: Period): Promise<DigestContent> {
  const limit = deps.config.digest.papersPerDigest;
  let ranked: RankedPaper[];
  if (list.kind === 'trending') {
    ranked = (await deps.trending(period.content, limit)).slice(0, limit);
  } else if (list.kind === 'for-you') {
    ranked = (await deps.forYou(list.memberId, period.content, limit)).slice(0, limit);
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
