/** The use cases the web, jobs and CLI layers call, bound to one database and config. */
import type { Config } from '../config/config.js';
import type { Paper } from '../domain/paper.js';
import type { Logger } from '../logger.js';
import type { Db } from '../store/database.js';
import { coalescedRead } from '../domain/coalesced-read.js';
import { createMetrics, type Metrics } from './metrics/metrics.js';
import { checkReadiness, registerServiceGauges, type Readiness } from './metrics/instance-health.js';
import { dataVersionReader } from '../store/data-version.js';
import { countPapers, findPaperByArxivId, listRecentPapers } from '../store/paper.repository.js';
import { harvestArxiv, type HarvestOptions, type HarvestSummary } from './ingest/harvest-arxiv.service.js';
import { importFiles, type ImportProgress, type ImportSummary } from './ingest/import-files.service.js';
import { createPaperDenseIndex } from './search-index/paper-dense-index.js';
import { createPaperSearchEngine, toSearchDocument, type PaperSearchEngine } from './search-index/paper-search-engine.js';
import type { EmbeddingProvider } from '../search/dense/embedding-provider.js';
import { createEngineSearchBackend, createEngineSimilarPapers } from './reader/engine-search-backend.js';
import { createMemberServices, type MemberServices } from './members/members.services.js';
import { createDigestService, type DigestService, type DigestServiceDeps } from './digests/digests.services.js';
import { siteDigestSources } from './digests/digest-sources.service.js';
import { createMailOutbox, type MailOutbox } from './outbox/mail-outbox.service.js';
import { createReaderServices, type ReaderOptions, type ReaderServices } from './reader/reader.services.js';
import { createRecommendationService, type RecommendationService } from './for-you/recommendation.service.js';
import { createJobLeaseService, type JobLeaseService } from './jobs/job-leases.service.js';

export interface ServiceDeps {
  config: Config;
  db: Db;
  logger: Logger;
  /** Digest overrides: an injected clock (tests), a vote counter, a topic search, a mail sender. */
  digests?: Partial<Pick<DigestServiceDeps, 'clock' | 'votes' | 'topicSearch' | 'trending' | 'sender'>>;
  /** A pretrained embedding model (ONNX directory, embeddings endpoint) instead of the corpus-trained one. */
  embeddings?: EmbeddingProvider | null;
  /** Reader overrides: the search backend (the engine replaces the SQL fallback), similar papers, a clock. */
  reader?: Partial<ReaderOptions>;
}

export interface Services {
  importFiles(files: readonly string[], options?: { onProgress?: (p: ImportProgress) => void; signal?: AbortSignal }): Promise<ImportSummary>;
  harvestArxiv(options: HarvestOptions): Promise<HarvestSummary>;
  recentPapers(options: { limit: number; offset?: number; category?: string }): Promise<Paper[]>;
  findPaper(arxivId: string): Promise<Paper | null>;
  countPapers(): Promise<number>;
  /** Members: sign-in, submissions, votes, comments, library, moderation. */
  members: MemberServices;
  /** Email digests: subscriptions, scheduling, sending, previews. */
  digests: DigestService;
  /** Where mail goes (SMTP or the local outbox) and the outbox's contents. */
  mailOutbox: MailOutbox;
  /** Readers: daily feed, paper pages, search. */
  reader: ReaderServices;
  /** The search index over all papers, kept in step with the database. */
  searchEngine: PaperSearchEngine;
  /** "For you": papers ranked for a member from their upvotes and library (DESIGN §6). */
  recommendations: RecommendationService;
  /** Leases and run history of the background jobs, shared by every instance on the database. */
  jobLeases: JobLeaseService;
  /**
   * A token that differs whenever an answer for readers may differ: any committed write (by any
   * instance) or a new generation of the search engine's vectors. Concurrent callers share reads.
   */
  contentVersion(): Promise<string>;
  /** Prometheus metrics of this instance (served at /metrics when METRICS=on). */
  metrics: Metrics;
  /**
   * Whether this instance can serve: the database answers, every migration has run and the search
   * index is loaded. Paper vectors are reported but not required (search is lexical meanwhile).
   */
  readiness(): Promise<Readiness>;
}


export function createServices(deps: ServiceDeps): Services {
  const { db } = deps;
  const dense = createPaperDenseIndex({ db, logger: deps.logger, config: deps.config.denseSearch, snapshotDir: deps.config.searchIndexDir, toDocument: toSearchDocument, pretrained: deps.embeddings ?? null });
  const engine = createPaperSearchEngine({ db, logger: deps.logger, snapshotDir: deps.config.searchIndexDir, dense });
  const metrics = createMetrics();
  const searchEngine: PaperSearchEngine = {
    ...engine,
    async search(query, options) {
      const started = performance.now();
      const result = await engine.search(query, options);
      metrics.observeSearch(options.prefix ? 'prefix' : result.mode, (performance.now() - started) / 1000);
      return result;
    },
    async suggest(text, limit) {
      const started = performance.now();
      const result = await engine.suggest(text, limit);
      metrics.observeSearch('suggest', (performance.now() - started) / 1000);
      return result;
    },
  };
  registerServiceGauges(metrics, { db, searchEngine });
  const findText = (arxivId: string) => findPaperByArxivId(db.kysely, arxivId);
  const reader = createReaderServices({
    db,
    searchBackend: createEngineSearchBackend(searchEngine),
    similarPapers: createEngineSimilarPapers(searchEngine, findText),
    now: () => new Date(),
    ...deps.reader,
  });
  const dataVersion = coalescedRead(dataVersionReader(db));
  const recommendations = createRecommendationService({ db, paperVectors: (ids) => searchEngine.paperVectors(ids) });
  return {
    searchEngine,
    recommendations,
    importFiles: (files, options) => importFiles(db, files, options),
    harvestArxiv: (options) => harvestArxiv(deps, options),
    recentPapers: (options) => listRecentPapers(db.kysely, options),
    findPaper: (arxivId) => findPaperByArxivId(db.kysely, arxivId),
    countPapers: () => countPapers(db.kysely),
    members: createMemberServices(deps),
    // Digests list what the site shows: the trending feed, the search engine, the votes table.
    digests: createDigestService({ config: deps.config, db, logger: deps.logger, ...siteDigestSources({ reader, recommendations, db }), ...deps.digests }),
    reader,
    mailOutbox: createMailOutbox({ db, smtpConfigured: Boolean(deps.config.mail.smtpUrl) }),
    jobLeases: createJobLeaseService({ db, config: deps.config.jobs }),
    metrics,
    readiness: () => checkReadiness({ db, searchEngine, denseMode: deps.config.denseSearch.mode }),
    contentVersion: async () => `${await dataVersion()}/${searchEngine.generation()}`,
  };
}
