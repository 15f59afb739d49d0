/**
 * Power-loss durability of the delivery ledger's hand-offs on SQLite. A hand-off must be on disk
 * before its message can be delivered: a power loss that forgot it would get the message sent
 * again.
 * - With synchronous=FULL (what store/database.ts sets) every commit is fsynced before it returns
 *   (and before other connections can see it): nothing to add, `sync()` is a no-op.
 * - With synchronous=NORMAL a commit reaches only the OS. Then `sync()` fsyncs the WAL on libuv's
 *   thread pool after the hand-off, shared by every commit before it (group commit), without
 *   blocking the event loop between the commit and the release of end-of-data; a power loss can
 *   forget at most the hand-offs released since the last completed sync (sent again, never lost).
 * PostgreSQL commits are durable when acknowledged (synchronous_commit = on): no-op as well.
 * `withFullSync` is for the rare writes whose loss would break a promise made to a person
 * (an unsubscribe) when the connection runs with NORMAL.
 */
import fs from 'node:fs';
import { sql, type Kysely } from 'kysely';
import { dialectOf } from './migrations/dialect-helpers.js';
import type { Database } from './schema.js';

export interface LedgerSync {
  readonly mode: 'wal-fsync' | 'none';
  /** Resolves once everything committed before the call is on disk. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

const NO_SYNC: LedgerSync = { mode: 'none', sync: async () => undefined, close: async () => undefined };

export async function openLedgerSync(db: Kysely<Database>): Promise<LedgerSync> {
  if (dialectOf(db) !== 'sqlite') return NO_SYNC;
  // 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA: from FULL on, every commit is already on disk.
  const synchronous = await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(db);
  if (Number(synchronous.rows[0]?.synchronous ?? 0) >= 2) return NO_SYNC;
  const journal = await sql<{ journal_mode: string }>`PRAGMA journal_mode`.execute(db);
  const files = await sql<{ name: string; file: string }>`PRAGMA database_list`.execute(db);
  const main = files.rows.find((r) => r.name === 'main')?.file;
  // The -wal file exists while a connection is open in WAL mode and is reused, not replaced.
  // Without one (an in-memory database) there is nothing to make durable.
  const file = journal.rows[0]?.journal_mode === 'wal' && main ? await fs.promises.open(`${main}-wal`, 'r+').catch(() => undefined) : undefined;
  if (!file) return NO_SYNC;

  let running: Promise<void> | null = null;
  let next: Promise<void> | null = null;
  const sync = (): Promise<void> => {
    if (!running) {
      running = file.sync().finally(() => {
        running = null;
      });
      return running;
    }
    // The fsync in flight may have started before the caller's commit: wait for the next one,
    // which every caller arriving meanwhile shares.
    next ??= running.then(
      () => ((next = null), sync()),
      () => ((next = null), sync()),
    );
    return next;
  };
  return { mode: 'wal-fsync', sync, close: () => file.close() };
}

/** Runs `fn` on one connection with synchronous=FULL on SQLite: its commits are on disk when it returns. */
export async function withFullSync<T>(db: Kysely<Database>, fn: (conn: Kysely<Database>) => Promise<T>): Promise<T> {
  if (dialectOf(db) !== 'sqlite') return fn(db);
  // Restores the connection's own level afterwards (FULL stays FULL).
  const before = Number((await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(db)).rows[0]?.synchronous ?? 1);
  if (before >= 2) return fn(db);
  return db.connection().execute(async (conn) => {
    await sql`PRAGMA synchronous = FULL`.execute(conn);
    try {
      return await fn(conn);
    } finally {
      await sql`PRAGMA synchronous = NORMAL`.execute(conn);
    }
  });
}
