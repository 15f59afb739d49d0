/**
 * Power-loss durability of the delivery ledger on SQLite, without an fsync on the event loop per
 * message.
 *
 * A commit in WAL mode is visible to the next process as soon as its frames are written to the
 * WAL (before any fsync): a process crash loses nothing the sender committed. A power loss loses
 * what was not fsynced yet. With synchronous=FULL every commit waits for its own fsync, on the
 * event loop (better-sqlite3 is synchronous), 1-10 ms each on a busy disk: one per message was
 * most of a digest run's time. So the sender's ledger writes run with synchronous=NORMAL (claims
 * through `relaxed`, the per-message statements on a connection of their own), and
 * what must be on disk before a message may leave is made durable by `sync()`: an fsync of the
 * WAL on libuv's thread pool, shared by every commit made before it (group commit), while the
 * event loop goes on building and streaming other messages. The rest of the application keeps
 * synchronous=FULL (store/database.ts): `relaxed` sets NORMAL only around its own statements.
 *
 * What a power loss may then forget, and why that never duplicates a message, is the recovery
 * rule in delivery.repository.ts (release intents carry the boot id).
 * PostgreSQL commits are durable when acknowledged (synchronous_commit = on): mode `none`.
 * `withFullSync` is for the rare writes whose loss would break a promise made to a person
 * (an unsubscribe) when a connection runs with NORMAL.
 */
import fs from 'node:fs';
import os from 'node:os';
import SQLite from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import { INTENT_MARK, handOffDelivery, prepareHandOff, type PreparedHandOff, markAccepted as markAcceptedWithBuilder, recordReleaseIntents as recordReleaseIntentsWithBuilder } from './delivery.repository.js';
import { dialectOf } from './migrations/dialect-helpers.js';
import type { Database } from './schema.js';

/** The sender's per-message ledger writes, and what makes them durable. */
export interface LedgerSync {
  /** `wal-fsync`: SQLite, ledger writes relaxed and made durable by `sync()`; `none`: every commit is durable. */
  readonly mode: 'wal-fsync' | 'none';
  /** This machine's boot, recorded with release intents (undefined in mode `none`). */
  readonly bootId: string | undefined;
  /** Resolves once everything committed before the call is on disk. */
  sync(): Promise<void>;
  /** Runs `fn` on one connection with synchronous=NORMAL (mode `wal-fsync`), or as it is. */
  relaxed<T>(fn: (conn: Kysely<Database>) => Promise<T>): Promise<T>;
  /** handOffDelivery (delivery.repository.ts), relaxed; `afterCommit` runs synchronously after the commit. */
  handOff(item: { id: number; messageId: string }, token: string, now: string, afterCommit: (handedOff: boolean) => void): Promise<boolean>;
  /** prepareHandOff (delivery.repository.ts); its `commit` is `handOff`'s instant part. */
  prepareHandOff(item: { id: number; messageId: string }, token: string, now: string): Promise<PreparedHandOff>;
  /** recordReleaseIntents, relaxed (durable after the next `sync()`); in mode `none` there is nothing to record. */
  recordReleaseIntents(o: { ids: readonly number[]; token: string; owner: string }): Promise<Set<number>>;
  /** markAccepted, relaxed. */
  markAccepted(items: readonly { id: number; response: string }[], token: string, now: string): Promise<void>;
  close(): Promise<void>;
}

function durableCommits(db: Kysely<Database>): LedgerSync {
  return {
    mode: 'none',
    bootId: undefined,
    sync: async () => undefined,
    relaxed: (fn) => fn(db),
    handOff: (item, token, now, afterCommit) => handOffDelivery(db, item, token, now, afterCommit),
    prepareHandOff: (item, token, now) => prepareHandOff(db, item, token, now),
    recordReleaseIntents: async (o) => new Set(o.ids),
    markAccepted: (items, token, now) => markAcceptedWithBuilder(db, items, token, now),
    close: async () => undefined,
  };
}

/**
 * Identifies this boot of this machine: a release intent recorded under another boot may have
 * lost its hand-off to a power loss. Linux has a random id per boot; elsewhere the boot time
 * (to the minute) stands in: a mismatch only makes recovery more careful (in doubt, not resent).
 */
export function currentBootId(): string {
  let id: string;
  try {
    id = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    id = `boot-${os.hostname()}-${Math.round((Date.now() / 1000 - os.uptime()) / 60)}`;
  }
  // Plain characters only: it is matched with LIKE.
  return id.replace(/[^A-Za-z0-9.-]/g, '-');
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  // Extended codes too (SQLITE_BUSY_SNAPSHOT, SQLITE_LOCKED_SHAREDCACHE, ...).
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

export async function openLedgerSync(db: Kysely<Database>): Promise<LedgerSync> {
  if (dialectOf(db) !== 'sqlite') return durableCommits(db);
  const journal = await sql<{ journal_mode: string }>`PRAGMA journal_mode`.execute(db);
  const files = await sql<{ name: string; file: string }>`PRAGMA database_list`.execute(db);
  const main = files.rows.find((r) => r.name === 'main')?.file;
  // The -wal file exists while a connection is open in WAL mode and is reused, not replaced.
  // Without one (an in-memory database) there is nothing to make durable.
  const file = journal.rows[0]?.journal_mode === 'wal' && main ? await fs.promises.open(`${main}-wal`, 'r+').catch(() => undefined) : undefined;
  if (!file || !main) return durableCommits(db);

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
  // 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA: the level the application runs with, restored after each use.
  const level = Number((await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(db)).rows[0]?.synchronous ?? 1);
  const relaxed = <T>(fn: (conn: Kysely<Database>) => Promise<T>): Promise<T> =>
    level <= 1
      ? fn(db)
      : db.connection().execute(async (conn) => {
          await sql`PRAGMA synchronous = NORMAL`.execute(conn);
          try {
            return await fn(conn);
          } finally {
            await sql.raw(`PRAGMA synchronous = ${level}`).execute(conn);
          }
        });
  const bootId = currentBootId();

  // The per-message writes go through a connection of their own with synchronous=NORMAL and
  // statements prepared once: through the query builder each one was compiled, prepared and
  // wrapped in two PRAGMA switches per call, a third of a message's cost. Raw SQL, the same
  // statements as the builder's in delivery.repository.ts. Both connections live on one thread,
  // so this one never waits for a lock (busy_timeout 0): if the other holds a write transaction
  // across an await, or another process writes, the builder's path (which waits) takes over.
  const own = new SQLite(main, { fileMustExist: true });
  own.pragma('synchronous = NORMAL');
  own.pragma('busy_timeout = 0');
  const handOffStmt = own.prepare<[string, string, number, string]>(`UPDATE deliveries SET status = 'sent', handed_off_at = ?, message_id = ? WHERE id = ? AND lease_token = ? AND status = 'sending'`);
  const intentStmt = own.prepare<[string, string, string]>(`UPDATE deliveries SET lease_owner = ? WHERE id IN (SELECT value FROM json_each(?)) AND lease_token = ? AND status = 'sending' RETURNING id`);
  const acceptStmt = own.prepare<[string, string, string, number, string]>(
    `UPDATE deliveries SET accepted_at = ?, finished_at = ?, smtp_response = ?, lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL WHERE id = ? AND lease_token = ? AND status = 'sent'`,
  );
  const acceptAll = own.transaction((items: readonly { id: number; response: string }[], token: string, now: string) => {
    for (const item of items) acceptStmt.run(now, now, item.response.slice(0, 500), item.id, token);
  });

  const ledger: LedgerSync = {
    mode: 'wal-fsync',
    bootId,
    sync,
    relaxed,
    // One writer: nothing to do ahead; the UPDATE commits in `commit`.
    prepareHandOff: (item, token, now) => Promise.resolve({ ready: true, commit: (afterCommit) => ledger.handOff(item, token, now, afterCommit) }),
    handOff(item, token, now, afterCommit) {
      let changes: number;
      try {
        changes = handOffStmt.run(now, item.messageId, item.id, token).changes;
      } catch (error) {
        if (!isBusy(error)) return Promise.reject(error);
        return relaxed((conn) => handOffDelivery(conn, item, token, now, afterCommit));
      }
      afterCommit(changes > 0);
      return Promise.resolve(changes > 0);
    },
    recordReleaseIntents(o) {
      const owner = `${o.owner}${INTENT_MARK}${bootId}`;
      try {
        const rows = intentStmt.all(owner, JSON.stringify(o.ids), o.token) as { id: number }[];
        return Promise.resolve(new Set(rows.map((r) => Number(r.id))));
      } catch (error) {
        if (!isBusy(error)) return Promise.reject(error);
        return relaxed((conn) => recordReleaseIntentsWithBuilder(conn, { ...o, bootId }));
      }
    },
    markAccepted(items, token, now) {
      if (items.length === 0) return Promise.resolve();
      try {
        acceptAll(items, token, now);
        return Promise.resolve();
      } catch (error) {
        if (!isBusy(error)) return Promise.reject(error);
        return relaxed((conn) => markAcceptedWithBuilder(conn, items, token, now));
      }
    },
    close: async () => {
      own.close();
      await file.close();
    },
  };
  return ledger;
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
