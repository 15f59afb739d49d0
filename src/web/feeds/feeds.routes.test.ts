/**
 * RSS 2.0 and Atom feeds on every dialect: well-formed XML (a strict parser), the elements
 * RFC 4287 and the RSS 2.0 spec require, and readable by a real feed-reader library
 * (@rowanmanning/feed-parser) with the right titles, links and dates.
 */
import { parseFeed } from '@rowanmanning/feed-parser';
import { SaxesParser } from 'saxes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enabledDialects } from '../../store/testing/test-database.js';
import { createHarness, ORIGIN, type Harness } from '../members/testing/member-harness.js';
import { seedCorpus, TEX_PAPER } from '../testing/reader-fixtures.js';

interface Node {
  name: string;
  attributes: Record<string, string>;
  children: Node[];
  text: string;
}

/** Parses strictly (throws on any well-formedness error) into a small element tree. */
function xmlTree(xml: string): Node {
  const parser = new SaxesParser({ xmlns: false });
  const root: Node = { name: '#root', attributes: {}, children: [], text: '' };
  const stack: Node[] = [root];
  parser.on('opentag', (t) => {
    const node: Node = { name: t.name, attributes: t.attributes as Record<string, string>, children: [], text: '' };
    stack[stack.length - 1]!.children.push(node);
    stack.push(node);
  });
  parser.on('text', (t) => (stack[stack.length - 1]!.text += t));
  parser.on('closetag', () => void stack.pop());
  parser.on('error', (e) => {
    throw e;
  });
  parser.write(xml).close();
  return root.children[0]!;
}

const child = (n: Node, name: string) => n.children.find((c) => c.name === name);
const children = (n: Node, name: string) => n.children.filter((c) => c.name === name);

describe.each(enabledDialects())('feeds on %s', (dialect) => {
  let h: Harness;
  const fetchText = async (path: string) => {
    const res = await h.web.request(`${ORIGIN}${path}`);
    return { res, text: await res.text() };
  };

  beforeAll(async () => {
    h = await createHarness(dialect);
    await seedCorpus(h);
  });
  afterAll(async () => {
    await h.close();
  });

  it('serves a valid Atom feed of a day', async () => {
    const { res, text } = await fetchText('/feeds/daily.atom?date=2012-03-15');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const feed = xmlTree(text);
    expect(feed.name).toBe('feed');
    expect(feed.attributes.xmlns).toBe('http://www.w3.org/2005/Atom');
    for (const required of ['id', 'title', 'updated', 'author']) expect(child(feed, required), required).toBeDefined();
    const entries = children(feed, 'entry');
    expect(entries).toHaveLength(3);
    for (const e of entries) {
      for (const required of ['id', 'title', 'updated', 'link', 'summary']) expect(child(e, required), required).toBeDefined();
      expect(child(e, 'updated')!.text).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    }
    const parsed = parseFeed(text).toJSON();
    expect(parsed.meta.type).toBe('atom');
    expect(parsed.title).toContain('15 March 2012');
    const tex = parsed.items.find((i) => i.url === `${ORIGIN}/papers/${TEX_PAPER}`)!;
    expect(tex.title).toBe('The k-anonymity of Gödel numberings in O(n³)');
    expect(tex.authors.map((a) => a.name)).toContain('Paul Erdős');
    expect(new Date(String(tex.published)).toISOString()).toBe('2012-03-15T00:00:00.000Z');
  });

  it('serves a valid RSS 2.0 feed of a day', async () => {
    const { res, text } = await fetchText('/feeds/daily.rss?date=2012-03-15');
    expect(res.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    const rss = xmlTree(text);
    expect(rss.attributes.version).toBe('2.0');
    const channel = child(rss, 'channel')!;
    for (const required of ['title', 'link', 'description']) expect(child(channel, required)?.text, required).toBeTruthy();
    const items = children(channel, 'item');
    expect(items).toHaveLength(3);
    for (const i of items) {
      expect(child(i, 'title')?.text).toBeTruthy();
      expect(child(i, 'guid')?.attributes.isPermaLink).toBe('true');
      expect(new Date(child(i, 'pubDate')!.text).toUTCString()).toBe(child(i, 'pubDate')!.text);
    }
    // The channel was last built when its newest item appeared, not later.
    const newest = Math.max(...items.map((i) => Date.parse(child(i, 'pubDate')!.text)));
    expect(Date.parse(child(channel, 'lastBuildDate')!.text)).toBe(newest);
    const parsed = parseFeed(text).toJSON();
    expect(parsed.meta.type).toBe('rss');
    expect(parsed.items.map((i) => i.url)).toContain(`${ORIGIN}/papers/${TEX_PAPER}`);
  });

  it('serves feeds for a search query, in both formats', async () => {
    const atom = parseFeed((await fetchText('/feeds/search.atom?q=graph')).text).toJSON();
    expect(atom.title).toBe('Paperboy search: graph');
    expect(atom.items.length).toBeGreaterThanOrEqual(3);
    const rssText = (await fetchText('/feeds/search.rss?q=sorting%20%26%20%3Cnetworks%3E')).text;
    xmlTree(rssText); // special characters in the query stay well-formed
    expect(parseFeed(rssText).toJSON().items.map((i) => i.title)).toEqual(['Sorting networks revisited']);
  });

  it('rejects a search feed without a query or with a bad date', async () => {
    const noQuery = await h.web.request(`${ORIGIN}/feeds/search.atom`);
    expect(noQuery.status).toBe(400);
    expect(((await noQuery.json()) as any).error.code).toBe('invalid_input');
    expect((await h.web.request(`${ORIGIN}/feeds/daily.rss?date=2025-13-45`)).status).toBe(400);
  });
});
