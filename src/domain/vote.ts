/**
 * Upvotes: a member's vote on a paper is a state (on or off), not an event, so that repeated or
 * concurrent requests converge: "set my vote to on" fifty times is one vote.
 */
import { ValidationError } from './errors.js';

export interface VoteState {
  arxivId: string;
  upvotes: number;
  upvoted: boolean;
}

/** Reads the desired state a form or script sent (`1`/`0`, `true`/`false`, `on`/`off`). */
export function parseVoteValue(raw: unknown): boolean {
  const value = typeof raw === 'string' ? raw.trim().toLowerCase() : raw;
  if (value === true || value === '1' || value === 'true' || value === 'on' || value === 'up') return true;
  if (value === false || value === '0' || value === 'false' || value === 'off' || value === 'none') return false;
  throw new ValidationError('"value" must be 1 (upvote) or 0 (remove the upvote).', { field: 'value' });
}
