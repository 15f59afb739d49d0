import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBareArxivId } from '../domain/arxiv-id.js';
import { ParseError } from '../domain/errors.js';
import type { IngestItem, PaperRecord } from '../domain/paper.js';
import { OaiProtocolError, parseOaiPmh, type OaiPmhEvent } from './oai-pmh.parser.js';
import { ARXIV_RAW_DIR, CS_HARVEST_DIR } from './testing/arxiv-fixtures.js';

async function collect(events: AsyncIterable<OaiPmhEvent>): Promise<OaiPmhEvent[]> {
  const out: OaiPmhEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

const papers = (events: OaiPmhEvent[]): PaperRecord[] =>
  events.flatMap((e) => (e.type === 'record' && e.item.kind === 'paper' ? [e.item.paper] : []));
const items = (events: OaiPmhEvent[]): IngestItem[] => events.flatMap((e) => (e.type === 'record' ? [e.item] : []));

function parsePage(file: string): Promise<OaiPmhEvent[]> {
  return collect(parseOaiPmh(fs.createReadStream(file), file));
}

function expectParseError(error: unknown): ParseError {
  expect(error).toBeInstanceOf(ParseError);
  return error as ParseError;
}

/** A response shaped like arXiv's, around the given records. */
function oaiPage(records: string, tail = '<resumptionToken cursor="0" completeListSize="1"></resumptionToken>'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">
<responseDate>2025-03-01T00:00:00Z</responseDate>
<request verb="ListRecords" metadataPrefix="arXiv">https://arxiv.org/oai</request>
<ListRecords>
${records}
${tail}
</ListRecords>
</OAI-PMH>`;
}

describe('parseOaiPmh on the real 2016 cs harvest (arXiv format)', () => {
  const pages = fs.readdirSync(CS_HARVEST_DIR).filter((f) => f.endsWith('.xml')).sort();

  it('reads all 31 pages: 1,000 records each, 538 on the last, 30,538 unique ids, and the token chain', async () => {
    expect(pages).toHaveLength(31);
    const ids = new Set<string>();
    let deleted = 0;
    for (const page of pages) {
      const events = await parsePage(path.join(CS_HARVEST_DIR, page));
      const records = items(events);
      expect(records, page).toHaveLength(page === 'page-103.xml' ? 538 : 1000);
      for (const item of records) {
        if (item.kind === 'deleted') deleted++;
        else ids.add(item.paper.arxivId);
      }
      const token = events.at(-1);
      const n = Number(/page-(\d+)/.exec(page)?.[1]);
      if (page === 'page-103.xml') {
        // The last page: an empty token element, but its attributes are still reported.
        expect(token).toEqual({ type: 'resumptionToken', token: null, cursor: 102000, completeListSize: 102538 });
      } else {
        expect(token).toEqual({ type: 'resumptionToken', token: `1122234|${n * 1000 + 1}`, cursor: (n - 1) * 1000, completeListSize: 102538 });
      }
    }
    expect(deleted).toBe(0);
    expect(ids.size).toBe(30538);
  });

  it('maps 0704.0002 field by field', async () => {
    const events = await parsePage(path.join(CS_HARVEST_DIR, 'page-001.xml'));
    const first = events[0];
    expect(first?.type === 'record' && first.item.datestamp).toBe('2008-12-13');
    const paper = papers(events).find((p) => p.arxivId === '0704.0002');
    expect(paper).toEqual({
      arxivId: '0704.0002',
      latestVersion: null,
      title: 'Sparsity-certifying Graph Decompositions',
      abstract: expect.stringMatching(/^We describe a new algorithm, the \$\(k,\\ell\)\$-pebble game with colors, and use\nit obtain/),
      authors: [
        { name: 'Ileana Streinu', keyname: 'Streinu', forenames: 'Ileana', suffix: null, affiliations: [] },
        { name: 'Louis Theran', keyname: 'Theran', forenames: 'Louis', suffix: null, affiliations: [] },
      ],
      categories: ['math.CO', 'cs.CG'],
      primaryCategory: 'math.CO',
      publishedAt: '2007-03-30',
      updatedAt: '2008-12-13',
      doi: null,
      journalRef: null,
      comments: 'To appear in Graphs and Combinatorics',
      license: 'http://arxiv.org/licenses/nonexclusive-distrib/1.0/',
      reportNo: null,
      mscClass: '05C85; 05C70; 68R10; 05B35',
      acmClass: null,
      submitter: null,
      versions: [{ version: 1, submittedAt: '2007-03-30' }],
    });
    expect(paper?.abstract.endsWith('Westermann and Hendrickson.')).toBe(true);
  });

  it('keeps suffixes, affiliations, character references and the optional fields', async () => {
    const all = papers(await parsePage(path.join(CS_HARVEST_DIR, 'page-001.xml')));
    const byId = new Map(all.map((p) => [p.arxivId, p]));
    expect(byId.get('0704.0802')?.authors[1]).toEqual({ name: 'Robert W. Heath, Jr.', keyname: 'Heath,', forenames: 'Robert W.', suffix: 'Jr.', affiliations: [] });
    // <keyname>Ka{&#xe2;}niche</keyname>: a character reference, decoded; TeX braces kept.
    expect(byId.get('0704.0858')?.authors[2]).toEqual({ name: 'Mohamed Ka{â}niche', keyname: 'Ka{â}niche', forenames: 'Mohamed', suffix: null, affiliations: ['LAAS'] });
    expect(byId.get('0704.0090')).toMatchObject({ reportNo: 'Report 2007:ROPS', acmClass: 'C.4; G.1; G.1.6; G.3; J.7', updatedAt: '2007-04-01' });
    expect(byId.get('0704.0046')).toMatchObject({ doi: '10.1063/1.2779138', journalRef: 'J. Math. Phys. 48(2007), 092102.', categories: ['quant-ph', 'cs.IT', 'math.IT'] });
  });

  it('reads old-style ids on page 103 (math/0611918)', async () => {
    const all = papers(await parsePage(path.join(CS_HARVEST_DIR, 'page-103.xml')));
    expect(all).toHaveLength(538);
    expect(all.every((p) => p.arxivId.includes('/') && parseBareArxivId(p.arxivId)?.id === p.arxivId)).toBe(true);
    expect(all[0]).toMatchObject({
      arxivId: 'math/0611918',
      title: 'Solving random equations in Garside groups using length functions',
      authors: [{ name: 'Martin Hock' }, { name: 'Boaz Tsaban' }],
      categories: ['math.GR', 'cs.CR', 'math.AG'],
      primaryCategory: 'math.GR',
      publishedAt: '2006-11-29',
      updatedAt: '2010-10-30',
    });
    expect(all.at(-1)?.arxivId).toBe('quant-ph/9912100');
  });

  it('gives the same records whatever the chunk boundaries (multi-byte characters split across chunks)', async () => {
    const file = path.join(CS_HARVEST_DIR, 'page-001.xml');
    const bytes = fs.readFileSync(file);
    async function* oddChunks() {
      for (let i = 0; i < bytes.length; i += 997) yield bytes.subarray(i, i + 997);
    }
    const whole = await collect(parseOaiPmh(bytes.toString('utf8'), file));
    const chunked = await collect(parseOaiPmh(oddChunks(), file));
    expect(chunked).toEqual(whole);
    expect(papers(chunked).some((p) => /[^\x00-\x7f]/.test(JSON.stringify(p.authors)))).toBe(true);
  });

  it('yields records while the input is still being read', async () => {
    const bytes = fs.readFileSync(path.join(CS_HARVEST_DIR, 'page-001.xml'));
    let pulled = 0;
    async function* chunks() {
      for (let i = 0; i < bytes.length; i += 16 * 1024) {
        pulled++;
        yield bytes.subarray(i, i + 16 * 1024);
      }
    }
    const total = Math.ceil(bytes.length / (16 * 1024));
    for await (const event of parseOaiPmh(chunks(), 'page-001.xml')) {
      expect(event.type).toBe('record');
      break;
    }
    expect(pulled).toBeLessThan(total / 10);
  });
});

describe('parseOaiPmh on the real arXivRaw responses', () => {
  it('reads the 6-record ListRecords page with versions, split authors and the token 726959|1001', async () => {
    const events = await parsePage(path.join(ARXIV_RAW_DIR, 'ListRecordsResponse.xml'));
    const all = papers(events);
    expect(all.map((p) => p.arxivId)).toEqual(['0704.0471', '0704.0716', '0704.0874', '0704.1109', '0704.1114', '0704.1586']);
    expect(events.at(-1)).toEqual({ type: 'resumptionToken', token: '726959|1001', cursor: 0, completeListSize: 58011 });

    const [shetty, richard, farkas, rosa] = all;
    expect(shetty).toMatchObject({
      submitter: 'Dinesh Shetty',
      latestVersion: 1,
      publishedAt: '2007-04-03T22:04:11Z',
      updatedAt: '2007-04-03T22:04:11Z',
      versions: [{ version: 1, submittedAt: '2007-04-03T22:04:11Z', size: '294kb', sourceType: null }],
      authors: [{ name: 'D.V. Shetty' }, { name: 'S.J. Yennello' }, { name: 'G.A. Souliotis' }],
      categories: ['nucl-ex', 'nucl-th'],
      primaryCategory: 'nucl-ex',
      // Two DOIs (paper and erratum) in one field, kept as the source gives them.
      doi: '10.1103/PhysRevC.76.024606 10.1103/PhysRevC.76.039902',
      title: 'Density dependence of the symmetry energy and the nuclear equation of\n  state: A Dynamical and Statistical model perspective',
    });
    expect(shetty?.abstract).toContain('an extremely " stiff " and " soft "\nform');
    expect(richard).toMatchObject({
      latestVersion: 4,
      publishedAt: '2007-04-05T12:45:03Z',
      updatedAt: '2008-11-14T09:07:25Z',
      mscClass: '05A15, 05A16',
      versions: [
        { version: 1, submittedAt: '2007-04-05T12:45:03Z', size: '43kb', sourceType: null },
        { version: 2, submittedAt: '2007-09-28T15:13:43Z', size: '48kb', sourceType: null },
        { version: 3, submittedAt: '2008-02-29T16:05:39Z', size: '48kb', sourceType: null },
        { version: 4, submittedAt: '2008-11-14T09:07:25Z', size: '49kb', sourceType: null },
      ],
    });
    expect(farkas?.latestVersion).toBe(3);
    expect(rosa?.authors.map((a) => a.name)).toEqual(['Valeria M. Rosa', 'Patricio S. letelier']);
  });

  it('reads GetRecord (1302.2146) with source types', async () => {
    const events = await parsePage(path.join(ARXIV_RAW_DIR, 'GetRecordResponse.xml'));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'record', item: { kind: 'paper', datestamp: '2013-04-03' } });
    expect(papers(events)[0]).toMatchObject({
      arxivId: '1302.2146',
      latestVersion: 2,
      title: 'The Same-Sign Dilepton Signature of RPV/MFV SUSY',
      authors: [{ name: 'Joshua Berger' }, { name: 'Maxim Perelstein' }, { name: 'Michael Saelim' }, { name: 'Philip Tanedo' }],
      versions: [
        { version: 1, submittedAt: '2013-02-08T21:00:01Z', size: '853kb', sourceType: 'D' },
        { version: 2, submittedAt: '2013-04-02T01:50:08Z', size: '849kb', sourceType: 'D' },
      ],
      comments: '18 pages, 6 figures; v2: References added',
    });
  });

  it('reports noRecordsMatch as an event, not a failure', async () => {
    const events = await parsePage(path.join(ARXIV_RAW_DIR, 'ErrorResponseNoRecordsMatch.xml'));
    expect(events).toEqual([{ type: 'noRecordsMatch' }]);
  });

  it.each([
    ['ErrorResponseBadArgument.xml', 'oai_badArgument', "Verb 'ListRecords', illegal argument 'identifier'."],
    ['ErrorResponseBadResumptionToken.xml', 'oai_badResumptionToken', 'The resumptionToken supplied is illegal for this repository'],
    ['ErrorResponseBadVerb.xml', 'oai_badVerb', "Bad verb. Verb 'wah' not implemented."],
    ['ErrorResponseIdDoesNotExist.xml', 'oai_idDoesNotExist', "Identifier 'oai:arXiv.org:0813.2274' has correct form but does not correspond to an item in this repository"],
  ])('throws OaiProtocolError for %s', async (file, code, message) => {
    const error = await parsePage(path.join(ARXIV_RAW_DIR, file)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OaiProtocolError);
    expect(error).toMatchObject({ code, serverMessage: message, details: { source: path.join(ARXIV_RAW_DIR, file), serverMessage: message } });
    expect((error as Error).message).toContain(message);
  });
});

describe('parseOaiPmh on constructed responses', () => {
  it('yields a tombstone for <header status="deleted">', async () => {
    const xml = oaiPage(`<record>
<header status="deleted">
 <identifier>oai:arXiv.org:0704.0099</identifier>
 <datestamp>2025-02-14</datestamp>
 <setSpec>cs:cs:AI</setSpec>
</header>
</record>
<record>
<header status="deleted">
 <identifier>oai:arXiv.org:math/0611918</identifier>
 <datestamp>2025-02-15</datestamp>
</header>
</record>`);
    expect(items(await collect(parseOaiPmh(xml, 'inline')))).toEqual([
      { kind: 'deleted', arxivId: '0704.0099', datestamp: '2025-02-14' },
      { kind: 'deleted', arxivId: 'math/0611918', datestamp: '2025-02-15' },
    ]);
  });

  it('does not depend on element order, and reads a 2025-style token without cursor or completeListSize', async () => {
    // 0704.0002 with every element reversed, metadata before header, as the 2025 interface may send.
    const xml = oaiPage(
      `<record>
<metadata>
 <arXiv xmlns="http://arxiv.org/OAI/arXiv/">
 <abstract>  We describe a new algorithm.
</abstract><license>http://arxiv.org/licenses/nonexclusive-distrib/1.0/</license><msc-class>05C85; 05C70; 68R10; 05B35</msc-class><comments>To appear in Graphs and Combinatorics</comments><categories>math.CO cs.CG</categories><title>Sparsity-certifying Graph Decompositions</title><authors><author><forenames>Ileana</forenames><keyname>Streinu</keyname></author><author><forenames>Louis</forenames><keyname>Theran</keyname></author></authors><updated>2008-12-13</updated><created>2007-03-30</created><id>0704.0002</id></arXiv>
</metadata>
<header>
 <setSpec>cs:cs:CG</setSpec>
 <datestamp>2008-12-13</datestamp>
 <identifier>oai:arXiv.org:0704.0002</identifier>
</header>
</record>`,
      '<resumptionToken>opaque-token-42</resumptionToken>',
    );
    const events = await collect(parseOaiPmh(xml, 'inline'));
    expect(events[0]).toMatchObject({ type: 'record', item: { kind: 'paper', datestamp: '2008-12-13' } });
    expect(papers(events)[0]).toMatchObject({
      arxivId: '0704.0002',
      title: 'Sparsity-certifying Graph Decompositions',
      abstract: 'We describe a new algorithm.',
      authors: [{ name: 'Ileana Streinu' }, { name: 'Louis Theran' }],
      categories: ['math.CO', 'cs.CG'],
      publishedAt: '2007-03-30',
      updatedAt: '2008-12-13',
      mscClass: '05C85; 05C70; 68R10; 05B35',
    });
    expect(events[1]).toEqual({ type: 'resumptionToken', token: 'opaque-token-42', cursor: null, completeListSize: null });
  });

  it('takes the id from the metadata <id>, not the header', async () => {
    const xml = oaiPage(`<record><header><identifier>oai:arXiv.org:0704.0002</identifier><datestamp>2020-01-01</datestamp></header>
<metadata><arXiv><id>0704.0002v2</id><title>T</title></arXiv></metadata></record>`);
    expect(papers(await collect(parseOaiPmh(xml, 'inline')))[0]?.arxivId).toBe('0704.0002');
  });

  it('fails on a truncated real page with the source, line and column, after yielding the complete records', async () => {
    const file = path.join(CS_HARVEST_DIR, 'page-002.xml');
    const text = fs.readFileSync(file, 'utf8');
    const cut = text.slice(0, Math.floor(text.length / 2));
    const seen: OaiPmhEvent[] = [];
    const error = await (async () => {
      for await (const event of parseOaiPmh(cut, 'truncated-page.xml')) seen.push(event);
    })().catch((e: unknown) => e);
    const parseError = expectParseError(error);
    const expectedLine = cut.split('\n').length;
    expect(parseError.details).toMatchObject({ source: 'truncated-page.xml', line: expectedLine, column: expect.any(Number) });
    expect(parseError.message).toMatch(/^truncated-page\.xml: line \d+, column \d+: /);
    expect(seen.length).toBeGreaterThan(400);
    expect(seen.length).toBeLessThan(1000);
    expect(parseError.details?.['record']).toBe(seen.length + 1);
  });

  it('fails on malformed XML with its position', async () => {
    const error = await collect(parseOaiPmh('<OAI-PMH>\n<ListRecords>\n<record></ListRecords>', 'bad.xml')).catch((e: unknown) => e);
    expect(expectParseError(error).details).toMatchObject({ source: 'bad.xml', line: 3 });
  });

  it('refuses a DOCTYPE that declares entities and never expands entities', async () => {
    const bomb = `<?xml version="1.0"?>
<!DOCTYPE OAI-PMH [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<OAI-PMH><ListRecords><record><header><identifier>oai:arXiv.org:0704.0002</identifier></header>
<metadata><arXiv><id>0704.0002</id><title>&b;</title></arXiv></metadata></record></ListRecords></OAI-PMH>`;
    const error = await collect(parseOaiPmh(bomb, 'bomb.xml')).catch((e: unknown) => e);
    expect(expectParseError(error).message).toMatch(/entit/i);

    const external = oaiPage(`<record><header><identifier>oai:arXiv.org:0704.0002</identifier></header>
<metadata><arXiv><id>0704.0002</id><title>&xxe;</title></arXiv></metadata></record>`);
    const undefinedEntity = await collect(parseOaiPmh(external, 'xxe.xml')).catch((e: unknown) => e);
    expect(expectParseError(undefinedEntity).message).toMatch(/undefined entity/);
  });

  it('bounds field sizes: a field over 1 MB is a ParseError', async () => {
    const huge = 'x'.repeat(1024 * 1024 + 10);
    const xml = oaiPage(`<record><header><identifier>oai:arXiv.org:0704.0002</identifier></header>
<metadata><arXiv><id>0704.0002</id><abstract>${huge}</abstract></arXiv></metadata></record>`);
    const error = await collect(parseOaiPmh(xml, 'huge.xml')).catch((e: unknown) => e);
    expect(expectParseError(error).message).toMatch(/longer than 1048576 characters/);
    // Many small pieces (split by comments) add up to the same limit.
    const pieces = Array.from({ length: 1100 }, () => `${'y'.repeat(1000)}<!-- -->`).join('');
    const split = oaiPage(`<record><header><identifier>oai:arXiv.org:0704.0002</identifier></header>
<metadata><arXiv><id>0704.0002</id><abstract>${pieces}</abstract></arXiv></metadata></record>`);
    const error2 = await collect(parseOaiPmh(split, 'split.xml')).catch((e: unknown) => e);
    expect(expectParseError(error2).details).toMatchObject({ field: 'abstract' });
  });

  it('rejects documents that are not OAI-PMH and unsupported metadata formats', async () => {
    const html = await collect(parseOaiPmh('<html><body>Service unavailable</body></html>', 'page')).catch((e: unknown) => e);
    expect(expectParseError(html).message).toContain('expected an OAI-PMH response, found <html>');
    const dc = oaiPage(`<record><header><identifier>oai:arXiv.org:0704.0002</identifier></header>
<metadata><oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"><dc:title>T</dc:title></oai_dc:dc></metadata></record>`);
    const error = await collect(parseOaiPmh(dc, 'dc.xml')).catch((e: unknown) => e);
    expect(expectParseError(error).message).toContain('unsupported metadata format <dc>');
  });
});
