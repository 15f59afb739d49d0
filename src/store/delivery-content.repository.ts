/**
 * The papers a digest may contain: those published inside a period's content window, and a
 * simple substring search (every term in the title or abstract) used for topic digests until the
 * search engine is wired in. Publication dates are either `YYYY-MM-DD` or full ISO timestamps;
 * plain text comparison against day bounds handles both (`2024-06-09T10:00Z` >= `2024-06-09`).
 */
import { sql, type Kysely } from 'kysely';
import type { Paper } from '../domain/paper.js';
import { paperFromRow } from './paper.mapper.js';
import type { ContentWindow } from '../domain/digest-period.js';
import type { Database, PaperRow } from './schema.js';

type Executor = Kysely<Database>;


function inWindow(db: Executor, window: ContentWindow) {
  return db.selectFrom('papers').selectAll().where('deleted', '=', 0).where('published_at', '>=', window.from).where('published_at', '<', window.toExclusive);
}

/** Papers published in the window, newest first. */
export async function listPapersPublishedIn(db: Executor, window: ContentWindow, limit: number): Promise<Paper[]> {
  const rows = await inWindow(db, window).orderBy('published_at', 'desc').orderBy('arxiv_id', 'desc').limit(limit).execute();
  return rows.map((row) => paperFromRow(row));
}

function likePattern(term: string): string {
  return `%${term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Papers in the window whose title or abstract contains every term of `query` (case-insensitive), newest first. */
export async function searchPapersLike(db: Executor, query: string, window: ContentWindow, limit: number): Promise<Paper[]> {
  const terms = [...new Set(query.toLowerCase().split(/\s+/).filter((t) => t.length >= 2))].slice(0, 8);
  if (terms.length === 0) return [];
  let q = inWindow(db, window);
  for (const term of terms) {
    const pattern = likePattern(term);
    // Raw SQL for the ESCAPE clause, which the query builder cannot express; LIKE alone treats
    // `%` and `_` in a user's query as wildcards.
    q = q.where((eb) => eb.or([sql<boolean>`lower(${eb.ref('title')}) like ${pattern} escape '\\'`, sql<boolean>`lower(${eb.ref('abstract')}) like ${pattern} escape '\\'`]));
  }
  const rows = await q.orderBy('published_at', 'desc').orderBy('arxiv_id', 'desc').limit(limit).execute();
  return rows.map((row) => paperFromRow(row));
}
