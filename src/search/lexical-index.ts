/**
 * Paperboy's lexical search index: an in-memory inverted index over title, abstract and
 * authors, scored with BM25F and queried with MaxScore top-k (same results as exhaustive
 * scoring, see max-score.ts). Documents are added, updated (delete + add) and deleted
 * incrementally: new documents collect in a buffer that is frozen into an immutable posting
 * segment, segments merge like a binary counter, deletions are tombstones until `compact()`.
 * The whole index snapshots to one binary file and reloads with identical results.
 */
import { type Bm25fParams, DEFAULT_BM25F_PARAMS, bm25Idf, fieldNorms, validateParams } from './bm25f-params.js';
import { DocTable, dayNumber } from './doc-table.js';
import { type DecodedDoc, ForwardIndex, decodedDoc } from './forward-index.js';
import { GrowableArray, u8, u32 } from './growable-array.js';
import { type SnapshotArray, readSnapshotFile, writeSnapshotFile } from './index-snapshot.js';
import { type ScoredDoc, type ScoringContext, type ScoringTerm, exhaustiveTopK, maxScoreTopK } from './max-score.js';
import { PostingSegment } from './posting-segment.js';
import { DEFAULT_PROXIMITY_PARAMS, type Phrase, type ProximityParams, type ProximityQuery, containsPhrase, proximityScore } from './proximity.js';
import { FIELD_COUNT, FIELDS, type SearchDocument } from './search-document.js';
import { type SearchFilter, compileFilter } from './search-filter.js';
import { SegmentBuffer } from './segment-buffer.js';
import { mergeSegments } from './segment-merge.js';
import { type SnippetOptions, type SnippetSegment, buildSnippet } from './snippet.js';
import { TermDictionary } from './term-dictionary.js';
import { type Analyzer, type IndexingAnalyzer, createScientificAnalyzer } from './tokenizer.js';

export interface LexicalIndexOptions {
  /** Must be the same for documents and queries, and when a snapshot is reloaded. */
  analyzer?: Analyzer;
  params?: Bm25fParams;
  /** Documents buffered before they are frozen into a segment during bulk adds. */
  segmentDocs?: number;
  /** Keep title words (unstemmed) for completion suggestions. Default true. */
  completions?: boolean;
  /** Compact automatically when this share of documents is deleted. Default 0.25. */
  compactAtDeletedShare?: number;
  /** Second-stage proximity re-scoring (see proximity.ts), over the defaults; weight 0 turns it off. */
  proximity?: Partial<ProximityParams>;
}

export interface LexicalSearchOptions {
  /** Number of hits (default 10). */
  limit?: number;
  filter?: SearchFilter;
  /** Treat the last query word as a prefix (search as you type). */
  prefix?: boolean;
  /** Score every posting instead of pruning (for verification; same results, slower). */
  exhaustive?: boolean;
}

export interface LexicalHit {
  key: string;
  score: number;
}

export interface WeightedTerm {
  term: string;
  weight: number;
}

export interface Completion {
  word: string;
  /** How many titles use the word. */
  count: number;
}

export interface LexicalIndexStats {
  documents: number;
  deleted: number;
  terms: number;
  postings: number;
  segments: number;
  /** Bytes held in typed arrays (postings, per-doc columns); strings and maps not counted. */
  arrayBytes: number;
}

/**
 * Query weight of a compound's joined form (`email` from `e-mail`). Its parts already match,
 * so at full weight the compound counts about twice; 0.3 was chosen on the training splits.
 */
const JOINED_QUERY_WEIGHT = 0.3;
/** Prefix expansions kept for the last word of a search-as-you-type query. */
const MAX_PREFIX_EXPANSIONS = 8;
const SNAPSHOT_KIND = 'paperboy-lexical-index';
/** Bumped when the snapshot's content changes; older snapshots are refused (and so rebuilt). 2: forward index. */
const SNAPSHOT_VERSION = 2;
/** First-stage candidates searched for documents holding a quoted phrase. */
const PHRASE_DEPTH = 2000;

/** What a query asks for, after analysis. */
interface ParsedQuery {
  terms: WeightedTerm[];
  /** Distinct terms the user typed (no joined forms, no prefix expansions), in order: for proximity. */
  ordered: string[];
  /** Quoted phrases as terms with word offsets. */
  phrases: { terms: string[]; offsets: number[] }[];
}

export class LexicalIndex {
  readonly analyzer: Analyzer;
  private paramsValue: Bm25fParams;
  private paramsVersion = 0;
  private readonly segmentDocs: number;
  private readonly compactAtDeletedShare: number;
  private dict = new TermDictionary();
  private table = new DocTable();
  private forward = new ForwardIndex();
  private proximityValue: ProximityParams;
  /** Term ids and positions of each field of the document being added (reused). */
  private readonly docFieldIds: number[][] = Array.from({ length: FIELD_COUNT }, () => []);
  private readonly docFieldPositions: number[][] = Array.from({ length: FIELD_COUNT }, () => []);
  private readonly docFieldCounts: number[] = Array.from({ length: FIELD_COUNT }, () => 0);
  private decoded: DecodedDoc = decodedDoc(1024);
  private segments: PostingSegment[] = [];
  private readonly buffer = new SegmentBuffer();
  /** Zeroed per-term scratch for freezing. */
  private freezeScratch: Uint32Array = new Uint32Array(1024);
  /** Per-term slots for aggregating one document's term frequencies. */
  private docStamp = new Uint32Array(1024);
  private docSlot = new Uint32Array(1024);
  private stampCounter = 0;
  private readonly localIds = new GrowableArray(u32, 256);
  /** Completion-word ids of the title being added (reused). */
  private readonly titleWordIds: number[] = [];
  private readonly localTfs = new GrowableArray(u8, 256 * FIELD_COUNT);
  private completionWords: TermDictionary | null;
  private readonly surfaceAnalyzer: IndexingAnalyzer;

  constructor(options: LexicalIndexOptions = {}) {
    this.analyzer = options.analyzer ?? createScientificAnalyzer();
    this.paramsValue = structuredClone(options.params ?? DEFAULT_BM25F_PARAMS);
    validateParams(this.paramsValue);
    this.proximityValue = DEFAULT_PROXIMITY_PARAMS;
    this.setProximity({ ...DEFAULT_PROXIMITY_PARAMS, ...options.proximity });
    this.segmentDocs = options.segmentDocs ?? 65_536;
    this.compactAtDeletedShare = options.compactAtDeletedShare ?? 0.25;
    this.completionWords = options.completions === false ? null : new TermDictionary();
    this.surfaceAnalyzer = createScientificAnalyzer({ stem: false, compounds: false });
  }

  get params(): Bm25fParams {
    return structuredClone(this.paramsValue);
  }

  /** Changes scoring parameters without reindexing (bounds are recomputed lazily). */
  setParams(params: Bm25fParams): void {
    validateParams(params);
    this.paramsValue = structuredClone(params);
    this.paramsVersion++;
  }

  get proximity(): ProximityParams {
    return { ...this.proximityValue };
  }

  /** Changes the second stage's parameters (no reindexing needed). */
  setProximity(params: ProximityParams): void {
    if (!(params.weight >= 0) || !(params.window >= 1) || !(params.depth >= 1) || (params.pairs !== 'all' && params.pairs !== 'adjacent')) {
      throw new RangeError('proximity weight must be >= 0, window and depth >= 1, pairs "all" or "adjacent"');
    }
    this.proximityValue = { ...params };
  }

  /** Live documents. */
  get size(): number {
    return this.table.liveCount;
  }

  /** Documents deleted (or replaced) since the last compaction. */
  get deletedCount(): number {
    return this.table.docCount - this.table.liveCount;
  }

  has(key: string): boolean {
    return this.table.docOf.has(key);
  }

  /** Adds a document, replacing any live document with the same key. */
  add(document: SearchDocument): void {
    const fields = [document.title, document.abstract, document.authors];
    for (let f = 0; f < FIELD_COUNT; f++) {
      const ids = this.docFieldIds[f]!;
      const positions = this.docFieldPositions[f]!;
      ids.length = 0;
      positions.length = 0;
      if (this.analyzer.termIds) this.analyzer.termIds(fields[f] ?? '', this.dict, ids, positions);
      else for (const term of this.analyzer.terms(fields[f] ?? '')) positions.push(ids.push(this.dict.intern(term)) - 1);
    }
    let titleWords: number[] | null = null;
    if (this.completionWords && document.title) {
      titleWords = this.titleWordIds;
      titleWords.length = 0;
      this.surfaceAnalyzer.termIds(document.title, this.completionWords, titleWords);
    }
    const counts = this.docFieldCounts;
    for (let f = 0; f < FIELD_COUNT; f++) counts[f] = this.docFieldIds[f]!.length;
    this.addAnalyzed(document, this.docFieldIds, this.docFieldPositions, counts, titleWords);
  }

  /** The analyzer's name: a bulk loader tokenizing elsewhere must use the same one. */
  get analyzerName(): string {
    return this.analyzer.name;
  }

  /** True when title words are kept for search-as-you-type completions. */
  get keepsCompletions(): boolean {
    return this.completionWords !== null;
  }

  /** Id of an index term, created when new (for a bulk loader that tokenized elsewhere). */
  internTerm(term: string): number {
    return this.dict.intern(term);
  }

  /** Id of a completion word, created when new; -1 when completions are off. */
  internCompletionWord(word: string): number {
    return this.completionWords ? this.completionWords.intern(word) : -1;
  }

  /**
   * Adds a document whose fields (title, abstract, authors) were already turned into this
   * index's term ids and word positions, as `add` does: field f is the first `counts[f]` of
   * `fieldIds[f]` and `fieldPositions[f]` (callers reuse longer arrays). `titleWords` are the completion-word
   * ids of its title (null without a title or completions). Replaces any live document with
   * the same key.
   */
  addAnalyzed(document: SearchDocument, fieldIds: readonly (readonly number[])[], fieldPositions: readonly (readonly number[])[], counts: readonly number[], titleWords: readonly number[] | null): void {
    const old = this.table.docOf.get(document.key);
    if (old !== undefined) this.table.kill(old);
    const lengths = [0, 0, 0];
    const stamp = ++this.stampCounter;
    const localIds = this.localIds;
    const localTfs = this.localTfs;
    localIds.clear();
    localTfs.clear();
    let n = 0;
    for (let f = 0; f < FIELD_COUNT; f++) {
      const ids = fieldIds[f]!;
      const count = counts[f]!;
      lengths[f] = count;
      for (let k = 0; k < count; k++) {
        const id = ids[k]!;
        if (id >= this.docStamp.length) this.growTermScratch(id + 1);
        let slot: number;
        if (this.docStamp[id] !== stamp) {
          this.docStamp[id] = stamp;
          slot = n++;
          this.docSlot[id] = slot;
          localIds.push(id);
          for (let g = 0; g < FIELD_COUNT; g++) localTfs.push(0);
        } else {
          slot = this.docSlot[id]!;
        }
        const at = slot * FIELD_COUNT + f;
        if (localTfs.array[at]! < 255) localTfs.array[at]!++;
      }
    }
    const df = this.dict.df.array;
    for (let i = 0; i < n; i++) df[localIds.array[i]!]!++;
    const doc = this.table.append(document.key, lengths, dayNumber(document.publishedAt), document.hasCode === true, document.categories ?? []);
    // The doc table clamps lengths to 65535; the forward index keeps as many tokens.
    for (let f = 0; f < FIELD_COUNT; f++) lengths[f] = Math.min(65535, lengths[f]!);
    this.forward.append(fieldIds, fieldPositions, lengths);
    this.buffer.addDoc(doc, localIds.array, localTfs.array, n);
    if (this.completionWords && titleWords) {
      const counts = this.completionWords.df.array;
      // Count each word once per title (titles are short: a quadratic dedupe is cheapest).
      for (let i = 0; i < titleWords.length; i++) if (titleWords.indexOf(titleWords[i]!) === i) counts[titleWords[i]!]!++;
    }
    if (this.buffer.docCount >= this.segmentDocs) this.flush();
  }

  addAll(documents: Iterable<SearchDocument>): void {
    for (const d of documents) this.add(d);
    this.flush();
  }

  /** Deletes the live document with this key; false when there is none. */
  delete(key: string): boolean {
    const doc = this.table.docOf.get(key);
    if (doc === undefined) return false;
    this.table.kill(doc);
    return true;
  }

  /** Freezes buffered documents into a segment and merges segments of similar size. */
  flush(): void {
    if (this.buffer.docCount > 0) {
      if (this.freezeScratch.length < this.dict.size) this.freezeScratch = growZeroed(this.freezeScratch, this.dict.size);
      this.segments.push(this.buffer.freeze(this.freezeScratch));
    }
    // Binary-counter policy: merge while the newest segment is at least half the one before,
    // which keeps about log2(N / segmentDocs) segments and O(N log N) total copying.
    while (this.segments.length >= 2) {
      const last = this.segments[this.segments.length - 1]!;
      const prev = this.segments[this.segments.length - 2]!;
      if (last.postingCount * 2 < prev.postingCount) break;
      this.segments.splice(this.segments.length - 2, 2, mergeSegments([prev, last]));
    }
  }

  /**
   * Drops deleted documents for good: renumbers doc ids densely, merges all segments into
   * one and recomputes document frequencies and length totals from the live documents only.
   * Afterwards the index is indistinguishable from one built from the live documents alone.
   */
  compact(): void {
    this.flush();
    const old = this.table;
    const remap = new Int32Array(old.docCount).fill(-1);
    const table = new DocTable();
    for (let d = 0; d < old.docCount; d++) {
      if (old.live.array[d] !== 1) continue;
      remap[d] = table.append(old.keys[d]!, old.lengths.array.subarray(d * FIELD_COUNT, d * FIELD_COUNT + FIELD_COUNT), old.day.array[d]!, old.hasCode.array[d] === 1, old.categoriesOf(d));
    }
    const merged = mergeSegments(this.segments, remap);
    const oldLengths = old.lengths.array;
    this.forward = this.forward.compacted(remap, (d) => oldLengths[d * FIELD_COUNT]! + oldLengths[d * FIELD_COUNT + 1]! + oldLengths[d * FIELD_COUNT + 2]!);
    const df = this.dict.df.array;
    df.fill(0);
    for (let t = 0; t < merged.termIds.length; t++) df[merged.termIds[t]!] = merged.offsets[t + 1]! - merged.offsets[t]!;
    this.table = table;
    this.segments = merged.postingCount > 0 ? [merged] : [];
    this.paramsVersion++;
  }

  /** Terms of a query with their weights, as the index will score them. */
  queryTerms(query: string, prefix = false): WeightedTerm[] {
    return this.parseQuery(query, prefix).terms;
  }

  private parseQuery(query: string, prefix: boolean): ParsedQuery {
    let head = query;
    let partial = '';
    if (prefix && !/\s$/.test(query)) {
      const m = /(\S+)$/.exec(query);
      if (m) {
        partial = m[1]!;
        head = query.slice(0, m.index);
      }
    }
    const seen = new Map<string, number>();
    const ordered: string[] = [];
    const addTokens = (text: string, typed: boolean) => {
      for (const token of this.analyzer.analyze(text).tokens) {
        const weight = token.joined ? JOINED_QUERY_WEIGHT : 1;
        if (weight > (seen.get(token.term) ?? 0)) seen.set(token.term, weight);
        if (typed && !token.joined && !ordered.includes(token.term)) ordered.push(token.term);
      }
    };
    addTokens(head, true);
    const phrases: ParsedQuery['phrases'] = [];
    for (const m of head.matchAll(/"([^"]+)"/g)) {
      const tokens = this.analyzer.analyze(m[1]!).tokens.filter((t) => !t.joined);
      if (tokens.length < 2) continue;
      // Word offsets as the forward index stores them: gaps between neighbours capped at 3.
      const offsets = [0];
      for (let i = 1; i < tokens.length; i++) offsets.push(offsets[i - 1]! + Math.min(3, tokens[i]!.position - tokens[i - 1]!.position));
      phrases.push({ terms: tokens.map((t) => t.term), offsets });
    }
    if (partial) {
      addTokens(partial, false);
      // The typed prefix, folded but not stemmed: `learni` must still reach `learn...` terms.
      const words = this.surfaceAnalyzer.terms(partial);
      const prefixWord = words[words.length - 1];
      if (prefixWord !== undefined) {
        const df = this.dict.df.array;
        const expansions = this.dict
          .withPrefix(prefixWord)
          .filter((id) => df[id]! > 0)
          .sort((a, b) => df[b]! - df[a]!)
          .slice(0, MAX_PREFIX_EXPANSIONS);
        for (const id of expansions) if (!seen.has(this.dict.terms[id]!)) seen.set(this.dict.terms[id]!, 1);
      }
    }
    return { terms: [...seen].map(([term, weight]) => ({ term, weight })), ordered, phrases };
  }

  /**
   * Two stages. First, BM25F top-k with MaxScore (exactly the exhaustive top-k) over the query
   * terms as a bag of words. Second, for queries of two or more typed terms, the best
   * `proximity.depth` candidates are re-scored with a proximity bonus (proximity.ts) and re-sorted.
   * Quoted phrases ("heart failure") rank first the candidates in which they all occur exactly
   * (among the first PHRASE_DEPTH of the first stage); the other candidates follow, so a quote
   * in a long natural-language query (a cited title) never empties the result list.
   */
  search(query: string, options: LexicalSearchOptions = {}): LexicalHit[] {
    const parsed = this.parseQuery(query, options.prefix === true);
    const limit = options.limit ?? 10;
    if (limit <= 0) return [];
    // Compact or flush first, so the second stage's idf is the first stage's.
    this.prepareForSearch();
    const phrases = parsed.phrases.map((p) => this.phraseIds(p)).filter((p): p is Phrase => p !== null);
    const proximity = this.proximityQuery(parsed);
    if (proximity === null && phrases.length === 0) return this.searchTerms(parsed.terms, options);
    const rerankDepth = this.proximityValue.depth;
    const depth = Math.max(limit, phrases.length > 0 ? PHRASE_DEPTH : rerankDepth);
    const first = this.firstStage(parsed.terms, { ...options, limit: depth });
    return this.secondStage(first, proximity, phrases, limit, phrases.length > 0 ? depth : rerankDepth).map(({ doc, score }) => ({ key: this.table.keys[doc]!, score }));
  }

  /** Top-k for already analyzed, weighted terms (weights must be positive); first stage only. */
  searchTerms(terms: readonly WeightedTerm[], options: LexicalSearchOptions = {}): LexicalHit[] {
    return this.firstStage(terms, options).map(({ doc, score }) => ({ key: this.table.keys[doc]!, score }));
  }

  private firstStage(terms: readonly WeightedTerm[], options: LexicalSearchOptions): ScoredDoc[] {
    this.prepareForSearch();
    const limit = options.limit ?? 10;
    const { k1 } = this.paramsValue;
    const n = this.table.docCount;
    const scoring: ScoringTerm[] = [];
    for (const { term, weight } of terms) {
      const id = this.dict.idOf(term);
      if (id === undefined || !(weight > 0)) continue;
      const df = this.dict.df.array[id]!;
      if (df === 0) continue;
      scoring.push({ termId: id, factor: weight * bm25Idf(n, df) * (k1 + 1) });
    }
    if (scoring.length === 0 || limit <= 0) return [];
    const ctx = this.scoringContext(options.filter);
    return options.exhaustive ? exhaustiveTopK(this.segments, scoring, limit, ctx) : maxScoreTopK(this.segments, scoring, limit, ctx);
  }

  /** Ids and idf of the typed query terms, or null when proximity cannot apply. */
  private proximityQuery(parsed: ParsedQuery): ProximityQuery | null {
    if (this.proximityValue.weight <= 0) return null;
    const ids: number[] = [];
    const idf: number[] = [];
    const n = this.table.docCount;
    for (const term of parsed.ordered) {
      const id = this.dict.idOf(term);
      if (id === undefined || this.dict.df.array[id] === 0) continue;
      ids.push(id);
      idf.push(bm25Idf(n, this.dict.df.array[id]!));
    }
    return ids.length >= 2 ? { termIds: Int32Array.from(ids), idf: Float64Array.from(idf) } : null;
  }

  private phraseIds(phrase: ParsedQuery['phrases'][number]): Phrase | null {
    const ids: number[] = [];
    for (const term of phrase.terms) {
      const id = this.dict.idOf(term);
      if (id === undefined) return null;
      ids.push(id);
    }
    return { termIds: Int32Array.from(ids), offsets: Int32Array.from(phrase.offsets) };
  }

  /** Re-scores the first `depth` candidates (see `search`); the rest keep their order. */
  private secondStage(first: ScoredDoc[], proximity: ProximityQuery | null, phrases: Phrase[], limit: number, depth: number): ScoredDoc[] {
    const lengths = this.table.lengths.array;
    const weights = FIELDS.map((name) => this.paramsValue.fields[name].weight);
    const { k1 } = this.paramsValue;
    const fieldEnds = [0, 0, 0];
    const head: ScoredDoc[] = [];
    const withPhrase = new Set<number>();
    for (let r = 0; r < first.length && r < depth; r++) {
      const { doc, score } = first[r]!;
      const at = doc * FIELD_COUNT;
      fieldEnds[0] = lengths[at]!;
      fieldEnds[1] = fieldEnds[0] + lengths[at + 1]!;
      fieldEnds[2] = fieldEnds[1] + lengths[at + 2]!;
      if (this.decoded.terms.length < fieldEnds[2]) this.decoded = decodedDoc(fieldEnds[2] * 2);
      this.forward.decode(doc, fieldEnds, this.decoded);
      const bonus = proximity === null ? 0 : this.proximityValue.weight * proximityScore(this.decoded, fieldEnds, weights, proximity, k1, this.proximityValue);
      head.push({ doc, score: score + bonus });
      if (phrases.length > 0 && phrases.every((p) => containsPhrase(this.decoded, fieldEnds, p))) withPhrase.add(doc);
    }
    // Documents with every quoted phrase first; then by score, ties by key as in the first stage.
    const keys = this.table.keys;
    head.sort((a, b) => Number(withPhrase.has(b.doc)) - Number(withPhrase.has(a.doc)) || b.score - a.score || (keys[a.doc]! < keys[b.doc]! ? -1 : keys[a.doc]! > keys[b.doc]! ? 1 : 0));
    return head.concat(first.slice(depth)).slice(0, limit);
  }

  /** Predicate on keys: live and passing `filter` (for post-filtering other candidate lists). */
  keyFilter(filter?: SearchFilter): (key: string) => boolean {
    this.flush();
    const accept = compileFilter(filter, this.table);
    const docOf = this.table.docOf;
    return (key) => {
      const doc = docOf.get(key);
      return doc !== undefined && accept(doc);
    };
  }

  /**
   * Title words starting with `prefix`, most used first (for search-as-you-type suggestions).
   * Counts include deleted papers' titles: suggestions are hints, not statistics.
   */
  complete(prefix: string, limit = 8): Completion[] {
    if (!this.completionWords) return [];
    const words = this.surfaceAnalyzer.terms(prefix);
    const last = words[words.length - 1];
    if (last === undefined || /\s$/.test(prefix)) return [];
    const counts = this.completionWords.df.array;
    return this.completionWords
      .withPrefix(last)
      .sort((a, b) => counts[b]! - counts[a]! || (this.completionWords!.terms[a]! < this.completionWords!.terms[b]! ? -1 : 1))
      .slice(0, limit)
      .map((id) => ({ word: this.completionWords!.terms[id]!, count: counts[id]! }));
  }

  /** Highlighted snippet of `text` (raw, TeX allowed) for `query`. */
  snippet(query: string, text: string, options: SnippetOptions & { prefix?: boolean } = {}): SnippetSegment[] {
    const terms = new Set(this.queryTerms(query, options.prefix === true).map((t) => t.term));
    return buildSnippet(this.analyzer.analyze(text), terms, options);
  }

  stats(): LexicalIndexStats {
    this.flush();
    let postings = 0;
    let arrayBytes = 0;
    for (const s of this.segments) {
      postings += s.postingCount;
      arrayBytes += s.docs.byteLength + s.tfs.byteLength + s.termIds.byteLength + s.offsets.byteLength;
    }
    const t = this.table;
    arrayBytes += t.lengths.array.byteLength + t.live.array.byteLength + t.day.array.byteLength + t.hasCode.array.byteLength + t.categoryStart.array.byteLength + t.categoryIds.array.byteLength;
    arrayBytes += this.dict.df.array.byteLength + this.forward.byteLength;
    return { documents: t.liveCount, deleted: t.docCount - t.liveCount, terms: this.dict.size, postings, segments: this.segments.length, arrayBytes };
  }

  /** Writes the index to one binary file; returns its size in bytes. */
  save(path: string): number {
    this.flush();
    const t = this.table;
    const arrays: Record<string, SnapshotArray> = {
      lengths: t.lengths.view(),
      live: t.live.view(),
      day: t.day.view(),
      hasCode: t.hasCode.view(),
      categoryStart: t.categoryStart.view(),
      categoryIds: t.categoryIds.view(),
      df: this.dict.df.view(),
    };
    if (this.completionWords) arrays.completionCounts = this.completionWords.df.view();
    const forwardArrays = this.forward.snapshotArrays();
    for (const [name, array] of Object.entries(forwardArrays)) arrays[`forward.${name}`] = array;
    this.segments.forEach((s, i) => {
      arrays[`s${i}.termIds`] = s.termIds;
      arrays[`s${i}.offsets`] = s.offsets;
      arrays[`s${i}.docs`] = s.docs;
      arrays[`s${i}.tfs`] = s.tfs;
    });
    const meta: SnapshotMeta = {
      kind: SNAPSHOT_KIND,
      version: SNAPSHOT_VERSION,
      forwardChunks: Object.keys(forwardArrays).length - 1,
      analyzer: this.analyzer.name,
      params: this.paramsValue,
      keys: t.keys,
      terms: this.dict.terms,
      categoryNames: t.categoryNames,
      completionWords: this.completionWords ? this.completionWords.terms : null,
      segments: this.segments.length,
    };
    return writeSnapshotFile(path, meta, arrays);
  }

  /** Reloads a snapshot; `analyzer` must be the one the index was built with. */
  static load(path: string, options: Omit<LexicalIndexOptions, 'params'> = {}): LexicalIndex {
    const { meta, arrays } = readSnapshotFile(path);
    const m = meta as SnapshotMeta;
    if (m.kind !== SNAPSHOT_KIND) throw new Error(`${path} is not a lexical index snapshot`);
    if (m.version !== SNAPSHOT_VERSION) throw new Error(`${path} is a lexical snapshot of version ${m.version ?? 1}, not ${SNAPSHOT_VERSION}: rebuild it`);
    const index = new LexicalIndex({ ...options, params: m.params, completions: m.completionWords !== null });
    if (index.analyzer.name !== m.analyzer) throw new Error(`${path} was built with analyzer ${m.analyzer}, not ${index.analyzer.name}`);
    const need = <T extends SnapshotArray>(name: string): T => {
      const a = arrays[name];
      if (!a) throw new Error(`${path}: missing array ${name}`);
      return a as T;
    };
    index.dict = TermDictionary.restore(m.terms, need<Uint32Array>('df'));
    if (m.completionWords) index.completionWords = TermDictionary.restore(m.completionWords, need<Uint32Array>('completionCounts'));
    index.table = DocTable.restore({
      keys: m.keys,
      categoryNames: m.categoryNames,
      lengths: need('lengths'),
      live: need('live'),
      day: need('day'),
      hasCode: need('hasCode'),
      categoryStart: need('categoryStart'),
      categoryIds: need('categoryIds'),
    });
    index.forward = ForwardIndex.restore(
      need<Float64Array>('forward.starts'),
      Array.from({ length: m.forwardChunks }, (_, i) => need<Uint8Array>(`forward.chunk${i}`)),
    );
    for (let i = 0; i < m.segments; i++) {
      index.segments.push(new PostingSegment(need(`s${i}.termIds`), need(`s${i}.offsets`), need(`s${i}.docs`), need(`s${i}.tfs`)));
    }
    return index;
  }

  private prepareForSearch(): void {
    if (this.table.docCount > 0 && (this.table.docCount - this.table.liveCount) / this.table.docCount > this.compactAtDeletedShare) this.compact();
    else this.flush();
  }

  private scoringContext(filter: SearchFilter | undefined): ScoringContext {
    const averages = this.table.averageLengths();
    const norms = fieldNorms(this.paramsValue, averages);
    const lengths = this.table.lengths.array;
    const keys = this.table.keys;
    const version = this.paramsVersion;
    const makeNorms = (caps: ArrayLike<number>) => fieldNorms(this.paramsValue, caps);
    return {
      k1: this.paramsValue.k1,
      norms,
      lengths,
      accept: compileFilter(filter, this.table),
      keyOf: (doc) => keys[doc]!,
      boundsOf: (segment) => segment.bounds(version, makeNorms, averages, lengths),
    };
  }

  private growTermScratch(size: number): void {
    let next = this.docStamp.length;
    while (next < size) next *= 2;
    const stamp = new Uint32Array(next);
    stamp.set(this.docStamp);
    this.docStamp = stamp;
    const slot = new Uint32Array(next);
    slot.set(this.docSlot);
    this.docSlot = slot;
  }
}

interface SnapshotMeta {
  kind: string;
  version?: number;
  forwardChunks: number;
  analyzer: string;
  params: Bm25fParams;
  keys: string[];
  terms: string[];
  categoryNames: string[];
  completionWords: string[] | null;
  segments: number;
}

function growZeroed(a: Uint32Array, size: number): Uint32Array {
  let next = a.length;
  while (next < size) next *= 2;
  const grown = new Uint32Array(next);
  grown.set(a);
  return grown;
}
