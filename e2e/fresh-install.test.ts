/**
 * A fresh install without a mail server, in headless Chromium against the real server
 * (`paperboy serve` in a child process, fresh SQLite database, no SMTP_URL): the operator signs
 * in with the link `paperboy user create --admin` prints; a newcomer asks for a link, is told the
 * server sends no mail, and signs in with the link the operator reads in the outbox; error
 * pages (404, 400, and arXiv unreachable as 502) come in the site's layout with a message a
 * reader understands and no upstream detail. axe finds no serious violation on these pages.
 */
import type { ChildProcess } from 'node:child_process';
import axe from 'axe-core';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/testing/run-cli.js';
import { createTestDb, type TestDb } from '../src/store/testing/test-database.js';
import { CHROMIUM, CHROMIUM_ARGS, freePort, startServer, stopServer } from './members.server.js';



async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axe.source);
  const result = await page.evaluate<axe.AxeResults>("window.axe.run(document, { resultTypes: ['violations'] })");
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`);
}

describe('a fresh install without a mail server, in Chromium', () => {
  let db: TestDb;
  let server: ChildProcess;
  let browser: Browser;
  let base: string;
  const env = () => ({ DATABASE_URL: db.url, PUBLIC_URL: base });

  beforeAll(async () => {
    // No mail server, whatever the shell running the specs has set.
    delete process.env.SMTP_URL;
    db = await createTestDb('sqlite');
    const [port, arxivPort] = await Promise.all([freePort(), freePort()]);
    base = `http://127.0.0.1:${port}`;
    server = await startServer(port, {
      ...env(),
      // Nothing listens there: arXiv is unreachable.
      ARXIV_API_URL: `http://127.0.0.1:${arxivPort}/api/query`,
      PAPERBOY_EXTRA_ALLOWED_HOSTS: `127.0.0.1:${arxivPort}`,
      HARVEST_SETS: '',
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stopServer(server);
    await db?.destroy();
  });

  async function signInWith(page: Page, link: string): Promise<void> {
    await page.goto(link);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
    await expect(page.getByRole('button', { name: 'Sign out' }).first().isVisible()).resolves.toBe(true);
  }

  it('lets the operator sign in with the printed link, and a newcomer through the outbox', async () => {
    const created = await runCli(['user', 'create', '--admin', 'operator@example.org'], env());
    expect(created.code).toBe(0);
    const operatorLink = /(http:\/\/127\.0\.0\.1:\d+\/signin\/verify\?token=[A-Za-z0-9_-]+)/.exec(created.stdout)?.[1];
    expect(operatorLink).toBeDefined();
    const operator = await (await browser.newContext()).newPage();
    await signInWith(operator, operatorLink!);

    const newcomer = await (await browser.newContext()).newPage();
    await newcomer.goto(`${base}/signin`);
    await newcomer.getByLabel('Email address').fill('newcomer@example.org');
    await newcomer.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await expect(newcomer.getByRole('heading', { name: 'This server does not send mail' }).isVisible()).resolves.toBe(true);
    expect(await newcomer.content()).not.toContain('on its way');
    expect(await axeViolations(newcomer)).toEqual([]);

    await operator.goto(`${base}/admin/outbox`);
    await operator.getByText('newcomer@example.org').first().click();
    const link = await operator.locator('pre.mail-text a[href*="/signin/verify"]').first().getAttribute('href');
    expect(link).toMatch(/\/signin\/verify\?token=/);
    expect(await axeViolations(operator)).toEqual([]);

    await signInWith(newcomer, link!);
    await newcomer.goto(`${base}/settings`);
    await expect(newcomer.getByText('Signed in with newcomer@example.org').isVisible()).resolves.toBe(true);
  });

  it('shows error pages in the site layout, arXiv unreachable without upstream details', async () => {
    const page = await (await browser.newContext()).newPage();
    for (const [path, status, heading] of [
      ['/nothing-here', 404, 'Not Found'],
      ['/papers/not-an-id', 400, 'Bad Request'],
    ] as const) {
      const res = await page.goto(`${base}${path}`);
      expect(res?.status()).toBe(status);
      await expect(page.getByRole('heading', { name: heading }).isVisible()).resolves.toBe(true);
      await expect(page.locator('header.site-header').isVisible()).resolves.toBe(true);
      const font = await page.evaluate("getComputedStyle(document.body).fontFamily");
      expect(String(font)).toContain('system-ui');
      expect(await axeViolations(page)).toEqual([]);
    }

    const created = await runCli(['user', 'create', 'submitter@example.org'], env());
    const link = /(http:\/\/127\.0\.0\.1:\d+\/signin\/verify\?token=[A-Za-z0-9_-]+)/.exec(created.stdout)![1]!;
    await signInWith(page, link);
    await page.goto(`${base}/submit`);
    await page.getByLabel(/arXiv/).first().fill('2401.00001');
    const answer = page.waitForResponse((r) => r.url().endsWith('/submit') && r.request().method() === 'POST');
    await page.getByRole('button', { name: /Submit/ }).click();
    expect((await answer).status()).toBe(502);
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toMatch(/arXiv|try again/i);
    expect(text).not.toMatch(/ECONNREFUSED|ENOTFOUND|127\.0\.0\.1|api\/query/);
    await expect(page.locator('header.site-header').isVisible()).resolves.toBe(true);
    expect(await axeViolations(page)).toEqual([]);
  });
});
