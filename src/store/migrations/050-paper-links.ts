/**
 * Code and project links. `papers.code_url` (there since 001, never filled) and the new
 * `project_url` hold a paper's current links: what its abstract and comments name
 * (domain/paper-links.ts), or what a member set. Every member edit is kept in
 * `paper_link_edits` with who made it; `papers.links_edit_id` points at the edit in force, and
 * while it does, a re-import leaves the links alone. A moderator's revert marks the edit and
 * falls back to the previous one, or to the extraction.
 *
 * The backfill extracts links for every stored paper whose text holds a URL, and gives each
 * changed paper a new change sequence number so the search index (has-code filter) follows.
 */
import { sql, type Kysely } from 'kysely';
import { extractPaperLinks } from '../../domain/paper-links.js';
import { withIdColumn } from './dialect-helpers.js';

const BATCH = 1000;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('papers').addColumn('project_url', 'text').execute();
  await db.schema.alterTable('papers').addColumn('links_edit_id', 'bigint').execute();

  await withIdColumn(db, db.schema.createTable('paper_link_edits'))
    .addColumn('paper_id', 'bigint', (c) => c.notNull().references('papers.id').onDelete('cascade'))
    .addColumn('code_url', 'text')
    .addColumn('project_url', 'text')
    // Null once the member is gone; the edit stays in force.
    .addColumn('set_by', 'bigint', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('set_at', 'text', (c) => c.notNull())
    .addColumn('reverted_by', 'bigint', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('reverted_at', 'text')
    .execute();
  await db.schema.createIndex('paper_link_edits_paper_idx').on('paper_link_edits').columns(['paper_id', 'id']).execute();

  await backfill(db);
}

/** Exported for its spec; runs once, inside the migration. Papers with a member edit keep their links. */
export async function backfill(db: Kysely<any>): Promise<void> {
  const hasUrl = (column: string) =>
    sql<boolean>`(lower(${sql.ref(column)}) like '%http%' or lower(${sql.ref(column)}) like '%www.%' or lower(${sql.ref(column)}) like '%github.com/%' or lower(${sql.ref(column)}) like '%gitlab.com/%' or lower(${sql.ref(column)}) like '%bitbucket.org/%' or lower(${sql.ref(column)}) like '%codeberg.org/%')`;
  let after = 0;
  for (;;) {
    const rows: { id: number; abstract: string; comments: string | null }[] = await db
      .selectFrom('papers')
      .select(['id', 'abstract', 'comments'])
      .where('id', '>', after)
      .where('links_edit_id', 'is', null)
      .where((eb) => eb.or([hasUrl('abstract'), eb.and([eb('comments', 'is not', null), hasUrl('comments')])]))
      .orderBy('id')
      .limit(BATCH)
      .execute();
    if (rows.length === 0) return;
    after = Number(rows[rows.length - 1]!.id);
    const changed = rows
      .map((r) => ({ id: Number(r.id), links: extractPaperLinks(r.abstract, r.comments) }))
      .filter((r) => r.links.codeUrl !== null || r.links.projectPage !== null);
    if (changed.length === 0) continue;
    const counter = await db
      .updateTable('counters')
      .set((eb: any) => ({ value: eb('value', '+', changed.length) }))
      .where('name', '=', 'paper_change_seq')
      .returning('value')
      .executeTakeFirstOrThrow();
    let seq = Number(counter.value) - changed.length + 1;
    for (const r of changed) {
      await db.updateTable('papers').set({ code_url: r.links.codeUrl, project_url: r.links.projectPage, change_seq: seq++ }).where('id', '=', r.id).execute();
    }
  }
}
