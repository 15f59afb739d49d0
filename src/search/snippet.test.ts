import { describe, expect, it } from 'vitest';
import { buildSnippet } from './snippet.js';
import { createScientificAnalyzer } from './tokenizer.js';

const analyzer = createScientificAnalyzer();
const terms = (q: string) => new Set(analyzer.terms(q));

describe('buildSnippet', () => {
  // Abstract of arXiv 0704.0002 (cs harvest page-001), raw with its TeX.
  const abstract =
    'We describe a new algorithm, the $(k,\\ell)$-pebble game with colors, and use it obtain a characterization of the family of $(k,\\ell)$-sparse graphs and algorithmic solutions to a family of problems concerning tree decompositions of graphs. Special instances of sparse graphs appear in rigidity theory and have received increased attention in recent years. In particular, our colored pebbles generalize and strengthen the previous results of Lee and Streinu and give a new proof of the Tutte-Nash-Williams characterization of arboricity.';

  it('picks the window with the most distinct query terms and marks them', () => {
    const segments = buildSnippet(analyzer.analyze(abstract), terms('rigidity theory attention'), { maxChars: 120 });
    const text = segments.map((s) => s.text).join('');
    expect(text.startsWith('…')).toBe(true);
    expect(text.endsWith('…')).toBe(true);
    expect(segments.filter((s) => s.type === 'highlight').map((s) => s.text)).toEqual(['rigidity', 'theory', 'attention']);
    expect(text.length).toBeLessThanOrEqual(122);
  });

  it('renders TeX as text and highlights stemmed matches', () => {
    const segments = buildSnippet(analyzer.analyze(abstract), terms('pebble colored'), { maxChars: Infinity });
    const highlights = segments.filter((s) => s.type === 'highlight').map((s) => s.text);
    expect(highlights).toContain('(k,ℓ)-pebble'.slice(6));
    expect(highlights).toContain('colors');
    expect(segments.map((s) => s.text).join('')).not.toContain('\\ell');
  });

  it('joins a compound and its parts into one highlight', () => {
    const segments = buildSnippet(analyzer.analyze('A proof of the Tutte-Nash-Williams theorem'), terms('Nash Williams'), { maxChars: Infinity });
    expect(segments.filter((s) => s.type === 'highlight').map((s) => s.text)).toEqual(['Nash-Williams']);
  });

  it('returns the beginning of the text when nothing matches', () => {
    const segments = buildSnippet(analyzer.analyze(abstract), terms('quantum'), { maxChars: 60 });
    expect(segments).toHaveLength(1);
    expect(segments[0]!.type).toBe('text');
    expect(segments[0]!.text.startsWith('We describe a new algorithm')).toBe(true);
    expect(segments[0]!.text.endsWith('…')).toBe(true);
  });
});
