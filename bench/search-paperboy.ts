/**
 * Paperboy's side of the search benchmark, in one child process: the lexical index, then the
 * dense pipeline (LSA fitted on a sample of the corpus, every paper folded in, IVF vector index
 * calibrated on the warm-up queries to recall@10 >= 0.95 against exact search), then lexical,
 * dense and hybrid queries; recall is then measured on 200 of the timed queries.
 * Memory is reported per stage as RSS growth, so "lexical + vectors" is the hybrid row.
 */
import { LsaEmbeddingProvider } from '../src/search/dense/lsa.provider.js';
import { VectorIndex } from '../src/search/dense/vector-index.js';
import { HybridSearcher } from '../src/search/hybrid-searcher.js';
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
}

export interface StageFigures {
  system: string;
  buildSeconds: number;
  indexMb: number;
  latencies: number[];
  answered: number;
}

export interface PaperboyBenchFigures {
  stages: StageFigures[];
  dense?: { fitSeconds: number; projectSeconds: number; indexSeconds: number; lists: number; probes: number; calibratedRecall: number; queryRecall: number; dimensions: number; fitSample: number };
}

const CHUNK = 10_000;

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

export function runPaperboyBench(o: PaperboyBenchOptions): PaperboyBenchFigures {
  const stages: StageFigures[] = [];
  const before = rssMb();
  const lexical = new LexicalIndex();
  let buildMs = 0;
  let t = 0;
  for (const d of o.documents()) {
    t = performance.now();
    lexical.add(d);
    buildMs += performance.now() - t;
  }
  t = performance.now();
  lexical.flush();
  buildMs += performance.now() - t;
  const afterLexical = rssMb();
  const lex = timeQueries(o.queries, o.warmup, (q) => lexical.search(q, { limit: 10 }).length);
  stages.push({ system: 'paperboy-lexical', buildSeconds: buildMs / 1000, indexMb: afterLexical - before, ...lex });
  if (!o.dense) return { stages };

  // Dense pipeline: fit on the first `fitSample` papers (the corpus order is random).
  const t0 = performance.now();
  const sample: SearchDocument[] = [];
  for (const d of o.documents()) {
    if (sample.length >= o.fitSample) break;
    sample.push(d);
  }
  const { provider } = LsaEmbeddingProvider.fit(sample, { dimensions: o.dimensions, powerIterations: 1 });
  sample.length = 0;
  const t1 = performance.now();
  const d = provider.dimensions;
  const vectors = new Float32Array(o.docs * d);
  const keys: string[] = [];
  let chunk: SearchDocument[] = [];
  let projectMs = 0;
  const project = () => {
    const s = performance.now();
    vectors.set(provider.embedDocumentsSync(chunk), keys.length * d);
    for (const c of chunk) keys.push(c.key);
    projectMs += performance.now() - s;
    chunk = [];
  };
  for (const doc of o.documents()) {
    chunk.push(doc);
    if (chunk.length === CHUNK) project();
  }
  if (chunk.length > 0) project();
  const t2 = performance.now();
  const index = VectorIndex.build(vectors, d);
  // Calibrate on the warm-up queries (real-title fragments, not the measured ones).
  const calibrationQueries = new Float32Array(o.warmup * d);
  o.queries.slice(0, o.warmup).forEach((q, i) => calibrationQueries.set(provider.embedQuerySync(q), i * d));
  const calibration = index.calibrate(0.95, 10, calibrationQueries);
  const t3 = performance.now();
  const afterDense = rssMb();
  const queryVectors = new Float32Array((o.queries.length - o.warmup) * d);
  o.queries.slice(o.warmup).forEach((q, i) => queryVectors.set(provider.embedQuerySync(q), i * d));
  const queryRecall = index.recallAgainstExact(queryVectors.subarray(0, 200 * d), 10, index.probes);
  const dense = timeQueries(o.queries, o.warmup, (q) => index.search(provider.embedQuerySync(q), 10).length);
  const denseSeconds = (t1 - t0 + projectMs + (t3 - t2)) / 1000;
  stages.push({ system: 'paperboy-dense', buildSeconds: denseSeconds, indexMb: afterDense - afterLexical, ...dense });
  const hybrid = new HybridSearcher(lexical, index, keys);
  const hyb = timeQueries(o.queries, o.warmup, (q) => hybrid.search(q, provider.embedQuerySync(q), { limit: 10 }).length);
  stages.push({ system: 'paperboy-hybrid', buildSeconds: buildMs / 1000 + denseSeconds, indexMb: afterDense - before, ...hyb });
  return {
    stages,
    dense: {
      fitSeconds: (t1 - t0) / 1000,
      projectSeconds: projectMs / 1000,
      indexSeconds: (t3 - t2) / 1000,
      lists: index.lists,
      probes: calibration.probes,
      calibratedRecall: calibration.recall,
      queryRecall,
      dimensions: d,
      fitSample: Math.min(o.fitSample, o.docs),
    },
  };
}
