/**
 * Figures printed next to each evaluation for comparison, copied from shared/data/README.md
 * section 5: the reference BM25 runs computed there (plain [a-z0-9]+ tokens, k1 0.9, b 0.4)
 * and the published BEIR BM25 nDCG@10. They are context, never inputs to any system.
 */
import type { CollectionName } from './collection-loaders.js';

export interface ReferenceFigure {
  ndcg10: number;
  map?: number;
  note: string;
}

export const README_REFERENCE_BM25: Partial<Record<CollectionName, ReferenceFigure>> = {
  med: { ndcg10: 0.663, map: 0.4851, note: 'README reference BM25' },
  cran: { ndcg10: 0.4712, map: 0.3737, note: 'README reference BM25, every qrels line relevant, binary nDCG (ours is graded)' },
  cisi: { ndcg10: 0.2304, map: 0.1268, note: 'README reference BM25' },
  cacm: { ndcg10: 0.3405, map: 0.22, note: 'README reference BM25' },
  npl: { ndcg10: 0.3741, map: 0.2241, note: 'README reference BM25' },
  'nfcorpus-test': { ndcg10: 0.3132, map: 0.1466, note: 'README reference BM25, titles queries' },
  'scifact-test': { ndcg10: 0.6588, map: 0.6229, note: 'README reference BM25' },
};

export const PUBLISHED_BM25: Partial<Record<CollectionName, ReferenceFigure>> = {
  'scifact-test': { ndcg10: 0.665, note: 'BEIR paper BM25 (Anserini flat 0.6789, multifield 0.6647)' },
  'nfcorpus-test': { ndcg10: 0.325, note: 'BEIR paper BM25 on BEIR text; the preprocessed files here are not directly comparable' },
};
