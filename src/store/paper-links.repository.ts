/**
 * Member edits of a paper's code and project links (migration 050): every edit is a row; the
 * paper row carries the links in force and which edit set them. Writes run in the caller's
 * transaction and give the paper a new change sequence number, so the search index's has-code
 * flag follows.
 */
import type { Kysely } from 'kysely';
import { reserveChangeSeqs } from './paper.repository.js';
import type { Database } from './schema.js';

type Executor = Kysely<Database>;

export interface PaperLinkEdit {
  id: number;
  codeUrl: string | null;
  projectUrl: string | null;
  setBy: { handle: string; displayName: string } | null;
  setAt: string;
  revertedAt: string | null;
}

export interface CurrentLinks {
  paperId: number;
  codeUrl: string | null;
  projectUrl: string | null;
  editId: number | null;
  abstract: string;
  comments: string | null;
}

export async function findCurrentLinks(db: Executor, arxivId: string): Promise<CurrentLinks | null> {
  const row = await db.selectFrom('papers').select(['id', 'code_url', 'project_url', 'links_edit_id', 'abstract', 'comments']).where('arxiv_id', '=', arxivId).where('deleted', '=', 0).executeTakeFirst();
  if (!row) return null;
  return { paperId: Number(row.id), codeUrl: row.code_url, projectUrl: row.project_url, editId: row.links_edit_id === null ? null : Number(row.links_edit_id), abstract: row.abstract, comments: row.comments };
}

/** Puts links in force on a paper; `editId` null means they are the extracted ones again. */
export async function setPaperLinksInForce(db: Executor, paperId: number, links: { codeUrl: string | null; projectUrl: string | null; editId: number | null }, now: string): Promise<void> {
  const seq = await reserveChangeSeqs(db, 1);
  await db.updateTable('papers').set({ code_url: links.codeUrl, project_url: links.projectUrl, links_edit_id: links.editId, change_seq: seq, modified_at: now }).where('id', '=', paperId).execute();
}

export async function insertLinkEdit(db: Executor, edit: { paperId: number; codeUrl: string | null; projectUrl: string | null; userId: number; now: string }): Promise<number> {
  const row = await db
    .insertInto('paper_link_edits')
    .values({ paper_id: edit.paperId, code_url: edit.codeUrl, project_url: edit.projectUrl, set_by: edit.userId, set_at: edit.now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function markLinkEditReverted(db: Executor, editId: number, adminId: number, now: string): Promise<void> {
  await db.updateTable('paper_link_edits').set({ reverted_by: adminId, reverted_at: now }).where('id', '=', editId).execute();
}

/** The newest edit of a paper still standing (not reverted), or null. */
export async function latestStandingEdit(db: Executor, paperId: number): Promise<{ id: number; codeUrl: string | null; projectUrl: string | null } | null> {
  const row = await db.selectFrom('paper_link_edits').select(['id', 'code_url', 'project_url']).where('paper_id', '=', paperId).where('reverted_at', 'is', null).orderBy('id', 'desc').executeTakeFirst();
  return row ? { id: Number(row.id), codeUrl: row.code_url, projectUrl: row.project_url } : null;
}

export async function listLinkEdits(db: Executor, paperId: number, limit = 20): Promise<PaperLinkEdit[]> {
  const rows = await db
    .selectFrom('paper_link_edits')
    .leftJoin('users', 'users.id', 'paper_link_edits.set_by')
    .select(['paper_link_edits.id', 'paper_link_edits.code_url', 'paper_link_edits.project_url', 'paper_link_edits.set_at', 'paper_link_edits.reverted_at', 'users.handle', 'users.display_name'])
    .where('paper_link_edits.paper_id', '=', paperId)
    .orderBy('paper_link_edits.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    codeUrl: r.code_url,
    projectUrl: r.project_url,
    setBy: r.handle ? { handle: r.handle, displayName: r.display_name ?? r.handle } : null,
    setAt: r.set_at,
    revertedAt: r.reverted_at,
  }));
}

export async function countLinkEditsByUserSince(db: Executor, userId: number, since: string): Promise<{ count: number; oldest: string | null }> {
  const row = await db
    .selectFrom('paper_link_edits')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('set_at').as('oldest')])
    .where('set_by', '=', userId)
    .where('set_at', '>=', since)
    .executeTakeFirstOrThrow();
  return { count: Number(row.n), oldest: (row.oldest as string | null) ?? null };
}
