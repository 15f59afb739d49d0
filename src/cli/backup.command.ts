/**
 * `paperboy backup FILE` and `paperboy restore FILE`. SQLite: an online backup (safe while the
 * server runs) and a checked restore that keeps the database it replaces. PostgreSQL: pg_dump and
 * pg_restore do this better than Paperboy could; the command says how and exits with 64.
 */
import type { Command } from 'commander';
import { AppError } from '../domain/errors.js';
import { backupSqlite, restoreSqlite } from '../store/sqlite-backup.js';
import type { CliContext } from './cli-context.js';

const PG_BACKUP = 'PostgreSQL: back up with `pg_dump --format=custom --file=paperboy.dump "$DATABASE_URL"` (consistent while serving) and restore into an empty database with `pg_restore --no-owner --dbname="$DATABASE_URL" paperboy.dump` (see the README, "Backups").';

export function registerBackupCommands(program: Command, ctx: CliContext): void {
  program
    .command('backup')
    .description('Copy the SQLite database to FILE, consistently, while the server keeps running (PostgreSQL: use pg_dump, see the README).')
    .argument('<file>', 'where to write the backup; must not exist yet')
    .action(async (file: string) => {
      if (ctx.config().database.dialect !== 'sqlite') throw new AppError('not_supported', PG_BACKUP);
      const app = await ctx.openApp();
      const started = performance.now();
      const { bytes } = await backupSqlite(app.db, file);
      ctx.stdout.write(`backed up ${(bytes / 1e6).toFixed(1)} MB to ${file} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    });
  program
    .command('restore')
    .description('Replace the SQLite database by a backup FILE, after checking it; the replaced database is kept beside it. Stop the server first.')
    .argument('<file>', 'a file written by `paperboy backup`')
    .action(async (file: string) => {
      const config = ctx.config();
      if (config.database.dialect !== 'sqlite' || config.database.file === ':memory:') throw new AppError('not_supported', PG_BACKUP);
      const { replaced, bytes } = await restoreSqlite(file, { databaseFile: config.database.file, searchIndexDir: config.searchIndexDir });
      ctx.stdout.write(`restored ${(bytes / 1e6).toFixed(1)} MB into ${config.database.file}${replaced ? `; the database it replaced is kept as ${replaced}` : ''}; the search index is rebuilt at the next start\n`);
    });
}
