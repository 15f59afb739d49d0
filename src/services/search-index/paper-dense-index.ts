/**
 * The learned side of search: one vector per paper, kept in step with the database through the
 * same change log as the lexical index. With the default corpus-trained model (LSA), the model is
 * fitted in a worker thread on a sample of the papers once the corpus is big enough, every paper
 * is then folded in (in chunks, yielding to the event loop between them), and later papers are
 * folded in as they arrive. A pretrained provider (ONNX directory, embeddings endpoint) needs no
 * fitting: every paper is embedded through it. Model and vectors are snapshotted beside the
 * lexical index, so a restart only embeds what changed since.
 */
import fs from 'node:fs';
import path from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { DenseSearchConfig } from '../../config/config.js';
import type { Paper } from '../../domain/paper.js';
import type { Logger } from '../../logger.js';
import type { EmbeddingProvider } from '../../search/dense/embedding-provider.js';
import { buildIvfOffThread } from '../../search/dense/build-ivf-off-thread.js';
import { ContrastiveEmbeddingProvider } from '../../search/dense/contrastive.provider.js';
import { loadCorpusModel, saveCorpusModel } from '../../search/dense/corpus-model.snapshot.js';
import { fitCorpusModelOffThread } from '../../search/dense/fit-corpus-model-off-thread.js';
import { LsaEmbeddingProvider } from '../../search/dense/lsa.provider.js';
import { PaperVectors } from '../../search/dense/paper-vectors.js';
import type { SearchDocument } from '../../search/search-document.js';
import { seededRandom } from '../../search/seeded-random.js';
import type { Db } from '../../store/database.js';
import { listPapersChangedSince } from '../../store/paper.repository.js';

const BATCH = 2000;
/** Papers embedded per step; between steps the event loop serves requests. */
const EMBED_CHUNK = 500;
/**
 * From this many vectors on, an approximate (IVF) index answers nearest-neighbour queries: an
 * exact scan costs about 1.5 ms per 10,000 vectors on the request path (5.7 ms of a 14 ms search
 * at 30k papers, profiled), the index a fraction of a millisecond at any size, built off-thread
 * in seconds at 30k. Below this the scan costs under 1.5 ms and a build would not pay.
 */
export const ANN_MIN_VECTORS = 10_000;
/**
 * The approximate index is built again once this many vectors, and at least REFRESH_FRACTION of
 * those it was built over, were written since (new papers, changed ones): they sit in its tail,
 * which every search scans exactly (about 0.6 ms per 5,000), against a rebuild off the main
 * thread of seconds at 30k papers and a few minutes at 1M.
 */
export const ANN_REFRESH_MIN = 5_000;
const REFRESH_FRACTION = 0.05;
const INDEX_RETRY_MS = 10 * 60_000;
/**
 * The corpus model is fitted again, in the background, once the corpus has grown to this many
 * times the papers it was fitted on (and that was fewer than the fit sample): a model learned
 * from the first thousand papers of a growing instance knows little of the topics that came later.
 */
export const REFIT_GROWTH = 2;
const MODEL_FILE = 'dense.model';
const VECTORS_FILE = 'dense.vec';

export interface DenseState {
  provider: EmbeddingProvider;
  vectors: PaperVectors;
  /** Change-log position the vectors reflect. */
  seq: number;
  /** Papers the corpus model was fitted on (0 for a pretrained model, which is never refitted). */
  fittedOn: number;
}

export interface DenseIndexDeps {
  db: Db;
  logger: Logger;
  config: DenseSearchConfig;
  snapshotDir: string | null;
  toDocument: (paper: Paper) => SearchDocument;
  /** A pretrained model to use instead of fitting LSA on the corpus. */
  pretrained?: EmbeddingProvider | null;
  /** Vectors from which on an approximate index is built (default ANN_MIN_VECTORS). */
  annMinVectors?: number;
  /** Vectors written since the approximate index was built from which it is rebuilt (default ANN_REFRESH_MIN). */
  annRefreshMin?: number;
}

export interface PaperDenseIndex {
  /** The current vectors, or null while none exist (too few papers, not built yet, or off). */
  current(): DenseState | null;
  /** Loads the snapshot if there is one that fits the configuration. */
  load(): void;
  /** Brings existing vectors up to `toSeq` from the change log. */
  catchUp(toSeq: number): Promise<void>;
  /**
   * Starts a background build when none exists and the corpus is big enough, or a refit once the
   * corpus has outgrown the model (REFIT_GROWTH); the current vectors answer meanwhile. Never throws.
   */
  maybeBuildInBackground(paperCount: number): void;
  /** Builds from the database alone (refits the corpus model) and snapshots it. */
  rebuild(): Promise<{ documents: number; seconds: number; provider: string } | null>;
  /** Waits for a background build, if one is running. */
  settled(): Promise<void>;
  save(): number | null;
  queryVector(text: string): Promise<Float32Array | null>;
}

export function createPaperDenseIndex(deps: DenseIndexDeps): PaperDenseIndex {
  const { db, logger, config, snapshotDir } = deps;
  let state: DenseState | null = null;
  let building: Promise<void> | null = null;
  let buildFailed = false;
  let catching: Promise<void> | null = null;
  let indexing: Promise<void> | null = null;
  const annMin = deps.annMinVectors ?? ANN_MIN_VECTORS;
  const refreshMin = deps.annRefreshMin ?? ANN_REFRESH_MIN;
  let indexRetryAt = 0;

  /**
   * Builds the approximate index off-thread once there are enough vectors (search scans exactly
   * meanwhile), and builds it again once many vectors were written since: those sit in its tail,
   * which every search scans exactly. The old index keeps answering until the new one is ready.
   */
  const maybeIndex = (): void => {
    const target = state;
    if (!target || indexing || target.vectors.size < annMin || Date.now() < indexRetryAt) return;
    const vectors = target.vectors;
    const refresh = vectors.approximate;
    if (refresh && vectors.unindexedRows < Math.max(refreshMin, vectors.indexedRowCount * REFRESH_FRACTION)) return;
    // Dropping dead rows renumbers them, which would detach the index still answering.
    if (!refresh) vectors.compact();
    const covered = vectors.rowCount;
    const version = vectors.indexVersion;
    const started = performance.now();
    indexing = buildIvfOffThread(vectors.rowsCopy(), vectors.dimensions, { background: true })
      .then(({ index, probes, recall }) => {
        // A rebuild may have replaced the vectors meanwhile; this index belongs to the old ones.
        if (state !== target || vectors.indexVersion !== version) return;
        vectors.attachIndex(index, covered);
        logger.info({ vectors: covered, lists: index.lists, probes, recall: Number(recall.toFixed(3)), refresh, seconds: ((performance.now() - started) / 1000).toFixed(1) }, 'approximate vector index ready');
      })
      .catch((error: unknown) => {
        // Catch-up asks again on every search: a failing build is not retried for a while.
        indexRetryAt = Date.now() + INDEX_RETRY_MS;
        logger.warn({ err: { message: (error as Error).message } }, refresh ? 'approximate vector index could not be rebuilt; the current one keeps answering' : 'approximate vector index could not be built; nearest papers are found by exact scan');
      })
      .finally(() => {
        indexing = null;
      });
  };

  const providerName = () => (deps.pretrained ? deps.pretrained.name : `${config.model}-${config.dimensions}`);

  /** Streams every paper in change-log order; returns the last sequence number seen. */
  const forEachBatch = async (fromSeq: number, visit: (papers: Paper[]) => Promise<void>): Promise<number> => {
    let seq = fromSeq;
    for (;;) {
      const changed = await listPapersChangedSince(db.kysely, seq, BATCH);
      if (changed.length === 0) return seq;
      await visit(changed);
      seq = changed[changed.length - 1]!.changeSeq;
    }
  };

  const embedInto = async (target: DenseState, papers: readonly Paper[]): Promise<void> => {
    for (const p of papers) if (p.deleted) target.vectors.delete(p.arxivId);
    const live = papers.filter((p) => !p.deleted);
    for (let i = 0; i < live.length; i += EMBED_CHUNK) {
      const chunk = live.slice(i, i + EMBED_CHUNK);
      const vectors = await target.provider.embedDocuments(chunk.map(deps.toDocument));
      target.vectors.setMany(
        chunk.map((p) => p.arxivId),
        vectors,
      );
      if (live.length > EMBED_CHUNK) await yieldToEventLoop();
    }
  };

  /** A seeded uniform sample of the live papers (reservoir), for fitting the corpus model. */
  const samplePapers = async (): Promise<SearchDocument[]> => {
    const random = seededRandom(42);
    const sample: SearchDocument[] = [];
    let seen = 0;
    await forEachBatch(0, async (papers) => {
      for (const p of papers) {
        if (p.deleted) continue;
        seen++;
        if (sample.length < config.fitSample) sample.push(deps.toDocument(p));
        else {
          const j = Math.floor(random() * seen);
          if (j < config.fitSample) sample[j] = deps.toDocument(p);
        }
      }
    });
    return sample;
  };

  const build = async (background: boolean): Promise<DenseState | null> => {
    let provider: EmbeddingProvider;
    let fittedOn = 0;
    if (deps.pretrained) provider = deps.pretrained;
    else {
      const sample = await samplePapers();
      if (sample.length < config.minPapers) return null;
      provider = await fitCorpusModelOffThread(config.model, sample, { dimensions: config.dimensions }, { background });
      fittedOn = sample.length;
    }
    const fresh: DenseState = { provider, vectors: new PaperVectors(provider.dimensions), seq: 0, fittedOn };
    fresh.seq = await forEachBatch(0, (papers) => embedInto(fresh, papers));
    return fresh;
  };

  /** The corpus has grown well past what the model was fitted on (and the fit sample could hold more). */
  const outgrown = (current: DenseState, paperCount: number): boolean =>
    current.fittedOn > 0 && current.fittedOn < config.fitSample && paperCount >= REFIT_GROWTH * current.fittedOn;

  const save = (): number | null => {
    if (!snapshotDir || !state) return null;
    fs.mkdirSync(snapshotDir, { recursive: true });
    let bytes = 0;
    // Model first, vectors last: the vectors file names the model it needs, and both are renamed into place.
    if (state.provider instanceof LsaEmbeddingProvider || state.provider instanceof ContrastiveEmbeddingProvider) {
      const tmp = path.join(snapshotDir, `${MODEL_FILE}.${process.pid}.tmp`);
      bytes += saveCorpusModel(state.provider, tmp);
      fs.renameSync(tmp, path.join(snapshotDir, MODEL_FILE));
    }
    const tmp = path.join(snapshotDir, `${VECTORS_FILE}.${process.pid}.tmp`);
    bytes += state.vectors.save(tmp, { seq: state.seq, provider: state.provider.name, fittedOn: state.fittedOn, savedAt: new Date().toISOString() });
    fs.renameSync(tmp, path.join(snapshotDir, VECTORS_FILE));
    return bytes;
  };

  return {
    current: () => state,

    load() {
      if (config.mode === 'off' || !snapshotDir || state) return;
      const vectorsFile = path.join(snapshotDir, VECTORS_FILE);
      if (!fs.existsSync(vectorsFile)) return;
      try {
        const { vectors, meta } = PaperVectors.load(vectorsFile);
        if (meta.provider !== providerName()) {
          logger.info({ snapshot: meta.provider, configured: providerName() }, 'paper vectors were made by another model; rebuilding them');
          return;
        }
        const provider = deps.pretrained ?? loadCorpusModel(path.join(snapshotDir, MODEL_FILE));
        if (provider.dimensions !== vectors.dimensions) throw new Error(`model has ${provider.dimensions} dimensions, vectors ${vectors.dimensions}`);
        state = { provider, vectors, seq: Number(meta.seq ?? 0), fittedOn: Number(meta.fittedOn ?? 0) };
        maybeIndex();
        logger.info({ vectors: vectors.size, seq: state.seq, provider: provider.name }, 'paper vectors loaded');
      } catch (error) {
        // Like the lexical snapshot, this is a cache: when damaged, it is rebuilt from the database.
        logger.warn({ err: { message: (error as Error).message } }, 'paper vector snapshot unreadable; rebuilding');
        state = null;
      }
    },

    async catchUp(toSeq) {
      while (state && state.seq < toSeq) {
        catching ??= (async () => {
          const target = state!;
          const changed = await listPapersChangedSince(db.kysely, target.seq, BATCH);
          if (changed.length === 0) {
            target.seq = toSeq;
            return;
          }
          await embedInto(target, changed);
          target.seq = changed[changed.length - 1]!.changeSeq;
        })().finally(() => {
          catching = null;
        });
        await catching;
      }
      maybeIndex();
    },

    maybeBuildInBackground(paperCount) {
      if (config.mode === 'off' || building || buildFailed) return;
      if (state && !outgrown(state, paperCount)) return;
      if (!deps.pretrained && paperCount < config.minPapers) return;
      const started = performance.now();
      building = build(true)
        .then((fresh) => {
          if (!fresh) return;
          // A rebuild may have finished meanwhile; the newer change-log position wins.
          if (!state || state.seq <= fresh.seq) state = fresh;
          maybeIndex();
          logger.info({ vectors: fresh.vectors.size, provider: fresh.provider.name, fittedOn: fresh.fittedOn, seconds: ((performance.now() - started) / 1000).toFixed(1) }, 'paper vectors built');
          save();
        })
        .catch((error: unknown) => {
          // Search keeps working lexically; a restart or `paperboy reindex` tries again.
          buildFailed = true;
          logger.error({ err: { message: (error as Error).message } }, 'paper vectors could not be built; search stays lexical');
        })
        .finally(() => {
          building = null;
        });
    },

    async rebuild() {
      if (config.mode === 'off') return null;
      const started = performance.now();
      const fresh = await build(false);
      if (!fresh) return null;
      state = fresh;
      buildFailed = false;
      save();
      maybeIndex();
      return { documents: fresh.vectors.size, seconds: (performance.now() - started) / 1000, provider: fresh.provider.name };
    },

    async settled() {
      await building;
      await indexing;
    },

    save,

    async queryVector(text) {
      if (!state) return null;
      const v = await state.provider.embedQuery(text);
      // A query sharing no word with the model embeds to zeros: it has no dense side.
      for (let i = 0; i < v.length; i++) if (v[i] !== 0) return v;
      return null;
    },
  };
}
