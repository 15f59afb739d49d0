import { describe, expect, it } from 'vitest';
import { splitTex, texPlain, texSegments } from './tex-segments.js';

describe('TeX segments', () => {
  it('separates inline and display math from prose', () => {
    expect(splitTex('The $k$-anonymity and $$x^2$$ and \\(a\\) and \\[b\\]')).toEqual([
      { type: 'text', text: 'The ' },
      { type: 'math', tex: 'k', display: false },
      { type: 'text', text: '-anonymity and ' },
      { type: 'math', tex: 'x^2', display: true },
      { type: 'text', text: ' and ' },
      { type: 'math', tex: 'a', display: false },
      { type: 'text', text: ' and ' },
      { type: 'math', tex: 'b', display: true },
    ]);
  });

  it('keeps escaped dollars and unclosed delimiters as prose', () => {
    expect(splitTex('costs \\$5 and $x')).toEqual([{ type: 'text', text: 'costs \\$5 and $x' }]);
  });

  it('renders prose accents and formatting as Unicode, keeping spaces between segments', () => {
    const segments = texSegments('G\\"odel and Erd\\H{o}s -- \\emph{not}   $n$ times');
    expect(segments[0]).toEqual({ type: 'text', text: 'Gödel and Erdős – not ' });
    expect(segments[1]).toEqual({ type: 'math', tex: 'n', display: false });
    expect(segments[2]).toEqual({ type: 'text', text: ' times' });
  });

  it('gives a plain-text rendering for excerpts and feeds', () => {
    expect(texPlain('Complexity $O(n^3)$ of\n  M\\"obius')).toBe('Complexity O(n³) of Möbius');
  });

  it('is linear on hostile input', () => {
    const started = Date.now();
    texSegments('$'.repeat(20_000) + '\\'.repeat(20_000) + '{'.repeat(20_000));
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
