import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../seeded-random.js';
import type { SearchDocument } from '../search-document.js';
import { ContrastiveEmbeddingProvider } from './contrastive.provider.js';
import { loadCorpusModel, saveCorpusModel } from './corpus-model.snapshot.js';

const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);

/**
 * Titles say "heart" (or "molecule"), abstracts never do: they use the field's own words. Only
 * training on title/abstract pairs can tie the title word to the abstract vocabulary.
 */
function corpus(): SearchDocument[] {
  const random = seededRandom(11);
  const pick = (words: readonly string[], n: number) => Array.from({ length: n }, () => words[Math.floor(random() * words.length)]!).join(' ');
  const cardiac = ['cardiac', 'ecg', 'myocardial', 'ventricle', 'arrhythmia', 'atrial', 'echocardiography'];
  const chemistry = ['ligand', 'bond', 'atom', 'chemistry', 'solvent', 'crystal', 'reaction'];
  const filler = ['method', 'results', 'study', 'data', 'analysis', 'approach', 'model', 'based'];
  return Array.from({ length: 400 }, (_, i) => {
    const heart = i % 2 === 0;
    return {
      key: `p${i}`,
      title: `${heart ? 'heart' : 'molecule'} ${pick(filler, 3)}`,
      abstract: `${pick(heart ? cardiac : chemistry, 14)} ${pick(filler, 6)}`,
      authors: '',
    };
  });
}

describe('contrastive encoder', () => {
  it('learns that a title word goes with the abstract vocabulary it never appears with', () => {
    const docs = corpus();
    const { provider, vectors } = ContrastiveEmbeddingProvider.fit(docs, { dimensions: 8, minDf: 1, epochs: 2, batch: 32 });
    const d = provider.dimensions;
    const query = provider.embedQuerySync('heart');
    let cardiac = 0;
    let chemistry = 0;
    docs.forEach((doc, i) => {
      const s = dot(query, vectors.subarray(i * d, (i + 1) * d));
      if (i % 2 === 0) cardiac += s;
      else chemistry += s;
    });
    // Papers whose abstracts are cardiac (none says "heart" there) are far closer than chemistry ones.
    expect(cardiac / 200).toBeGreaterThan(chemistry / 200 + 0.3);
    // And the related words it names for the query are the cardiac ones.
    const affinity = provider.termAffinity(query);
    expect(affinity('cardiac')!).toBeGreaterThan(affinity('ligand')!);
  });

  it('fits reproducibly and survives a snapshot: same vectors, same query embeddings', () => {
    const docs = corpus().slice(0, 120);
    const a = ContrastiveEmbeddingProvider.fit(docs, { dimensions: 4, minDf: 1, batch: 16 });
    const b = ContrastiveEmbeddingProvider.fit(docs, { dimensions: 4, minDf: 1, batch: 16 });
    expect([...b.vectors]).toEqual([...a.vectors]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-ctr-'));
    try {
      const file = path.join(dir, 'dense.model');
      expect(saveCorpusModel(a.provider, file)).toBe(fs.statSync(file).size);
      const loaded = loadCorpusModel(file);
      expect(loaded.name).toBe('contrastive-4');
      expect([...loaded.embedDocumentsSync(docs)]).toEqual([...a.vectors]);
      expect([...loaded.embedQuerySync('heart study')]).toEqual([...a.provider.embedQuerySync('heart study')]);
      fs.truncateSync(file, fs.statSync(file).size - 10);
      expect(() => loadCorpusModel(file)).toThrow(/truncated/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
