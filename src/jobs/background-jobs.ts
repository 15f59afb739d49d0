/**
 * Which jobs an instance runs, by role: `web` keeps only its own search index warm and
 * snapshotted; `worker` and `all` also run the cluster jobs (harvest, digests), which the leases
 * keep to one run per slot however many instances run them.
 */
import type { Config } from '../config/config.js';
import type { Logger } from '../logger.js';
import type { Services } from '../services/services.js';
import { digestJobs } from './digest.job.js';
import { harvestJobs } from './harvest.job.js';
import { createJobRunner, type JobRunner } from './job-runner.js';
import { searchIndexJobs } from './search-index.job.js';

export const SERVE_ROLES = ['web', 'worker', 'all'] as const;
export type ServeRole = (typeof SERVE_ROLES)[number];

export interface BackgroundJobsDeps {
  config: Config;
  logger: Logger;
  services: Services;
  role: ServeRole;
  /** Tests: a clock for slots and leases, a fixed instance name. */
  clock?: () => Date;
  holder?: string;
}

export function startBackgroundJobs(deps: BackgroundJobsDeps): JobRunner {
  const { config, logger, services, role } = deps;
  const jobs = [...searchIndexJobs({ logger, services }), ...(role === 'web' ? [] : [...harvestJobs({ config, logger, services }), ...digestJobs({ config, logger, services })])];
  const runner = createJobRunner({ jobs, leases: services.jobLeases, logger, onRunEnd: (job, outcome, seconds) => services.metrics.observeJob(job, outcome, seconds), ...(deps.clock ? { clock: deps.clock } : {}), ...(deps.holder ? { holder: deps.holder } : {}) });
  runner.start();
  logger.info({ role, holder: runner.holder, jobs: jobs.map((j) => j.name) }, 'background jobs started');
  return runner;
}
