/**
 * Opens the Kysely database for the configured dialect. SQLite runs in WAL mode with a busy
 * timeout so the web server and a CLI import can share one file; PostgreSQL uses a pool.
 */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../config/config.js';
import type { Database } from './schema.js';
import { withStatementCache } from './sqlite-statement-cache.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Db {
  readonly kysely: Kysely<Database>;
  readonly dialect: Dialect;
  /** SQLite only: the open file, for what Kysely does not offer (a prepared read per request, online backup). */
  readonly sqlite?: SQLite.Database;
  close(): Promise<void>;
}

// pg returns int8 (bigint) as string by default; our sequences and counts fit in a JS number.
pg.types.setTypeParser(20, (v) => Number(v));

export function openDatabase(config: DatabaseConfig, options: { pgSchema?: string; poolSize?: number } = {}): Db {
  if (config.dialect === 'sqlite') {
    if (config.file !== ':memory:') fs.mkdirSync(path.dirname(config.file), { recursive: true });
    const sqlite = new SQLite(config.file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
    // FULL: votes and the digest delivery ledger must survive a power loss, not only a crash.
    // Imports commit once per file, so the extra fsync per commit costs them little.
    sqlite.pragma('synchronous = FULL');
    const kysely = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
    return { kysely, dialect: 'sqlite', sqlite, close: () => kysely.destroy() };
  }
  const pool = new pg.Pool({
    connectionString: config.url,
    max: options.poolSize ?? 10,
    ...(options.pgSchema ? { options: `-c search_path=${options.pgSchema}` } : {}),
  });
  const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { kysely, dialect: 'postgres', close: () => kysely.destroy() };
}
