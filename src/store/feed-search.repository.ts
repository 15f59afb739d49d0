/**
 * The SQL behind the fallback search (services/search-papers.fallback.ts), used until the real
 * engine in src/search/ is wired in: every term must occur in the title, abstract or author
 * list (case-insensitive substring), with optional date, category and has-code filters. It
 * returns light rows, newest first, capped; ranking happens in the service. Works the same on
 * SQLite and PostgreSQL.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

type Executor = Kysely<Database>;

export interface SearchCandidateRow {
  arxivId: string;
  title: string;
  abstract: string;
  authorsJson: string;
  publishedAt: string | null;
}

export interface SearchCandidateFilter {
  /** Lower-case terms; each must match somewhere (AND), or any (OR) when `anyTerm`. */
  terms: readonly string[];
  anyTerm?: boolean;
  from?: string;
  to?: string;
  category?: string;
  hasCode?: boolean;
  limit: number;
}

function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

function nextDay(date: string): string {
  const t = new Date(`${date}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + 1);
  return t.toISOString().slice(0, 10);
}

export async function searchCandidates(db: Executor, f: SearchCandidateFilter): Promise<SearchCandidateRow[]> {
  if (f.terms.length === 0) return [];
  // Raw SQL: Kysely's builder has no LIKE ... ESCAPE, and both dialects need lower() for
  // case-insensitive matching (PostgreSQL's LIKE is case-sensitive, ILIKE is not portable).
  const matches = f.terms.map((t) => {
    const p = likePattern(t);
    return sql<boolean>`(lower(papers.title) like ${p} escape '\\' or lower(papers.abstract) like ${p} escape '\\' or lower(papers.authors_json) like ${p} escape '\\')`;
  });
  let q = db
    .selectFrom('papers')
    .leftJoin('hidden_papers', 'hidden_papers.paper_id', 'papers.id')
    .select(['papers.arxiv_id', 'papers.title', 'papers.abstract', 'papers.authors_json', 'papers.published_at'])
    .where('papers.deleted', '=', 0)
    .where('hidden_papers.paper_id', 'is', null)
    .where((eb) => (f.anyTerm ? eb.or(matches) : eb.and(matches)));
  if (f.from) q = q.where('papers.published_at', '>=', f.from);
  if (f.to) q = q.where('papers.published_at', '<', nextDay(f.to));
  if (f.hasCode) q = q.where('papers.code_url', 'is not', null);
  if (f.category) {
    const category = f.category;
    q = q.where((eb) => eb.exists(eb.selectFrom('paper_categories').select('paper_categories.paper_id').whereRef('paper_categories.paper_id', '=', 'papers.id').where('paper_categories.category', '=', category)));
  }
  const rows = await q.orderBy('papers.published_at', 'desc').orderBy('papers.arxiv_id', 'desc').limit(f.limit).execute();
  return rows.map((r) => ({ arxivId: r.arxiv_id, title: r.title, abstract: r.abstract, authorsJson: r.authors_json, publishedAt: r.published_at }));
}
