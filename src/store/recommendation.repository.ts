/**
 * What the "For you" recommender reads: a member's positives (upvoted and saved papers), the
 * candidate papers of a period the member has not yet upvoted or saved, and random other papers
 * as negatives. Lists return keys only (row id, arXiv id, change sequence), so a caller that
 * keeps term counts per paper version reads title and abstract only for papers it has not seen;
 * it loads full papers for the few it shows. Hidden (moderated) and deleted papers are
 * never candidates. Publication dates compare as text against day bounds (see
 * delivery-content.repository.ts), which works on both dialects.
 */
import type { Kysely } from 'kysely';
import type { ContentWindow } from '../domain/digest-period.js';
import type { Database } from './schema.js';

type Executor = Kysely<Database>;

export interface PaperKeyRow {
  id: number;
  arxivId: string;
  /** The paper's change sequence: a new value whenever the row changed. */
  changeSeq: number;
}

export interface PaperTextRow {
  id: number;
  title: string;
  abstract: string;
}

const CHUNK = 900;

/**
 * The member's upvoted and saved papers, most recent first (a paper both upvoted and saved
 * counts once), at most `limit`.
 */
export async function listMemberPositives(db: Executor, userId: number, limit: number): Promise<PaperKeyRow[]> {
  const [voted, saved] = await Promise.all([
    db
      .selectFrom('votes')
      .innerJoin('papers', 'papers.id', 'votes.paper_id')
      .select(['papers.id', 'papers.arxiv_id', 'papers.change_seq', 'votes.created_at as at'])
      .where('votes.user_id', '=', userId)
      .where('papers.deleted', '=', 0)
      .orderBy('votes.created_at', 'desc')
      .limit(limit)
      .execute(),
    db
      .selectFrom('library_items')
      .innerJoin('papers', 'papers.id', 'library_items.paper_id')
      .select(['papers.id', 'papers.arxiv_id', 'papers.change_seq', 'library_items.created_at as at'])
      .where('library_items.user_id', '=', userId)
      .where('papers.deleted', '=', 0)
      .orderBy('library_items.created_at', 'desc')
      .limit(limit)
      .execute(),
  ]);
  const byId = new Map<number, { row: PaperKeyRow; at: string }>();
  for (const r of [...voted, ...saved]) {
    const id = Number(r.id);
    const seen = byId.get(id);
    if (!seen || seen.at < r.at) byId.set(id, { row: { id, arxivId: r.arxiv_id, changeSeq: Number(r.change_seq) }, at: r.at });
  }
  return [...byId.values()]
    .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.row.id - b.row.id))
    .slice(0, limit)
    .map((e) => e.row);
}

/**
 * Papers published in the window that the member has neither upvoted nor saved, newest first,
 * at most `limit` (the cap keeps a busy period's ranking fast).
 */
export async function listRecommendationCandidates(db: Executor, userId: number, window: ContentWindow, limit: number): Promise<PaperKeyRow[]> {
  const rows = await db
    .selectFrom('papers')
    .select(['papers.id', 'papers.arxiv_id', 'papers.change_seq'])
    .where('papers.deleted', '=', 0)
    .where('papers.published_at', '>=', window.from)
    .where('papers.published_at', '<', window.toExclusive)
    .where((eb) =>
      eb.and([
        eb.not(eb.exists(eb.selectFrom('votes').select('votes.paper_id').whereRef('votes.paper_id', '=', 'papers.id').where('votes.user_id', '=', userId))),
        eb.not(eb.exists(eb.selectFrom('library_items').select('library_items.paper_id').whereRef('library_items.paper_id', '=', 'papers.id').where('library_items.user_id', '=', userId))),
        eb.not(eb.exists(eb.selectFrom('hidden_papers').select('hidden_papers.paper_id').whereRef('hidden_papers.paper_id', '=', 'papers.id'))),
      ]),
    )
    .orderBy('papers.published_at', 'desc')
    .orderBy('papers.arxiv_id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: Number(r.id), arxivId: r.arxiv_id, changeSeq: Number(r.change_seq) }));
}

/** The smallest and largest paper row ids, for sampling ids uniformly; null when there are no papers. */
export async function paperIdRange(db: Executor): Promise<{ min: number; max: number } | null> {
  const row = await db.selectFrom('papers').select((eb) => [eb.fn.min('id').as('min'), eb.fn.max('id').as('max')]).executeTakeFirst();
  if (!row || row.min === null || row.max === null) return null;
  return { min: Number(row.min), max: Number(row.max) };
}

/** Keys of the (non-deleted) papers with these row ids, by id; missing ids are skipped. */
export async function findPaperKeysByIds(db: Executor, ids: readonly number[]): Promise<PaperKeyRow[]> {
  const out: PaperKeyRow[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db.selectFrom('papers').select(['id', 'arxiv_id', 'change_seq']).where('id', 'in', ids.slice(i, i + CHUNK)).where('deleted', '=', 0).execute();
    for (const r of rows) out.push({ id: Number(r.id), arxivId: r.arxiv_id, changeSeq: Number(r.change_seq) });
  }
  return out.sort((a, b) => a.id - b.id);
}

/** Title and abstract of the papers with these row ids; missing ids are skipped. */
export async function findPaperTextsByIds(db: Executor, ids: readonly number[]): Promise<PaperTextRow[]> {
  const out: PaperTextRow[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db.selectFrom('papers').select(['id', 'title', 'abstract']).where('id', 'in', ids.slice(i, i + CHUNK)).execute();
    for (const r of rows) out.push({ id: Number(r.id), title: r.title, abstract: r.abstract });
  }
  return out;
}
