/**
 * The reader journey in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core)
 * against the real server on a fresh database with the 30,538 recorded cs papers imported:
 * open the home page, step through days, switch to week and month, paginate, open a paper
 * (typeset math, BibTeX), search with suggestions, filter, page through results, and do it all
 * again with JavaScript off. Every page must be free of console errors and of serious or
 * critical axe-core violations, in light and dark, at desktop and phone width. Screenshots go
 * to e2e/artifacts/.
 */
import fs from 'node:fs';
import path from 'node:path';
import axe from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReaderServer, type ReaderServer } from './reader.server.js';

const CHROMIUM = process.env.PAPERBOY_CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = path.resolve('e2e/artifacts');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const DESKTOP = { width: 1180, height: 900 };
const PHONE = { width: 375, height: 812 };

interface Watched {
  page: Page;
  errors: string[];
}

describe('reader journey in Chromium', () => {
  let server: ReaderServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    [server, browser] = await Promise.all([startReaderServer(), chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })]);
  }, 180_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  });

  async function open(options: { javaScript?: boolean; dark?: boolean; phone?: boolean } = {}): Promise<Watched> {
    const context = await browser.newContext({ viewport: options.phone ? PHONE : DESKTOP, colorScheme: options.dark ? 'dark' : 'light', javaScriptEnabled: options.javaScript ?? true });
    contexts.push(context);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`${m.text()} (${m.location().url})`);
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('response', (r) => {
      if (r.status() >= 500) errors.push(`${r.status()} ${r.url()}`);
    });
    return { page, errors };
  }

  /** Runs axe-core in the page (through the DevTools protocol, so the page's CSP still holds for its own scripts). */
  async function axeViolations(page: Page): Promise<string[]> {
    await page.evaluate(axe.source);
    const result = await page.evaluate<axe.AxeResults>("window.axe.run(document, { resultTypes: ['violations'] })");
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  }

  async function shot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: false });
  }

  it('imported the whole recorded harvest', () => {
    expect(server.papers).toBe(30_538);
  });

  it('browses days, weeks and months from the home page', async () => {
    const { page, errors } = await open();
    await page.goto(`${server.baseUrl}/`);
    await expect(page.locator('.notice[role=status]').textContent()).resolves.toContain('Showing the most recent day with papers');
    await expect(page.locator('h1').textContent()).resolves.toMatch(/21 March 2012/);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, 'home-light');

    await page.getByRole('link', { name: /Tuesday,? 20 March 2012/ }).first().click();
    await page.waitForURL(/\/date\/2012-03-20$/);
    const cards = await page.locator('li.card').count();
    expect(cards).toBe(30);
    await page.getByRole('link', { name: 'Next page →' }).click();
    await page.waitForURL(/\/date\/2012-03-20\?page=1$/);
    await expect(page.locator('.pager .muted').last().textContent()).resolves.toContain('Page 2 of 2');

    await page.getByRole('link', { name: 'Week', exact: true }).click();
    await page.waitForURL(/\/week\/2012-W12$/);
    await expect(page.locator('h1').textContent()).resolves.toContain('Week 12 of 2012');
    expect(await page.locator('.chart rect').count()).toBe(7);
    await page.getByRole('link', { name: 'Newest' }).click();
    await page.waitForURL(/sort=newest/);
    await page.getByRole('link', { name: 'Month', exact: true }).click();
    await page.waitForURL(/\/month\/2012-03\?sort=newest$/);
    expect(await page.locator('.chart rect').count()).toBe(31);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, 'month-light');

    // A bar of the chart leads to its day; an empty day says so.
    await page.goto(`${server.baseUrl}/date/2012-03-17`);
    await expect(page.locator('main').textContent()).resolves.toMatch(/papers?/);
    await page.goto(`${server.baseUrl}/date/2012-03-25`);
    await expect(page.locator('main').textContent()).resolves.toContain('No papers on this day');
    expect(errors).toEqual([]);
  });

  it('opens a paper with typeset math, links, BibTeX and citation tags', async () => {
    const { page, errors } = await open();
    await page.goto(`${server.baseUrl}/search?q=anonymity`);
    await page.locator('li.card h2 a').first().click();
    await page.waitForURL(/\/papers\/\d{4}\.\d{4,5}$/);
    await page.goto(`${server.baseUrl}/papers/math/0611918`);
    await expect(page.locator('h1').textContent()).resolves.toContain('Garside groups');
    await expect(page.locator('.abstract math').count()).resolves.toBeGreaterThan(0);
    await expect(page.locator('meta[name=citation_title]').getAttribute('content')).resolves.toContain('Garside groups');
    await expect(page.locator('meta[name=citation_author]').count()).resolves.toBe(2);
    await page.getByText('Cite', { exact: true }).click();
    await expect(page.locator('pre.bibtex').isVisible()).resolves.toBe(true);
    await expect(page.locator('pre.bibtex').textContent()).resolves.toContain('eprint = {math/0611918}');
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, 'paper-light');
    expect(errors).toEqual([]);
  });

  it('searches with suggestions as you type, filters and pages through results', async () => {
    const { page, errors } = await open();
    await page.goto(`${server.baseUrl}/`);
    // A two-word prefix: the words completed, and titles holding both words.
    await page.locator('#site-q').pressSequentially('reed mull', { delay: 20 });
    await page.locator('#site-q-suggestions a[href^="/papers/"]').first().waitFor({ state: 'visible' });
    await expect(page.locator('#site-q').getAttribute('aria-expanded')).resolves.toBe('true');
    await expect(page.locator('#site-q-suggestions a.completion').first().textContent()).resolves.toBe('Search: reed muller');
    const titles = await page.locator('#site-q-suggestions a[href^="/papers/"]').allTextContents();
    for (const t of titles) expect(t.toLowerCase()).toMatch(/\breed\b/);
    for (const t of titles) expect(t.toLowerCase().split(/[^a-z]+/).some((w) => w.startsWith('mull'))).toBe(true);
    const completions = await page.locator('#site-q-suggestions a.completion').count();
    for (let i = 0; i <= completions; i++) await page.locator('#site-q').press('ArrowDown');
    await page.locator('#site-q').press('Enter');
    await page.waitForURL(/\/papers\//);

    await page.goto(`${server.baseUrl}/search?q=graph+coloring`);
    const status = async () => (await page.locator('p[role=status]').textContent()) ?? '';
    const count = /(\d+\+?) results? for/.exec(await status())?.[1] ?? '';
    expect(Number.parseInt(count, 10)).toBeGreaterThan(20);
    await expect(page.locator('li.card mark').count()).resolves.toBeGreaterThan(0);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, 'search-light');
    // Pages are numbered from 1, every page states the same count, and the last one ends the list.
    await page.getByRole('link', { name: 'Next page →' }).click();
    await page.waitForURL(/page=2/);
    expect(await status()).toContain(`${count} results for`);
    expect(await status()).toContain('page 2 of');
    await expect(page.locator('ol.cards').getAttribute('start')).resolves.toBe('21');
    const pages = Number(/page \d+ of (\d+)/.exec(await status())?.[1]);
    await page.getByRole('link', { name: `Page ${pages}`, exact: true }).click();
    await page.waitForURL(new RegExp(`page=${pages}`));
    expect(await status()).toContain(`${count} results for`);
    await expect(page.getByRole('link', { name: 'Next page →' }).count()).resolves.toBe(0);
    const cardsOnLast = await page.locator('li.card').count();
    expect(cardsOnLast).toBeGreaterThan(0);
    if (!count.endsWith('+')) expect(20 * (pages - 1) + cardsOnLast).toBe(Number(count));

    // Filters: a date range and a category narrow the results.
    await page.getByLabel('From').fill('2010-01-01');
    await page.getByLabel('To').fill('2010-12-31');
    await page.getByLabel('Category').fill('cs.DM');
    await page.getByRole('button', { name: 'Search' }).last().click();
    await page.waitForURL(/category=cs.DM/);
    const dates = await page.locator('li.card time').evaluateAll((els) => els.map((e) => e.getAttribute('datetime') ?? ''));
    expect(dates.length).toBeGreaterThan(0);
    for (const d of dates) expect(d >= '2010-01-01' && d <= '2010-12-31T99').toBe(true);
    expect(errors).toEqual([]);
  });

  it('works with JavaScript off: feed navigation, search form and pagination', async () => {
    const { page, errors } = await open({ javaScript: false });
    await page.goto(`${server.baseUrl}/`);
    await page.locator('#site-q').fill('neural network');
    await page.locator('#site-q').press('Enter');
    await page.waitForURL(/\/search\?q=neural\+network/);
    await expect(page.locator('li.card').count()).resolves.toBe(20);
    await page.getByRole('link', { name: 'Next page →' }).click();
    await page.waitForURL(/page=2/);
    await page.goto(`${server.baseUrl}/date/2012-03-15`);
    await page.locator('a[rel=prev]').first().click();
    await page.waitForURL(/\/date\/2012-03-14$/);
    await expect(page.locator('li.card').count()).resolves.toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });

  it('holds up in dark mode and at phone width', async () => {
    for (const [name, options] of [
      ['home-dark-phone', { dark: true, phone: true }],
      ['paper-dark', { dark: true }],
    ] as const) {
      const { page, errors } = await open(options);
      await page.goto(`${server.baseUrl}${name.startsWith('home') ? '/' : '/papers/1203.4705'}`);
      expect(await axeViolations(page)).toEqual([]);
      // Nothing wider than the screen.
      const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      expect(overflow).toBeLessThanOrEqual(0);
      await shot(page, name);
      expect(errors).toEqual([]);
    }
  });

  it('answers bad input with clear pages, not errors', async () => {
    const { page } = await open();
    for (const [url, status, text] of [
      ['/papers/1203.99999', 404, 'There is no paper'],
      ['/papers/not-an-id', 400, 'is not an arXiv id'],
      ['/date/2025-13-45', 400, 'is not a valid date'],
    ] as const) {
      const res = await page.goto(`${server.baseUrl}${url}`);
      expect(res?.status()).toBe(status);
      await expect(page.locator('main').textContent()).resolves.toContain(text);
    }
  });
});
