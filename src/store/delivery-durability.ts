/**
 * Making the delivery ledger's hand-offs survive power loss on SQLite without widening the
 * crash window.
 *
 * A hand-off (`sending` -> `sent`) is visible to a restarted process the moment it commits (the
 * WAL frames are in the OS page cache), whatever `synchronous` says: synchronous=FULL only adds an
 * fsync before the commit returns. For a *process* crash (SIGKILL, OOM, deploy) the dangerous
 * window is between that commit and the write of SMTP end-of-data: dying inside it leaves a
 * delivery recorded as sent that the server never got. With FULL the fsync (about 0.5 ms on this
 * machine's disk, blocking the event loop) sits inside that window; without it the window is a few
 * JavaScript ticks. So hand-offs commit with synchronous=NORMAL, end-of-data is released at once,
 * and `sync()` then fsyncs the WAL on libuv's thread pool, shared by every hand-off committed
 * before it started (group commit). A *power loss* can only forget hand-offs released since the
 * last completed sync, at most the messages in flight at that moment; they are sent again
 * (a duplicate, never a loss). The sender waits for `sync()` before it reports a batch done.
 *
 * Writes whose loss would break a promise made to a person (an unsubscribe) use `withFullSync`.
 * PostgreSQL commits are durable when acknowledged (synchronous_commit = on): `sync()` is a no-op.
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
  return db.connection().execute(async (conn) => {
    await sql`PRAGMA synchronous = FULL`.execute(conn);
    try {
      return await fn(conn);
    } finally {
      await sql`PRAGMA synchronous = NORMAL`.execute(conn);
    }
  });
}
