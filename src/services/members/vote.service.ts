/**
 * Upvotes as a state: "my vote on this paper is on/off". Setting it is idempotent, so double
 * clicks, retries and fifty concurrent requests all end in at most one row (the primary key
 * decides, not an `if`). Votes are limited per member per minute.
 */
import { RateLimitedError } from '../../domain/rate-limit.js';
import type { User } from '../../domain/user.js';
import type { VoteState } from '../../domain/vote.js';
import { countVotes, deleteVote, hasVoted, insertVote } from '../../store/vote.repository.js';
import { assertActive, requirePaperKey, type MemberDeps } from './member-deps.js';

export async function setUpvote(deps: MemberDeps, user: User, arxivId: string, upvoted: boolean): Promise<VoteState> {
  assertActive(user);
  const decision = deps.voteLimiter.hit(`vote:${user.id}`, deps.now().getTime());
  if (!decision.allowed) throw new RateLimitedError('You are voting very fast. Wait a moment and try again.', decision.retryAfterMs / 1000, { limit: 'votes_per_minute' });
  const { id: paperId } = await requirePaperKey(deps, arxivId);
  const db = deps.db.kysely;
  if (upvoted) await insertVote(db, user.id, paperId, deps.now().toISOString());
  else await deleteVote(db, user.id, paperId);
  return { arxivId, upvotes: await countVotes(db, paperId), upvoted };
}

export async function voteState(deps: MemberDeps, user: User | null, arxivId: string): Promise<VoteState> {
  const { id: paperId } = await requirePaperKey(deps, arxivId);
  const db = deps.db.kysely;
  return { arxivId, upvotes: await countVotes(db, paperId), upvoted: user ? await hasVoted(db, user.id, paperId) : false };
}
