import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LexicalBulkLoader } from './lexical-bulk-loader.js';
import { LexicalIndex } from './lexical-index.js';
import type { SearchDocument } from './search-document.js';
import { realArxivPapers } from './testing/real-arxiv-papers.js';
import { createScientificAnalyzer } from './tokenizer.js';

function sameAnswers(a: LexicalIndex, b: LexicalIndex, queries: readonly string[]): void {
  for (const q of queries) {
    expect(b.search(q, { limit: 20 }), q).toEqual(a.search(q, { limit: 20 }));
    expect(b.search(q, { limit: 5, prefix: true }), `${q} (prefix)`).toEqual(a.search(q, { limit: 5, prefix: true }));
  }
}

describe('LexicalBulkLoader on real arXiv records', () => {
  let papers: SearchDocument[];
  let queries: string[];
  let sequential: LexicalIndex;

  beforeAll(async () => {
    papers = await realArxivPapers(2);
    // A replaced paper (same key, new text), a paper without title and one with TeX.
    papers.push({ ...papers[3]!, title: 'Replaced: spectral graph wavelets on $\\mathbb{R}^3$', abstract: 'A second version of this paper.' });
    papers.push({ key: 'no-title', title: '', abstract: 'Only an abstract about 12-lead ECG and COVID-19.', authors: '' });
    queries = papers.filter((_, i) => i % 97 === 0).map((p) => p.title.split(/\s+/).slice(0, 4).join(' ')).concat(['"neural network"', 'spectral graph wavelets', '12-lead ecg', 'zzzz-unknown-word']);
    sequential = new LexicalIndex({ segmentDocs: 700 });
    for (const p of papers) sequential.add(p);
    sequential.flush();
  });

  it.each([1, 2, 3])('answers exactly as one paper at a time with %i worker(s)', async (threads) => {
    expect(papers.length).toBeGreaterThan(1500);
    const bulk = new LexicalIndex({ segmentDocs: 700 });
    const loader = new LexicalBulkLoader(bulk, threads);
    try {
      // Two calls: worker dictionaries carry over from one call to the next.
      await loader.addAll(papers.slice(0, 900));
      await loader.addAll(papers.slice(900));
    } finally {
      await loader.close();
    }
    bulk.flush();
    expect(bulk.size).toBe(sequential.size);
    const { documents, terms, postings } = bulk.stats();
    expect({ documents, terms, postings }).toEqual((({ documents, terms, postings }) => ({ documents, terms, postings }))(sequential.stats()));
    sameAnswers(sequential, bulk, queries);
    expect(bulk.complete('spec')).toEqual(sequential.complete('spec'));
    expect(bulk.complete('neur')).toEqual(sequential.complete('neur'));
    expect(bulk.search('Replaced spectral graph wavelets', { limit: 1 })[0]?.key).toBe(papers[3]!.key);
  });

  it('keeps its answers through a snapshot', async () => {
    const bulk = new LexicalIndex();
    const loader = new LexicalBulkLoader(bulk, 2);
    await loader.addAll(papers).finally(() => loader.close());
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bulk-')), 'lexical.idx');
    bulk.save(file);
    sameAnswers(sequential, LexicalIndex.load(file), queries);
  });

  it('refuses an index with another analyzer, before starting any worker', () => {
    const plain = new LexicalIndex({ analyzer: createScientificAnalyzer({ stem: false }) });
    expect(() => new LexicalBulkLoader(plain, 1)).toThrow(/needs the scientific\(porter.*this index uses scientific\(nostem/);
  });

});
