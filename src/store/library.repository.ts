/** Member libraries: saved papers with a free-text note, newest first. */
import type { Kysely } from 'kysely';
import type { LibraryEntry } from '../domain/member.js';
import type { PaperAuthor } from '../domain/paper.js';
import type { Database } from './schema.js';

type Executor = Kysely<Database>;

/** Saves the paper, or updates the note when it is already saved. */
export async function upsertLibraryItem(db: Executor, item: { userId: number; paperId: number; note: string; now: string }): Promise<void> {
  await db
    .insertInto('library_items')
    .values({ user_id: item.userId, paper_id: item.paperId, note: item.note, created_at: item.now, updated_at: item.now })
    .onConflict((oc) => oc.columns(['user_id', 'paper_id']).doUpdateSet({ note: item.note, updated_at: item.now }))
    .execute();
}

export async function deleteLibraryItem(db: Executor, userId: number, paperId: number): Promise<boolean> {
  const result = await db.deleteFrom('library_items').where('user_id', '=', userId).where('paper_id', '=', paperId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function listLibrary(db: Executor, userId: number, options: { limit?: number; arxivIds?: readonly string[] } = {}): Promise<LibraryEntry[]> {
  let q = db
    .selectFrom('library_items')
    .innerJoin('papers', 'papers.id', 'library_items.paper_id')
    .select([
      'papers.arxiv_id',
      'papers.title',
      'papers.authors_json',
      'papers.published_at',
      'papers.primary_category',
      'papers.doi',
      'papers.journal_ref',
      'papers.latest_version',
      'library_items.note',
      'library_items.created_at',
      'library_items.updated_at',
    ])
    .where('library_items.user_id', '=', userId);
  if (options.arxivIds) {
    if (options.arxivIds.length === 0) return [];
    q = q.where('papers.arxiv_id', 'in', [...options.arxivIds]);
  }
  const rows = await q.orderBy('library_items.created_at', 'desc').orderBy('papers.arxiv_id').limit(options.limit ?? 10_000).execute();
  return rows.map((r) => ({
    arxivId: r.arxiv_id,
    title: r.title,
    authors: (JSON.parse(r.authors_json) as PaperAuthor[]).map((a) => a.name),
    publishedAt: r.published_at,
    primaryCategory: r.primary_category,
    doi: r.doi,
    journalRef: r.journal_ref,
    latestVersion: r.latest_version,
    note: r.note,
    savedAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}
