/** Comments: threaded (parent id), soft-deleted and moderator-hidden, always read with their author. */
import type { Kysely } from 'kysely';
import type { Comment } from '../domain/comment.js';
import type { Database } from './schema.js';

type Executor = Kysely<Database>;

const CHUNK = 900;

export interface StoredComment extends Comment {
  id: number;
  paperId: number;
  userId: number;
}

function baseQuery(db: Executor) {
  return db
    .selectFrom('comments')
    .innerJoin('users', 'users.id', 'comments.user_id')
    .innerJoin('papers', 'papers.id', 'comments.paper_id')
    .leftJoin('comments as parent', 'parent.id', 'comments.parent_id')
    .select([
      'comments.id',
      'comments.public_id',
      'comments.paper_id',
      'comments.user_id',
      'comments.depth',
      'comments.body',
      'comments.created_at',
      'comments.edited_at',
      'comments.deleted_at',
      'comments.hidden_at',
      'parent.public_id as parent_public_id',
      'users.handle',
      'users.display_name',
      'papers.arxiv_id',
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>['executeTakeFirstOrThrow']>>;

function toComment(r: Row): StoredComment {
  const removed = r.deleted_at !== null || r.hidden_at !== null;
  return {
    id: Number(r.id),
    paperId: Number(r.paper_id),
    userId: Number(r.user_id),
    publicId: r.public_id,
    arxivId: r.arxiv_id,
    author: { handle: r.handle, displayName: r.display_name },
    parentPublicId: r.parent_public_id ?? null,
    depth: Number(r.depth),
    // Removed text never leaves the store, so no page can show it by mistake.
    body: removed ? '' : r.body,
    createdAt: r.created_at,
    editedAt: r.edited_at,
    deletedAt: r.deleted_at,
    hiddenAt: r.hidden_at,
  };
}

export async function insertComment(db: Executor, c: { publicId: string; paperId: number; userId: number; parentId: number | null; depth: number; body: string; now: string }): Promise<void> {
  await db
    .insertInto('comments')
    .values({ public_id: c.publicId, paper_id: c.paperId, user_id: c.userId, parent_id: c.parentId, depth: c.depth, body: c.body, created_at: c.now })
    .execute();
}

export async function findCommentByPublicId(db: Executor, publicId: string): Promise<StoredComment | null> {
  const row = await baseQuery(db).where('comments.public_id', '=', publicId).executeTakeFirst();
  return row ? toComment(row) : null;
}

/** Every comment of a paper, removed ones included (as placeholders), oldest first. */
export async function listCommentsForPaper(db: Executor, paperId: number): Promise<StoredComment[]> {
  const rows = await baseQuery(db).where('comments.paper_id', '=', paperId).orderBy('comments.created_at').orderBy('comments.id').execute();
  return rows.map(toComment);
}

export async function listCommentsByUser(db: Executor, userId: number, limit: number): Promise<StoredComment[]> {
  const rows = await baseQuery(db)
    .where('comments.user_id', '=', userId)
    .where('comments.deleted_at', 'is', null)
    .where('comments.hidden_at', 'is', null)
    .orderBy('comments.created_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toComment);
}

export async function updateCommentBody(db: Executor, id: number, body: string, now: string): Promise<void> {
  await db.updateTable('comments').set({ body, edited_at: now }).where('id', '=', id).execute();
}

/** Soft delete: the row stays (replies keep their place), the text is cleared. */
export async function softDeleteComment(db: Executor, id: number, now: string): Promise<void> {
  await db.updateTable('comments').set({ deleted_at: now, body: '' }).where('id', '=', id).where('deleted_at', 'is', null).execute();
}

export async function setCommentHidden(db: Executor, id: number, hiddenAt: string | null): Promise<void> {
  await db.updateTable('comments').set({ hidden_at: hiddenAt }).where('id', '=', id).execute();
}

/** Visible comments per paper, keyed by arXiv id (papers without comments are absent). */
export async function countCommentsByArxivId(db: Executor, arxivIds: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (let i = 0; i < arxivIds.length; i += CHUNK) {
    const part = arxivIds.slice(i, i + CHUNK);
    const rows = await db
      .selectFrom('comments')
      .innerJoin('papers', 'papers.id', 'comments.paper_id')
      .select(['papers.arxiv_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('papers.arxiv_id', 'in', part)
      .where('comments.deleted_at', 'is', null)
      .where('comments.hidden_at', 'is', null)
      .groupBy('papers.arxiv_id')
      .execute();
    for (const r of rows) out.set(r.arxiv_id, Number(r.n));
  }
  return out;
}

export async function countCommentsByUserSince(db: Executor, userId: number, since: string): Promise<{ count: number; oldest: string | null }> {
  const row = await db
    .selectFrom('comments')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('created_at').as('oldest')])
    .where('user_id', '=', userId)
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow();
  return { count: Number(row.n), oldest: (row.oldest as string | null) ?? null };
}
