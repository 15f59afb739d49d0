/**
 * Keeps this instance's search index warm: builds (or loads and catches up) the index right after
 * start instead of on the first search, and snapshots it every 30 minutes and at shutdown, so the
 * next start only replays the changes made since. Per instance: each has its own index.
 */
import type { Logger } from '../logger.js';
import type { Services } from '../services/services.js';
import type { JobDefinition } from './job-runner.js';

export const SEARCH_INDEX_WARM_JOB = 'search_index_warm';
export const SEARCH_INDEX_SNAPSHOT_JOB = 'search_index_snapshot';

const SNAPSHOT_EVERY_MS = 30 * 60_000;

export function searchIndexJobs(deps: { logger: Logger; services: Services }): JobDefinition[] {
  const { logger, services } = deps;
  return [
    {
      name: SEARCH_INDEX_WARM_JOB,
      scope: 'instance',
      schedule: { once: 'at-start' },
      retryHint: 'search will build it on first use',
      async perform() {
        const started = performance.now();
        const s = await services.searchEngine.stats();
        logger.info({ documents: s.documents, seconds: ((performance.now() - started) / 1000).toFixed(1) }, 'search index ready');
      },
    },
    {
      name: SEARCH_INDEX_SNAPSHOT_JOB,
      scope: 'instance',
      schedule: { everyMs: SNAPSHOT_EVERY_MS },
      // The runner stops (and so waits for the warm-up) before this last snapshot.
      runOnStop: true,
      async perform() {
        const bytes = await services.searchEngine.snapshot();
        if (bytes !== null) logger.info({ bytes }, 'search index snapshot saved');
      },
    },
  ];
}
