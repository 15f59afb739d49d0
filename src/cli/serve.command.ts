/**
 * `paperboy serve [--role web|worker|all]`: the web server and/or the background jobs. `all` (the
 * default) is one process doing both; scaled out, `web` instances serve HTTP (and keep their own
 * search index) while `worker` instances run the harvest and digests, once per slot among them.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { SERVE_ROLES, type ServeRole } from '../jobs/background-jobs.js';
import { startWebServer } from '../web/web-server.js';
import type { CliContext } from './cli-context.js';

function parseRole(value: string): ServeRole {
  if (!(SERVE_ROLES as readonly string[]).includes(value)) throw new InvalidArgumentError(`--role must be one of ${SERVE_ROLES.join(', ')}, got "${value}"`);
  return value as ServeRole;
}

export function registerServeCommand(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('Start the web server and the background jobs (scheduled arXiv harvest when HARVEST_SETS is set, digests when SMTP_URL is set).')
    .option('-p, --port <port>', 'port to listen on (default: PORT or 3000)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`--port must be an integer between 0 and 65535, got "${v}"`);
      return n;
    })
    .option('--role <role>', 'web (HTTP only), worker (jobs only) or all', parseRole, 'all' as ServeRole)
    .action(async (opts: { port?: number; role: ServeRole }) => {
      const app = await ctx.openApp(opts.port === undefined ? {} : { port: opts.port });
      // Listening before anything starts: a signal during start-up stops cleanly too.
      const stopRequested = new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      const stopJobs = app.startBackgroundJobs({ role: opts.role });
      if (opts.role !== 'web' && (await app.services.countPapers()) === 0 && app.config.harvest.sets.length === 0) {
        ctx.stdout.write('The database has no papers yet: import arXiv files with "node bin/paperboy.js import FILE..." or set HARVEST_SETS (e.g. cs:cs:AI) to harvest arXiv.\n');
      }
      let closeServer: () => Promise<void>;
      if (opts.role === 'worker') {
        // No server holds the event loop open, and the job timers do not (they are unref'd).
        const keepAlive = setInterval(() => undefined, 1 << 30);
        closeServer = async () => clearInterval(keepAlive);
        app.logger.info({ role: opts.role }, 'paperboy worker is running');
        ctx.stdout.write('Paperboy worker is running (background jobs only, no HTTP)\n');
      } else {
        const web = await startWebServer({ config: app.config, services: app.services, logger: app.logger });
        app.logger.info({ url: `http://${web.address}:${web.port}`, role: opts.role }, 'paperboy is serving');
        ctx.stdout.write(`Paperboy is running at http://${app.config.host === '0.0.0.0' ? 'localhost' : web.address}:${web.port}\n`);
        closeServer = () => web.close();
      }
      await stopRequested;
      app.logger.info('shutting down');
      await closeServer();
      await stopJobs().catch((error: unknown) => app.logger.error({ err: error }, 'background jobs did not stop cleanly'));
    });
}
