import { describe, expect, it } from 'vitest';
import { LsaEmbeddingProvider } from './dense/lsa.provider.js';
import { VectorIndex } from './dense/vector-index.js';
import { HybridSearcher } from './hybrid-searcher.js';
import { AnnKeyedVectors } from './keyed-vectors.js';
import { LexicalIndex } from './lexical-index.js';
import type { SearchDocument } from './search-document.js';
import { realArxivPapers } from './testing/real-arxiv-papers.js';
import { titleFragmentQueries } from './title-fragment-queries.js';

const docs: SearchDocument[] = [
  { key: 'h1', title: 'Heart rate variability from ECG', abstract: 'ECG arrhythmia detection in heart patients.', authors: 'A', categories: ['eess.SP'], publishedAt: '2020-01-01' },
  { key: 'c1', title: 'Cardiac arrhythmia classification', abstract: 'ECG arrhythmia detection with cardiac monitoring.', authors: 'B', categories: ['cs.LG'], publishedAt: '2021-01-01' },
  { key: 'c2', title: 'Cardiac signals', abstract: 'Cardiac monitoring of ECG rhythm.', authors: 'C', categories: ['cs.LG'], publishedAt: '2022-01-01' },
  { key: 'g1', title: 'Planar graph coloring', abstract: 'Coloring planar graphs with four colors.', authors: 'D', categories: ['math.CO'], publishedAt: '2020-06-01' },
  { key: 'g2', title: 'Graph algorithms', abstract: 'Shortest paths in planar graphs.', authors: 'E', categories: ['cs.DS'], publishedAt: '2019-01-01' },
];

function setup() {
  const lexical = new LexicalIndex();
  lexical.addAll(docs);
  const { provider, vectors } = LsaEmbeddingProvider.fit(docs, { dimensions: 2, minDf: 1 });
  const index = VectorIndex.build(vectors, provider.dimensions, { lists: 2 });
  return { lexical, provider, searcher: new HybridSearcher(lexical, new AnnKeyedVectors(index, docs.map((d) => d.key)), { exact: true }) };
}

describe('HybridSearcher', () => {
  it('finds papers that say "cardiac" for the query "heart", which lexical search cannot', () => {
    const { lexical, provider, searcher } = setup();
    expect(lexical.search('heart', { limit: 5 }).map((h) => h.key)).toEqual(['h1']);
    const keys = searcher.search('heart', provider.embedQuerySync('heart'), { limit: 3 }).map((h) => h.key);
    expect(keys[0]).toBe('h1');
    expect(keys).toContain('c1');
    expect(keys).not.toContain('g1');
  });

  it('with alpha 0 ranks like the lexical index', () => {
    const { lexical, provider, searcher } = setup();
    const q = 'planar graph coloring';
    const lexicalKeys = lexical.search(q, { limit: 3 }).map((h) => h.key);
    const hybridKeys = searcher.search(q, provider.embedQuerySync(q), { limit: 3, alpha: 0 }).map((h) => h.key);
    // Dense-only candidates score 0 and can only follow the lexical hits.
    expect(hybridKeys.slice(0, lexicalKeys.length)).toEqual(lexicalKeys);
  });

  it('applies filters to the dense candidates too', () => {
    const { provider, searcher } = setup();
    const hits = searcher.search('heart', provider.embedQuerySync('heart'), { limit: 5, filter: { categories: ['cs'] } });
    expect(hits.length).toBeGreaterThan(0);
    for (const h of hits) expect(['c1', 'c2', 'g2']).toContain(h.key);
  });

  it('finds similar papers by vector, excluding the paper itself', () => {
    const { searcher } = setup();
    const similar = searcher.similar('c1', { limit: 2 }).map((h) => h.key);
    expect(similar).not.toContain('c1');
    expect(similar.every((k) => ['h1', 'c2'].includes(k))).toBe(true);
    expect(searcher.similar('unknown', { limit: 2, fallbackQuery: 'planar graphs' }).map((h) => h.key).sort()).toEqual(['g1', 'g2']);
  });
});

describe('HybridSearcher breadth calibration on real arXiv records', () => {
  it('probes no more IVF lists for hybrid queries than for dense ones, with the same first pages on held-out queries', async () => {
    const papers = await realArxivPapers(3);
    const lexical = new LexicalIndex();
    lexical.addAll(papers);
    const { provider, vectors } = LsaEmbeddingProvider.fit(papers, { dimensions: 64 });
    const index = VectorIndex.build(vectors, provider.dimensions, { lists: 64 });
    const titles = papers.map((p) => p.title);
    const asQueries = (texts: string[]) => texts.map((text) => ({ text, vector: provider.embedQuerySync(text) })).filter((q) => q.vector.some((x) => x !== 0));
    const dense = index.calibrate(0.95, 10, Float32Array.from(asQueries(titleFragmentQueries(titles, 100, 1)).flatMap((q) => [...q.vector])));
    const searcher = new HybridSearcher(lexical, new AnnKeyedVectors(index, papers.map((p) => p.key)));

    const calibration = await searcher.calibrateProbes(asQueries(titleFragmentQueries(titles, 100, 2)));
    expect(calibration).not.toBeNull();
    expect(calibration!.probes).toBeLessThanOrEqual(dense.probes);
    expect(calibration!.tried[0]!.probes).toBe(dense.probes);
    expect(calibration!.agreement).toBeGreaterThanOrEqual(0.99);
    expect(searcher.calibratedProbes).toBe(calibration!.probes);

    // Held out: queries neither calibration saw. The default search uses the calibrated breadth.
    let overlap = 0;
    const heldOut = asQueries(titleFragmentQueries(titles, 200, 3));
    for (const q of heldOut) {
      const page = searcher.search(q.text, q.vector).map((h) => h.key);
      expect(page).toEqual(searcher.search(q.text, q.vector, { probes: calibration!.probes }).map((h) => h.key));
      const exact = new Set(searcher.search(q.text, q.vector, { exact: true }).map((h) => h.key));
      overlap += page.filter((k) => exact.has(k)).length / Math.max(1, exact.size);
    }
    expect(overlap / heldOut.length).toBeGreaterThanOrEqual(0.98);
    // Dense-only search keeps the breadth calibrated for recall.
    expect(index.probes).toBe(dense.probes);
  });
});
