/**
 * The member journey in headless Chromium against the real server (`paperboy serve` in a child
 * process, fresh SQLite database): ask for a sign-in link, read the mail from a real SMTP server
 * on loopback, open the link, submit a paper (fetched from a local arXiv API stand-in), upvote
 * it without a reload, comment in Markdown, see it on the feed, try script injection, use the
 * no-JavaScript upvote, sign out.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from '../src/mail/testing/smtp-sink.js';
import { createTestDb, type TestDb } from '../src/store/testing/test-database.js';
import { RECORDED_ID, startArxivApiStub, type ArxivApiStub } from '../src/web/members/testing/arxiv-api.stub.js';
import { XSS_PAYLOADS } from '../src/web/members/testing/xss-payloads.js';
import { CHROMIUM, CHROMIUM_ARGS, freePort, startServer, stopServer } from './members.server.js';

const ARTIFACTS = path.resolve('e2e/artifacts');

/** The page's globals as far as these specs use them (the project compiles without DOM types). */
interface PageGlobals {
  marker?: number;
  document: { querySelector(selector: string): { textContent: string | null; getAttribute(name: string): string | null } | null };
}


describe('member journey in Chromium', () => {
  let db: TestDb;
  let smtp: SmtpSink;
  let arxiv: ArxivApiStub;
  let server: ChildProcess;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    [db, smtp, arxiv] = await Promise.all([createTestDb('sqlite'), startSmtpSink(), startArxivApiStub()]);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = await startServer(port, {
      DATABASE_URL: db.url,
      PUBLIC_URL: base,
      SMTP_URL: smtp.url,
      ARXIV_API_URL: arxiv.baseUrl,
      PAPERBOY_EXTRA_ALLOWED_HOSTS: arxiv.host,
      HARVEST_SETS: '',
      // Single use at once (no grace window), so the spent-link check below is immediate.
      MAGIC_LINK_GRACE_SECONDS: '0',
      RATE_COMMENTS_PER_HOUR: '1000',
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stopServer(server);
    await Promise.all([smtp?.close(), arxiv?.close()]);
    await db?.destroy();
  });

  /** Collects console errors (CSP violations included) and dialogs a page produces. */
  function watch(page: Page): { errors: string[]; dialogs: string[] } {
    const seen = { errors: [] as string[], dialogs: [] as string[] };
    page.on('console', (m) => {
      // Load failures of files other parts of the site serve (favicon, the search script) are
      // theirs to test; a 410 is the expected answer to a spent sign-in link.
      const url = m.location().url;
      const loadFailure = m.text().startsWith('Failed to load resource');
      const expected = (loadFailure && !/\/(assets\/members\.js|signin|settings|submit|discuss|papers|comments|library|admin|members)\b/.test(url)) || (m.text().includes('status of 410') && url.includes('/signin/verify'));
      if (m.type() === 'error' && !expected) seen.errors.push(`${m.text()} (${m.location().url})`);
    });
    page.on('pageerror', (e) => seen.errors.push(e.message));
    page.on('dialog', async (d) => {
      seen.dialogs.push(d.message());
      await d.dismiss();
    });
    return seen;
  }

  it('signs in by email link, submits, upvotes, comments, sees the feed and signs out', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const seen = watch(page);

    // 1. Ask for a link.
    await page.goto(`${base}/signin`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'members-sign-in.png') });
    await page.getByLabel('Email address').fill('ada@example.org');
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await expect(page.getByRole('heading', { name: 'Check your email' }).isVisible()).resolves.toBe(true);

    // 2. Read it from the SMTP server.
    await smtp.waitFor(1);
    const mail = await smtp.parse(smtp.messages[0]!);
    expect(smtp.messages[0]!.to).toEqual(['ada@example.org']);
    expect(mail.subject).toBe('Your Paperboy sign-in link');
    const link = /(http:\/\/127\.0\.0\.1:\d+\/signin\/verify\?token=[A-Za-z0-9_-]+)/.exec(mail.text ?? '')?.[1];
    expect(link).toBeDefined();

    // 3. Open it and confirm.
    await page.goto(link!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/settings?welcome=1`);
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'pb_session');
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe('Lax');
    await page.getByLabel('Display name').fill('Ada Lovelace');
    await page.getByLabel(/^Handle/).fill('ada');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(`${base}/settings?saved=1`);

    // 4. Submit a paper that is not in the store: fetched from the arXiv API stand-in.
    await page.goto(`${base}/submit`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'members-submit.png') });
    await page.getByLabel('arXiv id or URL').fill(`https://arxiv.org/abs/${RECORDED_ID}v1`);
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.waitForURL(`${base}/discuss/${RECORDED_ID}?submitted=1`);
    expect(arxiv.requests).toHaveLength(1);
    await expect(page.locator('h1').textContent()).resolves.toContain('Inelastic effects in molecular transport junctions');

    // 5. Upvote without a reload.
    await page.evaluate(() => ((globalThis as unknown as PageGlobals).marker = 42));
    const upvote = page.locator('form[data-upvote] button');
    await expect(upvote.getAttribute('aria-pressed')).resolves.toBe('false');
    await upvote.click();
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.querySelector('form[data-upvote] button')?.getAttribute('aria-pressed') === 'true');
    await expect(page.locator('[data-upvote-count]').textContent()).resolves.toBe('1');
    await expect(page.evaluate(() => (globalThis as unknown as PageGlobals).marker)).resolves.toBe(42);
    // Toggle off and on again, still without navigation.
    await upvote.click();
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.querySelector('[data-upvote-count]')?.textContent === '0');
    await upvote.click();
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.querySelector('[data-upvote-count]')?.textContent === '1');
    await expect(page.evaluate(() => (globalThis as unknown as PageGlobals).marker)).resolves.toBe(42);

    // 6. Comment in Markdown.
    await page.getByLabel('Add a comment').fill('Great paper, see **section 3** and [the code](https://example.org/code); is $O(n^3)$ tight?');
    await page.getByRole('button', { name: 'Post comment' }).click();
    await page.waitForURL(/#c-[a-f0-9]+$/);
    const body = page.locator('.comment-body').first();
    await expect(body.locator('strong').textContent()).resolves.toBe('section 3');
    await expect(body.locator('a').getAttribute('rel')).resolves.toContain('nofollow ugc');
    // Maths typeset as on the paper page (MathML, drawn by the browser itself).
    await expect(body.locator('math').count()).resolves.toBe(1);
    await expect(body.locator('math').isVisible()).resolves.toBe(true);
    await expect(body.locator('math annotation').textContent()).resolves.toBe('O(n^3)');
    await expect(page.getByRole('heading', { name: '1 comment' }).isVisible()).resolves.toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, 'members-discussion.png'), fullPage: true });

    // 7. It is on today's feed, with its upvote and comment counts.
    await page.goto(`${base}/`);
    const card = page.locator('li').filter({ hasText: 'Inelastic effects in molecular transport junctions' }).first();
    await expect(card.locator('[data-upvote-count]').textContent()).resolves.toBe('1');
    await expect(card.textContent()).resolves.toContain('1 comment');
    // Upvoting from the feed works in place too.
    await page.evaluate(() => ((globalThis as unknown as PageGlobals).marker = 7));
    await card.locator('form[data-upvote] button').click();
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.querySelector('form[data-upvote] [data-upvote-count]')?.textContent === '0');
    await card.locator('form[data-upvote] button').click();
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.querySelector('form[data-upvote] [data-upvote-count]')?.textContent === '1');
    await expect(page.evaluate(() => (globalThis as unknown as PageGlobals).marker)).resolves.toBe(7);
    await page.screenshot({ path: path.join(ARTIFACTS, 'members-feed.png'), fullPage: true });

    // 8. Sign out.
    await page.goto(`${base}/discuss/${RECORDED_ID}`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${base}/`);
    expect((await context.cookies()).find((c) => c.name === 'pb_session')).toBeUndefined();
    await page.goto(`${base}/settings`);
    expect(page.url()).toBe(`${base}/signin?next=%2Fsettings`);
    // The spent link stays spent.
    await page.goto(link!);
    await expect(page.getByRole('heading', { name: /already used|expired/ }).isVisible()).resolves.toBe(true);

    expect(seen.dialogs).toEqual([]);
    expect(seen.errors).toEqual([]);
    await context.close();
  });

  it('keeps script-injection attempts in comments inert in the browser', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const seen = watch(page);
    await signIn(page, 'mallory@example.org');
    for (const payload of XSS_PAYLOADS) {
      await page.goto(`${base}/discuss/${RECORDED_ID}`);
      await page.getByLabel('Add a comment').fill(payload);
      await page.getByRole('button', { name: 'Post comment' }).click();
      await page.waitForURL(/#c-[a-f0-9]+$/);
    }
    await page.goto(`${base}/discuss/${RECORDED_ID}`);
    // Hover and click every link inside comments: nothing may run.
    for (const a of await page.locator('.comment-body a').all()) await a.hover();
    // Runs in the page (a string, since this project compiles without DOM types).
    const state = (await page.evaluate(`({
      scripts: [...document.scripts].map((s) => s.src || 'inline'),
      handlers: [...document.querySelectorAll('.comment-body *')].flatMap((el) => [...el.attributes].map((a) => a.name).filter((n) => n.startsWith('on'))),
      hrefs: [...document.querySelectorAll('.comment-body a')].map((a) => a.protocol),
      svg: document.querySelectorAll('.comment-body svg, .comment-body img, .comment-body iframe, .comment-body object, .comment-body embed, .comment-body form').length,
    })`)) as { scripts: string[]; handlers: string[]; hrefs: string[]; svg: number };
    expect(state.scripts).toContain(`${base}/assets/members.js`);
    for (const src of state.scripts) expect(src.startsWith(`${base}/assets/`)).toBe(true);
    expect(state.handlers).toEqual([]);
    expect(state.hrefs.every((p) => p === 'https:' || p === 'http:' || p === 'mailto:')).toBe(true);
    expect(state.svg).toBe(0);
    expect(seen.dialogs).toEqual([]);
    await context.close();
  });

  it('upvotes with a plain form post when JavaScript is off', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page, 'nojs@example.org');
    await page.goto(`${base}/discuss/${RECORDED_ID}`);
    const before = Number(await page.locator('[data-upvote-count]').textContent());
    await page.locator('form[data-upvote] button').click();
    await page.waitForURL(`${base}/discuss/${RECORDED_ID}`);
    await expect(page.locator('[data-upvote-count]').textContent()).resolves.toBe(String(before + 1));
    await expect(page.locator('form[data-upvote] button').getAttribute('aria-pressed')).resolves.toBe('true');
    await context.close();
  });

  async function signIn(page: Page, email: string): Promise<void> {
    const before = smtp.count();
    await page.goto(`${base}/signin`);
    await page.getByLabel('Email address').fill(email);
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await smtp.waitFor(before + 1);
    const mail = await smtp.parse(smtp.messages[smtp.messages.length - 1]!);
    const link = /(http:\/\/127\.0\.0\.1:\d+\/signin\/verify\?token=[A-Za-z0-9_-]+)/.exec(mail.text ?? '')![1]!;
    await page.goto(link);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/settings\?welcome=1$/);
  }
});
