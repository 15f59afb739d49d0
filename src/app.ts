/**
 * The application object graph: config -> logger -> database -> services. Built once by the
 * composition root (`main.ts`) or by tests with their own config; nothing else creates these.
 */
import type { Config } from './config/config.js';
import { createLogger, type Logger } from './logger.js';
import { startBackgroundJobs, type ServeRole } from './jobs/background-jobs.js';
import { createEmbeddingProvider } from './search/dense/create-embedding-provider.js';
import { createServices, type ServiceDeps, type Services } from './services/services.js';
import { openDatabase, type Db } from './store/database.js';
import { migrateToLatest } from './store/migrate.js';

export interface App {
  readonly config: Config;
  readonly logger: Logger;
  readonly db: Db;
  readonly services: Services;
  /**
   * Starts the job runner with the jobs of `role` (default `all`: search index upkeep, harvest,
   * digests); returns a function that stops it and waits for running work.
   */
  startBackgroundJobs(options?: { role?: ServeRole }): () => Promise<void>;
  close(): Promise<void>;
}

export async function createApp(config: Config, options: { logger?: Logger; db?: Db; migrate?: boolean; digests?: ServiceDeps['digests'] } = {}): Promise<App> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const db = options.db ?? openDatabase(config.database);
  if (options.migrate !== false) {
    const ran = await migrateToLatest(db);
    if (ran.length > 0) logger.info({ migrations: ran }, 'database migrated');
  }
  // A pretrained model is opened (and checked) before serving, so a wrong path or endpoint stops the start with its error.
  const embeddings = await createEmbeddingProvider(config.embeddings);
  const services = createServices({ config, db, logger, embeddings, ...(options.digests ? { digests: options.digests } : {}) });
  return {
    config,
    logger,
    db,
    services,
    startBackgroundJobs: (jobOptions = {}) => {
      const runner = startBackgroundJobs({ config, logger, services, role: jobOptions.role ?? 'all' });
      return () => runner.stop();
    },
    close: async () => {
      await services.digests.close();
      await (embeddings as { close?: () => Promise<void> } | null)?.close?.();
      await db.close();
    },
  };
}
