/**
 * Digest benchmark: `paperboy digest run` composing and sending N personalized digests (schedule,
 * claim, compose, render, SMTP with held-back end-of-data, ledger) to a local SMTP server, next to
 * plain nodemailer sending the same N messages, rendered in advance, over the same kind of pool to
 * the same server, in the same run. The SMTP server runs in its own process.
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { createApp } from '../src/app.js';
import pg from 'pg';
import { buildConfig, DEFAULT_DIGEST_CONFIG, type DatabaseConfig } from '../src/config/config.js';
import { emptyPaperRecord, type IngestItem } from '../src/domain/paper.js';
import { firstPeriodAfter, periodForLocalDate, type Schedule } from '../src/domain/digest-period.js';
import { listKey, type DigestList } from '../src/domain/subscription.js';
import { createLogger } from '../src/logger.js';
import { addressOf, buildMessage } from '../src/mail/mime.js';
import { createDigestComposer } from '../src/services/digests/digest-compose.service.js';
import { siteDigestSources } from '../src/services/digests/digest-sources.service.js';
import { createDigestLinks, messageIdFor } from '../src/services/digests/digest-links.service.js';
import { openDatabase } from '../src/store/database.js';
import { upsertPapers } from '../src/store/paper.repository.js';
import { confirmSubscription, insertSubscriptionIfAbsent } from '../src/store/subscription.repository.js';

export interface DigestBenchResult {
  dialect: 'sqlite' | 'postgres';
  count: number;
  baselineSeconds: number;
  paperboySeconds: number;
  enqueueSeconds: number;
  /** Personalizing N prepared digests and building their MIME, no database, no SMTP. */
  composeSeconds: number;
  personalizeSeconds: number;
  overheadPercent: number;
  /** CPU time of the sending process (user + system) in each phase: less sensitive to other load than wall time. */
  baselineCpuSeconds: number;
  paperboyCpuSeconds: number;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1e6;
}

const TOPICS = ['graph neural', 'diffusion', 'cardiac', 'language model', 'robust'];
const WORDS = 'we propose a method for learning representations of data with provable guarantees and evaluate it on standard benchmarks showing improvements over strong baselines in accuracy and efficiency'.split(' ');

function abstractFor(i: number): string {
  const words: string[] = [];
  for (let k = 0; k < 140; k++) words.push(WORDS[(i * 7 + k * 3) % WORDS.length]!);
  return `${TOPICS[i % TOPICS.length]} with $\\alpha$-stable noise in $\\mathbb{R}^d$: ${words.join(' ')}; runs in $O(n \\log n)$ time.`;
}

async function startSink(): Promise<{ port: number; stats(): Promise<{ count: number; bytes: number }>; close(): void }> {
  const here = fileURLToPath(import.meta.url);
  const child = fork(path.join(path.dirname(here), `digest-sink${path.extname(here)}`), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { port: number }).port));
    child.once('error', reject);
  });
  return {
    port,
    stats: () =>
      new Promise((resolve) => {
        child.once('message', (m) => resolve(m as { count: number; bytes: number }));
        child.send('stats');
      }),
    close: () => child.send('close'),
  };
}

async function withPg(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

export interface DigestBenchOptions {
  count: number;
  connections: number;
  /** Also run on this PostgreSQL database (in a private schema, dropped afterwards). */
  postgresUrl?: string;
  /** Runs per database; each run measures the baseline and Paperboy afresh, back to back. */
  repeat?: number;
  out: NodeJS.WritableStream;
}

/** Every run on SQLite, then (with `postgresUrl`) every run on PostgreSQL, against one SMTP server process. */
export async function runDigestBench(options: DigestBenchOptions): Promise<DigestBenchResult[]> {
  const sink = await startSink();
  const results: DigestBenchResult[] = [];
  try {
    const dialects: ('sqlite' | 'postgres')[] = options.postgresUrl ? ['sqlite', 'postgres'] : ['sqlite'];
    for (const dialect of dialects) {
      for (let run = 0; run < Math.max(1, options.repeat ?? 1); run++) results.push(await runOnce(options, dialect, sink));
    }
    if (results.length > 1) {
      const line = (dialect: string, rs: DigestBenchResult[]) => {
        const o = rs.map((r) => r.overheadPercent);
        const c = rs.map((r) => (r.paperboyCpuSeconds / r.baselineCpuSeconds - 1) * 100);
        return `${dialect}: time overhead median ${median(o).toFixed(1)}% (runs: ${o.map((x) => x.toFixed(1)).join(', ')}); CPU overhead median ${median(c).toFixed(1)}% (runs: ${c.map((x) => x.toFixed(1)).join(', ')})\n`;
      };
      options.out.write(`\nsummary over ${options.repeat ?? 1} run(s) per database:\n`);
      for (const dialect of dialects) options.out.write(`  ${line(dialect, results.filter((r) => r.dialect === dialect))}`);
    }
  } finally {
    sink.close();
  }
  return results;
}

async function runOnce(options: DigestBenchOptions, dialect: 'sqlite' | 'postgres', sink: Awaited<ReturnType<typeof startSink>>): Promise<DigestBenchResult> {
  const { count, connections, out } = options;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-digest-bench-'));
  const file = path.join(dir, 'bench.db');
  const secret = randomBytes(32).toString('base64url');
  // A private schema keeps the PostgreSQL run from touching anything already in that database.
  const pgSchema = `pb_digest_bench_${process.pid}`;
  const database: DatabaseConfig = dialect === 'postgres' ? { dialect: 'postgres', url: options.postgresUrl! } : { dialect: 'sqlite', file, url: `sqlite:${file}` };
  if (dialect === 'postgres') await withPg(database.url, `CREATE SCHEMA ${pgSchema}`);
  const db = openDatabase(database, dialect === 'postgres' ? { pgSchema } : {});
  const config = buildConfig({
    database,
    publicUrl: 'https://papers.example.org',
    logLevel: 'silent',
    mail: { smtpUrl: `smtp://127.0.0.1:${sink.port}`, from: 'Paperboy <digest@papers.example.org>' },
    digest: { ...DEFAULT_DIGEST_CONFIG, tokenSecrets: [secret], maxConnections: connections, ratePerSecond: 0, leaseSeconds: 900 },
  });
  const app = await createApp(config, { logger: createLogger('silent'), db });
  try {
    // 400 papers published the day before the digest, and `count` confirmed subscribers
    // (80% trending, 20% one of five topics), all due at 08:00 UTC.
    const papers: IngestItem[] = [];
    for (let i = 0; i < 400; i++) {
      const id = `2406.${String(10000 + i)}`;
      papers.push({ kind: 'paper', datestamp: null, paper: { ...emptyPaperRecord(id), title: `On ${TOPICS[i % TOPICS.length]} $\\ell_1$ problems, part ${i}`, abstract: abstractFor(i), authors: [{ name: 'Ada Lovelace' }, { name: 'Kurt G\\"odel' }, { name: 'Alan Turing' }, { name: 'Emmy Noether' }], categories: ['cs.LG'], publishedAt: `2024-06-09T${String(i % 24).padStart(2, '0')}:00:00Z` } });
    }
    await app.db.kysely.transaction().execute((trx) => upsertPapers(trx, papers));
    const schedule: Schedule = { frequency: 'daily', localHour: 8, timeZone: 'UTC' };
    const setupAt = new Date('2024-06-09T12:00:00Z');
    const subscribers: { email: string; publicKey: string; list: DigestList }[] = [];
    await app.db.kysely.transaction().execute(async (trx) => {
      for (let i = 0; i < count; i++) {
        const list: DigestList = i % 5 === 4 ? { kind: 'topic', query: TOPICS[(i / 5) % TOPICS.length | 0]! } : { kind: 'trending' };
        const email = `reader${i}@example.org`;
        const publicKey = randomBytes(16).toString('base64url');
        await insertSubscriptionIfAbsent(trx, { publicKey, email, listKey: listKey(list), list, schedule }, setupAt.toISOString());
        await confirmSubscription(trx, publicKey, firstPeriodAfter(schedule, setupAt).dueAt.toISOString(), setupAt.toISOString());
        subscribers.push({ email, publicKey, list });
      }
    });
    const at = new Date('2024-06-10T08:05:00Z');

    // The baseline's messages: exactly what Paperboy sends, rendered before the clock starts.
    const links = createDigestLinks(config, [secret]);
    // The sources the product's digests use: the trending feed, the search engine, the votes table.
    const compose = createDigestComposer({ config, ...siteDigestSources({ reader: app.services.reader, recommendations: app.services.recommendations, db: app.db }) });
    const period = periodForLocalDate(schedule, '2024-06-10');
    const from = addressOf(config.mail.from);
    const messages: SendMailOptions[] = [];
    for (const s of subscribers) {
      const prepared = (await compose(s.list, period))!;
      const m = prepared.personalize(s.email, { unsubscribeUrl: links.unsubscribeUrl(s.publicKey), preferencesUrl: links.preferencesUrl(s.publicKey) });
      messages.push({
        from: config.mail.from,
        to: s.email,
        subject: m.subject,
        text: m.text,
        html: m.html,
        messageId: messageIdFor('digest', period.key, s.publicKey, from),
        headers: { 'List-Unsubscribe': { prepared: true, value: links.listUnsubscribeHeader(s.publicKey) }, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
        date: at,
      });
    }

    // Composition alone, as the sender does it per message: personalize the prepared digest
    // (links with signed tokens) and build the MIME message.
    let t = performance.now();
    for (const s of subscribers) {
      const prepared = (await compose(s.list, period))!;
      const unsubscribeUrl = links.unsubscribeUrl(s.publicKey);
      const m = prepared.personalize(s.email, { unsubscribeUrl, preferencesUrl: links.preferencesUrl(s.publicKey) });
      await buildMessage({ from: config.mail.from, to: s.email, subject: m.subject, text: m.text, html: m.html, messageId: messageIdFor('digest', period.key, s.publicKey, from), date: at, headers: { 'List-Unsubscribe': links.listUnsubscribeHeader(s.publicKey, unsubscribeUrl), 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } });
    }
    const composeSeconds = (performance.now() - t) / 1000;
    // Of which: what no plain sender does at all (choose and render the papers once per list,
    // then per subscriber sign two links and splice them in).
    t = performance.now();
    for (const s of subscribers) {
      const prepared = (await compose(s.list, period))!;
      prepared.personalize(s.email, { unsubscribeUrl: links.unsubscribeUrl(s.publicKey), preferencesUrl: links.preferencesUrl(s.publicKey) });
    }
    const personalizeSeconds = (performance.now() - t) / 1000;

    const transport = nodemailer.createTransport({ pool: true, host: '127.0.0.1', port: sink.port, maxConnections: connections, maxMessages: 1000, secure: false, ignoreTLS: true });
    // Warm-up (not timed): the code paths both sides share (MIME building, the pool, sockets).
    await Promise.all(messages.slice(0, Math.min(300, count)).map((m) => transport.sendMail({ ...m, to: 'warmup@example.org' })));
    const before = (await sink.stats()).count;

    t = performance.now();
    let cpu = process.cpuUsage();
    await Promise.all(messages.map((m) => transport.sendMail(m)));
    const baselineSeconds = (performance.now() - t) / 1000;
    const baselineCpuSeconds = cpuSecondsSince(cpu);
    transport.close();
    const afterBaseline = (await sink.stats()).count;

    t = performance.now();
    cpu = process.cpuUsage();
    const enqueued = await app.services.digests.enqueueDue({ at });
    const enqueueSeconds = (performance.now() - t) / 1000;
    const summary = await app.services.digests.sendQueued({ at });
    const paperboySeconds = (performance.now() - t) / 1000;
    const paperboyCpuSeconds = cpuSecondsSince(cpu);
    const afterPaperboy = (await sink.stats()).count;

    if (afterBaseline - before !== count || afterPaperboy - afterBaseline !== count || summary.sent !== count || enqueued !== count) {
      throw new Error(`bench check failed: baseline delivered ${afterBaseline - before}, paperboy enqueued ${enqueued}, sent ${summary.sent}, delivered ${afterPaperboy - afterBaseline} (expected ${count} each)`);
    }
    const overheadPercent = (paperboySeconds / baselineSeconds - 1) * 100;
    const cpuMs = (cpuSeconds: number) => `${((cpuSeconds * 1000) / count).toFixed(2).padStart(7)} ms CPU/msg`;
    const row = (name: string, seconds: number, cpuSeconds?: number) => `${name.padEnd(58)}${seconds.toFixed(2).padStart(8)} s${Math.round(count / seconds).toString().padStart(8)} msg/s${cpuSeconds === undefined ? '' : `  ${cpuMs(cpuSeconds)}`}\n`;
    out.write(`digest benchmark: ${count} personalized digests, ${connections} pooled SMTP connections to a local server (own process), ${dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, ${os.cpus().length} cores, Node ${process.version}\n`);
    out.write(row('nodemailer pool, messages rendered in advance', baselineSeconds, baselineCpuSeconds));
    out.write(row('paperboy: schedule + claim + compose + send + ledger', paperboySeconds, paperboyCpuSeconds));
    out.write(`  of which scheduling (enqueue ${enqueued} deliveries): ${enqueueSeconds.toFixed(2)} s\n`);
    out.write(row('composition alone: personalize + build MIME (no SMTP)', composeSeconds));
    out.write(row('  of which personalization (links, tokens, splicing)', personalizeSeconds));
    out.write(`paperboy vs baseline: ${overheadPercent >= 0 ? '+' : ''}${overheadPercent.toFixed(1)}% time, ${paperboyCpuSeconds >= baselineCpuSeconds ? '+' : ''}${((paperboyCpuSeconds / baselineCpuSeconds - 1) * 100).toFixed(1)}% CPU in the sending process (goal: under 20% time)\n`);
    return { dialect, count, baselineSeconds, paperboySeconds, baselineCpuSeconds, paperboyCpuSeconds, enqueueSeconds, composeSeconds, personalizeSeconds, overheadPercent };
  } finally {
    await app.close();
    if (dialect === 'postgres') await withPg(database.url, `DROP SCHEMA ${pgSchema} CASCADE`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
