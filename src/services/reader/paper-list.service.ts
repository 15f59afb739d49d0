/**
 * Every paper, newest first, a page at a time: what `GET /api/papers` (Hugging Face's plain paged
 * list) serves. The cursor is opaque to clients: the position of the page's last paper, so the
 * next page starts right after it whatever was published meanwhile.
 */
import { ValidationError } from '../../domain/errors.js';
import { countCommentsByArxivId } from '../../store/comment.repository.js';
import { findDailyEntriesByArxivIds } from '../../store/daily-entry.repository.js';
import type { Db } from '../../store/database.js';
import { listPapersNewestFirst, type PaperListPosition } from '../../store/feed.repository.js';
import { countVotesByArxivId } from '../../store/vote.repository.js';
import type { FeedItem } from './feed.types.js';

export interface PaperListPage {
  items: FeedItem[];
  /** Cursor of the page after this one, or null on the last page. */
  nextCursor: string | null;
}

export function encodePaperCursor(position: PaperListPosition): string {
  return Buffer.from(JSON.stringify([position.publishedAt, position.arxivId])).toString('base64url');
}

/** @throws ValidationError (field `cursor`) for anything this service did not hand out. */
export function decodePaperCursor(cursor: string): PaperListPosition {
  const bad = () => new ValidationError('The cursor is not one this server handed out; start again without it.', { field: 'cursor' });
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(cursor)) throw bad();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[0] !== 'string' || typeof parsed[1] !== 'string' || !parsed[0] || !parsed[1]) throw bad();
  return { publishedAt: parsed[0], arxivId: parsed[1] };
}

export async function listPapersPage(deps: { db: Db }, query: { cursor?: string | undefined; limit: number }): Promise<PaperListPage> {
  const db = deps.db.kysely;
  const after = query.cursor ? decodePaperCursor(query.cursor) : undefined;
  // One extra row says whether a next page exists without a count over every paper.
  const papers = await listPapersNewestFirst(db, { limit: query.limit + 1, after });
  const page = papers.slice(0, query.limit);
  const ids = page.map((p) => p.arxivId);
  const [votes, comments, entries] = await Promise.all([countVotesByArxivId(db, ids), countCommentsByArxivId(db, ids), findDailyEntriesByArxivIds(db, ids)]);
  const items = page.map((paper) => ({
    paper,
    upvotes: votes.get(paper.arxivId) ?? 0,
    comments: comments.get(paper.arxivId) ?? 0,
    entry: entries.get(paper.arxivId) ?? null,
    enteredAt: entries.get(paper.arxivId)?.submittedAt ?? paper.publishedAt ?? paper.firstSeenAt,
  }));
  const last = page[page.length - 1];
  const nextCursor = papers.length > query.limit && last?.publishedAt ? encodePaperCursor({ publishedAt: last.publishedAt, arxivId: last.arxivId }) : null;
  return { items, nextCursor };
}
