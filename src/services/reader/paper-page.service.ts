/**
 * Everything the paper page and `GET /api/papers/{id}` show about one paper: the record, its
 * community signals, similar papers and a BibTeX entry. Similar papers are the search engine's
 * nearest neighbours; while it has none for a paper (its index is still being built), the page
 * lists recent papers of the same primary category and says so.
 */
import type { DailyEntry } from '../../domain/member.js';
import { NotFoundError } from '../../domain/errors.js';
import { countCommentsByArxivId } from '../../store/comment.repository.js';
import { findDailyEntriesByArxivIds } from '../../store/daily-entry.repository.js';
import type { Db } from '../../store/database.js';
import { findStoredPaper, findVisiblePapers, listSameCategoryPapers } from '../../store/feed.repository.js';
import { countVotesByArxivId } from '../../store/vote.repository.js';
import type { FeedPaper } from './feed.types.js';
import { toBibtex } from '../members/library-bibtex.js';

const SIMILAR_COUNT = 6;

/** Nearest neighbours by content; null when the source cannot answer (no index yet). */
export type SimilarPapersSource = (arxivId: string, limit: number) => Promise<string[] | null>;

export interface SimilarPapers {
  /** `content`: ranked by the search engine; `same-category`: recent papers of the primary category. */
  basis: 'content' | 'same-category';
  category: string | null;
  papers: FeedPaper[];
}

export interface PaperPage {
  paper: FeedPaper;
  upvotes: number;
  comments: number;
  entry: DailyEntry | null;
  similar: SimilarPapers;
  bibtex: string;
}

export interface PaperPageDeps {
  db: Db;
  similarPapers: SimilarPapersSource;
}

async function similarFor(deps: PaperPageDeps, paper: FeedPaper): Promise<SimilarPapers> {
  const category = paper.primaryCategory ?? paper.categories[0] ?? null;
  const ranked = await deps.similarPapers(paper.arxivId, SIMILAR_COUNT);
  if (ranked && ranked.length > 0) {
    const found = await findVisiblePapers(deps.db.kysely, ranked);
    return { basis: 'content', category, papers: ranked.flatMap((id) => found.get(id) ?? []) };
  }
  if (!category) return { basis: 'same-category', category: null, papers: [] };
  const papers = await listSameCategoryPapers(deps.db.kysely, { category, before: paper.publishedAt ?? '9999-12-31', excludeId: paper.arxivId, limit: SIMILAR_COUNT });
  return { basis: 'same-category', category, papers };
}

export function paperBibtex(paper: FeedPaper): string {
  return toBibtex([
    {
      arxivId: paper.arxivId,
      title: paper.title,
      authors: paper.authors.map((a) => a.name),
      publishedAt: paper.publishedAt,
      primaryCategory: paper.primaryCategory,
      doi: paper.doi,
      journalRef: paper.journalRef,
      latestVersion: paper.latestVersion,
      note: '',
      savedAt: paper.modifiedAt,
      updatedAt: paper.modifiedAt,
    },
  ]);
}

/** @throws NotFoundError `paper_not_found` for unknown, withdrawn-from-view or deleted papers. */
export async function getPaperPage(deps: PaperPageDeps, arxivId: string): Promise<PaperPage> {
  const db = deps.db.kysely;
  const paper = await findStoredPaper(db, arxivId);
  if (!paper || paper.deleted || paper.hidden) throw new NotFoundError('paper_not_found', `There is no paper ${arxivId} here.`, { arxivId });
  const { hidden: _hidden, ...visible } = paper;
  const [votes, comments, entries, similar] = await Promise.all([
    countVotesByArxivId(db, [arxivId]),
    countCommentsByArxivId(db, [arxivId]),
    findDailyEntriesByArxivIds(db, [arxivId]),
    similarFor(deps, visible),
  ]);
  return { paper: visible, upvotes: votes.get(arxivId) ?? 0, comments: comments.get(arxivId) ?? 0, entry: entries.get(arxivId) ?? null, similar, bibtex: paperBibtex(visible) };
}
