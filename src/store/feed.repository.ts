/**
 * Reads behind the daily feed, the paper page and the public API: light candidate rows for a
 * date range (id, publication date, upvotes) that the feed service ranks, full papers for the
 * page it shows, papers per day for the chart, and the nearest days that have papers (so
 * navigation skips empty weekends in archives). Papers a moderator hid and deleted records
 * never appear. Publication dates are ISO text (`2012-03-15` or a timestamp); a day range is
 * `published_at >= from AND published_at < to + 1 day`, which works for both shapes and uses
 * the `published_at` index on SQLite and PostgreSQL alike.
 */
import type { Kysely, SelectQueryBuilder } from 'kysely';
import { papersWithVersions, type StoredPaper } from './paper.mapper.js';
import type { Database, PaperRow } from './schema.js';

type Executor = Kysely<Database>;

const CHUNK = 900;

/** A stored paper with the code link when one is known. */
export type { StoredPaper } from './paper.mapper.js';

export interface AnnouncedCandidate {
  arxivId: string;
  publishedAt: string;
  upvotes: number;
}

function nextDay(date: string): string {
  const t = new Date(`${date}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + 1);
  return t.toISOString().slice(0, 10);
}

/** Papers that are visible: not deleted, not hidden by a moderator. */
function visiblePapers(db: Executor) {
  return db
    .selectFrom('papers')
    .leftJoin('hidden_papers', 'hidden_papers.paper_id', 'papers.id')
    .where('papers.deleted', '=', 0)
    .where('hidden_papers.paper_id', 'is', null);
}

function inCategory<O>(q: SelectQueryBuilder<Database, 'papers' | 'hidden_papers', O>, category: string | undefined) {
  if (!category) return q;
  return q.where((eb) => eb.exists(eb.selectFrom('paper_categories').select('paper_categories.paper_id').whereRef('paper_categories.paper_id', '=', 'papers.id').where('paper_categories.category', '=', category)));
}

/** Papers published on days `from`..`to` (inclusive) with their upvote counts; unordered. */
export async function listAnnouncedCandidates(db: Executor, range: { from: string; to: string; category?: string; withCode?: boolean }): Promise<AnnouncedCandidate[]> {
  const votes = db.selectFrom('votes').select(['votes.paper_id', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('votes.paper_id').as('v');
  let q = inCategory(visiblePapers(db), range.category)
    .leftJoin(votes, 'v.paper_id', 'papers.id')
    .select(['papers.arxiv_id', 'papers.published_at', 'v.n'])
    .where('papers.published_at', '>=', range.from)
    .where('papers.published_at', '<', nextDay(range.to));
  if (range.withCode) q = q.where('papers.code_url', 'is not', null);
  const rows = await q.execute();
  return rows.map((r) => ({ arxivId: r.arxiv_id, publishedAt: r.published_at ?? range.from, upvotes: Number(r.n ?? 0) }));
}

/** How many visible papers were published on each day of the range (days without papers are absent). */
export async function countAnnouncedPerDay(db: Executor, range: { from: string; to: string; category?: string }): Promise<Map<string, number>> {
  const rows = await inCategory(visiblePapers(db), range.category)
    .select([(eb) => eb.fn<string>('substr', ['papers.published_at', eb.lit(1), eb.lit(10)]).as('day'), (eb) => eb.fn.countAll<number>().as('n')])
    .where('papers.published_at', '>=', range.from)
    .where('papers.published_at', '<', nextDay(range.to))
    .groupBy((eb) => eb.fn('substr', ['papers.published_at', eb.lit(1), eb.lit(10)]))
    .execute();
  return new Map(rows.map((r) => [String(r.day), Number(r.n)]));
}

/** The latest day before `day` on which a visible paper was published, or null. */
export async function previousAnnouncedDay(db: Executor, day: string): Promise<string | null> {
  const row = await visiblePapers(db).select((eb) => eb.fn.max('papers.published_at').as('d')).where('papers.published_at', '<', day).executeTakeFirst();
  return row?.d ? String(row.d).slice(0, 10) : null;
}

/** The earliest day after `day` on which a visible paper was published, or null. */
export async function nextAnnouncedDay(db: Executor, day: string): Promise<string | null> {
  const row = await visiblePapers(db).select((eb) => eb.fn.min('papers.published_at').as('d')).where('papers.published_at', '>=', nextDay(day)).executeTakeFirst();
  return row?.d ? String(row.d).slice(0, 10) : null;
}

/** Visible papers by arXiv id (absent ids are left out of the map). */
export async function findVisiblePapers(db: Executor, arxivIds: readonly string[]): Promise<Map<string, StoredPaper>> {
  const rows: PaperRow[] = [];
  for (let i = 0; i < arxivIds.length; i += CHUNK) {
    rows.push(...(await visiblePapers(db).selectAll('papers').where('papers.arxiv_id', 'in', arxivIds.slice(i, i + CHUNK)).execute()));
  }
  return new Map((await papersWithVersions(db, rows)).map((p) => [p.arxivId, p]));
}

/** One paper, deleted or hidden ones included (the paper page says so instead of a 404). */
export async function findStoredPaper(db: Executor, arxivId: string): Promise<(StoredPaper & { hidden: boolean }) | null> {
  const row = await db.selectFrom('papers').selectAll('papers').where('arxiv_id', '=', arxivId).executeTakeFirst();
  if (!row) return null;
  const hidden = await db.selectFrom('hidden_papers').select('paper_id').where('paper_id', '=', row.id).executeTakeFirst();
  const [paper] = await papersWithVersions(db, [row]);
  return paper ? { ...paper, hidden: hidden !== undefined } : null;
}

/**
 * Up to `limit` visible papers in `category` published on or before `before`, newest first,
 * without `excludeId`: the stand-in for similar papers until the search engine provides them.
 */
export async function listSameCategoryPapers(db: Executor, options: { category: string; before: string; excludeId: string; limit: number }): Promise<StoredPaper[]> {
  const rows = await inCategory(visiblePapers(db), options.category)
    .selectAll('papers')
    .where('papers.published_at', '<', nextDay(options.before.slice(0, 10)))
    .where('papers.arxiv_id', '!=', options.excludeId)
    .orderBy('papers.published_at', 'desc')
    .orderBy('papers.arxiv_id', 'desc')
    .limit(options.limit)
    .execute();
  return papersWithVersions(db, rows);
}

/** Where a page of the newest-first list of all papers resumes: after this (publishedAt, arxivId). */
export interface PaperListPosition {
  publishedAt: string;
  arxivId: string;
}

/**
 * One page of every visible paper, newest first (publication date, then arXiv id), resuming
 * after `after`: keyset paging on the `published_at` index, so page 10,000 costs what page 1
 * does and a paper published meanwhile never shifts a reader's next page. Papers without a
 * publication date are not listed (no source Paperboy reads leaves it empty).
 */
export async function listPapersNewestFirst(db: Executor, options: { limit: number; after?: PaperListPosition | undefined }): Promise<StoredPaper[]> {
  let q = visiblePapers(db).selectAll('papers').where('papers.published_at', 'is not', null);
  const after = options.after;
  if (after) {
    q = q.where((eb) => eb.or([eb('papers.published_at', '<', after.publishedAt), eb.and([eb('papers.published_at', '=', after.publishedAt), eb('papers.arxiv_id', '<', after.arxivId)])]));
  }
  const rows = await q.orderBy('papers.published_at', 'desc').orderBy('papers.arxiv_id', 'desc').limit(options.limit).execute();
  return papersWithVersions(db, rows);
}

/** The latest member-submission day before `day`, or null. */
export async function previousEntryDay(db: Executor, day: string): Promise<string | null> {
  const row = await db.selectFrom('daily_entries').select((eb) => eb.fn.max('day').as('d')).where('day', '<', day).executeTakeFirst();
  return row?.d ? String(row.d) : null;
}

/** The earliest member-submission day after `day`, or null. */
export async function nextEntryDay(db: Executor, day: string): Promise<string | null> {
  const row = await db.selectFrom('daily_entries').select((eb) => eb.fn.min('day').as('d')).where('day', '>', day).executeTakeFirst();
  return row?.d ? String(row.d) : null;
}
