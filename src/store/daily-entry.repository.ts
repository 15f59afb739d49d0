/**
 * The daily feed's submissions: a paper is on the feed once (UNIQUE paper_id), on the UTC day
 * a member submitted it. Papers hidden by a moderator are left out of every listing.
 */
import type { Kysely } from 'kysely';
import type { DailyEntry } from '../domain/member.js';
import type { Database } from './schema.js';

type Executor = Kysely<Database>;

const CHUNK = 900;

/** Internal key of a paper, for the member tables' foreign keys. */
export async function findPaperKey(db: Executor, arxivId: string): Promise<{ id: number; deleted: boolean } | null> {
  const row = await db.selectFrom('papers').select(['id', 'deleted']).where('arxiv_id', '=', arxivId).executeTakeFirst();
  return row ? { id: Number(row.id), deleted: Boolean(row.deleted) } : null;
}

function entryQuery(db: Executor) {
  return db
    .selectFrom('daily_entries')
    .innerJoin('papers', 'papers.id', 'daily_entries.paper_id')
    .leftJoin('users', 'users.id', 'daily_entries.submitted_by')
    .leftJoin('hidden_papers', 'hidden_papers.paper_id', 'daily_entries.paper_id')
    .select(['papers.arxiv_id', 'daily_entries.day', 'daily_entries.submitted_at', 'users.handle', 'users.display_name'])
    .where('hidden_papers.paper_id', 'is', null)
    .where('papers.deleted', '=', 0);
}

type Row = Awaited<ReturnType<ReturnType<typeof entryQuery>['executeTakeFirstOrThrow']>>;

function toEntry(r: Row): DailyEntry {
  return {
    arxivId: r.arxiv_id,
    day: r.day,
    submittedAt: r.submitted_at,
    submitter: r.handle && r.display_name ? { handle: r.handle, displayName: r.display_name } : null,
  };
}

/** Puts the paper on the day's feed; `inserted` is false when it already is on a feed (that entry is returned). */
export async function insertDailyEntry(db: Executor, e: { paperId: number; day: string; userId: number | null; now: string }): Promise<{ inserted: boolean; day: string }> {
  const result = await db
    .insertInto('daily_entries')
    .values({ paper_id: e.paperId, day: e.day, submitted_by: e.userId, submitted_at: e.now })
    .onConflict((oc) => oc.column('paper_id').doNothing())
    .executeTakeFirst();
  if (Number(result.numInsertedOrUpdatedRows ?? 0) > 0) return { inserted: true, day: e.day };
  const existing = await db.selectFrom('daily_entries').select('day').where('paper_id', '=', e.paperId).executeTakeFirstOrThrow();
  return { inserted: false, day: existing.day };
}

export async function countSubmissionsOnDay(db: Executor, userId: number, day: string): Promise<number> {
  const row = await db.selectFrom('daily_entries').select((eb) => eb.fn.countAll<number>().as('n')).where('submitted_by', '=', userId).where('day', '=', day).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Entries submitted on days `from`..`to` (inclusive, YYYY-MM-DD), oldest submission first. */
export async function listDailyEntries(db: Executor, range: { from: string; to: string }): Promise<DailyEntry[]> {
  const rows = await entryQuery(db).where('daily_entries.day', '>=', range.from).where('daily_entries.day', '<=', range.to).orderBy('daily_entries.submitted_at').execute();
  return rows.map(toEntry);
}

/** The feed entries of these papers, keyed by arXiv id. */
export async function findDailyEntriesByArxivIds(db: Executor, arxivIds: readonly string[]): Promise<Map<string, DailyEntry>> {
  const out = new Map<string, DailyEntry>();
  for (let i = 0; i < arxivIds.length; i += CHUNK) {
    const rows = await entryQuery(db).where('papers.arxiv_id', 'in', arxivIds.slice(i, i + CHUNK)).execute();
    for (const r of rows) out.set(r.arxiv_id, toEntry(r));
  }
  return out;
}

export async function listSubmissionsByUser(db: Executor, userId: number, limit: number): Promise<DailyEntry[]> {
  const rows = await entryQuery(db).where('daily_entries.submitted_by', '=', userId).orderBy('daily_entries.submitted_at', 'desc').limit(limit).execute();
  return rows.map(toEntry);
}

/** Days that have at least one submission in the range, with how many (for feed charts and navigation). */
export async function countEntriesPerDay(db: Executor, range: { from: string; to: string }): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('daily_entries')
    .leftJoin('hidden_papers', 'hidden_papers.paper_id', 'daily_entries.paper_id')
    .select(['daily_entries.day', (eb) => eb.fn.countAll<number>().as('n')])
    .where('hidden_papers.paper_id', 'is', null)
    .where('daily_entries.day', '>=', range.from)
    .where('daily_entries.day', '<=', range.to)
    .groupBy('daily_entries.day')
    .execute();
  return new Map(rows.map((r) => [r.day, Number(r.n)]));
}
