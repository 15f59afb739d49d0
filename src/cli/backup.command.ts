/**
 * `paperboy backup FILE` and `paperboy restore FILE`. SQLite: an online backup (safe while the
 * server runs) and a checked restore that keeps the database it replaces. PostgreSQL: pg_dump and
 * pg_restore do this better than Paperboy could; the command says how and exits with 64.
 */
import type { Command } from 'commander';
import { AppError } from '../domain/errors.js';
import { backupDatabase, POSTGRES_BACKUP_RECIPE, restoreDatabase } from '../services/operations/backup.service.js';
import type { CliContext } from './cli-context.js';

export function registerBackupCommands(program: Command, ctx: CliContext): void {
  program
    .command('backup')
    .description('Copy the SQLite database to FILE, consistently, while the server keeps running (PostgreSQL: use pg_dump, see the README).')
    .argument('<file>', 'where to write the backup; must not exist yet')
    .action(async (file: string) => {
      // Told before the database is opened (and migrated) for nothing.
      if (ctx.config().database.dialect !== 'sqlite') throw new AppError('not_supported', POSTGRES_BACKUP_RECIPE);
      const app = await ctx.openApp();
      const started = performance.now();
      const { bytes } = await backupDatabase(app.db, file);
      ctx.stdout.write(`backed up ${(bytes / 1e6).toFixed(1)} MB to ${file} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    });
  program
    .command('restore')
    .description('Replace the SQLite database by a backup FILE, after checking it; the replaced database is kept beside it. Stop the server first.')
    .argument('<file>', 'a file written by `paperboy backup`')
    .action(async (file: string) => {
      const { replaced, bytes, target } = await restoreDatabase(file, ctx.config());
      ctx.stdout.write(`restored ${(bytes / 1e6).toFixed(1)} MB into ${target}${replaced ? `; the database it replaced is kept as ${replaced}` : ''}; the search index is rebuilt at the next start\n`);
    });
}
