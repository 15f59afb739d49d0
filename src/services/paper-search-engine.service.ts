/**
 * Keeps the in-memory search index in step with the database, which stays the source of truth:
 * on first use it loads the last snapshot (if any) and then replays the papers' change log
 * (`change_seq`) from where the snapshot ended; every search first catches up with changes made
 * since, by this process or any other instance. `rebuild` builds from the database alone.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Paper } from '../domain/paper.js';
import { texPlain } from '../domain/tex-segments.js';
import type { Logger } from '../logger.js';
import { LexicalIndex } from '../search/lexical-index.js';
import type { SearchDocument } from '../search/search-document.js';
import type { SearchFilter } from '../search/search-filter.js';
import type { SnippetSegment } from '../search/snippet.js';
import type { Db } from '../store/database.js';
import { currentChangeSeq, findPapersByArxivIds, listPapersChangedSince } from '../store/paper.repository.js';

export interface EngineSearchOptions {
  limit: number;
  offset?: number;
  filter?: SearchFilter;
  /** Treat the last word as a prefix (search as you type). */
  prefix?: boolean;
}

export interface EngineHit {
  paper: Paper;
  score: number;
  highlightedTitle: SnippetSegment[];
  highlightedSummary: SnippetSegment[];
}

export interface PaperSearchEngine {
  search(query: string, options: EngineSearchOptions): Promise<{ hits: EngineHit[]; hasMore: boolean }>;
  /** The analysed terms of a query (stemmed), for highlighting elsewhere. */
  queryTerms(query: string): Promise<string[]>;
  complete(prefix: string, limit?: number): Promise<{ word: string; count: number }[]>;
  /** Builds a new index from the database alone and snapshots it. */
  rebuild(): Promise<{ documents: number; seconds: number; snapshotBytes: number | null }>;
  /** Writes a snapshot of the current index (when a directory is configured). */
  snapshot(): Promise<number | null>;
  stats(): Promise<{ documents: number; lastSeq: number }>;
}

const CATCH_UP_BATCH = 2000;
const SNAPSHOT_FILE = 'lexical.idx';
const STATE_FILE = 'lexical.state.json';

/** What the index sees of a paper: title, abstract, authors, categories, date, code. */
export function toSearchDocument(paper: Paper): SearchDocument {
  return {
    key: paper.arxivId,
    title: paper.title,
    abstract: paper.abstract,
    authors: paper.authors.map((a) => a.name).join(', '),
    categories: paper.categories,
    publishedAt: paper.publishedAt,
    hasCode: Boolean(paper.codeUrl),
  };
}

export function createPaperSearchEngine(deps: { db: Db; logger: Logger; snapshotDir: string | null }): PaperSearchEngine {
  const { db, logger, snapshotDir } = deps;
  let index: LexicalIndex | null = null;
  let lastSeq = 0;
  // One catch-up at a time; concurrent searches wait for the same one.
  let pending: Promise<void> | null = null;

  const loadSnapshot = (): void => {
    if (!snapshotDir) return;
    const file = path.join(snapshotDir, SNAPSHOT_FILE);
    const stateFile = path.join(snapshotDir, STATE_FILE);
    if (!fs.existsSync(file) || !fs.existsSync(stateFile)) return;
    try {
      const state = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as { lastSeq: number };
      index = LexicalIndex.load(file);
      lastSeq = state.lastSeq;
      logger.info({ file, lastSeq, documents: index.stats().documents }, 'search index snapshot loaded');
    } catch (error) {
      // A snapshot is only a cache: a damaged one is ignored and the index rebuilt from the database.
      logger.warn({ file, err: { message: (error as Error).message } }, 'search index snapshot unreadable; rebuilding from the database');
      index = null;
      lastSeq = 0;
    }
  };

  const applyChanges = async (target: LexicalIndex, fromSeq: number): Promise<number> => {
    let seq = fromSeq;
    for (;;) {
      const changed = await listPapersChangedSince(db.kysely, seq, CATCH_UP_BATCH);
      if (changed.length === 0) return seq;
      for (const paper of changed) {
        target.delete(paper.arxivId);
        if (!paper.deleted) target.add(toSearchDocument(paper));
        seq = paper.changeSeq;
      }
    }
  };

  const catchUp = async (): Promise<void> => {
    if (!index) {
      loadSnapshot();
      if (index && lastSeq > (await maxChangeSeq())) {
        // The snapshot is ahead of this database (a different or restored database): discard it.
        logger.warn({ lastSeq }, 'search index snapshot is newer than the database; rebuilding');
        index = null;
        lastSeq = 0;
      }
      index ??= new LexicalIndex();
    }
    lastSeq = await applyChanges(index, lastSeq);
  };

  const maxChangeSeq = () => currentChangeSeq(db.kysely);

  const ready = async (): Promise<LexicalIndex> => {
    pending ??= catchUp().finally(() => {
      pending = null;
    });
    await pending;
    return index!;
  };

  const writeSnapshot = (target: LexicalIndex, seq: number): number | null => {
    if (!snapshotDir) return null;
    fs.mkdirSync(snapshotDir, { recursive: true });
    // Write then rename, so a crash mid-write never leaves a half snapshot under the real name.
    const tmp = path.join(snapshotDir, `${SNAPSHOT_FILE}.${process.pid}.tmp`);
    const bytes = target.save(tmp);
    fs.renameSync(tmp, path.join(snapshotDir, SNAPSHOT_FILE));
    fs.writeFileSync(path.join(snapshotDir, `${STATE_FILE}.tmp`), JSON.stringify({ lastSeq: seq, savedAt: new Date().toISOString() }));
    fs.renameSync(path.join(snapshotDir, `${STATE_FILE}.tmp`), path.join(snapshotDir, STATE_FILE));
    return bytes;
  };

  return {
    async search(query, options) {
      const idx = await ready();
      const offset = options.offset ?? 0;
      const hits = idx.search(query, { limit: offset + options.limit + 1, ...(options.filter ? { filter: options.filter } : {}), ...(options.prefix ? { prefix: true } : {}) });
      const page = hits.slice(offset, offset + options.limit);
      const papers = new Map((await findPapersByArxivIds(db.kysely, page.map((h) => h.key))).map((p) => [p.arxivId, p]));
      const result: EngineHit[] = [];
      for (const hit of page) {
        const paper = papers.get(hit.key);
        if (!paper || paper.deleted) continue;
        result.push({
          paper,
          score: hit.score,
          highlightedTitle: idx.snippet(query, texPlain(paper.title), { maxChars: Infinity, prefix: options.prefix ?? false }),
          highlightedSummary: idx.snippet(query, texPlain(paper.abstract), { maxChars: 300, prefix: options.prefix ?? false }),
        });
      }
      return { hits: result, hasMore: hits.length > offset + options.limit };
    },
    async queryTerms(query) {
      const idx = await ready();
      return idx.queryTerms(query).map((t) => t.term);
    },
    async complete(prefix, limit = 8) {
      const idx = await ready();
      return idx.complete(prefix, limit);
    },
    async rebuild() {
      const started = performance.now();
      const fresh = new LexicalIndex();
      const seq = await applyChanges(fresh, 0);
      index = fresh;
      lastSeq = seq;
      const snapshotBytes = writeSnapshot(fresh, seq);
      return { documents: fresh.stats().documents, seconds: (performance.now() - started) / 1000, snapshotBytes };
    },
    async snapshot() {
      const idx = await ready();
      return writeSnapshot(idx, lastSeq);
    },
    async stats() {
      const idx = await ready();
      return { documents: idx.stats().documents, lastSeq };
    },
  };
}
