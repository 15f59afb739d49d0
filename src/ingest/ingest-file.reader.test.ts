import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParseError } from '../domain/errors.js';
import type { IngestItem } from '../domain/paper.js';
import { readIngestFile, type IngestFile } from './ingest-file.reader.js';
import { OaiProtocolError } from './oai-pmh.parser.js';
import { API_ATOM_DIR, ARXIV_RAW_DIR, CS_HARVEST_DIR, CS_HARVEST_MORE_DIR, RSS_DIR, SNAPSHOT_JSONL } from './testing/arxiv-fixtures.js';

async function readAll(file: string): Promise<{ reader: IngestFile; items: IngestItem[] }> {
  const reader = await readIngestFile(file);
  const items: IngestItem[] = [];
  for await (const item of reader) items.push(item);
  return { reader, items };
}

const idOf = (item: IngestItem | undefined) => (item?.kind === 'paper' ? item.paper.arxivId : item?.arxivId);

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-ingest-file-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('readIngestFile sniffs the format from the content', () => {
  it.each([
    [path.join(CS_HARVEST_DIR, 'page-001.xml'), 'oai-pmh', 1000, '0704.0002'],
    [path.join(CS_HARVEST_DIR, 'page-103.xml'), 'oai-pmh', 538, 'math/0611918'],
    [path.join(ARXIV_RAW_DIR, 'ListRecordsResponse.xml'), 'oai-pmh', 6, '0704.0471'],
    [path.join(ARXIV_RAW_DIR, 'ErrorResponseNoRecordsMatch.xml'), 'oai-pmh', 0, undefined],
    [path.join(API_ATOM_DIR, 'xiv_search-cat-cs.RO_2025-10-17.xml'), 'arxiv-atom', 2, '2510.14968'],
    [path.join(API_ATOM_DIR, 'zoia_id_list-1601.00001_2020-09-04.xml'), 'arxiv-atom', 1, '1601.00001'],
    [path.join(API_ATOM_DIR, 'sciencegist_query-1301.7746_2013-02-02.xml'), 'arxiv-atom', 1, '1301.7746'],
    [path.join(RSS_DIR, 'arxiv_cs_ai.xml'), 'arxiv-rss', 3, '2604.21935'],
    [path.join(RSS_DIR, 'arxiv_cs_cl.xml'), 'arxiv-rss', 3, '2604.22002'],
    [path.join(RSS_DIR, 'arxiv_cs_lg.xml'), 'arxiv-rss', 3, '2604.21952'],
    [SNAPSHOT_JSONL, 'snapshot-jsonl', 200, '0704.0001'],
  ])('%s is %s with %i items', async (file, format, count, firstId) => {
    const { reader, items } = await readAll(file);
    expect(reader).toMatchObject({ path: file, format, gzipped: false });
    expect(items).toHaveLength(count);
    expect(idOf(items[0])).toBe(firstId);
    expect(reader.bytesRead()).toBe(fs.statSync(file).size);
  });

  it('reads past a prologue with comments, a processing instruction and a DOCTYPE without entities', async () => {
    const file = path.join(tmp, 'prologue.xml');
    const page = fs.readFileSync(path.join(ARXIV_RAW_DIR, 'GetRecordResponse.xml'), 'utf8').replace(/^<\?xml[^>]*>/, '');
    fs.writeFileSync(file, `\uFEFF<?xml version="1.0"?>\n<!-- saved by hand -->\n<?pi x?>\n<!DOCTYPE OAI-PMH>\n${page}`);
    const { reader, items } = await readAll(file);
    expect(reader.format).toBe('oai-pmh');
    expect(items.map(idOf)).toEqual(['1302.2146']);
  });
});

describe('readIngestFile and gzip', () => {
  it('gunzips a gzipped copy of a real page, reporting compressed bytes read', async () => {
    const source = path.join(CS_HARVEST_DIR, 'page-103.xml');
    const file = path.join(tmp, 'page-103.xml.gz');
    fs.writeFileSync(file, gzipSync(fs.readFileSync(source)));
    const reader = await readIngestFile(file);
    expect(reader).toMatchObject({ format: 'oai-pmh', gzipped: true });
    let count = 0;
    let midway = -1;
    for await (const item of reader.items()) {
      count++;
      if (count === 1) expect(idOf(item)).toBe('math/0611918');
      if (count === 100) midway = reader.bytesRead();
    }
    expect(count).toBe(538);
    expect(midway).toBeGreaterThan(0);
    expect(reader.bytesRead()).toBe(fs.statSync(file).size);
  });

  it('reads the real gzipped page-031.xml.gz: 1,000 records', async () => {
    const { reader, items } = await readAll(path.join(CS_HARVEST_MORE_DIR, 'page-031.xml.gz'));
    expect(reader).toMatchObject({ format: 'oai-pmh', gzipped: true });
    expect(items).toHaveLength(1000);
    expect(idOf(items[0])).toBe('1203.4716');
    expect(new Set(items.map(idOf)).size).toBe(1000);
  });

  it('reads a gzipped snapshot', async () => {
    const file = path.join(tmp, 'snapshot.jsonl.gz');
    fs.writeFileSync(file, gzipSync(fs.readFileSync(SNAPSHOT_JSONL)));
    const { reader, items } = await readAll(file);
    expect(reader).toMatchObject({ format: 'snapshot-jsonl', gzipped: true });
    expect(items).toHaveLength(200);
  });

  it('reports a truncated gzip file as a ParseError naming it', async () => {
    const file = path.join(tmp, 'cut.xml.gz');
    const whole = fs.readFileSync(path.join(CS_HARVEST_MORE_DIR, 'page-032.xml.gz'));
    fs.writeFileSync(file, whole.subarray(0, Math.floor(whole.length / 2)));
    const error = await readAll(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).message).toContain('cut.xml.gz');
    expect((error as ParseError).details).toMatchObject({ source: file });
  });
});

describe('readIngestFile failures', () => {
  it('fails on a truncated copy of a real page with the file name, line and column', async () => {
    const file = path.join(tmp, 'truncated-page.xml');
    const text = fs.readFileSync(path.join(CS_HARVEST_DIR, 'page-002.xml'), 'utf8');
    fs.writeFileSync(file, text.slice(0, Math.floor(text.length / 2)));
    const seen: IngestItem[] = [];
    const error = await (async () => {
      for await (const item of await readIngestFile(file)) seen.push(item);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParseError);
    const { message, details } = error as ParseError;
    expect(message).toContain('truncated-page.xml');
    expect(message).toMatch(/line \d+, column \d+/);
    expect(details).toMatchObject({ source: file, line: expect.any(Number), column: expect.any(Number) });
    expect(seen.length).toBeGreaterThan(0);
  });

  it('throws the OAI error of an error response other than noRecordsMatch', async () => {
    const error = await readAll(path.join(ARXIV_RAW_DIR, 'ErrorResponseBadResumptionToken.xml')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OaiProtocolError);
    expect(error).toMatchObject({ code: 'oai_badResumptionToken' });
  });

  it('rejects an unknown format, an unknown XML root and an empty file, naming the file', async () => {
    const csv = path.join(tmp, 'papers.csv');
    fs.writeFileSync(csv, 'id,title\n0704.0002,Sparsity\n');
    const html = path.join(tmp, 'page.html');
    fs.writeFileSync(html, '<!DOCTYPE html>\n<html><body>503</body></html>');
    const empty = path.join(tmp, 'empty.xml');
    fs.writeFileSync(empty, '  \n');
    for (const file of [csv, html, empty]) {
      const error = await readIngestFile(file).catch((e: unknown) => e);
      expect(error, file).toBeInstanceOf(ParseError);
      expect((error as ParseError).message).toContain(path.basename(file));
      expect((error as ParseError).details).toMatchObject({ source: file });
    }
  });

  it('lets file-system errors through unchanged, so callers can tell them from bad content', async () => {
    const error = await readIngestFile(path.join(tmp, 'nope.xml')).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ENOENT', syscall: 'open' });
  });

  it('can be closed without being read, and items() runs once', async () => {
    const reader = await readIngestFile(SNAPSHOT_JSONL);
    const first = await reader.items().next();
    expect(first.done).toBe(false);
    await expect(reader.items().next()).rejects.toThrow(/only be iterated once/);
    reader.close();
  });
});
