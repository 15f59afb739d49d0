/**
 * The subscriber journey in headless Chromium against the real server (`paperboy serve` in a
 * child process, fresh SQLite database, a real SMTP server on loopback): subscribe with the
 * browser's time zone, confirm from the mail, receive a digest (sent by `paperboy digest run`, as
 * a second process on the same database), look at it in light and dark mode, unsubscribe with the
 * link from its List-Unsubscribe header, and receive nothing more.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/testing/run-cli.js';
import { emptyPaperRecord, type IngestItem } from '../src/domain/paper.js';
import { startSmtpSink, type SmtpSink } from '../src/mail/testing/smtp-sink.js';
import { upsertPapers } from '../src/store/paper.repository.js';
import { createTestDb, type TestDb } from '../src/store/testing/test-database.js';
import { CHROMIUM, CHROMIUM_ARGS, freePort, startServer, stopServer } from './members.server.js';

const ARTIFACTS = path.resolve('e2e/artifacts');
const DAY = 86_400_000;


const day = (offset: number) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);

describe('subscriber journey in Chromium', () => {
  let db: TestDb;
  let smtp: SmtpSink;
  let server: ChildProcess;
  let browser: Browser;
  let base: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    [db, smtp] = await Promise.all([createTestDb('sqlite'), startSmtpSink()]);
    // Papers published tomorrow (UTC): the digest sent the day after lists them.
    const papers: IngestItem[] = [0, 1, 2].map((i) => ({
      kind: 'paper',
      datestamp: null,
      paper: { ...emptyPaperRecord(`2999.0000${i}`), title: i === 0 ? 'Sharp bounds for $\\ell_p$ regression in $\\mathbb{R}^d$' : `Paper number ${i}`, abstract: 'We show that $O(n^2)$ is optimal for Schr\\"odinger operators.', authors: [{ name: 'Emmy Noether' }], categories: ['cs.LG'], publishedAt: `${day(1)}T1${i}:00:00Z` },
    }));
    await upsertPapers(db.kysely, papers);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = { DATABASE_URL: db.url, PUBLIC_URL: base, SMTP_URL: smtp.url, MAIL_FROM: 'Paperboy <digest@papers.example.org>', TOKEN_SECRET: 'e2e-secret-0123456789abcdefghijklmnop', DIGEST_RATE_LIMIT: '0' };
    server = await startServer(port, { ...env, HARVEST_SETS: '', DIGEST_POLL_SECONDS: '1' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stopServer(server);
    await smtp?.close();
    await db?.destroy();
  });

  it('subscribes, confirms, receives a digest and unsubscribes in one click', async () => {
    const context = await browser.newContext({ timezoneId: 'America/New_York' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
    });

    // 1. Subscribe; the form picks up the browser's time zone (a nonce'd inline script under the CSP).
    await page.goto(`${base}/digest/subscribe`);
    await expect(page.locator('#pb-tz').inputValue()).resolves.toBe('America/New_York');
    await page.getByLabel('Email').fill('reader@example.org');
    await page.getByLabel('At (your local time)').selectOption('7');
    await page.screenshot({ path: path.join(ARTIFACTS, 'digest-subscribe.png'), fullPage: true });
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();

    // 2. The confirmation mail arrives (the server sends queued mail right away); its link asks for a click.
    await smtp.waitFor(1, 15_000);
    const confirmation = await smtp.parse(smtp.messages[0]!);
    const confirmUrl = new RegExp(`(${base.replace(/\./g, '\\.')}/digest/confirm/[A-Za-z0-9_.-]+)`).exec(confirmation.text ?? '')?.[1];
    expect(confirmUrl).toBeDefined();
    await page.goto(confirmUrl!);
    await expect(page.textContent('main')).resolves.toContain('every day at 07:00 (America/New_York)');
    await page.getByRole('button', { name: 'Yes, start sending' }).click();
    await page.getByRole('heading', { name: 'You are subscribed' }).waitFor();

    // 3. The day after tomorrow, past 07:00 in New York, the digest goes out.
    const run = await runCli(['digest', 'run', '--now', `${day(2)}T15:00:00Z`], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('sent 1');
    expect(smtp.count()).toBe(2);
    const digest = await smtp.parse(smtp.messages[1]!);
    expect(digest.subject).toBe(`Trending papers — ${day(2)} (3 papers)`);
    expect(digest.text).toContain('Sharp bounds for ℓₚ regression in ℝᵈ');

    // 4. How it looks in a browser, light and dark.
    const mail = await browser.newContext({ colorScheme: 'light', viewport: { width: 700, height: 900 } });
    const view = await mail.newPage();
    await view.setContent(String(digest.html));
    await view.screenshot({ path: path.join(ARTIFACTS, 'digest-mail-light.png'), fullPage: true });
    await view.emulateMedia({ colorScheme: 'dark' });
    await view.screenshot({ path: path.join(ARTIFACTS, 'digest-mail-dark.png'), fullPage: true });
    await mail.close();

    // 5. The List-Unsubscribe link: opening it changes nothing, the button unsubscribes.
    const header = digest.headerLines.find((h) => h.key === 'list-unsubscribe')?.line ?? '';
    const unsubscribeUrl = /<(http[^>]+\/digest\/unsubscribe\/[^>]+)>/.exec(header)?.[1];
    expect(unsubscribeUrl).toBeDefined();
    await page.goto(unsubscribeUrl!);
    await expect(page.textContent('main')).resolves.toContain('Stop sending');
    await page.getByRole('button', { name: 'Unsubscribe' }).click();
    await page.getByRole('heading', { name: 'Unsubscribed' }).waitFor();

    // 6. Nothing more arrives.
    const later = await runCli(['digest', 'run', '--now', `${day(3)}T15:00:00Z`], env);
    expect(later.code, later.stderr).toBe(0);
    expect(later.stdout).toContain('sent 0');
    expect(smtp.count()).toBe(2);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
