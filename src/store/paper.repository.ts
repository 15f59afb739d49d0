/**
 * Papers: idempotent batch upserts keyed by arXiv id, reads for pages and the change log the
 * search index follows. A batch is written inside the caller's transaction, so a failed file
 * or page leaves nothing behind.
 */
import { createHash } from 'node:crypto';
import type { ExpressionBuilder, Kysely, UpdateObject } from 'kysely';
import type { IngestItem, Paper, PaperRecord } from '../domain/paper.js';
import { extractPaperLinks } from '../domain/paper-links.js';
import { papersWithVersions } from './paper.mapper.js';
import type { Database, NewPaperRow, PaperRow } from './schema.js';

export interface UpsertSummary {
  inserted: number;
  updated: number;
  skipped: number;
  deleted: number;
}

type Executor = Kysely<Database>;

// SQLite allows 32,766 bound variables per statement; papers have 25 columns.
const INSERT_CHUNK = 500;
const LOOKUP_CHUNK = 900;

/** Stable fingerprint of everything a source says about a paper. */
export function contentHash(p: PaperRecord): string {
  return createHash('sha1')
    .update(
      JSON.stringify([
        p.arxivId, p.latestVersion, p.title, p.abstract, p.authors, p.categories, p.primaryCategory,
        p.publishedAt, p.updatedAt, p.doi, p.journalRef, p.comments, p.license, p.reportNo,
        p.mscClass, p.acmClass, p.submitter, p.versions,
      ]),
    )
    .digest('base64url');
}

/** Reserves `n` consecutive change-sequence numbers; holds a row lock until commit. */
export async function reserveChangeSeqs(db: Executor, n: number): Promise<number> {
  const row = await db
    .updateTable('counters')
    .set((eb) => ({ value: eb('value', '+', n) }))
    .where('name', '=', 'paper_change_seq')
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value) - n + 1;
}

function toRow(p: PaperRecord, hash: string, seq: number, datestamp: string | null, now: string): Omit<NewPaperRow, 'first_seen_at'> {
  const links = extractPaperLinks(p.abstract, p.comments);
  return {
    code_url: links.codeUrl,
    project_url: links.projectPage,
    arxiv_id: p.arxivId,
    latest_version: p.latestVersion,
    title: p.title,
    abstract: p.abstract,
    authors_json: JSON.stringify(p.authors),
    categories: p.categories.join(' '),
    primary_category: p.primaryCategory ?? p.categories[0] ?? null,
    published_at: p.publishedAt,
    source_updated_at: p.updatedAt,
    doi: p.doi,
    journal_ref: p.journalRef,
    comments: p.comments,
    license: p.license,
    report_no: p.reportNo,
    msc_class: p.mscClass,
    acm_class: p.acmClass,
    submitter: p.submitter,
    datestamp,
    content_hash: hash,
    change_seq: seq,
    deleted: 0,
    modified_at: now,
  };
}

const MERGED_COLUMNS = [
  'latest_version', 'primary_category', 'published_at', 'source_updated_at', 'doi', 'journal_ref', 'comments',
  'license', 'report_no', 'msc_class', 'acm_class', 'submitter', 'datestamp',
] as const;

/** An UPDATE's SET clause in which absent (null/empty) incoming values keep the stored ones. */
function mergedRow(eb: ExpressionBuilder<Database, 'papers'>, row: ReturnType<typeof toRow>) {
  const set: Record<string, unknown> = { ...row };
  for (const column of MERGED_COLUMNS) set[column] = eb.fn.coalesce(eb.val(row[column] ?? null), eb.ref(column));
  if (!row.title) delete set.title;
  // Links a member set stay until a moderator reverts them; a record without an abstract
  // (a sparse source) says nothing about them either.
  if (row.abstract) {
    set.code_url = eb.case().when('links_edit_id', 'is', null).then(eb.val(row.code_url ?? null)).else(eb.ref('code_url')).end();
    set.project_url = eb.case().when('links_edit_id', 'is', null).then(eb.val(row.project_url ?? null)).else(eb.ref('project_url')).end();
  } else {
    delete set.code_url;
    delete set.project_url;
  }
  if (!row.abstract) delete set.abstract;
  if (row.authors_json === '[]') delete set.authors_json;
  if (!row.categories) delete set.categories;
  return set as UpdateObject<Database, 'papers'>;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function writeChildren(db: Executor, entries: { id: number; paper: PaperRecord }[], replace: boolean): Promise<void> {
  if (entries.length === 0) return;
  const ids = entries.map((e) => e.id);
  if (replace) {
    for (const part of chunks(ids, LOOKUP_CHUNK)) {
      await db.deleteFrom('paper_authors').where('paper_id', 'in', part).execute();
      await db.deleteFrom('paper_categories').where('paper_id', 'in', part).execute();
    }
  }
  const authors = entries.flatMap(({ id, paper }) =>
    paper.authors.map((a, position) => ({
      paper_id: id,
      position,
      name: a.name,
      keyname: a.keyname ?? null,
      forenames: a.forenames ?? null,
      suffix: a.suffix ?? null,
      affiliations: a.affiliations && a.affiliations.length > 0 ? JSON.stringify(a.affiliations) : null,
    })),
  );
  for (const part of chunks(authors, 2000)) await db.insertInto('paper_authors').values(part).execute();

  const categories = entries.flatMap(({ id, paper }) =>
    [...new Set(paper.categories)].map((category, position) => ({ paper_id: id, category, position })),
  );
  for (const part of chunks(categories, 3000)) await db.insertInto('paper_categories').values(part).execute();

  // Versions accumulate: a source without version history (the arXiv OAI format) must not erase
  // what arXivRaw or the API told us earlier.
  const versions = entries.flatMap(({ id, paper }) =>
    paper.versions.map((v) => ({ paper_id: id, version: v.version, submitted_at: v.submittedAt, size: v.size ?? null, source_type: v.sourceType ?? null })),
  );
  for (const part of chunks(versions, 1500)) {
    await db
      .insertInto('paper_versions')
      .values(part)
      .onConflict((oc) =>
        oc.columns(['paper_id', 'version']).doUpdateSet((eb) => ({
          submitted_at: eb.fn.coalesce('excluded.submitted_at', 'paper_versions.submitted_at'),
          size: eb.fn.coalesce('excluded.size', 'paper_versions.size'),
          source_type: eb.fn.coalesce('excluded.source_type', 'paper_versions.source_type'),
        })),
      )
      .execute();
  }
}

/**
 * Inserts new papers, updates changed ones, skips identical or older-version records and marks
 * deleted ones. Run it inside a transaction.
 */
export async function upsertPapers(db: Executor, items: readonly IngestItem[], now = new Date().toISOString()): Promise<UpsertSummary> {
  const summary: UpsertSummary = { inserted: 0, updated: 0, skipped: 0, deleted: 0 };
  // Within one batch the last word about a paper wins.
  const latest = new Map<string, IngestItem>();
  for (const item of items) latest.set(item.kind === 'paper' ? item.paper.arxivId : item.arxivId, item);
  summary.skipped += items.length - latest.size;
  if (latest.size === 0) return summary;

  const existing = new Map<string, Pick<PaperRow, 'id' | 'content_hash' | 'latest_version' | 'deleted'>>();
  for (const part of chunks([...latest.keys()], LOOKUP_CHUNK)) {
    const rows = await db.selectFrom('papers').select(['id', 'arxiv_id', 'content_hash', 'latest_version', 'deleted']).where('arxiv_id', 'in', part).execute();
    for (const r of rows) existing.set(r.arxiv_id, r);
  }

  const inserts: { paper: PaperRecord; hash: string; datestamp: string | null }[] = [];
  const updates: { id: number; paper: PaperRecord; hash: string; datestamp: string | null }[] = [];
  const deletions: number[] = [];
  for (const [arxivId, item] of latest) {
    const row = existing.get(arxivId);
    if (item.kind === 'deleted') {
      if (row && !row.deleted) deletions.push(row.id);
      else summary.skipped++;
      continue;
    }
    const hash = contentHash(item.paper);
    if (!row) inserts.push({ paper: item.paper, hash, datestamp: item.datestamp });
    else if (row.content_hash === hash && !row.deleted) summary.skipped++;
    else if (item.paper.latestVersion !== null && row.latest_version !== null && item.paper.latestVersion < row.latest_version) summary.skipped++;
    else updates.push({ id: row.id, paper: item.paper, hash, datestamp: item.datestamp });
  }

  const changes = inserts.length + updates.length + deletions.length;
  if (changes === 0) return summary;
  let seq = await reserveChangeSeqs(db, changes);

  const inserted: { id: number; paper: PaperRecord }[] = [];
  for (const part of chunks(inserts, INSERT_CHUNK)) {
    const rows = part.map((e) => ({ ...toRow(e.paper, e.hash, seq++, e.datestamp, now), first_seen_at: now }));
    const ids = await db.insertInto('papers').values(rows).returning(['id', 'arxiv_id']).execute();
    const byArxivId = new Map(ids.map((r) => [r.arxiv_id, r.id]));
    for (const e of part) inserted.push({ id: Number(byArxivId.get(e.paper.arxivId)), paper: e.paper });
  }
  await writeChildren(db, inserted, false);
  summary.inserted = inserted.length;

  for (const u of updates) {
    await db.updateTable('papers').set((eb) => mergedRow(eb, toRow(u.paper, u.hash, seq++, u.datestamp, now))).where('id', '=', u.id).execute();
  }
  // Sources differ in what they carry (RSS has no license, the snapshot no ACM class): an update
  // fills and corrects fields but never blanks what another source told us.
  await writeChildren(db, updates.filter((u) => u.paper.authors.length > 0 && u.paper.categories.length > 0), true);
  await writeChildren(db, updates.filter((u) => u.paper.authors.length === 0 || u.paper.categories.length === 0).map((u) => ({ ...u, paper: { ...u.paper, authors: [], categories: [] } })), false);
  summary.updated = updates.length;

  for (const id of deletions) {
    await db.updateTable('papers').set({ deleted: 1, change_seq: seq++, modified_at: now }).where('id', '=', id).execute();
  }
  summary.deleted = deletions.length;
  return summary;
}

export async function findPaperByArxivId(db: Executor, arxivId: string): Promise<Paper | null> {
  const row = await db.selectFrom('papers').selectAll().where('arxiv_id', '=', arxivId).executeTakeFirst();
  if (!row) return null;
  const [paper] = await papersWithVersions(db, [row]);
  return paper ?? null;
}

/** Papers for a list of arXiv ids (in no particular order; unknown ids are left out). */
export async function findPapersByArxivIds(db: Executor, arxivIds: readonly string[]): Promise<Paper[]> {
  const rows: PaperRow[] = [];
  for (const part of chunks([...new Set(arxivIds)], LOOKUP_CHUNK)) {
    rows.push(...(await db.selectFrom('papers').selectAll().where('arxiv_id', 'in', part).execute()));
  }
  return papersWithVersions(db, rows);
}

/** The highest change sequence handed out so far. */
export async function currentChangeSeq(db: Executor): Promise<number> {
  const row = await db.selectFrom('counters').select('value').where('name', '=', 'paper_change_seq').executeTakeFirst();
  return Number(row?.value ?? 0);
}

/** Most recently published papers that are not deleted, newest first. */
export async function listRecentPapers(db: Executor, options: { limit: number; offset?: number; category?: string }): Promise<Paper[]> {
  let q = db.selectFrom('papers').selectAll('papers').where('papers.deleted', '=', 0);
  if (options.category) {
    const category = options.category;
    q = q.where((eb) => eb.exists(eb.selectFrom('paper_categories').select('paper_id').whereRef('paper_categories.paper_id', '=', 'papers.id').where('category', '=', category)));
  }
  const rows = await q.orderBy('published_at', 'desc').orderBy('arxiv_id', 'desc').limit(options.limit).offset(options.offset ?? 0).execute();
  return papersWithVersions(db, rows);
}

/** The change log: papers (deleted ones included) changed after `afterSeq`, in sequence order. */
export async function listPapersChangedSince(db: Executor, afterSeq: number, limit: number): Promise<Paper[]> {
  const rows = await db.selectFrom('papers').selectAll().where('change_seq', '>', afterSeq).orderBy('change_seq').limit(limit).execute();
  return papersWithVersions(db, rows);
}

export async function countPapers(db: Executor): Promise<number> {
  const row = await db.selectFrom('papers').select((eb) => eb.fn.countAll<number>().as('n')).where('deleted', '=', 0).executeTakeFirstOrThrow();
  return Number(row.n);
}
