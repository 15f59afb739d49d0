/** Maps `papers` rows (and their versions) to the domain's Paper; the one place that knows both. */
import type { Kysely } from 'kysely';
import type { Paper, PaperAuthor, PaperVersion } from '../domain/paper.js';
import type { Database, PaperRow } from './schema.js';

const VERSION_LOOKUP_CHUNK = 900;

export type StoredPaper = Paper & { codeUrl: string | null; projectUrl: string | null };

export function paperFromRow(row: PaperRow, versions: PaperVersion[] = []): StoredPaper {
  return {
    arxivId: row.arxiv_id,
    latestVersion: row.latest_version,
    title: row.title,
    abstract: row.abstract,
    authors: JSON.parse(row.authors_json) as PaperAuthor[],
    categories: row.categories ? row.categories.split(' ') : [],
    primaryCategory: row.primary_category,
    publishedAt: row.published_at,
    updatedAt: row.source_updated_at,
    doi: row.doi,
    journalRef: row.journal_ref,
    comments: row.comments,
    license: row.license,
    reportNo: row.report_no,
    mscClass: row.msc_class,
    acmClass: row.acm_class,
    submitter: row.submitter,
    versions,
    codeUrl: row.code_url,
    projectUrl: row.project_url,
    linksSetByMember: row.links_edit_id !== null,
    changeSeq: Number(row.change_seq),
    deleted: Boolean(row.deleted),
    firstSeenAt: row.first_seen_at,
    modifiedAt: row.modified_at,
  };
}

/** Maps rows to papers with their version history, in one query per 900 papers. */
export async function papersWithVersions(db: Kysely<Database>, rows: PaperRow[]): Promise<StoredPaper[]> {
  if (rows.length === 0) return [];
  const byPaper = new Map<number, PaperVersion[]>();
  for (let i = 0; i < rows.length; i += VERSION_LOOKUP_CHUNK) {
    const ids = rows.slice(i, i + VERSION_LOOKUP_CHUNK).map((r) => r.id);
    const versions = await db.selectFrom('paper_versions').selectAll().where('paper_id', 'in', ids).orderBy('paper_id').orderBy('version').execute();
    for (const v of versions) {
      const list = byPaper.get(Number(v.paper_id)) ?? [];
      list.push({ version: v.version, submittedAt: v.submitted_at, size: v.size, sourceType: v.source_type });
      byPaper.set(Number(v.paper_id), list);
    }
  }
  return rows.map((r) => paperFromRow(r, byPaper.get(Number(r.id)) ?? []));
}
