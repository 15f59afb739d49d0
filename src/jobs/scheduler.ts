/**
 * In-process scheduler for `serve`: harvests the configured arXiv sets every interval. A failed
 * attempt (arXiv unreachable, bad answer) is logged once and the server keeps serving.
 */
import type { Config } from '../config/config.js';
import type { Logger } from '../logger.js';
import type { Services } from '../services/services.js';

export function startScheduler(deps: { config: Config; logger: Logger; services: Services }): () => void {
  const { config, logger } = deps;
  if (config.harvest.sets.length === 0) {
    logger.info('scheduled harvest is off (set HARVEST_SETS, e.g. "cs:cs:AI,cs:cs:LG", to turn it on)');
    return () => undefined;
  }
  const controller = new AbortController();
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      for (const set of config.harvest.sets) {
        if (controller.signal.aborted) break;
        try {
          const result = await deps.services.harvestArxiv({ set, signal: controller.signal });
          logger.info({ set, ...result }, 'scheduled harvest finished');
        } catch (error) {
          if (controller.signal.aborted) break;
          logger.warn({ set, err: { message: (error as Error).message, code: (error as { code?: string }).code } }, 'scheduled harvest failed; will retry at the next interval');
        }
      }
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), config.harvest.intervalMinutes * 60_000);
  timer.unref();
  setTimeout(() => void tick(), 1_000).unref();
  return () => {
    clearInterval(timer);
    controller.abort();
  };
}
