/**
 * How wide the vector side of a live hybrid query scans. Once the paper vectors have an
 * approximate (IVF) index, its own breadth is calibrated for dense-only search (similar
 * papers); a hybrid query needs far fewer lists for the same first page
 * (search/hybrid-probe-calibration.ts). This calibrates that smaller breadth for each attached
 * index, in the background, on short queries made from the titles of papers in the database
 * (the engine has no query log), pausing between queries so searches keep being answered.
 * Until it is done, and if it fails, hybrid queries use the index's own breadth.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { texPlain } from '../../domain/tex-segments.js';
import type { Logger } from '../../logger.js';
import type { PaperVectors } from '../../search/dense/paper-vectors.js';
import type { HybridSearcher } from '../../search/hybrid-searcher.js';
import { titleFragmentQueries } from '../../search/title-fragment-queries.js';
import type { Db } from '../../store/database.js';
import { findPapersByArxivIds } from '../../store/paper.repository.js';

/** Calibration queries: enough to see a change in the first page, few enough to take seconds at a million papers. */
const CALIBRATION_QUERIES = 100;
const SEED = 7;

export interface HybridBreadthDeps {
  db: Db;
  logger: Logger;
  /** Query text to vector (null when the query shares no word with the model). */
  queryVector: (text: string) => Promise<Float32Array | null>;
  /** The hybrid searcher over the current lexical index and these vectors. */
  searcher: (vectors: PaperVectors) => HybridSearcher;
  queries?: number;
}

export interface HybridBreadth {
  /**
   * Probes for a hybrid query on `vectors` (undefined: the index's own breadth, or no index);
   * starts a calibration when this index has none yet.
   */
  probesFor(vectors: PaperVectors): number | undefined;
  /** Waits for a running calibration; for tools and tests. */
  settled(): Promise<void>;
}

export function createHybridBreadth(deps: HybridBreadthDeps): HybridBreadth {
  let calibrated: { vectors: PaperVectors; version: number; probes: number | undefined } | null = null;
  let running: Promise<void> | null = null;

  const calibrate = async (vectors: PaperVectors, version: number): Promise<void> => {
    const from = vectors.defaultProbes;
    let probes: number | undefined;
    try {
      const count = deps.queries ?? CALIBRATION_QUERIES;
      const papers = await findPapersByArxivIds(deps.db.kysely, vectors.sampleLiveKeys(count, SEED));
      const texts = titleFragmentQueries(papers.map((p) => texPlain(p.title)), count, SEED);
      const queries: { text: string; vector: Float32Array }[] = [];
      for (const text of texts) {
        const vector = await deps.queryVector(text);
        if (vector) queries.push({ text, vector });
      }
      if (from === undefined || queries.length === 0) return;
      const started = performance.now();
      const result = await deps.searcher(vectors).calibrateProbes(queries, { pause: () => yieldToEventLoop() });
      if (!result) return;
      probes = result.probes;
      deps.logger.info({ probes, denseProbes: from, agreement: Number(result.agreement.toFixed(3)), queries: queries.length, seconds: ((performance.now() - started) / 1000).toFixed(1) }, 'hybrid query breadth calibrated');
    } catch (error) {
      deps.logger.warn({ err: { message: (error as Error).message } }, 'hybrid query breadth could not be calibrated; hybrid queries scan as widely as dense ones');
    } finally {
      // Recorded even on failure: one attempt per index, not one per search.
      if (vectors.indexVersion === version) calibrated = { vectors, version, probes };
    }
  };

  return {
    probesFor(vectors) {
      if (!vectors.approximate) return undefined;
      if (calibrated && calibrated.vectors === vectors && calibrated.version === vectors.indexVersion) return calibrated.probes;
      running ??= calibrate(vectors, vectors.indexVersion).finally(() => {
        running = null;
      });
      return undefined;
    },
    async settled() {
      await running;
    },
  };
}
