/**
 * Kysely's SQLite driver prepares every statement anew, which costs more than running the small
 * reads behind a request. This wraps the better-sqlite3 handle Kysely is given so `prepare`
 * returns an already prepared statement for SQL it has seen (a bounded LRU). A statement that is
 * busy (a stream still iterating it) is never handed out twice: a fresh one is prepared instead.
 * Statements are tied to the schema they were prepared on; SQLite re-prepares them itself after
 * a schema change (migrations), so they stay valid.
 */
import type SQLite from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

export function withStatementCache(db: SQLite.Database, maxStatements = 500): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => db.close(),
    prepare(sql: string) {
      const hit = cache.get(sql);
      if (hit && !hit.busy) {
        cache.delete(sql);
        cache.set(sql, hit);
        return hit;
      }
      const statement = db.prepare(sql);
      if (!hit) {
        if (cache.size >= maxStatements) cache.delete(cache.keys().next().value as string);
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}
