import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COLLECTION_NAMES, cranGrade, loadCollection } from './collection-loaders.js';

const sharedData = fileURLToPath(new URL('../../../../shared/data', import.meta.url));

/** Counts from shared/data/README.md (documents, judged queries, judged pairs). */
const EXPECTED: Record<(typeof COLLECTION_NAMES)[number], [number, number, number]> = {
  med: [1033, 30, 696],
  cran: [1400, 225, 1837],
  cisi: [1460, 76, 3114],
  cacm: [3204, 52, 796],
  npl: [11429, 93, 2083],
  'nfcorpus-dev': [3193, 324, 11385],
  'nfcorpus-test': [3162, 323, 12334],
  'scifact-train': [5183, 809, 919],
  'scifact-test': [5183, 300, 339],
};

describe('collection loaders', () => {
  for (const name of COLLECTION_NAMES) {
    it(`${name}: counts match the data README and every judged doc exists`, () => {
      const c = loadCollection(name, sharedData);
      const [docs, queries, pairs] = EXPECTED[name];
      expect(c.documents.length).toBe(docs);
      expect(new Set(c.documents.map((d) => d.key)).size).toBe(docs);
      expect(c.queries.length).toBe(queries);
      const keys = new Set(c.documents.map((d) => d.key));
      let n = 0;
      for (const judged of c.qrels.values()) {
        for (const key of judged.keys()) expect(keys.has(key)).toBe(true);
        n += judged.size;
      }
      expect(n).toBe(pairs);
      for (const q of c.queries) expect(q.text.trim().length).toBeGreaterThan(0);
    });
  }

  it('CRAN maps qrels by ordinal query position and grades the source paper lowest', () => {
    const c = loadCollection('cran', sharedData);
    // The first query (ordinal 1, `.I 001`) asks about similarity laws for heated aircraft models;
    // its -1 line names doc 486, "similarity laws for aerothermoelastic testing".
    expect(c.queries[0]!.text).toContain('similarity laws');
    expect(c.qrels.get('1')!.get('486')).toBe(1);
    expect(c.documents.find((d) => d.key === '486')!.title).toContain('similarity laws');
    // The third query has `.I 004` in the file but is query 3 in cranqrel.
    expect(c.queries[2]!.id).toBe('3');
    expect([cranGrade(1), cranGrade(2), cranGrade(3), cranGrade(4), cranGrade(-1)]).toEqual([4, 3, 2, 1, 1]);
  });

  it('reads SMART fields, including repeated markers and empty abstracts', () => {
    const cran = loadCollection('cran', sharedData);
    expect(cran.documents.find((d) => d.key === '471')!.abstract).toBe('');
    const cisi = loadCollection('cisi', sharedData);
    // CISI repeats `.A`; all authors are kept.
    expect(cisi.documents.some((d) => d.authors.includes('\n'))).toBe(true);
  });
});
