/**
 * A token that changes whenever committed data may have changed, read in one cheap statement:
 * response caches key on it, so a new paper, vote or comment is visible on the next request.
 *
 * - SQLite: `data_version` (commits by other connections, e.g. a CLI import) with this
 *   connection's `total_changes()` (its own writes; the server has one connection).
 * - PostgreSQL: the current snapshot (`xmin:xmax:in-progress xids`). Two equal snapshots see the
 *   same committed transactions, so equal tokens mean equal data, on every instance at once.
 *
 * Both are coarse (any write to any table moves them, and a rolled-back write may too), which
 * only costs a cache miss; they never stay equal across a committed change.
 */
import { sql } from 'kysely';
import type { Db } from './database.js';

const SQLITE_VERSION = 'select (select data_version from pragma_data_version) as v, total_changes() as t';

/** A reader of the data version for `db`; on SQLite a prepared statement read in microseconds (it runs per request). */
export function dataVersionReader(db: Db): () => Promise<string> {
  if (db.sqlite) {
    const statement = db.sqlite.prepare<[], { v: number; t: number }>(SQLITE_VERSION);
    return async () => {
      const row = statement.get()!;
      return `${row.v}.${row.t}`;
    };
  }
  return () => readDataVersion(db);
}

export async function readDataVersion(db: Db): Promise<string> {
  if (db.dialect === 'sqlite') {
    const row = (await sql<{ v: number; t: number }>`${sql.raw(SQLITE_VERSION)}`.execute(db.kysely)).rows[0]!;
    return `${row.v}.${row.t}`;
  }
  return (await sql<{ s: string }>`select pg_current_snapshot()::text as s`.execute(db.kysely)).rows[0]!.s;
}
