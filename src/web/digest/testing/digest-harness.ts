/**
 * Test harness for digests: a fresh database on a dialect, a real SMTP server on loopback, the
 * real app and web app with an adjustable clock, and papers published on given days.
 */
import type { Hono } from 'hono';
import { createApp, type App } from '../../../app.js';
import { buildConfig, type ConfigOverrides } from '../../../config/config.js';
import { emptyPaperRecord, type PaperRecord } from '../../../domain/paper.js';
import type { MailSender } from '../../../mail/smtp.transport.js';
import { startSmtpSink, type SmtpSink, type SmtpSinkOptions } from '../../../mail/testing/smtp-sink.js';
import { createLogger } from '../../../logger.js';
import type { Dialect } from '../../../store/database.js';
import { upsertPapers } from '../../../store/paper.repository.js';
import { createTestDb, type TestDb } from '../../../store/testing/test-database.js';
import { createWebApp } from '../../web-app.js';

export const ORIGIN = 'http://localhost';
export const TEST_SECRET = 'digest-test-secret-0123456789abcdef';

export interface DigestHarness {
  db: TestDb;
  app: App;
  web: Hono;
  sink: SmtpSink;
  /** Current time as the app sees it. */
  now(): Date;
  setNow(iso: string | Date): void;
  advance(ms: number): void;
  close(): Promise<void>;
}

export async function createDigestHarness(
  dialect: Dialect,
  options: { start?: string; sink?: SmtpSinkOptions; digest?: ConfigOverrides['digest']; makeSender?: (smtpUrl: string) => MailSender; /** false: no SMTP_URL (mail goes to the local outbox; the sink stays idle). */ smtp?: boolean } = {},
): Promise<DigestHarness> {
  const db = await createTestDb(dialect);
  const sink = await startSmtpSink(options.sink);
  let now = new Date(options.start ?? '2024-06-01T00:00:00Z');
  const config = buildConfig({
    database: dialect === 'sqlite' ? { dialect: 'sqlite', file: db.url.slice('sqlite:'.length), url: db.url } : { dialect: 'postgres', url: db.url },
    publicUrl: ORIGIN,
    logLevel: 'silent',
    mail: { smtpUrl: options.smtp === false ? null : sink.url, from: 'Paperboy <digest@papers.example.org>' },
    digest: { tokenSecrets: [TEST_SECRET], maxConnections: 2, ratePerSecond: 0, ...options.digest },
  });
  const clock = () => new Date(now.getTime());
  const digests = options.makeSender ? { clock, sender: options.makeSender(sink.url) } : { clock };
  const app = await createApp(config, { db, logger: createLogger('silent'), migrate: false, digests });
  const web = createWebApp({ services: app.services, logger: app.logger, http: app.config.http });
  return {
    db,
    app,
    web,
    sink,
    now: clock,
    setNow: (t) => {
      now = new Date(t);
    },
    advance: (ms) => {
      now = new Date(now.getTime() + ms);
    },
    close: async () => {
      await app.services.digests.close();
      app.services.members.close();
      await sink.close();
      await db.destroy();
    },
  };
}

export function paper(arxivId: string, publishedAt: string, overrides: Partial<PaperRecord> = {}): PaperRecord {
  return {
    ...emptyPaperRecord(arxivId),
    title: `A study of ${arxivId}`,
    abstract: 'We study $\\alpha$-stable things in $\\mathbb{R}^n$.',
    authors: [{ name: 'Ada Lovelace' }, { name: 'Kurt G\\"odel' }],
    categories: ['cs.LG'],
    primaryCategory: 'cs.LG',
    publishedAt,
    latestVersion: 1,
    ...overrides,
  };
}

export async function addPapers(h: DigestHarness, records: PaperRecord[]): Promise<void> {
  await h.db.kysely.transaction().execute((trx) => upsertPapers(trx, records.map((p) => ({ kind: 'paper' as const, paper: p, datestamp: null }))));
}

/** Three papers published on each day from `from` to `to` inclusive. */
export async function addDailyPapers(h: DigestHarness, from: string, to: string): Promise<void> {
  const records: PaperRecord[] = [];
  for (let d = new Date(`${from}T00:00:00Z`); d <= new Date(`${to}T00:00:00Z`); d = new Date(d.getTime() + 86_400_000)) {
    const day = d.toISOString().slice(0, 10);
    const stamp = day.slice(2).replace(/-/g, '').slice(0, 4);
    for (let i = 1; i <= 3; i++) records.push(paper(`${stamp}.${day.slice(8)}${String(i).padStart(3, '0')}`, `${day}T1${i}:00:00Z`, i === 1 ? { title: `Day ${day}: $O(n^2)$ graphs` } : { title: `Day ${day} paper ${i}` }));
  }
  await addPapers(h, records);
}

/** Extracts `/digest/...` paths from a text part. */
export function linkPath(text: string, kind: 'confirm' | 'preferences' | 'unsubscribe'): string {
  const m = new RegExp(`${ORIGIN}(/digest/${kind}/[A-Za-z0-9_.-]+)`).exec(text);
  if (!m?.[1]) throw new Error(`no ${kind} link in: ${text.slice(0, 300)}`);
  return m[1];
}
