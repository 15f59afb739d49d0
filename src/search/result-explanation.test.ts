import { describe, expect, it } from 'vitest';
import { explainResults } from './result-explanation.js';
import { createScientificAnalyzer } from './tokenizer.js';

const analyzer = createScientificAnalyzer();
const queryTerms = new Set(analyzer.terms('heart'));
const results = [
  { key: 'a', text: 'Heart failure from the ECG\nCardiac arrhythmia in the heart.' },
  { key: 'b', text: 'Cardiac Monitoring\nECG arrhythmia detection with cardiac signals.' },
  { key: 'c', text: 'Atrial fibrillation\nAn ECG study of arrhythmia, 2019.' },
];
const affinity: Record<string, number> = { ecg: 3, cardiac: 2, arrhythmia: 1, atrial: 5 };

describe('explainResults', () => {
  it('marks results without any query word and names related words at least two results use, best associated first', () => {
    const e = explainResults({ analyzer, queryTerms, results, affinity: (t) => affinity[t] ?? null });
    expect([...e.byMeaning].sort()).toEqual(['b', 'c']);
    // "atrial" is the most associated but only one result uses it; "heart" is the query's own word.
    expect(e.related).toEqual(['ECG', 'cardiac', 'arrhythmia']);
  });

  it('never names an author as a related word, but an author holding the query word is a match by words', () => {
    const withAuthors = [
      { key: 'a', text: 'Cardiac monitoring\nECG arrhythmia.', authors: 'Ada Heart, Bo Smith' },
      { key: 'b', text: 'Cardiac signals\nECG rhythm.', authors: 'Bo Smith' },
    ];
    const e = explainResults({ analyzer, queryTerms, results: withAuthors, affinity: (t) => (t === 'smith' ? 9 : (affinity[t] ?? null)) });
    expect([...e.byMeaning]).toEqual(['b']);
    expect(e.related).not.toContain('Smith');
    // Written only at the start of a title here, so shown as written.
    expect(e.related).toEqual(['ECG', 'Cardiac']);
  });

  it('names no related words when the model cannot say, and keeps the limit', () => {
    expect(explainResults({ analyzer, queryTerms, results, affinity: () => null }).related).toEqual([]);
    expect(explainResults({ analyzer, queryTerms, results, affinity: (t) => affinity[t] ?? null, limit: 1 }).related).toEqual(['ECG']);
  });
});
