/**
 * Keeps `serve`'s search index warm: builds (or loads and catches up) the index right after start
 * instead of on the first search, and snapshots it periodically and at shutdown, so the next
 * start only replays the changes made since.
 */
import type { Logger } from '../logger.js';
import type { Services } from '../services/services.js';

const SNAPSHOT_EVERY_MS = 30 * 60_000;

export function startSearchIndexJobs(deps: { logger: Logger; services: Services }): () => Promise<void> {
  const { logger, services } = deps;
  const started = performance.now();
  const warm = services.searchEngine
    .stats()
    .then((s) => logger.info({ documents: s.documents, seconds: ((performance.now() - started) / 1000).toFixed(1) }, 'search index ready'))
    .catch((error: unknown) => logger.error({ err: { message: (error as Error).message } }, 'search index could not be built; search will retry on first use'));
  const snapshot = async () => {
    try {
      const bytes = await services.searchEngine.snapshot();
      if (bytes !== null) logger.info({ bytes }, 'search index snapshot saved');
    } catch (error) {
      logger.warn({ err: { message: (error as Error).message } }, 'search index snapshot failed');
    }
  };
  const timer = setInterval(() => void snapshot(), SNAPSHOT_EVERY_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await warm;
    await snapshot();
  };
}
