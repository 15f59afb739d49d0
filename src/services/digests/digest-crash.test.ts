/**
 * Crash safety of digest sending, on every enabled dialect: 1,000 subscribers are due; the
 * sending worker (`paperboy digest run` in a child process) is killed with SIGKILL right after
 * the SMTP server (a real one, on loopback, which stores a message when end-of-data arrives, even
 * if the connection closes right after as the sender dies, and does not deduplicate) has received
 * N messages; it is killed again in the second run; the third run finishes. No subscriber may
 * get two digests, and every other one exactly one, except a digest whose hand-off a kill cut
 * between its ledger commit and its end-of-data write: SMTP cannot make that instant atomic, the
 * sender chose a miss over a duplicate there, and the ledger must flag it in doubt.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { firstPeriodAfter, type Schedule } from '../../domain/digest-period.js';
import { emptyPaperRecord, type IngestItem } from '../../domain/paper.js';
import { startSmtpSink, type SmtpSink } from '../../mail/testing/smtp-sink.js';
import { countDeliveriesByStatus } from '../../store/delivery.repository.js';
import { upsertPapers } from '../../store/paper.repository.js';
import { confirmSubscription, insertSubscriptionIfAbsent } from '../../store/subscription.repository.js';
import { createTestDb, enabledDialects, type TestDb } from '../../store/testing/test-database.js';
import { repoRoot } from '../../cli/testing/run-cli.js';

const SUBSCRIBERS = 1000;
/** Kill points (messages received by the server); `DIGEST_CRASH_KILLS=a,b` varies them in stress runs. */
const [KILL_1, KILL_2] = (process.env.DIGEST_CRASH_KILLS ?? '137,600').split(',').map(Number) as [number, number];

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function digestRun(env: Record<string, string>, now: string, onSpawn: (child: ChildProcess) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'src/cli-entry.ts'), 'digest', 'run', '--now', now, '--json'], {
      cwd: repoRoot,
      env: { ...process.env, LOG_LEVEL: 'error', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    onSpawn(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

async function seed(db: TestDb): Promise<void> {
  const papers: IngestItem[] = Array.from({ length: 20 }, (_, i) => ({
    kind: 'paper',
    datestamp: null,
    paper: { ...emptyPaperRecord(`2406.${String(20000 + i)}`), title: `Paper ${i} on $\\alpha$-graphs`, abstract: `Abstract ${i}. ${'Words and more words. '.repeat(30)}`, authors: [{ name: 'Ada Lovelace' }], categories: ['cs.LG'], publishedAt: `2024-06-09T${String(i).padStart(2, '0')}:00:00Z` },
  }));
  await db.kysely.transaction().execute((trx) => upsertPapers(trx, papers));
  const setup = new Date('2024-06-09T12:00:00Z');
  // Several time zones, all due by 08:05 UTC on 2024-06-10.
  const schedules: Schedule[] = [
    { frequency: 'daily', localHour: 8, timeZone: 'UTC' },
    { frequency: 'daily', localHour: 9, timeZone: 'Europe/Berlin' },
    { frequency: 'daily', localHour: 3, timeZone: 'America/New_York' },
    { frequency: 'daily', localHour: 17, timeZone: 'Asia/Tokyo' },
  ];
  await db.kysely.transaction().execute(async (trx) => {
    for (let i = 0; i < SUBSCRIBERS; i++) {
      const schedule = schedules[i % schedules.length]!;
      const publicKey = randomBytes(16).toString('base64url');
      await insertSubscriptionIfAbsent(trx, { publicKey, email: `reader${i}@example.org`, listKey: 'trending', list: { kind: 'trending' }, schedule }, setup.toISOString());
      await confirmSubscription(trx, publicKey, firstPeriodAfter(schedule, setup).dueAt.toISOString(), setup.toISOString());
    }
  });
}

describe.each(enabledDialects())('digest sending survives SIGKILL on %s', (dialect) => {
  let db: TestDb | undefined;
  let sink: SmtpSink | undefined;
  afterEach(async () => {
    await sink?.close();
    await db?.destroy();
  });

  it(`never sends a digest twice to ${SUBSCRIBERS} subscribers across two kills, and loses one only in the hand-off window`, { timeout: 180_000 }, async () => {
    db = await createTestDb(dialect);
    await seed(db);

    let child: ChildProcess | undefined;
    let killAt = KILL_1;
    const killedAfter: number[] = [];
    sink = await startSmtpSink({
      keepMessages: false,
      onMessage: (_m, count) => {
        // The message is stored; the 250 reply has not been written yet.
        if (count === killAt && child && child.exitCode === null) {
          child.kill('SIGKILL');
          killedAfter.push(count);
        }
      },
    });
    const env = {
      DATABASE_URL: db.url,
      SMTP_URL: sink.url,
      MAIL_FROM: 'Paperboy <digest@papers.example.org>',
      PUBLIC_URL: 'https://papers.example.org',
      TOKEN_SECRET: 'crash-test-secret-0123456789abcdefghij',
      SMTP_MAX_CONNECTIONS: '4',
      DIGEST_RATE_LIMIT: '0',
      DIGEST_LEASE_SECONDS: '2',
    };

    const first = await digestRun(env, '2024-06-10T08:05:00Z', (c) => (child = c));
    expect(first.signal, first.stderr).toBe('SIGKILL');
    const afterFirst = await countDeliveriesByStatus(db.kysely, 'digest');
    // The killed worker left claimed deliveries behind.
    expect(afterFirst.sending + afterFirst.pending).toBeGreaterThan(0);

    killAt = KILL_2;
    const second = await digestRun(env, '2024-06-10T08:06:00Z', (c) => (child = c));
    expect(second.signal, second.stderr).toBe('SIGKILL');

    const third = await digestRun(env, '2024-06-10T08:07:00Z', (c) => (child = c));
    expect(third.code, third.stderr).toBe(0);
    const summary = JSON.parse(third.stdout) as { enqueued: number; sent: number; recovered: number; inDoubt: number };
    expect(summary.enqueued).toBe(0);

    const perRecipient = sink.countsByRecipient();
    const duplicates = [...perRecipient].filter(([, n]) => n > 1).map(([address]) => address);
    const missing = Array.from({ length: SUBSCRIBERS }, (_, i) => `reader${i}@example.org`).filter((a) => !perRecipient.has(a));
    // The ledger rows of the recipients concerned say which path lost or repeated them.
    const concerned = [...missing, ...duplicates];
    const rows = concerned.length === 0 ? [] : (await sql<Record<string, unknown>>`SELECT s.email, d.status, d.attempts, d.in_doubt, d.handed_off_at, d.accepted_at, d.last_error FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id WHERE s.email IN (${sql.join(concerned)})`.execute(db.kysely)).rows;
    // Never a second copy.
    expect(duplicates, JSON.stringify(rows)).toEqual([]);
    // A loss only where SMTP leaves no choice (digest-sender.service.ts): a kill landing between a
    // hand-off's commit and its end-of-data write, microseconds with one hand-off at a time, so at
    // most one per kill, and the ledger flags it in doubt (sent, no 250 read) for the operator.
    // The kill here follows the server's receipt of a message, when the sender is often in the
    // middle of the next hand-off, so this test meets that window far more often than a crash at
    // a random moment would (about one run in forty on a loaded machine).
    expect(missing.length, JSON.stringify(rows)).toBeLessThanOrEqual(killedAfter.length);
    for (const row of rows) expect(row, 'a missing digest is recorded as sent, in doubt').toMatchObject({ status: 'sent', in_doubt: 1, accepted_at: null });
    expect(sink.count()).toBe(SUBSCRIBERS - missing.length);
    expect(killedAfter).toEqual([KILL_1, KILL_2]);
    const ledger = await countDeliveriesByStatus(db.kysely, 'digest');
    expect(ledger).toMatchObject({ sent: SUBSCRIBERS, pending: 0, sending: 0, failed: 0 });
    expect(ledger.inDoubt).toBeGreaterThanOrEqual(missing.length);
    // What the kills left in doubt (released end-of-data, no 250 read), for the report.
    process.stdout.write(`[crash test ${dialect}] killed after ${killedAfter.join(' and ')} messages; in doubt ${ledger.inDoubt}; lost in the hand-off window ${missing.length}; third run recovered ${summary.recovered} and sent ${summary.sent}\n`);
  });
});
