/**
 * Keeps the in-memory search index in step with the database, which stays the source of truth:
 * on first use it loads the last snapshot (if any) and then replays the papers' change log
 * (`change_seq`) from where the snapshot ended; every search first catches up with changes made
 * since, by this process or any other instance. `rebuild` builds from the database alone.
 * When paper vectors exist (paper-dense-index.service.ts), full-word queries are hybrid, through
 * the same HybridSearcher that `paperboy eval` and `bench search` measure (search/hybrid-searcher.ts);
 * search-as-you-type stays lexical.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Paper } from '../../domain/paper.js';
import type { Logger } from '../../logger.js';
import type { EmbeddingProvider } from '../../search/dense/embedding-provider.js';
import { DEFAULT_HYBRID_DEPTH, HybridSearcher } from '../../search/hybrid-searcher.js';
import { explainResults } from '../../search/result-explanation.js';
import type { ScoredKey } from '../../search/hybrid-fusion.js';
import { LexicalBulkLoader } from '../../search/lexical-bulk-loader.js';
import { LexicalIndex } from '../../search/lexical-index.js';
import type { SearchDocument } from '../../search/search-document.js';
import type { SearchFilter } from '../../search/search-filter.js';
import type { SnippetSegment } from '../../search/snippet.js';
import type { Db } from '../../store/database.js';
import { findVisiblePapers, type StoredPaper } from '../../store/feed.repository.js';
import { currentChangeSeq, listPapersChangedSince } from '../../store/paper.repository.js';
import { buildSnippet } from '../../search/snippet.js';
import { texPlain } from '../../domain/tex-segments.js';
import { createPaperTextCache, type PaperTextCache } from './paper-text-cache.js';
import { createHybridBreadth } from './hybrid-breadth.js';
import type { PaperDenseIndex } from './paper-dense-index.js';

export interface EngineSearchOptions {
  limit: number;
  offset?: number;
  filter?: SearchFilter;
  /** Treat the last word as a prefix (search as you type). */
  prefix?: boolean;
  /** Skip the dense side (e.g. when the vectors were already asked). */
  lexicalOnly?: boolean;
  /**
   * Search by meaning too (default true): the vector side, with feedback from the best lexical
   * matches, and the related words it brought in. False: the query's own words only.
   */
  expand?: boolean;
}

export interface EngineHit {
  /** Visible papers only (not deleted, not hidden by a moderator). */
  paper: StoredPaper;
  score: number;
  /** The paper contains none of the query's words: it was found by meaning. */
  byMeaning: boolean;
  highlightedTitle: SnippetSegment[];
  highlightedSummary: SnippetSegment[];
  /** Title and abstract as plain text (TeX converted), as analysed for this version: presenters reuse them. */
  plain: { title: string; abstract: string };
}

export interface EngineSuggestions {
  papers: { paper: StoredPaper; title: string }[];
  completions: string[];
}

/** Lexical candidates a suggestion is picked from (titles holding every typed word are kept). */
const SUGGEST_CANDIDATES = 40;

/** Lower-case words of a title or of typed text, accents kept (as readers type them). */
function titleWords(text: string): string[] {
  return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
}

export interface EngineSearchResult {
  hits: EngineHit[];
  hasMore: boolean;
  /** Length of the whole result list the page is a slice of (see RESULT_LIST). */
  total: number;
  /** True when more papers match the query's words than the list holds (shown as "100+"). */
  totalIsLowerBound: boolean;
  /** `hybrid` when the vector side took part, else `lexical`. */
  mode: 'hybrid' | 'lexical';
  /** Words of the results, not in the query, that the vector side associates with it (result-explanation.ts). */
  related: string[];
  /** The query's analysed terms (stemmed), for highlighting elsewhere (feeds, suggestions). */
  terms: string[];
}

export interface PaperSearchEngine {
  search(query: string, options: EngineSearchOptions): Promise<EngineSearchResult>;
  complete(prefix: string, limit?: number): Promise<{ word: string; count: number }[]>;
  /**
   * Search as you type, words only (no vectors, no snippets): papers whose title holds every
   * typed word, the last one as a prefix ("sparse cod" finds "Sparse coding ..."), and the typed
   * text completed from the index's title vocabulary ("sparse coding").
   */
  suggest(text: string, limit: number): Promise<EngineSuggestions>;
  /** Nearest papers in the vector space (itself left out); null when the paper has no vector. */
  similar(arxivId: string, limit: number): Promise<string[] | null>;
  /** The papers' learned vectors (unit length) as far as the index has them; "For you" learns from them too. */
  paperVectors(arxivIds: readonly string[]): Promise<Map<string, Float32Array>>;
  /** Builds a new index from the database alone and snapshots it. */
  rebuild(): Promise<{ documents: number; seconds: number; snapshotBytes: number | null; dense: { documents: number; seconds: number; provider: string } | null }>;
  /** Writes a snapshot of the current index (when a directory is configured). */
  snapshot(): Promise<number | null>;
  /**
   * `unindexed`: vectors written since the approximate index was built (scanned exactly until it
   * is rebuilt); `probes`: lists it scans for dense search (similar papers); `hybridProbes`: for a
   * first page of hybrid search, once calibrated.
   */
  stats(): Promise<{ documents: number; lastSeq: number; dense: { documents: number; provider: string; seq: number; fittedOn: number; approximate: boolean; unindexed: number; probes: number | null; hybridProbes: number | null } | null }>;
  /** Waits until background work (building paper vectors) has finished; for tools and tests. */
  settled(): Promise<void>;
  /**
   * Changes whenever the same query may rank differently with the same papers: new vectors, an
   * approximate index attached. Answer caches key on it with the database's data version.
   */
  generation(): string;
  /** Without waiting: whether the lexical index is in memory, and whether paper vectors answer. */
  loadState(): { lexical: boolean; vectors: boolean };
}


const CATCH_UP_BATCH = 2000;
/** From this many changes to replay at once (a rebuild, a first start), tokenizing moves to worker threads. */
const BULK_LOAD_FROM = 20_000;

/** Applies a page of the change log one paper at a time. */
function applyPage(target: LexicalIndex, page: readonly Paper[]): void {
  for (const paper of page) {
    target.delete(paper.arxivId);
    if (!paper.deleted) target.add(toSearchDocument(paper));
  }
}

/** The same through the bulk loader: runs of papers go to the workers, deletions apply in order between them. */
async function loadPage(target: LexicalIndex, loader: LexicalBulkLoader, page: readonly Paper[]): Promise<void> {
  let run: SearchDocument[] = [];
  for (const paper of page) {
    if (!paper.deleted) {
      run.push(toSearchDocument(paper));
      continue;
    }
    await loader.addAll(run);
    run = [];
    target.delete(paper.arxivId);
  }
  await loader.addAll(run);
}

const DENSE_RETRY_MS = 60_000;
/**
 * A search's results are one list, computed the same way for every page: the best
 * RESULT_LIST papers (more when one page asks for more, as the Hugging Face API's limit of 120
 * can). Pages are slices of it, so they never overlap or skip, and its length is the count a
 * reader is shown: exact ("43 results"), or "60+" when more papers contain the query's words
 * than the list holds. The list blends each side's first-page candidates (DEFAULT_HYBRID_DEPTH),
 * so the first page ranks exactly as the evaluated configuration does.
 */
export const RESULT_LIST = 2 * DEFAULT_HYBRID_DEPTH;
/** Results per page the hybrid breadth is calibrated for (the API's default page of ten). */
const FIRST_PAGE = 10;
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

export function createPaperSearchEngine(deps: {
  db: Db;
  logger: Logger;
  snapshotDir: string | null;
  dense?: PaperDenseIndex | null;
  /** Changes to replay at once from which tokenizing moves to worker threads (default 20,000). */
  bulkLoadFrom?: number;
}): PaperSearchEngine {
  const { db, logger, snapshotDir } = deps;
  const bulkLoadFrom = deps.bulkLoadFrom ?? BULK_LOAD_FROM;
  const dense = deps.dense ?? null;
  let index: LexicalIndex | null = null;
  let lastSeq = 0;
  // One catch-up at a time; concurrent searches wait for the same one.
  let pending: Promise<void> | null = null;
  // The index has been loaded (or built) and caught up with the database at least once.
  let caughtUpOnce = false;

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

  /** Replays the change log into `target` from `fromSeq`; returns the last sequence applied. */
  const applyChanges = async (target: LexicalIndex, fromSeq: number): Promise<number> => {
    let seq = fromSeq;
    let changed = await listPapersChangedSince(db.kysely, seq, CATCH_UP_BATCH);
    // Only a full first page can mean a long replay; searches that find a few changes skip the count.
    const bulk = changed.length >= Math.min(CATCH_UP_BATCH, bulkLoadFrom) && (await maxChangeSeq()) - fromSeq >= bulkLoadFrom;
    const loader = bulk ? new LexicalBulkLoader(target) : null;
    try {
      while (changed.length > 0) {
        const page = changed;
        seq = page[page.length - 1]!.changeSeq;
        // The next page is read while this one is indexed.
        const next = listPapersChangedSince(db.kysely, seq, CATCH_UP_BATCH);
        next.catch(() => undefined);
        if (loader) await loadPage(target, loader, page);
        else applyPage(target, page);
        changed = await next;
      }
      return seq;
    } finally {
      await loader?.close();
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
      dense?.load();
    }
    lastSeq = await applyChanges(index, lastSeq);
    caughtUpOnce = true;
    if (dense && Date.now() >= denseRetryAt) {
      try {
        await dense.catchUp(lastSeq);
      } catch (error) {
        denseTrouble(error);
      }
      dense.maybeBuildInBackground(index.size);
    }
  };

  // A pretrained model behind an endpoint can be down: search then stays lexical (vectors of
  // new papers are caught up later), and the endpoint is left alone for a while.
  let denseRetryAt = 0;
  const denseTrouble = (error: unknown): void => {
    denseRetryAt = Date.now() + DENSE_RETRY_MS;
    logger.warn({ err: { message: (error as Error).message } }, 'paper vectors unavailable; searching lexically for now');
  };

  /**
   * Lexical and dense candidates blended (the one HybridSearcher), with the query vector the
   * vector side searched with; lexical alone (vector null) when there is no dense side.
   */
  /** The result list: up to `limit` hits (one more for words alone, to tell a full list from a capped one). */
  const rank = async (idx: LexicalIndex, query: string, limit: number, filter: SearchFilter | undefined, prefix: boolean, lexicalOnly: boolean, shown: number): Promise<{ hits: ScoredKey[]; more: boolean; vector: Float32Array | null; provider: EmbeddingProvider | null }> => {
    const lexicalAlone = () => {
      const hits = idx.search(query, { limit: limit + 1, ...(filter ? { filter } : {}), ...(prefix ? { prefix: true } : {}) });
      return { hits: hits.slice(0, limit), more: hits.length > limit, vector: null, provider: null };
    };
    if (prefix || lexicalOnly || dense?.current() == null || Date.now() < denseRetryAt) return lexicalAlone();
    let vector: Float32Array | null = null;
    try {
      vector = await dense!.queryVector(query);
    } catch (error) {
      denseTrouble(error);
    }
    const state = dense?.current();
    if (!vector || !state) return lexicalAlone();
    // The calibrated breadth holds for a first page of ten; longer pages scan as widely as dense search.
    const probes = shown <= FIRST_PAGE ? breadth.probesFor(state.vectors) : undefined;
    const depth = Math.max(DEFAULT_HYBRID_DEPTH, Math.ceil(limit / 2));
    const result = new HybridSearcher(idx, state.vectors).searchWithVector(query, vector, { limit, depth, ...(filter ? { filter } : {}), ...(probes === undefined ? {} : { probes }) });
    return { hits: result.hits, more: result.lexicalFull, vector: result.vector, provider: state.provider };
  };

  const breadth = createHybridBreadth({
    db,
    logger,
    queryVector: (text) => dense!.queryVector(text),
    searcher: (vectors) => new HybridSearcher(index!, vectors),
  });

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

  // Analyses of the papers search shows, per paper version; made anew with a new analyzer (rebuild).
  let textCache: { analyzer: LexicalIndex['analyzer']; cache: PaperTextCache } | null = null;
  const paperTexts = (idx: LexicalIndex): PaperTextCache => {
    if (textCache?.analyzer !== idx.analyzer) textCache = { analyzer: idx.analyzer, cache: createPaperTextCache(idx.analyzer) };
    return textCache.cache;
  };

  // Generations of the vector side: each new DenseState (a build, a refit, a load) gets a number.
  const denseGenerations = new WeakMap<object, number>();
  let denseGenerationCount = 0;

  return {
    loadState: () => ({ lexical: caughtUpOnce, vectors: dense?.current() != null }),
    generation() {
      const state = dense?.current();
      if (!state) return '0';
      let n = denseGenerations.get(state);
      if (n === undefined) denseGenerations.set(state, (n = ++denseGenerationCount));
      return `${n}.${state.vectors.indexVersion}`;
    },
    async search(query, options) {
      const idx = await ready();
      const offset = options.offset ?? 0;
      const prefix = options.prefix ?? false;
      // Typeahead wants a handful of titles, not a result list.
      const listLength = prefix ? offset + options.limit : Math.max(RESULT_LIST, offset + options.limit);
      const ranked = await rank(idx, query, listLength, options.filter, prefix, (options.lexicalOnly ?? false) || options.expand === false, offset + options.limit);
      const totalIsLowerBound = ranked.more;
      const list = ranked.hits;
      const page = list.slice(offset, offset + options.limit);
      // Hidden and deleted papers are left out here, once: callers take the papers from the hits.
      const papers = await findVisiblePapers(db.kysely, page.map((h) => h.key));
      const shown = page.flatMap((hit) => {
        const paper = papers.get(hit.key);
        return paper ? [{ hit, paper, texts: paperTexts(idx).get(paper) }] : [];
      });
      const queryTerms = new Set(idx.queryTerms(query, prefix).map((t) => t.term));
      // Words only (typeahead, expand off, no vectors): every result has a query word and nothing was added.
      const explanation = ranked.vector
        ? explainResults({
            analyzer: idx.analyzer,
            queryTerms,
            results: shown.map(({ paper, texts }) => ({ key: paper.arxivId, text: [texts.title, texts.abstract], authors: texts.authorTerms })),
            affinity: ranked.provider?.termAffinity ? ranked.provider.termAffinity(ranked.vector) : () => null,
          })
        : { byMeaning: new Set<string>(), related: [] };
      const hits: EngineHit[] = shown.map(({ hit, paper, texts }) => ({
        paper,
        score: hit.score,
        byMeaning: explanation.byMeaning.has(paper.arxivId),
        highlightedTitle: buildSnippet(texts.title, queryTerms, { maxChars: Infinity }),
        highlightedSummary: buildSnippet(texts.abstract, queryTerms, { maxChars: 300 }),
        plain: { title: texts.title.text, abstract: texts.abstract.text },
      }));
      return { hits, hasMore: list.length > offset + options.limit, total: list.length, totalIsLowerBound, mode: ranked.vector ? 'hybrid' : 'lexical', related: explanation.related, terms: [...queryTerms] };
    },
    async suggest(text, limit) {
      const idx = await ready();
      const typed = titleWords(text);
      const last = typed[typed.length - 1];
      if (last === undefined) return { papers: [], completions: [] };
      const endsWord = /[^\p{L}\p{N}]$/u.test(text);
      const whole = endsWord ? typed : typed.slice(0, -1);
      // Completions: the typed words, the last one finished from the title vocabulary.
      const completions = endsWord ? [] : idx.complete(text, limit).map((c) => [...whole, c.word].join(' '));
      const candidates = idx.search(text, { limit: SUGGEST_CANDIDATES, prefix: !endsWord });
      const papers = await findVisiblePapers(db.kysely, candidates.map((h) => h.key));
      const picked: EngineSuggestions['papers'] = [];
      for (const hit of candidates) {
        const paper = papers.get(hit.key);
        if (!paper) continue;
        const title = texPlain(paper.title);
        const words = titleWords(title);
        const holdsAll = whole.every((w) => words.includes(w)) && (endsWord || words.some((w) => w.startsWith(last)));
        if (holdsAll) picked.push({ paper, title });
        if (picked.length >= limit) break;
      }
      return { papers: picked, completions };
    },
    async complete(prefix, limit = 8) {
      const idx = await ready();
      return idx.complete(prefix, limit);
    },
    async similar(arxivId, limit) {
      const idx = await ready();
      const state = dense?.current();
      if (!state?.vectors.has(arxivId)) return null;
      return new HybridSearcher(idx, state.vectors).similar(arxivId, { limit }).map((h) => h.key);
    },
    async paperVectors(arxivIds) {
      await ready();
      const vectors = dense?.current()?.vectors;
      const found = new Map<string, Float32Array>();
      if (!vectors) return found;
      for (const id of arxivIds) {
        const v = vectors.vectorOf(id);
        if (v) found.set(id, v);
      }
      return found;
    },
    async rebuild() {
      const started = performance.now();
      const fresh = new LexicalIndex();
      const seq = await applyChanges(fresh, 0);
      index = fresh;
      lastSeq = seq;
      const snapshotBytes = writeSnapshot(fresh, seq);
      const seconds = (performance.now() - started) / 1000;
      const denseFigures = dense ? await dense.rebuild() : null;
      return { documents: fresh.stats().documents, seconds, snapshotBytes, dense: denseFigures };
    },
    async snapshot() {
      const idx = await ready();
      const bytes = writeSnapshot(idx, lastSeq);
      const denseBytes = dense?.save() ?? null;
      return bytes === null ? null : bytes + (denseBytes ?? 0);
    },
    async stats() {
      const idx = await ready();
      const state = dense?.current();
      const vectors = state ? { documents: state.vectors.size, provider: state.provider.name, seq: state.seq, fittedOn: state.fittedOn, approximate: state.vectors.approximate, unindexed: state.vectors.unindexedRows, probes: state.vectors.defaultProbes ?? null, hybridProbes: breadth.probesFor(state.vectors) ?? null } : null;
      return { documents: idx.stats().documents, lastSeq, dense: vectors };
    },
    async settled() {
      await ready();
      await dense?.settled();
      const state = dense?.current();
      if (state) breadth.probesFor(state.vectors);
      await breadth.settled();
    },
  };
}
