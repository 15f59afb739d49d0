/** `paperboy migrate`: applies pending database migrations and says which ran. */
import type { Command } from 'commander';
import type { CliContext } from './cli-context.js';

export function registerMigrateCommand(program: Command, ctx: CliContext): void {
  program
    .command('migrate')
    .description('Apply pending database migrations (other commands also do this on start).')
    .action(async () => {
      const app = await ctx.openApp();
      ctx.stdout.write(`database is at the latest schema (${app.db.dialect})\n`);
    });
}
