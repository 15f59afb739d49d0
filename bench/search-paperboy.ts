/**
 * Paperboy's side of the search benchmark, in one child process: the lexical index, then the
 * dense pipeline (LSA fitted on a sample of the corpus, every paper folded in on all cores,
 * our IVF vector index calibrated on the warm-up queries to recall@10 >= 0.95 against exact
 * search), then lexical, dense and hybrid queries; recall is then measured on 200 of the timed
 * queries. The usearch HNSW index is then built from the same vectors and measured the same
 * way (calibrated breadth, dense and hybrid queries) as the peer our IVF must beat.
 * Memory is reported per stage as RSS growth, so "lexical + vectors" is the hybrid row.
 */
import os from 'node:os';
import { type AnnIndex, recallAgainstExact } from '../src/search/dense/ann-index.js';
import { LsaEmbedPool } from '../src/search/dense/lsa-embed-pool.js';
import { LsaEmbeddingProvider } from '../src/search/dense/lsa.provider.js';
import { type CorpusEmbeddingProvider, DEFAULT_CORPUS_MODEL, fitCorpusModel } from '../src/search/dense/corpus-model.js';
import { UsearchIndex } from '../src/search/dense/usearch-index.js';
import { VectorIndex } from '../src/search/dense/vector-index.js';
import { pageOverlap } from '../src/search/hybrid-probe-calibration.js';
import { HybridSearcher } from '../src/search/hybrid-searcher.js';
import { AnnKeyedVectors } from '../src/search/keyed-vectors.js';
import { LexicalBulkLoader } from '../src/search/lexical-bulk-loader.js';
import { LexicalIndex } from '../src/search/lexical-index.js';
import type { SearchDocument } from '../src/search/search-document.js';

export interface PaperboyBenchOptions {
  /** Produces the corpus afresh each time (the same papers in the same order). */
  documents: () => Iterable<SearchDocument>;
  docs: number;
  queries: readonly string[];
  warmup: number;
  dense: boolean;
  dimensions: number;
  /** Papers the LSA model is fitted on (the rest are folded in). */
  fitSample: number;
  /** Tokenizer threads for the lexical build (default: the machine's cores; 0: `add` one paper at a time). */
  lexicalThreads?: number;
  /** Also build and measure the usearch HNSW peer (default true). */
  annPeer?: boolean;
}

export interface StageFigures {
  system: string;
  buildSeconds: number;
  indexMb: number;
  latencies: number[];
  answered: number;
}

export interface AnnFigures {
  name: string;
  buildSeconds: number;
  calibrateSeconds: number;
  /** "probes 120/1265" or "ef 160". */
  setting: string;
  calibratedRecall: number;
  queryRecall: number;
  indexMb: number;
  /** Lists probed by hybrid queries (indexes made of lists only), and how it was chosen. */
  hybridProbes?: number;
  hybridCalibratedAgreement?: number;
  /** Mean top-10 overlap of hybrid pages with exact-vector hybrid pages on 200 timed queries. */
  hybridQueryAgreement?: number;
  hybridCalibrateSeconds?: number;
}

export interface DenseFigures {
  fitSeconds: number;
  projectSeconds: number;
  projectThreads: number;
  dimensions: number;
  fitSample: number;
  ann: AnnFigures[];
}

export interface PaperboyBenchFigures {
  stages: StageFigures[];
  /** Tokenizer worker threads of the lexical build (0: one paper at a time on the main thread). */
  lexicalThreads: number;
  dense?: DenseFigures;
}

const CHUNK = 10_000;
/** Papers generated (untimed) before each timed bulk load. */
const LOAD_BATCH = 25_000;
const RECALL_QUERIES = 200;

function rssMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().rss / 2 ** 20;
}

function timeQueries(queries: readonly string[], warmup: number, run: (q: string) => number): { latencies: number[]; answered: number } {
  for (const q of queries.slice(0, warmup)) run(q);
  const latencies: number[] = [];
  let answered = 0;
  for (const q of queries.slice(warmup)) {
    const t = performance.now();
    if (run(q) > 0) answered++;
    latencies.push(performance.now() - t);
  }
  return { latencies, answered };
}

/**
 * Embeds every paper: an LSA model on a pool of worker threads (at most one batch in flight per
 * worker); the contrastive encoder on this thread, chunk by chunk, as the server folds papers in.
 */
async function projectAll(provider: CorpusEmbeddingProvider, documents: Iterable<SearchDocument>, docs: number, keys: string[], held: HeldVectors): Promise<number> {
  const d = provider.dimensions;
  const vectors = new Float32Array(docs * d);
  if (!(provider instanceof LsaEmbeddingProvider)) {
    let chunk: SearchDocument[] = [];
    const flush = () => {
      vectors.set(provider.embedDocumentsSync(chunk), keys.length * d);
      for (const c of chunk) keys.push(c.key);
      chunk = [];
    };
    for (const doc of documents) {
      chunk.push(doc);
      if (chunk.length === CHUNK) flush();
    }
    if (chunk.length > 0) flush();
    held.vectors = vectors;
    return 1;
  }
  const pool = new LsaEmbedPool(provider.model, os.cpus().length);
  const inFlight = new Set<Promise<void>>();
  let chunk: SearchDocument[] = [];
  const send = async () => {
    const batch = chunk;
    const at = keys.length;
    for (const c of batch) keys.push(c.key);
    chunk = [];
    await pool.ready();
    const p = pool.embed(batch).then((v) => {
      vectors.set(v, at * d);
      inFlight.delete(p);
    });
    inFlight.add(p);
  };
  try {
    for (const doc of documents) {
      chunk.push(doc);
      if (chunk.length === CHUNK) await send();
    }
    if (chunk.length > 0) await send();
    await Promise.all(inFlight);
  } finally {
    await pool.close();
  }
  held.vectors = vectors;
  return pool.threads;
}

/**
 * The projected rows, held only here. They must never sit in a local of the long async
 * benchmark function: a suspended async frame can keep a stale register pointing at them, and
 * rows already dropped would then count in the memory figures (they did, by 512 MB at 1M).
 */
interface HeldVectors {
  vectors: Float32Array | null;
}

function buildIvf(held: HeldVectors, d: number): VectorIndex {
  return VectorIndex.build(held.vectors!, d);
}

function buildUsearch(held: HeldVectors, d: number): UsearchIndex {
  const index = UsearchIndex.build(held.vectors!, d);
  held.vectors = null;
  return index;
}

export async function runPaperboyBench(o: PaperboyBenchOptions): Promise<PaperboyBenchFigures> {
  const stages: StageFigures[] = [];
  const before = rssMb();
  const lexical = new LexicalIndex();
  // Tokenizing runs on worker threads while this thread builds the postings (as `paperboy
  // reindex` does). Synthetic papers are generated in untimed batches; each timed span is the
  // wall time until a batch is fully in the index, worker start-up included.
  let buildMs = 0;
  let t = 0;
  const lexicalThreads = o.lexicalThreads ?? os.availableParallelism();
  if (lexicalThreads === 0) {
    // One paper at a time on this thread, as the live index adds new papers.
    for (const d of o.documents()) {
      t = performance.now();
      lexical.add(d);
      buildMs += performance.now() - t;
    }
  } else {
    t = performance.now();
    const loader = new LexicalBulkLoader(lexical, lexicalThreads);
    buildMs += performance.now() - t;
    try {
      let batch: SearchDocument[] = [];
      const load = async () => {
        t = performance.now();
        await loader.addAll(batch);
        buildMs += performance.now() - t;
        batch = [];
      };
      for (const d of o.documents()) {
        batch.push(d);
        if (batch.length === LOAD_BATCH) await load();
      }
      await load();
    } finally {
      await loader.close();
    }
  }
  t = performance.now();
  lexical.flush();
  buildMs += performance.now() - t;
  const afterLexical = rssMb();
  const lex = timeQueries(o.queries, o.warmup, (q) => lexical.search(q, { limit: 10 }).length);
  stages.push({ system: 'paperboy-lexical', buildSeconds: buildMs / 1000, indexMb: afterLexical - before, ...lex });
  if (!o.dense) return { stages, lexicalThreads };

  // Dense pipeline: fit on the first `fitSample` papers (the corpus order is random).
  const t0 = performance.now();
  const sample: SearchDocument[] = [];
  for (const d of o.documents()) {
    if (sample.length >= o.fitSample) break;
    sample.push(d);
  }
  const { provider } = fitCorpusModel(DEFAULT_CORPUS_MODEL, sample, { dimensions: o.dimensions, powerIterations: 1 });
  sample.length = 0;
  const t1 = performance.now();
  const d = provider.dimensions;
  const keys: string[] = [];
  const held: HeldVectors = { vectors: null };
  const projectThreads = await projectAll(provider, o.documents(), o.docs, keys, held);
  const t2 = performance.now();
  const fitSeconds = (t1 - t0) / 1000;
  const projectSeconds = (t2 - t1) / 1000;

  // Calibration uses the warm-up queries (real-title fragments, not the measured ones);
  // recall is then checked on timed queries.
  const embed = (qs: readonly string[]) => {
    const out = new Float32Array(qs.length * d);
    qs.forEach((q, i) => out.set(provider.embedQuerySync(q), i * d));
    return out;
  };
  const calibrationQueries = embed(o.queries.slice(0, o.warmup));
  const recallQueries = embed(o.queries.slice(o.warmup, o.warmup + RECALL_QUERIES));
  const ann: AnnFigures[] = [];

  // Memory: RSS growth over the lexical stage (so the LSA model counts, as a server holds it),
  // minus any copy of the vectors kept only to build the peer afterwards.
  const measure = async (name: string, index: AnnIndex, buildSeconds: number, calibrateSeconds: number, setting: string, calibratedRecall: number, heldMb: number, search: (q: Float32Array) => number) => {
    const indexMb = rssMb() - heldMb - afterLexical;
    const queryRecall = recallAgainstExact(index, recallQueries, 10);
    const hybrid = new HybridSearcher(lexical, new AnnKeyedVectors(index, keys));
    // Hybrid queries get their own, smaller breadth (calibrated on the warm-up queries, like the
    // dense one); its agreement with exact-vector hybrid pages is then checked on timed queries.
    const s = performance.now();
    const breadth = await hybrid.calibrateProbes(o.queries.slice(0, o.warmup).map((text) => ({ text, vector: provider.embedQuerySync(text) })));
    const hybridCalibrateSeconds = (performance.now() - s) / 1000;
    const hybridFigures = breadth ? { hybridProbes: breadth.probes, hybridCalibratedAgreement: breadth.agreement, hybridQueryAgreement: hybridAgreement(hybrid), hybridCalibrateSeconds } : {};
    ann.push({ name, buildSeconds, calibrateSeconds, setting, calibratedRecall, queryRecall, indexMb, ...hybridFigures });
    const denseSeconds = fitSeconds + projectSeconds + buildSeconds + calibrateSeconds + hybridCalibrateSeconds;
    const dense = timeQueries(o.queries, o.warmup, (q) => search(provider.embedQuerySync(q)));
    stages.push({ system: `${name}-dense`, buildSeconds: denseSeconds, indexMb, ...dense });
    const hyb = timeQueries(o.queries, o.warmup, (q) => hybrid.search(q, provider.embedQuerySync(q), { limit: 10 }).length);
    stages.push({ system: `${name}-hybrid`, buildSeconds: buildMs / 1000 + denseSeconds, indexMb: indexMb + afterLexical - before, ...hyb });
  };
  /** Mean top-10 overlap of hybrid pages with the pages of an exact vector search, on timed queries. */
  const hybridAgreement = (hybrid: HybridSearcher): number => {
    let sum = 0;
    let used = 0;
    for (const text of o.queries.slice(o.warmup, o.warmup + RECALL_QUERIES)) {
      const vector = provider.embedQuerySync(text);
      if (!vector.some((x) => x !== 0)) continue;
      const keys = (options: { exact?: boolean }) => hybrid.search(text, vector, { limit: 10, ...options }).map((h) => h.key);
      sum += pageOverlap(keys({}), keys({ exact: true }));
      used++;
    }
    return used === 0 ? 1 : sum / used;
  };

  // Ours: IVF over int8 + float rows, SIMD scans. Indexes too are reached through holders only.
  {
    const ours: { index: VectorIndex | null } = { index: null };
    const s = performance.now();
    ours.index = buildIvf(held, d);
    const s1 = performance.now();
    const calibration = ours.index.calibrate(0.95, 10, calibrationQueries);
    const s2 = performance.now();
    // The index copied the vectors; keep them only for the peer, outside the memory figure.
    if (o.annPeer === false) held.vectors = null;
    const heldMb = held.vectors ? held.vectors.byteLength / 2 ** 20 : 0;
    await measure('paperboy', ours.index, (s1 - s) / 1000, (s2 - s1) / 1000, `probes ${calibration.probes}/${ours.index.lists}`, calibration.recall, heldMb, (q) => ours.index!.search(q, 10).length);
    ours.index = null;
  }

  // Peer: usearch HNSW (f32, M 16, ef_add 128), built on all cores.
  if (held.vectors) {
    const peer: { index: UsearchIndex | null } = { index: null };
    const s = performance.now();
    peer.index = buildUsearch(held, d);
    const s1 = performance.now();
    const calibration = peer.index.calibrate(0.95, 10, calibrationQueries);
    const s2 = performance.now();
    await measure('usearch', peer.index, (s1 - s) / 1000, (s2 - s1) / 1000, `ef ${calibration.ef}`, calibration.recall, 0, (q) => peer.index!.search(q, 10).length);
    peer.index = null;
  }

  return { stages, lexicalThreads, dense: { fitSeconds, projectSeconds, projectThreads, dimensions: d, fitSample: Math.min(o.fitSample, o.docs), ann } };
}
