/**
 * Upvotes. The (user, paper) primary key makes a second vote impossible; inserts use
 * ON CONFLICT DO NOTHING, so concurrent identical requests converge on one row. Counts are
 * computed from the rows, so they are exact by construction.
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

type Executor = Kysely<Database>;

const CHUNK = 900;

/** Adds the vote; false when it was already there. */
export async function insertVote(db: Executor, userId: number, paperId: number, now: string): Promise<boolean> {
  const result = await db
    .insertInto('votes')
    .values({ user_id: userId, paper_id: paperId, created_at: now })
    .onConflict((oc) => oc.columns(['user_id', 'paper_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Removes the vote; false when there was none. */
export async function deleteVote(db: Executor, userId: number, paperId: number): Promise<boolean> {
  const result = await db.deleteFrom('votes').where('user_id', '=', userId).where('paper_id', '=', paperId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function countVotes(db: Executor, paperId: number): Promise<number> {
  const row = await db.selectFrom('votes').select((eb) => eb.fn.countAll<number>().as('n')).where('paper_id', '=', paperId).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function hasVoted(db: Executor, userId: number, paperId: number): Promise<boolean> {
  const row = await db.selectFrom('votes').select('paper_id').where('user_id', '=', userId).where('paper_id', '=', paperId).executeTakeFirst();
  return row !== undefined;
}

/** Upvote counts keyed by arXiv id (papers without votes are absent). */
export async function countVotesByArxivId(db: Executor, arxivIds: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let i = 0; i < arxivIds.length; i += CHUNK) {
    const part = arxivIds.slice(i, i + CHUNK);
    const rows = await db
      .selectFrom('votes')
      .innerJoin('papers', 'papers.id', 'votes.paper_id')
      .select(['papers.arxiv_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('papers.arxiv_id', 'in', part)
      .groupBy('papers.arxiv_id')
      .execute();
    for (const r of rows) out.set(r.arxiv_id, Number(r.n));
  }
  return out;
}

/** Which of these papers the member has upvoted. */
export async function votedArxivIds(db: Executor, userId: number, arxivIds: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < arxivIds.length; i += CHUNK) {
    const part = arxivIds.slice(i, i + CHUNK);
    const rows = await db
      .selectFrom('votes')
      .innerJoin('papers', 'papers.id', 'votes.paper_id')
      .select('papers.arxiv_id')
      .where('votes.user_id', '=', userId)
      .where('papers.arxiv_id', 'in', part)
      .execute();
    for (const r of rows) out.add(r.arxiv_id);
  }
  return out;
}

