import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParseError, UpstreamError } from '../domain/errors.js';
import type { PaperRecord } from '../domain/paper.js';
import { parseArxivAtom, type ArxivAtomEvent } from './arxiv-atom.parser.js';
import { API_ATOM_DIR } from './testing/arxiv-fixtures.js';

async function parseFile(name: string): Promise<ArxivAtomEvent[]> {
  const file = path.join(API_ATOM_DIR, name);
  const out: ArxivAtomEvent[] = [];
  for await (const event of parseArxivAtom(fs.createReadStream(file), file)) out.push(event);
  return out;
}

const papers = (events: ArxivAtomEvent[]): PaperRecord[] =>
  events.flatMap((e) => (e.type === 'record' && e.item.kind === 'paper' ? [e.item.paper] : []));

describe('parseArxivAtom on real arXiv API responses', () => {
  it('reads the cs.RO search: totalResults 5619 and two entries with all their categories', async () => {
    const events = await parseFile('xiv_search-cat-cs.RO_2025-10-17.xml');
    expect(events[0]).toEqual({ type: 'feed', totalResults: 5619, startIndex: 0, itemsPerPage: 2 });
    const [rdd, flow] = papers(events);
    expect(rdd).toEqual({
      arxivId: '2510.14968',
      latestVersion: 1,
      title: 'RDD: Retrieval-Based Demonstration Decomposer for Planner Alignment in\n  Long-Horizon Tasks',
      abstract: expect.stringMatching(/^To tackle long-horizon tasks, recent hierarchical vision-language-action\n\(VLAs\)/),
      authors: [
        { name: 'Mingxuan Yan', affiliations: [] },
        { name: 'Yuping Wang', affiliations: [] },
        { name: 'Zechun Liu', affiliations: [] },
        { name: 'Jiachen Li', affiliations: [] },
      ],
      categories: ['cs.RO', 'cs.AI', 'cs.CV', 'cs.LG', 'cs.SY', 'eess.SY'],
      primaryCategory: 'cs.RO',
      publishedAt: '2025-10-16T17:59:37Z',
      updatedAt: '2025-10-16T17:59:37Z',
      doi: null,
      journalRef: null,
      comments: '39th Conference on Neural Information Processing Systems (NeurIPS\n  2025); Project Website: rdd-neurips.github.io',
      license: null,
      reportNo: null,
      mscClass: null,
      acmClass: null,
      submitter: null,
      versions: [{ version: 1, submittedAt: '2025-10-16T17:59:37Z' }],
    });
    expect(rdd?.abstract.endsWith('available at rdd-neurips.github.io.')).toBe(true);
    expect(flow).toMatchObject({ arxivId: '2510.14827', authors: expect.arrayContaining([{ name: 'Achim J. Lilienthal', affiliations: [] }]), categories: ['cs.RO'], comments: null });
    expect(flow?.authors).toHaveLength(6);
    expect(events[1]).toMatchObject({ links: { abs: 'http://arxiv.org/abs/2510.14968v1', pdf: 'http://arxiv.org/pdf/2510.14968v1', doi: null } });
  });

  it('reads doi, journal ref, doi link and TeX accents (1601.00001)', async () => {
    const events = await parseFile('zoia_id_list-1601.00001_2020-09-04.xml');
    expect(events[0]).toEqual({ type: 'feed', totalResults: 1, startIndex: 0, itemsPerPage: 10 });
    expect(events).toHaveLength(2);
    expect(events[1]).toMatchObject({
      type: 'record',
      item: { kind: 'paper', datestamp: null },
      links: { abs: 'http://arxiv.org/abs/1601.00001v1', pdf: 'http://arxiv.org/pdf/1601.00001v1', doi: 'http://dx.doi.org/10.1063/1.4944470' },
    });
    expect(papers(events)[0]).toMatchObject({
      arxivId: '1601.00001',
      title: 'Inelastic effects in molecular transport junctions: The probe technique\n  at high bias',
      doi: '10.1063/1.4944470',
      journalRef: 'J. Chem. Phys. 144, 124107 (2016)',
      primaryCategory: 'cond-mat.mes-hall',
      categories: ['cond-mat.mes-hall'],
      publishedAt: '2015-12-26T21:19:45Z',
      authors: [{ name: 'Michael Kilgour' }, { name: 'Dvira Segal' }],
    });
    expect(papers(events)[0]?.abstract).toMatch(/^We extend the Landauer-B\\"uttiker probe formalism/);
  });

  it('reads the 1301.7746 query with its comment', async () => {
    const [paper] = papers(await parseFile('sciencegist_query-1301.7746_2013-02-02.xml'));
    expect(paper).toMatchObject({
      arxivId: '1301.7746',
      latestVersion: 1,
      title: 'Phases and phase transitions in disordered quantum systems',
      authors: [{ name: 'Thomas Vojta' }],
      categories: ['cond-mat.dis-nn', 'cond-mat.str-el'],
      primaryCategory: 'cond-mat.dis-nn',
    });
    expect(paper?.comments).toMatch(/^Pedagogical introduction .* arXiv:cond-mat\/0602312 and arXiv:1005\.2707$/s);
  });
});

const feed = (entries: string) => `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom">
  <id>http://arxiv.org/api/x</id>
  <title type="html">ArXiv Query</title>
  <opensearch:totalResults>1</opensearch:totalResults>
  ${entries}
</feed>`;

async function collect(xml: string): Promise<ArxivAtomEvent[]> {
  const out: ArxivAtomEvent[] = [];
  for await (const event of parseArxivAtom(xml, 'inline')) out.push(event);
  return out;
}

describe('parseArxivAtom on constructed responses', () => {
  it('turns the API error entry into an UpstreamError with the server message', async () => {
    const xml = feed(`<entry>
    <id>http://arxiv.org/api/errors#incorrect_id_format_for_1234.12345v</id>
    <title>Error</title>
    <summary>incorrect id format for 1234.12345v</summary>
    <updated>2025-10-17T00:00:00-04:00</updated>
    <link href="http://arxiv.org/api/errors#incorrect_id_format_for_1234.12345v" rel="alternate" type="text/html"/>
    <author><name>arXiv api core</name></author>
  </entry>`);
    const error = await collect(xml).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ code: 'arxiv_api_error', details: { serverMessage: 'incorrect id format for 1234.12345v' } });
  });

  it('reads versions, affiliations and old-style ids; a paper titled "Error" is still a paper', async () => {
    const xml = feed(`<entry>
    <id>http://arxiv.org/abs/math/0611918v3</id>
    <updated>2010-10-30T10:00:00Z</updated>
    <published>2006-11-29T12:00:00Z</published>
    <title>Error</title>
    <summary>S</summary>
    <author><name>Martin Hock</name><arxiv:affiliation>Bar-Ilan University</arxiv:affiliation></author>
    <category term="math.GR"/>
    <arxiv:primary_category term="math.GR"/>
  </entry>`);
    const events = await collect(xml);
    expect(papers(events)[0]).toMatchObject({
      arxivId: 'math/0611918',
      latestVersion: 3,
      title: 'Error',
      authors: [{ name: 'Martin Hock', affiliations: ['Bar-Ilan University'] }],
      versions: [
        { version: 1, submittedAt: '2006-11-29T12:00:00Z' },
        { version: 3, submittedAt: '2010-10-30T10:00:00Z' },
      ],
    });
  });

  it('reports an empty result as a feed event only, and rejects non-Atom and bad entry ids', async () => {
    expect(await collect(feed(''))).toEqual([{ type: 'feed', totalResults: 1, startIndex: null, itemsPerPage: null }]);
    const rss = await collect('<rss><channel/></rss>').catch((e: unknown) => e);
    expect(rss).toBeInstanceOf(ParseError);
    const badId = await collect(feed('<entry><id>http://example.org/x</id><title>T</title></entry>')).catch((e: unknown) => e);
    expect(badId).toBeInstanceOf(ParseError);
    expect((badId as ParseError).details).toMatchObject({ source: 'inline', record: 1 });
  });
});
