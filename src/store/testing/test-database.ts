/**
 * Fresh, migrated databases for integration specs: a temporary SQLite file, or a private
 * schema in the test PostgreSQL server. `forEachDialect` runs one spec on every enabled dialect.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { readTestSettings } from '../../config/test-settings.js';
import { openDatabase, type Db, type Dialect } from '../database.js';
import { migrateToLatest } from '../migrate.js';

/** Advisory lock key shared by every spec process: see createTestDb. */
const SCHEMA_DDL_LOCK = 7_212_026;

export interface TestDb extends Db {
  /** A DATABASE_URL-style description, for spawning CLI processes against the same data. */
  readonly url: string;
  readonly pgSchema: string | undefined;
  destroy(): Promise<void>;
}

export const testSettings = readTestSettings(process.env);

export async function createTestDb(dialect: Dialect): Promise<TestDb> {
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-test-'));
    const file = path.join(dir, 'test.db');
    const db = openDatabase({ dialect: 'sqlite', file, url: `sqlite:${file}` });
    await migrateToLatest(db);
    return { ...db, url: `sqlite:${file}`, pgSchema: undefined, destroy: async () => { await db.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
  }
  const schema = `pb_test_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testSettings.postgresUrl });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(`PostgreSQL is not reachable at ${testSettings.postgresUrl}; run the suite with "npm test" (it starts one) or set PAPERBOY_TEST_DIALECTS=sqlite. (${(error as Error).message})`);
  }
  await admin.query(`CREATE SCHEMA ${schema}`);
  const db = openDatabase({ dialect: 'postgres', url: testSettings.postgresUrl }, { pgSchema: schema, poolSize: 5 });
  try {
    // Kysely's migrator lists the tables of every schema, and PostgreSQL fails that listing when a
    // schema it saw is dropped meanwhile: migrations share this lock, dropping a spec's schema
    // takes it alone, so specs running in parallel processes never race.
    await admin.query('SELECT pg_advisory_lock_shared($1)', [SCHEMA_DDL_LOCK]);
    await migrateToLatest(db);
  } finally {
    await admin.end();
  }
  const url = `${testSettings.postgresUrl}${testSettings.postgresUrl.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  return {
    ...db,
    url,
    pgSchema: schema,
    destroy: async () => {
      await db.close();
      const c = new pg.Client({ connectionString: testSettings.postgresUrl });
      await c.connect();
      try {
        await c.query('SELECT pg_advisory_lock($1)', [SCHEMA_DDL_LOCK]);
        await c.query(`DROP SCHEMA ${schema} CASCADE`);
      } finally {
        await c.end();
      }
    },
  };
}

/** The dialects this run covers. */
export function enabledDialects(): Dialect[] {
  return testSettings.dialects;
}
