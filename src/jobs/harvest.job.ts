/**
 * `harvest_arxiv`: harvests the configured arXiv sets once per HARVEST_INTERVAL_MINUTES slot,
 * across every instance on the database (the job runner holds the lease). A set that fails
 * (arXiv unreachable, bad answer) does not stop the others; the run then fails as a whole, is
 * logged once, and the next slot tries again while the server keeps serving.
 */
import type { Config } from '../config/config.js';
import { AppError } from '../domain/errors.js';
import type { Logger } from '../logger.js';
import type { Services } from '../services/services.js';
import type { JobDefinition } from './job-runner.js';

export const HARVEST_JOB = 'harvest_arxiv';

export function harvestJobs(deps: { config: Config; logger: Logger; services: Services }): JobDefinition[] {
  const { config, logger, services } = deps;
  const { sets } = config.harvest;
  if (sets.length === 0) {
    logger.info('scheduled harvest is off (set HARVEST_SETS, e.g. "cs:cs:AI,cs:cs:LG", to turn it on)');
    return [];
  }
  return [
    {
      name: HARVEST_JOB,
      schedule: { everyMs: Math.round(config.harvest.intervalMinutes * 60_000) },
      retryHint: 'it runs again at the next interval',
      async perform(signal) {
        const failed: string[] = [];
        for (const set of sets) {
          signal.throwIfAborted();
          try {
            const result = await services.harvestArxiv({ set, signal });
            logger.info({ set, ...result }, 'scheduled harvest finished');
          } catch (error) {
            if (signal.aborted) throw error;
            const code = (error as { code?: unknown }).code;
            failed.push(`${set}: ${(error as Error).message}${typeof code === 'string' ? ` (${code})` : ''}`);
          }
        }
        if (failed.length > 0) throw new AppError('harvest_failed', `scheduled harvest failed for ${failed.length} of ${sets.length} sets: ${failed.join('; ')}`, { details: { failed } });
      },
    },
  ];
}
