import { seededRandom } from './seeded-random.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Bm25fParams, bm25Idf } from './bm25f-params.js';
import { loadScifact } from './eval/collection-loaders.js';
import { readSnapshotFile, writeSnapshotFile } from './index-snapshot.js';
import { LexicalIndex } from './lexical-index.js';
import type { SearchDocument } from './search-document.js';
import { createPlainAnalyzer, createScientificAnalyzer } from './tokenizer.js';

const sharedData = fileURLToPath(new URL('../../../shared/data', import.meta.url));


function randomQueries(documents: SearchDocument[], count: number, seed: number): string[] {
  const next = seededRandom(seed);
  const queries: string[] = [];
  for (let i = 0; i < count; i++) {
    const words = documents[Math.floor(next() * documents.length)]!.abstract.split(/\s+/).filter(Boolean);
    const n = 1 + Math.floor(next() * 8);
    const picked: string[] = [];
    for (let j = 0; j < n; j++) picked.push(words[Math.floor(next() * words.length)] ?? 'cell');
    queries.push(picked.join(' '));
  }
  return queries;
}

describe('LexicalIndex on SciFact (real collection)', () => {
  let documents: SearchDocument[];
  let index: LexicalIndex;

  beforeAll(() => {
    documents = loadScifact(path.join(sharedData, 'scifact'), 'test').documents.map((d, i) => ({
      ...d,
      // Synthetic metadata so the filters have something to select on.
      categories: [i % 3 === 0 ? 'q-bio.GN' : i % 3 === 1 ? 'cs.IR' : 'stat.ML'],
      publishedAt: new Date(Date.UTC(2015, 0, 1) + (i % 1000) * 86_400_000).toISOString().slice(0, 10),
      hasCode: i % 5 === 0,
    }));
    // Small segments, so queries also cross segment boundaries.
    index = new LexicalIndex({ segmentDocs: 700 });
    index.addAll(documents);
  });

  it('MaxScore returns exactly the exhaustive top-k for random queries', () => {
    expect(index.stats().segments).toBeGreaterThan(1);
    for (const [i, query] of randomQueries(documents, 150, 7).entries()) {
      const limit = [1, 10, 100, 1000][i % 4]!;
      const pruned = index.search(query, { limit });
      const exhaustive = index.search(query, { limit, exhaustive: true });
      expect(pruned, query).toEqual(exhaustive);
    }
  });

  it('MaxScore equals exhaustive under filters too', () => {
    const filters = [{ categories: ['cs'] }, { hasCode: true }, { publishedFrom: '2015-06-01', publishedTo: '2016-01-31' }, { categories: ['q-bio.GN', 'stat'], hasCode: false }];
    for (const [i, query] of randomQueries(documents, 60, 11).entries()) {
      const filter = filters[i % filters.length]!;
      const pruned = index.search(query, { limit: 20, filter });
      expect(pruned).toEqual(index.search(query, { limit: 20, filter, exhaustive: true }));
    }
  });

  it('filters select only matching documents', () => {
    const byKey = new Map(documents.map((d) => [d.key, d]));
    const query = 'cancer cells protein expression';
    for (const hit of index.search(query, { limit: 50, filter: { categories: ['cs'] } })) expect(byKey.get(hit.key)!.categories).toEqual(['cs.IR']);
    for (const hit of index.search(query, { limit: 50, filter: { hasCode: true } })) expect(byKey.get(hit.key)!.hasCode).toBe(true);
    const dated = index.search(query, { limit: 50, filter: { publishedFrom: '2015-03-01', publishedTo: '2015-03-31' } });
    expect(dated.length).toBeGreaterThan(0);
    for (const hit of dated) expect(byKey.get(hit.key)!.publishedAt! >= '2015-03-01' && byKey.get(hit.key)!.publishedAt! <= '2015-03-31').toBe(true);
  });

  it('finds a paper by words of its title', () => {
    const target = documents[1234]!;
    expect(index.search(target.title, { limit: 3 }).map((h) => h.key)).toContain(target.key);
  });

  it('snapshots to a binary file and reloads with identical results', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pb-lexical-'));
    try {
      const file = path.join(dir, 'index.bin');
      const bytes = index.save(file);
      expect(bytes).toBeGreaterThan(1000);
      const reloaded = LexicalIndex.load(file);
      expect(reloaded.size).toBe(index.size);
      for (const query of randomQueries(documents, 40, 3)) {
        expect(reloaded.search(query, { limit: 25 })).toEqual(index.search(query, { limit: 25 }));
        expect(reloaded.search(query, { limit: 10, filter: { hasCode: true } })).toEqual(index.search(query, { limit: 10, filter: { hasCode: true } }));
      }
      expect(reloaded.complete('prot')).toEqual(index.complete('prot'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('after updates, deletes and compaction equals an index rebuilt from the final documents', () => {
    const live = new LexicalIndex({ segmentDocs: 1000, compactAtDeletedShare: 1 });
    live.addAll(documents.slice(0, 3000));
    const final = new Map(documents.slice(0, 3000).map((d) => [d.key, d]));
    // Updates: new text for 200 papers; deletes: 300 papers; then 500 new papers.
    for (const d of documents.slice(0, 200)) {
      const updated = { ...d, title: `${d.title} revised`, abstract: documents[4000 + final.size % 1000]!.abstract };
      live.add(updated);
      final.set(d.key, updated);
    }
    for (const d of documents.slice(1000, 1300)) {
      expect(live.delete(d.key)).toBe(true);
      final.delete(d.key);
    }
    for (const d of documents.slice(3000, 3500)) {
      live.add(d);
      final.set(d.key, d);
    }
    expect(live.size).toBe(final.size);
    const deletedKey = documents[1100]!.key;
    const deletedDoc = documents[1100]!;
    expect(live.search(deletedDoc.title, { limit: 100 }).map((h) => h.key)).not.toContain(deletedKey);
    live.compact();
    expect(live.stats().deleted).toBe(0);
    // The rebuild inserts in a different order: results must not depend on it.
    const rebuilt = new LexicalIndex();
    rebuilt.addAll([...final.values()].reverse());
    for (const query of randomQueries(documents, 60, 5)) {
      expect(live.search(query, { limit: 20 })).toEqual(rebuilt.search(query, { limit: 20 }));
    }
  });
});

describe('LexicalIndex scoring', () => {
  const params: Bm25fParams = { k1: 1.2, fields: { title: { weight: 2, b: 0.5 }, abstract: { weight: 1, b: 0.75 }, authors: { weight: 1, b: 0 } } };
  const docs: SearchDocument[] = [
    { key: 'a', title: 'heart imaging', abstract: 'imaging of the heart heart', authors: 'Ann Lee' },
    { key: 'b', title: 'cardiac imaging', abstract: 'deep learning', authors: 'Bo Heart' },
    { key: 'c', title: 'graphs', abstract: 'planar graphs and trees', authors: 'Cy Wu' },
  ];

  it('computes BM25F by hand on a three-document index', () => {
    const index = new LexicalIndex({ params, analyzer: createPlainAnalyzer() });
    index.addAll(docs);
    // Field lengths: title 2,2,1 (avg 5/3); abstract 5,2,4 (avg 11/3); authors 2,2,2 (avg 2).
    const k1 = 1.2;
    const idf = bm25Idf(3, 2); // "heart" is in a and b
    const ttA = (2 * 1) / (0.5 + (0.5 * 2) / (5 / 3)) + (1 * 2) / (0.25 + (0.75 * 5) / (11 / 3));
    const ttB = (1 * 1) / (1 + 0);
    const hits = index.search('heart', { limit: 10 });
    expect(hits.map((h) => h.key)).toEqual(['a', 'b']);
    expect(hits[0]!.score).toBeCloseTo((idf * (k1 + 1) * ttA) / (k1 + ttA), 12);
    expect(hits[1]!.score).toBeCloseTo((idf * (k1 + 1) * ttB) / (k1 + ttB), 12);
  });

  it('breaks score ties by key', () => {
    const index = new LexicalIndex({ analyzer: createPlainAnalyzer() });
    index.addAll(['z', 'm', 'b'].map((key) => ({ key, title: 'same words', abstract: '', authors: '' })));
    expect(index.search('same', { limit: 2 }).map((h) => h.key)).toEqual(['b', 'm']);
  });

  it('updates replace the old version and deletes remove it', () => {
    const index = new LexicalIndex();
    index.addAll(docs);
    index.add({ ...docs[2]!, title: 'heart graphs' });
    expect(index.size).toBe(3);
    expect(index.search('heart', { limit: 10 }).map((h) => h.key).sort()).toEqual(['a', 'b', 'c']);
    expect(index.delete('a')).toBe(true);
    expect(index.delete('a')).toBe(false);
    expect(index.search('heart', { limit: 10 }).map((h) => h.key).sort()).toEqual(['b', 'c']);
    expect(index.has('a')).toBe(false);
  });

  it('two indexes may share one analyzer (cached term ids belong to one dictionary)', () => {
    const analyzer = createScientificAnalyzer();
    const first = new LexicalIndex({ analyzer });
    const second = new LexicalIndex({ analyzer });
    first.addAll([{ key: 'x', title: 'graph coloring', abstract: '', authors: '' }]);
    second.addAll([{ key: 'y', title: 'heart imaging', abstract: '', authors: '' }, { key: 'z', title: 'graph heart', abstract: '', authors: '' }]);
    first.add({ key: 'w', title: 'heart graph', abstract: '', authors: '' });
    expect(first.search('heart', { limit: 5 }).map((h) => h.key)).toEqual(['w']);
    expect(second.search('graph', { limit: 5 }).map((h) => h.key)).toEqual(['z']);
  });

  it('setParams changes the ranking without reindexing', () => {
    const index = new LexicalIndex({ params });
    index.addAll(docs);
    expect(index.search('heart', { limit: 1 })[0]!.key).toBe('a');
    index.setParams({ ...params, fields: { ...params.fields, title: { weight: 0, b: 0.5 }, abstract: { weight: 0, b: 0.75 }, authors: { weight: 5, b: 0 } } });
    expect(index.search('heart', { limit: 1 })[0]!.key).toBe('b');
  });
});

describe('second stage: proximity and quoted phrases', () => {
  // Same words, same lengths: BM25F cannot tell these apart; proximity and phrases can.
  const docs: SearchDocument[] = [
    { key: 'far', title: 'failure analysis of the heart', abstract: 'heart models and failure modes in systems biology studies', authors: 'A B' },
    { key: 'near', title: 'analysis of heart failure', abstract: 'heart failure models and modes in systems biology studies', authors: 'A B' },
  ];

  it('ranks the document where the query terms stand together first, first stage unchanged', () => {
    const index = new LexicalIndex();
    index.addAll(docs);
    const first = index.searchTerms(index.queryTerms('heart failure'));
    expect(first[0]!.score).toBeCloseTo(first[1]!.score, 9);
    const hits = index.search('heart failure');
    expect(hits.map((h) => h.key)).toEqual(['near', 'far']);
    expect(hits[0]!.score).toBeGreaterThan(first[0]!.score);
    index.setProximity({ ...index.proximity, weight: 0 });
    expect(index.search('heart failure')).toEqual(index.searchTerms(index.queryTerms('heart failure')));
  });

  it('puts documents holding a quoted phrase first, even against a higher BM25F score', () => {
    const index = new LexicalIndex({ proximity: { weight: 0 } });
    index.addAll([
      { key: 'p1', title: 'failure of the heart', abstract: 'heart heart failure failure', authors: '' },
      { key: 'p2', title: 'the cost of living in cities', abstract: 'cities', authors: '' },
      { key: 'p3', title: 'living cost', abstract: 'cost of heart', authors: '' },
    ]);
    expect(index.search('"heart failure"').map((h) => h.key)).toEqual(['p1', 'p3']);
    // A stop word inside the quotes must stand between the words in the document too.
    expect(index.search('"cost of living"').map((h) => h.key)).toEqual(['p2', 'p3']);
    expect(index.search('"living cost"').map((h) => h.key)).toEqual(['p3', 'p2']);
  });

  it('refuses a snapshot written before the forward index (version 1), so it is rebuilt', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pb-lexical-'));
    try {
      const index = new LexicalIndex();
      index.addAll(docs);
      const file = path.join(dir, 'index.bin');
      index.save(file);
      expect(LexicalIndex.load(file).search('"heart failure"')).toEqual(index.search('"heart failure"'));
      // Rewrite the header as version 1 wrote it: no version, no forward arrays.
      const { meta, arrays } = readSnapshotFile(file);
      const old = { ...(meta as Record<string, unknown>) };
      delete old.version;
      delete old.forwardChunks;
      writeSnapshotFile(file, old, Object.fromEntries(Object.entries(arrays).filter(([name]) => !name.startsWith('forward.'))));
      expect(() => LexicalIndex.load(file)).toThrow(/version 1/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('search as you type', () => {
  const index = new LexicalIndex();
  index.addAll([
    { key: '1', title: 'Learning to rank with neural networks', abstract: 'We learn rankings.', authors: 'A. Author' },
    { key: '2', title: 'Reinforcement learning for robots', abstract: 'Robots learn to walk.', authors: 'B. Author' },
    { key: '3', title: 'Lean theorem proving', abstract: 'Formal proofs in Lean.', authors: 'C. Author' },
    { key: '4', title: 'Graph coloring', abstract: 'Colorings of planar graphs.', authors: 'D. Author' },
  ]);

  it('expands the last word as a prefix', () => {
    expect(index.search('reinforcement lear', { limit: 10 }).map((h) => h.key)).toEqual(['2']);
    const keys = index.search('reinforcement lear', { limit: 10, prefix: true }).map((h) => h.key);
    expect(keys[0]).toBe('2');
    expect(keys).toContain('1');
    expect(keys).not.toContain('4');
  });

  it('suggests title words by prefix, most used first', () => {
    expect(index.complete('lea').map((c) => c.word)).toEqual(['learning', 'lean']);
    expect(index.complete('learning ')).toEqual([]);
  });

  it('builds highlighted snippets over the display text', () => {
    const segments = index.snippet('neural rank', 'Learning to rank with $\\mathcal{N}$eural networks: a neural approach');
    expect(segments.filter((s) => s.type === 'highlight').map((s) => s.text)).toEqual(['rank', 'Neural', 'neural']);
    expect(segments.map((s) => s.text).join('')).toBe('Learning to rank with Neural networks: a neural approach');
  });
});
