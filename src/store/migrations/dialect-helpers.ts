/**
 * The one place where SQLite and PostgreSQL schema differences live, so migrations read the
 * same on both dialects.
 */
import type { CreateTableBuilder, Kysely } from 'kysely';

export type MigrationDialect = 'sqlite' | 'postgres';

/** Detects the dialect from the adapter Kysely was built with. */
export function dialectOf(db: Kysely<any>): MigrationDialect {
  return db.getExecutor().adapter.constructor.name.toLowerCase().includes('postgres') ? 'postgres' : 'sqlite';
}

/** Adds an auto-incrementing integer primary key named `id`. */
export function withIdColumn<T extends string>(db: Kysely<any>, table: CreateTableBuilder<T, any>): CreateTableBuilder<T, any> {
  return dialectOf(db) === 'postgres'
    ? table.addColumn('id', 'bigserial', (c) => c.primaryKey())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

