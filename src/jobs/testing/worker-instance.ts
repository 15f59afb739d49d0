/**
 * One `serve --role worker` instance for multi-process tests, built like the real one (createApp,
 * then the background jobs) but from a config given as JSON on the command line, so a test can
 * use intervals and leases far shorter than the environment allows. Prints "ready" once its jobs
 * run and stops them on SIGTERM, as serve does.
 */
import { createApp } from '../../app.js';
import { buildConfig, DEFAULT_DENSE_SEARCH_CONFIG, parseDatabaseUrl, type Config } from '../../config/config.js';
import { createLogger } from '../../logger.js';

export interface WorkerInstanceOptions {
  databaseUrl: string;
  harvest: Config['harvest'];
  jobs: Config['jobs'];
}

const options = JSON.parse(process.argv[2] ?? '{}') as WorkerInstanceOptions;
const config = buildConfig({
  database: parseDatabaseUrl(options.databaseUrl),
  logLevel: 'warn',
  harvest: options.harvest,
  jobs: options.jobs,
  denseSearch: { ...DEFAULT_DENSE_SEARCH_CONFIG, mode: 'off' },
});
const app = await createApp(config, { logger: createLogger('warn'), migrate: false });
const stop = app.startBackgroundJobs({ role: 'worker' });
const keepAlive = setInterval(() => undefined, 1 << 30);
process.once('SIGTERM', () => {
  void stop()
    .then(() => app.close())
    .finally(() => {
      clearInterval(keepAlive);
      process.stdout.write('stopped\n');
    });
});
process.stdout.write('ready\n');
