/**
 * Backup and restore use cases (`paperboy backup`, `paperboy restore`): SQLite only, where
 * Paperboy owns the file; PostgreSQL deployments use pg_dump and pg_restore, and are told so.
 */
import type { Config } from '../../config/config.js';
import { AppError } from '../../domain/errors.js';
import type { Db } from '../../store/database.js';
import { backupSqlite, restoreSqlite } from '../../store/sqlite-backup.js';

export const POSTGRES_BACKUP_RECIPE =
  'PostgreSQL: back up with `pg_dump --format=custom --file=paperboy.dump "$DATABASE_URL"` (consistent while serving) and restore into an empty database with `pg_restore --no-owner --dbname="$DATABASE_URL" paperboy.dump` (see the README, "Operations").';

export function backupDatabase(db: Db, file: string): Promise<{ bytes: number }> {
  if (db.dialect !== 'sqlite') throw new AppError('not_supported', POSTGRES_BACKUP_RECIPE);
  return backupSqlite(db, file);
}

/** Run with the server stopped; opens nothing but the files. */
export function restoreDatabase(file: string, config: Pick<Config, 'database' | 'searchIndexDir'>): Promise<{ replaced: string | null; bytes: number; target: string }> {
  const database = config.database;
  if (database.dialect !== 'sqlite' || database.file === ':memory:') throw new AppError('not_supported', POSTGRES_BACKUP_RECIPE);
  return restoreSqlite(file, { databaseFile: database.file, searchIndexDir: config.searchIndexDir }).then((r) => ({ ...r, target: database.file }));
}
