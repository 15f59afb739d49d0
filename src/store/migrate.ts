/** Runs pending migrations and reports what ran; a failure names the migration. */
import { Migrator, sql, type MigrationProvider } from 'kysely';
import { AppError } from '../domain/errors.js';
import type { Db } from './database.js';
import { migrations } from './migrations/index.js';

const provider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * PostgreSQL errors (undefined schema, table, column) that Kysely's look-up of its bookkeeping
 * tables hits when another client drops or alters a schema while it runs: the look-up reads the
 * columns of every schema in the database, so another schema vanishing mid-query (parallel test
 * runs each drop their own) makes it fail although nothing is wrong with ours.
 */
const RACED_INTROSPECTION = new Set(['3F000', '42P01', '42703']);

export async function migrateToLatest(db: Db): Promise<string[]> {
  // Kysely looks for its bookkeeping tables in every schema it can see; on PostgreSQL pin them to
  // the schema this connection writes to, or another schema's tables would be mistaken for ours.
  const schema = db.dialect === 'postgres' ? (await sql<{ s: string }>`select current_schema() as s`.execute(db.kysely)).rows[0]?.s : undefined;
  const migrator = new Migrator({
    db: db.kysely,
    provider,
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  let outcome = await migrator.migrateToLatest();
  // No results: it failed before running any migration, so trying again is safe.
  for (let attempt = 1; attempt < 4 && db.dialect === 'postgres' && outcome.error && !outcome.results && RACED_INTROSPECTION.has(String((outcome.error as { code?: unknown }).code)); attempt++) {
    outcome = await migrator.migrateToLatest();
  }
  const { error, results } = outcome;
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    throw new AppError('migration_failed', `Migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message ?? String(error)}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
