import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../domain/errors.js';
import { parseArxivRss, type ArxivRssEvent } from './arxiv-rss.parser.js';
import { RSS_DIR } from './testing/arxiv-fixtures.js';

async function parseFile(name: string): Promise<ArxivRssEvent[]> {
  const file = path.join(RSS_DIR, name);
  const out: ArxivRssEvent[] = [];
  for await (const event of parseArxivRss(fs.createReadStream(file), file)) out.push(event);
  return out;
}

const paperOf = (event: ArxivRssEvent | undefined) => (event?.item.kind === 'paper' ? event.item.paper : undefined);

describe('parseArxivRss on real arXiv feeds', () => {
  it.each([
    ['arxiv_cs_ai.xml', ['2604.21935', '2604.21936', '2604.21937']],
    ['arxiv_cs_cl.xml', ['2604.22002', expect.any(String), expect.any(String)]],
    ['arxiv_cs_lg.xml', ['2604.21952', expect.any(String), expect.any(String)]],
  ])('reads the 3 items of %s, all announced as new on 27 Apr 2026', async (file, ids) => {
    const events = await parseFile(file);
    expect(events.map((e) => paperOf(e)?.arxivId)).toEqual(ids);
    for (const event of events) {
      expect(event).toMatchObject({ type: 'record', announceType: 'new', announcedAt: '2026-04-27T04:00:00Z' });
      const paper = paperOf(event);
      expect(paper?.latestVersion).toBe(1);
      expect(paper?.abstract.length).toBeGreaterThan(200);
      expect(paper?.abstract).not.toMatch(/^arXiv:|Announce Type|^Abstract:/);
      expect(paper?.authors.length).toBeGreaterThan(0);
      expect(paper?.primaryCategory).toBe(paper?.categories[0]);
    }
  });

  it('maps an item field by field (2604.21935)', async () => {
    const [first] = await parseFile('arxiv_cs_ai.xml');
    expect(paperOf(first)).toEqual({
      arxivId: '2604.21935',
      latestVersion: 1,
      title: 'Math Takes Two: A test for emergent mathematical reasoning in communication',
      abstract: expect.stringMatching(/^Although language models demonstrate remarkable proficiency on mathematical benchmarks, .* emergent numerical reasoning capabilities\.$/s),
      authors: [
        { name: 'Michael Cooper', affiliations: [] },
        { name: 'Samuel Cooper', affiliations: [] },
      ],
      categories: ['cs.AI', 'cs.LG'],
      primaryCategory: 'cs.AI',
      publishedAt: null,
      updatedAt: null,
      doi: null,
      journalRef: null,
      comments: null,
      license: 'http://creativecommons.org/licenses/by/4.0/',
      reportNo: null,
      mscClass: null,
      acmClass: null,
      submitter: null,
      versions: [],
    });
  });

  it('splits a long dc:creator list and keeps the listed category order (cs.LG feed)', async () => {
    const events = await parseFile('arxiv_cs_lg.xml');
    expect(paperOf(events[0])?.categories).toEqual(['cs.LG', 'cs.AI', 'cs.AR', 'cs.NE', 'cs.RO']);
    const ai = await parseFile('arxiv_cs_ai.xml');
    const authors = paperOf(ai[1])?.authors.map((a) => a.name) ?? [];
    expect(authors).toHaveLength(18);
    expect(authors[0]).toBe('Lianrui Zuo');
    expect(authors.at(-1)).toBe('Bennett A. Landman');
  });
});

describe('parseArxivRss on constructed feeds', () => {
  const feed = (item: string) => `<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0"><channel><title>x</title>${item}</channel></rss>`;

  async function collect(xml: string): Promise<ArxivRssEvent[]> {
    const out: ArxivRssEvent[] = [];
    for await (const event of parseArxivRss(xml, 'inline')) out.push(event);
    return out;
  }

  it('reads a replacement with its version and "and"-joined authors', async () => {
    const [event] = await collect(
      feed(`<item><title>T</title><link>https://arxiv.org/abs/2401.12345</link>
<description>arXiv:2401.12345v3 Announce Type: replace 
Abstract: Updated abstract.</description>
<guid isPermaLink="false">oai:arXiv.org:2401.12345v3</guid><category>cs.IR</category>
<pubDate>Tue, 28 Apr 2026 00:00:00 -0400</pubDate><arxiv:announce_type>replace</arxiv:announce_type>
<dc:creator>Ada Lovelace and Charles Babbage</dc:creator></item>`),
    );
    expect(event).toMatchObject({ announceType: 'replace', announcedAt: '2026-04-28T04:00:00Z' });
    expect(paperOf(event)).toMatchObject({ arxivId: '2401.12345', latestVersion: 3, abstract: 'Updated abstract.', authors: [{ name: 'Ada Lovelace' }, { name: 'Charles Babbage' }] });
  });

  it('rejects an item without an arXiv id, naming the item', async () => {
    const error = await collect(feed('<item><title>T</title><guid>urn:x</guid></item>')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).details).toMatchObject({ source: 'inline', record: 1 });
  });
});
