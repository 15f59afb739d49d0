/**
 * Backups of a SQLite database and their restore.
 * - `backupSqlite`: SQLite's online backup API (better-sqlite3), page by page from a consistent
 *   snapshot, so it is safe while `paperboy serve` reads and writes the same file.
 * - `restoreSqlite`: checks that the file is a sound Paperboy database (integrity check, its
 *   migrations table), copies it next to the target, keeps the database it replaces as
 *   `FILE.before-restore-<time>`, and drops the search index snapshot (derived data, rebuilt
 *   at the next start). Run it with the server stopped.
 */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { ValidationError } from '../domain/errors.js';
import type { Db } from './database.js';

export async function backupSqlite(db: Db, file: string): Promise<{ bytes: number }> {
  if (!db.sqlite) throw new ValidationError('Not a SQLite database.');
  if (fs.existsSync(file)) throw new ValidationError(`${file} already exists; choose a new file name (a backup never overwrites).`, { field: 'file' });
  const tmp = `${file}.partial`;
  try {
    await db.sqlite.backup(tmp);
    fs.renameSync(tmp, file);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  return { bytes: fs.statSync(file).size };
}

/** Why `file` is not a restorable Paperboy database, or null when it is one. */
function problemWith(file: string): string | null {
  if (!fs.existsSync(file)) return `${file} does not exist`;
  let source: SQLite.Database | undefined;
  try {
    source = new SQLite(file, { readonly: true, fileMustExist: true });
    const check = source.pragma('integrity_check', { simple: true });
    if (check !== 'ok') return `${file} fails SQLite's integrity check (${String(check)})`;
    const tables = new Set(source.prepare<[], { name: string }>("select name from sqlite_master where type = 'table'").all().map((r) => r.name));
    if (!tables.has('schema_migrations') || !tables.has('papers')) return `${file} is a SQLite database but not a Paperboy one (no schema_migrations or papers table)`;
    return null;
  } catch (error) {
    return `${file} is not a readable SQLite database (${(error as Error).message})`;
  } finally {
    source?.close();
  }
}

export async function restoreSqlite(file: string, target: { databaseFile: string; searchIndexDir: string | null; now?: Date }): Promise<{ replaced: string | null; bytes: number }> {
  const problem = problemWith(file);
  if (problem) throw new ValidationError(`Cannot restore: ${problem}.`, { field: 'file' });
  if (path.resolve(file) === path.resolve(target.databaseFile)) throw new ValidationError('Cannot restore a database onto itself.', { field: 'file' });
  fs.mkdirSync(path.dirname(target.databaseFile), { recursive: true });
  // Copied with the backup API (a consistent copy even if the file is a live database elsewhere).
  const incoming = `${target.databaseFile}.restoring`;
  fs.rmSync(incoming, { force: true });
  const source = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    await source.backup(incoming);
  } finally {
    source.close();
  }
  let replaced: string | null = null;
  if (fs.existsSync(target.databaseFile)) {
    // Fold the current database's write-ahead log in, so the kept copy is whole on its own.
    const current = new SQLite(target.databaseFile, { fileMustExist: true });
    try {
      current.pragma('busy_timeout = 0');
      current.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      current.close();
    }
    replaced = `${target.databaseFile}.before-restore-${(target.now ?? new Date()).toISOString().replace(/[:.]/g, '-')}`;
    fs.renameSync(target.databaseFile, replaced);
  }
  // A log left beside the new file would be replayed onto it.
  for (const suffix of ['-wal', '-shm']) fs.rmSync(`${target.databaseFile}${suffix}`, { force: true });
  fs.renameSync(incoming, target.databaseFile);
  if (target.searchIndexDir) fs.rmSync(target.searchIndexDir, { recursive: true, force: true });
  return { replaced, bytes: fs.statSync(target.databaseFile).size };
}
