/**
 * Search benchmark: builds Paperboy's indexes (lexical; dense corpus model + IVF; hybrid) over the real
 * arXiv records and over a synthetic corpus of N papers, next to SQLite FTS5 (in-memory,
 * bm25()) and MiniSearch on the same documents, then runs the same realistic OR queries
 * (top 10) on each. Prints build time, memory and latency p50/p99 with ratios against
 * Paperboy's lexical index. Each system runs in its own child process so its memory figures
 * are its own; build time counts only indexing calls, not the generation of synthetic papers.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CORPUS_MODEL } from '../src/search/dense/corpus-model.js';
import { LexicalIndex } from '../src/search/lexical-index.js';
import { Fts5Peer } from '../src/search/peers/fts5.peer.js';
import { createMiniSearchPeer } from '../src/search/peers/minisearch.peer.js';
import type { RetrievalSystem } from '../src/search/retrieval-system.js';
import type { SearchDocument } from '../src/search/search-document.js';
import { SEARCH_BENCH_SYSTEMS, type SearchBenchSystem } from './search-bench-systems.js';
import { buildCorpusModel, loadRealRecords, realisticQueries, syntheticDocuments } from './search-corpus.js';
import { type PaperboyBenchFigures, runPaperboyBench } from './search-paperboy.js';

/** `paperboy` = lexical + dense + hybrid in one process; `paperboy-lexical` = lexical only. */

/** MiniSearch needs about 3 GB at 100k papers; above this it is not run. */
const MINISEARCH_MAX_DOCS = 100_000;
const QUERY_COUNT = 1000;
const WARMUP_QUERIES = 100;
const BATCH = 10_000;
const SEED = 20160309;

export interface SearchBenchResult {
  system: string;
  corpus: string;
  docs: number;
  buildSeconds: number;
  /** RSS after building, minus RSS before (corpus model and records excluded). */
  indexMb: number;
  rssMb: number;
  peakRssMb: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  /** Queries that returned at least one hit (sanity: systems must agree roughly). */
  answered: number;
  note?: string;
}

interface Job {
  system: SearchBenchSystem;
  corpus: 'real' | 'synthetic';
  docs: number;
  recordsFile: string;
  queriesFile: string;
  dimensions: number;
  fitSample: number;
  annPeer: boolean;
  lexicalThreads?: number;
}

interface JobResult {
  rows: SearchBenchResult[];
  dense?: PaperboyBenchFigures['dense'];
  lexicalThreads?: number;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function rssMb(): number {
  return process.memoryUsage().rss / 2 ** 20;
}

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function makePeer(name: 'sqlite-fts5' | 'minisearch'): Promise<RetrievalSystem | null> {
  return name === 'sqlite-fts5' ? new Fts5Peer() : await createMiniSearchPeer();
}

async function runJob(job: Job): Promise<JobResult> {
  const records = fs
    .readFileSync(job.recordsFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as SearchDocument);
  const queries = JSON.parse(fs.readFileSync(job.queriesFile, 'utf8')) as string[];
  const model = job.corpus === 'synthetic' ? buildCorpusModel(records) : null;
  const documents = (): Iterable<SearchDocument> => (model ? syntheticDocuments(model, job.docs, SEED) : records.slice(0, job.docs));
  const base = { corpus: job.corpus, docs: job.docs };
  const peak = () => process.resourceUsage().maxRSS / 1024;
  if (job.system === 'paperboy' || job.system === 'paperboy-lexical') {
    const figures = await runPaperboyBench({ documents, docs: job.docs, queries, warmup: WARMUP_QUERIES, dense: job.system === 'paperboy', dimensions: job.dimensions, fitSample: job.fitSample, annPeer: job.annPeer, ...(job.lexicalThreads !== undefined ? { lexicalThreads: job.lexicalThreads } : {}) });
    const rows = figures.stages.map((st) => ({ ...base, system: st.system, buildSeconds: st.buildSeconds, indexMb: st.indexMb, rssMb: rssMb(), peakRssMb: peak(), ...latencyFigures(st.latencies), answered: st.answered }));
    return figures.dense ? { rows, dense: figures.dense, lexicalThreads: figures.lexicalThreads } : { rows, lexicalThreads: figures.lexicalThreads };
  }
  const peer = await makePeer(job.system);
  if (!peer) throw new Error(`${job.system} is not available`);
  collectGarbage();
  const before = rssMb();
  let buildMs = 0;
  let batch: SearchDocument[] = [];
  const flushBatch = () => {
    const t = performance.now();
    void peer.index(batch);
    buildMs += performance.now() - t;
    batch = [];
  };
  for (const d of documents()) {
    batch.push(d);
    if (batch.length === BATCH) flushBatch();
  }
  flushBatch();
  collectGarbage();
  const after = rssMb();
  for (const q of queries.slice(0, WARMUP_QUERIES)) peer.search(q, 10);
  const times: number[] = [];
  let answered = 0;
  for (const q of queries.slice(WARMUP_QUERIES, WARMUP_QUERIES + QUERY_COUNT)) {
    const t0 = performance.now();
    const hits = peer.search(q, 10).length;
    times.push(performance.now() - t0);
    if (hits > 0) answered++;
  }
  return { rows: [{ ...base, system: job.system, buildSeconds: buildMs / 1000, indexMb: after - before, rssMb: after, peakRssMb: peak(), ...latencyFigures(times), answered }] };
}

function latencyFigures(latencies: number[]): { p50Ms: number; p99Ms: number; meanMs: number } {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { p50Ms: quantile(sorted, 0.5), p99Ms: quantile(sorted, 0.99), meanMs: sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length) };
}

function runInChild(job: Job): Promise<JobResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--search-bench-child', JSON.stringify(job)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: [...process.execArgv, '--expose-gc', '--max-old-space-size=8192'],
    });
    let result: JobResult | null = null;
    child.once('message', (m) => (result = m as JobResult));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0 && result) resolve(result);
      else reject(new Error(`search benchmark child for ${job.system} (${job.corpus}, ${job.docs} docs) exited with ${code}`));
    });
  });
}

export interface SearchBenchOptions {
  sharedDataDir: string;
  /** Synthetic corpus size. */
  docs: number;
  systems?: readonly SearchBenchSystem[];
  /** Also measure the real records (default true). */
  real?: boolean;
  /** LSA dimensions (default 128) and papers it is fitted on (default 50,000), as the server's defaults. */
  dimensions?: number;
  fitSample?: number;
  /** Also build the usearch HNSW peer next to our IVF (default true). */
  annPeer?: boolean;
  /** Tokenizer threads of the lexical build (default: all cores; 0: one paper at a time). */
  lexicalThreads?: number;
  out: NodeJS.WritableStream;
  log?: (line: string) => void;
}

export async function runSearchBench(options: SearchBenchOptions): Promise<SearchBenchResult[]> {
  const { out } = options;
  const log = options.log ?? (() => undefined);
  const systems = options.systems ?? SEARCH_BENCH_SYSTEMS.filter((s) => s !== 'paperboy-lexical');
  log('reading the real arXiv records...');
  const records = await loadRealRecords(options.sharedDataDir);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-search-bench-'));
  const results: SearchBenchResult[] = [];
  const denseNotes: string[] = [];
  try {
    const recordsFile = path.join(dir, 'records.jsonl');
    const queriesFile = path.join(dir, 'queries.json');
    fs.writeFileSync(recordsFile, records.map((r) => JSON.stringify(r)).join('\n'));
    const queries = realisticQueries(records, WARMUP_QUERIES + QUERY_COUNT, SEED);
    fs.writeFileSync(queriesFile, JSON.stringify(queries));
    const corpora: { corpus: 'real' | 'synthetic'; docs: number }[] = [];
    if (options.real !== false) corpora.push({ corpus: 'real', docs: records.length });
    if (options.docs > 0) corpora.push({ corpus: 'synthetic', docs: options.docs });
    out.write(`search benchmark: ${os.cpus().length} cores, Node ${process.version}; ${QUERY_COUNT} OR queries (top 10) from real titles, e.g. "${queries[WARMUP_QUERIES]}", "${queries[WARMUP_QUERIES + 1]}"\n`);
    for (const { corpus, docs } of corpora) {
      for (const system of systems) {
        if (system === 'minisearch' && docs > MINISEARCH_MAX_DOCS) {
          log(`${system} skipped at ${docs} docs (needs ~3 GB at 100k)`);
          continue;
        }
        log(`${corpus} ${docs}: ${system}...`);
        const r = await runInChild({ system, corpus, docs, recordsFile, queriesFile, dimensions: options.dimensions ?? 128, fitSample: options.fitSample ?? 50_000, annPeer: options.annPeer !== false, ...(options.lexicalThreads !== undefined ? { lexicalThreads: options.lexicalThreads } : {}) });
        results.push(...r.rows);
        for (const row of r.rows) log(`  ${row.system}: build ${row.buildSeconds.toFixed(1)} s, p50 ${row.p50Ms.toFixed(2)} ms, p99 ${row.p99Ms.toFixed(2)} ms`);
        if (r.lexicalThreads !== undefined) {
          denseNotes.push(
            r.lexicalThreads === 0
              ? `${corpus} ${docs}: lexical build = one paper at a time on the main thread`
              : `${corpus} ${docs}: lexical build = tokenizing on ${r.lexicalThreads} worker threads while the main thread builds the postings (wall time until each batch is in, worker start-up included)`,
          );
        }
        if (r.dense) {
          const x = r.dense;
          denseNotes.push(
            `${corpus} ${docs}: dense = ${DEFAULT_CORPUS_MODEL} ${x.dimensions} dims fitted on ${x.fitSample} papers in ${x.fitSeconds.toFixed(1)} s (1 thread), ` +
              `all papers folded in ${x.projectSeconds.toFixed(1)} s (${x.projectThreads === 1 ? 'on the main thread, as the server does' : `${x.projectThreads} worker threads`})`,
          );
          for (const a of x.ann) {
            denseNotes.push(
              `  ${a.name.padEnd(9)} ${a.name === 'paperboy' ? 'IVF int8+f32 SIMD' : 'usearch HNSW f32'}: built in ${a.buildSeconds.toFixed(1)} s, calibrated in ${a.calibrateSeconds.toFixed(1)} s to ${a.setting}; ` +
                `recall@10 vs exact ${a.calibratedRecall.toFixed(3)} (100 warm-up queries, calibration), ${a.queryRecall.toFixed(3)} (200 timed queries); ` +
                `dense pipeline total ${(x.fitSeconds + x.projectSeconds + a.buildSeconds + a.calibrateSeconds + (a.hybridCalibrateSeconds ?? 0)).toFixed(1)} s; RSS +${a.indexMb.toFixed(0)} MB over lexical`,
            );
            if (a.hybridProbes !== undefined) {
              denseNotes.push(
                `  ${''.padEnd(9)} hybrid queries probe ${a.hybridProbes} lists (calibrated in ${(a.hybridCalibrateSeconds ?? 0).toFixed(1)} s: smallest breadth whose fused top 10 agrees with exact-vector hybrid, ` +
                  `${(a.hybridCalibratedAgreement ?? 0).toFixed(3)} on the warm-up queries, ${(a.hybridQueryAgreement ?? 0).toFixed(3)} on 200 timed queries)`,
              );
            }
          }
        }
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  out.write(formatSearchBench(results));
  for (const note of denseNotes) out.write(`${note}\n`);
  return results;
}

export function formatSearchBench(results: readonly SearchBenchResult[]): string {
  const head =
    'corpus'.padEnd(11) +
    'docs'.padStart(9) +
    '  ' +
    'system'.padEnd(18) +
    'build s'.padStart(9) +
    'index MB'.padStart(10) +
    'peak MB'.padStart(9) +
    'p50 ms'.padStart(9) +
    'p99 ms'.padStart(9) +
    'mean ms'.padStart(9) +
    'hits'.padStart(6) +
    '  vs paperboy-lexical (build, p50, p99)';
  let out = `${head}\n${'-'.repeat(head.length)}\n`;
  for (const r of results) {
    const base = results.find((b) => b.corpus === r.corpus && b.docs === r.docs && b.system === 'paperboy-lexical');
    const ratio = (a: number, b: number) => `${(a / b).toFixed(1)}x`;
    const versus = base && !r.system.startsWith('paperboy') ? `${ratio(r.buildSeconds, base.buildSeconds)}, ${ratio(r.p50Ms, base.p50Ms)}, ${ratio(r.p99Ms, base.p99Ms)}` : '';
    out +=
      r.corpus.padEnd(11) +
      String(r.docs).padStart(9) +
      '  ' +
      r.system.padEnd(18) +
      r.buildSeconds.toFixed(1).padStart(9) +
      r.indexMb.toFixed(0).padStart(10) +
      r.peakRssMb.toFixed(0).padStart(9) +
      r.p50Ms.toFixed(2).padStart(9) +
      r.p99Ms.toFixed(2).padStart(9) +
      r.meanMs.toFixed(2).padStart(9) +
      String(r.answered).padStart(6) +
      '  ' +
      versus +
      '\n';
  }
  out += 'index MB = RSS growth while building (after GC); peak MB = the child process peak RSS (includes the corpus generator).\n';
  out += '"vs paperboy-lexical": peer time / Paperboy lexical time, so 3.0x means Paperboy is three times faster (below 1x: slower).\n';
  out += 'paperboy-dense/hybrid: our IVF vector index; usearch-dense/hybrid: the usearch HNSW peer on the same vectors (both calibrated to recall@10 >= 0.95 vs exact).\n';
  out += '*-hybrid: build = lexical + dense; index MB = lexical + corpus model + vector index; a query = lexical top 30 + vector top 30 + linear fusion (DEFAULT_HYBRID_DEPTH; nDCG@10 on the training splits is the same from 20 to 1000); our IVF\'s vector side scans the hybrid breadth noted below, usearch its dense ef.\n';
  return out;
}

if (process.argv[2] === '--search-bench-child') {
  const job = JSON.parse(process.argv[3] ?? '{}') as Job;
  const result = await runJob(job);
  process.send?.(result, () => process.exit(0));
}
