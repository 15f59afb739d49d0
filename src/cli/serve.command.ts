/** `paperboy serve`: the web server, plus the in-process harvest scheduler when sets are configured. */
import { serve } from '@hono/node-server';
import { InvalidArgumentError, type Command } from 'commander';
import { createWebApp } from '../web/web-app.js';
import type { CliContext } from './cli-context.js';

export function registerServeCommand(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('Start the web server (and the scheduled arXiv harvest when HARVEST_SETS is set).')
    .option('-p, --port <port>', 'port to listen on (default: PORT or 3000)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`--port must be an integer between 0 and 65535, got "${v}"`);
      return n;
    })
    .action(async (opts: { port?: number }) => {
      const app = await ctx.openApp(opts.port === undefined ? {} : { port: opts.port });
      const web = createWebApp({ services: app.services, logger: app.logger });
      const stopJobs = app.startBackgroundJobs();
      if ((await app.services.countPapers()) === 0 && app.config.harvest.sets.length === 0) {
        ctx.stdout.write('The database has no papers yet: import arXiv files with "node bin/paperboy.js import FILE..." or set HARVEST_SETS (e.g. cs:cs:AI) to harvest arXiv.\n');
      }
      await new Promise<void>((resolve) => {
        const server = serve({ fetch: web.fetch, port: app.config.port, hostname: app.config.host }, (info) => {
          app.logger.info({ url: `http://${info.address}:${info.port}` }, 'paperboy is serving');
          ctx.stdout.write(`Paperboy is running at http://${app.config.host === '0.0.0.0' ? 'localhost' : info.address}:${info.port}\n`);
        });
        const shutdown = () => {
          app.logger.info('shutting down');
          server.close(() => {
            stopJobs().then(resolve, resolve);
          });
        };
        process.once('SIGINT', shutdown);
        process.once('SIGTERM', shutdown);
      });
    });
}
