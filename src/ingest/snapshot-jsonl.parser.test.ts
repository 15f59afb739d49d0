import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../domain/errors.js';
import type { IngestItem, PaperRecord } from '../domain/paper.js';
import { parseOaiPmh } from './oai-pmh.parser.js';
import { parseSnapshotJsonl } from './snapshot-jsonl.parser.js';
import { CS_HARVEST_DIR, SNAPSHOT_JSONL } from './testing/arxiv-fixtures.js';

async function collect(items: AsyncIterable<IngestItem>): Promise<IngestItem[]> {
  const out: IngestItem[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const paperOf = (item: IngestItem | undefined): PaperRecord | undefined => (item?.kind === 'paper' ? item.paper : undefined);

describe('parseSnapshotJsonl on the real Kaggle snapshot sample', () => {
  it('reads all 200 lines, 0704.0001 to 0704.0200', async () => {
    const items = await collect(parseSnapshotJsonl(fs.createReadStream(SNAPSHOT_JSONL, { highWaterMark: 4096 }), SNAPSHOT_JSONL));
    expect(items).toHaveLength(200);
    expect(paperOf(items[0])?.arxivId).toBe('0704.0001');
    expect(paperOf(items[199])?.arxivId).toBe('0704.0200');
    expect(new Set(items.map((i) => paperOf(i)?.arxivId)).size).toBe(200);
  });

  it('maps 0704.0001 field by field', async () => {
    const [first] = await collect(parseSnapshotJsonl(fs.createReadStream(SNAPSHOT_JSONL), SNAPSHOT_JSONL));
    // update_date is the metadata's last change (the OAI datestamp), not a version date.
    expect(first).toMatchObject({ kind: 'paper', datestamp: '2008-11-26' });
    expect(paperOf(first)).toEqual({
      arxivId: '0704.0001',
      latestVersion: 2,
      title: 'Calculation of prompt diphoton production cross sections at Tevatron and\n  LHC energies',
      abstract: expect.stringMatching(/^A fully differential calculation in perturbative quantum chromodynamics is\npresented/),
      authors: [
        { name: 'C. Balázs', keyname: 'Balázs', forenames: 'C.', suffix: null, affiliations: [] },
        { name: 'E. L. Berger', keyname: 'Berger', forenames: 'E. L.', suffix: null, affiliations: [] },
        { name: 'P. M. Nadolsky', keyname: 'Nadolsky', forenames: 'P. M.', suffix: null, affiliations: [] },
        { name: 'C. -P. Yuan', keyname: 'Yuan', forenames: 'C. -P.', suffix: null, affiliations: [] },
      ],
      categories: ['hep-ph'],
      primaryCategory: 'hep-ph',
      publishedAt: '2007-04-02T19:18:42Z',
      updatedAt: '2007-07-24T20:10:27Z',
      doi: '10.1103/PhysRevD.76.013009',
      journalRef: 'Phys.Rev.D76:013009,2007',
      comments: '37 pages, 15 figures; published version',
      license: null,
      reportNo: 'ANL-HEP-PR-07-12',
      mscClass: null,
      acmClass: null,
      submitter: 'Pavel Nadolsky',
      versions: [
        { version: 1, submittedAt: '2007-04-02T19:18:42Z' },
        { version: 2, submittedAt: '2007-07-24T20:10:27Z' },
      ],
    });
  });

  it('keeps affiliations given as extra authors_parsed entries (0704.0185), whitespace collapsed', async () => {
    const items = await collect(parseSnapshotJsonl(fs.createReadStream(SNAPSHOT_JSONL), SNAPSHOT_JSONL));
    const paper = items.map(paperOf).find((p) => p?.arxivId === '0704.0185');
    expect(paper?.authors[0]).toEqual({
      name: 'Peter Brommer',
      keyname: 'Brommer',
      forenames: 'Peter',
      suffix: null,
      affiliations: ['Institut für Theoretische und Angewandte Physik, Universität Stuttgart'],
    });
  });

  it('agrees with the OAI-PMH arXiv format on 0704.0002 (same title, abstract, authors, categories)', async () => {
    const items = await collect(parseSnapshotJsonl(fs.createReadStream(SNAPSHOT_JSONL), SNAPSHOT_JSONL));
    const fromSnapshot = items.map(paperOf).find((p) => p?.arxivId === '0704.0002');
    let fromOai: PaperRecord | undefined;
    const page = path.join(CS_HARVEST_DIR, 'page-001.xml');
    for await (const event of parseOaiPmh(fs.createReadStream(page), page)) {
      if (event.type === 'record' && event.item.kind === 'paper') {
        fromOai = event.item.paper;
        break;
      }
    }
    // The snapshot has no msc-class or acm-class keys, so those are left out of the comparison.
    const pick = (p: PaperRecord | undefined) => p && { title: p.title, abstract: p.abstract, authors: p.authors, categories: p.categories, comments: p.comments, license: p.license };
    expect(fromOai?.arxivId).toBe('0704.0002');
    expect(pick(fromSnapshot)).toEqual(pick(fromOai));
  });
});

describe('parseSnapshotJsonl on bad input', () => {
  const lines = fs.readFileSync(SNAPSHOT_JSONL, 'utf8').split('\n').slice(0, 3);

  it('names the source and line number of invalid JSON, after yielding the lines before it', async () => {
    const text = [lines[0], lines[1], '{"id": "0704.0003", "title": ', lines[2]].join('\n');
    const seen: IngestItem[] = [];
    const error = await (async () => {
      for await (const item of parseSnapshotJsonl(text, 'snapshot.jsonl')) seen.push(item);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).details).toMatchObject({ source: 'snapshot.jsonl', line: 3 });
    expect((error as ParseError).message).toMatch(/^snapshot\.jsonl: line 3: invalid JSON/);
    expect(seen).toHaveLength(2);
  });

  it('names the field that fails validation', async () => {
    const bad = JSON.stringify({ ...JSON.parse(lines[0] ?? '{}'), versions: [{ version: 'v1' }] });
    const error = await collect(parseSnapshotJsonl(`${lines[1]}\n\n${bad}\n`, 'snapshot.jsonl')).catch((e: unknown) => e);
    expect((error as ParseError).details).toMatchObject({ source: 'snapshot.jsonl', line: 3, field: 'versions.0.created' });
  });

  it('bounds line length, also for a last line without a newline', async () => {
    const long = `{"id": "${'x'.repeat(6000)}"}`;
    const error = await collect(parseSnapshotJsonl(`${lines[0]}\n${long}`, 'big.jsonl', { maxLineChars: 5000 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).details).toMatchObject({ source: 'big.jsonl', line: 2 });
  });

  it('accepts CRLF line endings and a missing final newline', async () => {
    const items = await collect(parseSnapshotJsonl(`${lines[0]}\r\n${lines[1]}`, 'crlf.jsonl'));
    expect(items.map((i) => paperOf(i)?.arxivId)).toEqual(['0704.0001', '0704.0002']);
  });
});
