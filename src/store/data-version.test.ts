import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDatabase } from './database.js';
import { dataVersionReader, readDataVersion } from './data-version.js';
import { createTestDb, enabledDialects, type TestDb } from './testing/test-database.js';

const writeCounter = (db: { kysely: TestDb['kysely'] }, name: string) => db.kysely.insertInto('counters').values({ name, value: 1 }).execute();

describe.each(enabledDialects())('data version on %s', (dialect) => {
  let db: TestDb;
  beforeEach(async () => {
    db = await createTestDb(dialect);
  });
  afterEach(async () => {
    await db.destroy();
  });

  it('reads the same token through the per-request reader as through a query', async () => {
    const read = dataVersionReader(db);
    expect(await read()).toBe(await readDataVersion(db));
    await writeCounter(db, 'c');
    expect(await read()).toBe(await readDataVersion(db));
  });

  it('moves when this connection commits a write', async () => {
    const before = await readDataVersion(db);
    await writeCounter(db, 'a');
    expect(await readDataVersion(db)).not.toBe(before);
  });

  it('moves when another connection commits, including a transaction open while it was read', async () => {
    const other = dialect === 'sqlite' ? openDatabase({ dialect: 'sqlite', file: db.url.slice('sqlite:'.length), url: db.url }) : openDatabase({ dialect: 'postgres', url: db.url.split('?')[0]! }, { pgSchema: db.pgSchema!, poolSize: 1 });
    try {
      if (dialect === 'postgres') {
        // Read while the other transaction holds an uncommitted write, then again after it commits.
        let during = '';
        await other.kysely.transaction().execute(async (trx) => {
          await trx.insertInto('counters').values({ name: 'b', value: 1 }).execute();
          during = await readDataVersion(db);
        });
        expect(await readDataVersion(db)).not.toBe(during);
      } else {
        const before = await readDataVersion(db);
        await writeCounter(other, 'b');
        expect(await readDataVersion(db)).not.toBe(before);
      }
    } finally {
      await other.close();
    }
  });

  it.runIf(dialect === 'sqlite')('stays put while nothing is written (SQLite: nothing else shares the file)', async () => {
    const before = await readDataVersion(db);
    await sql`select count(*) from papers`.execute(db.kysely);
    expect(await readDataVersion(db)).toBe(before);
  });
});
