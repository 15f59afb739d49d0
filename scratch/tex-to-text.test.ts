import { describe, expect, it } from 'vitest';
import { texToText } from './tex-to-text.js';

describe('texToText', () => {
  it('returns plain text unchanged apart from whitespace', () => {
    expect(texToText('  Sparsity-certifying Graph\nDecompositions ')).toBe('Sparsity-certifying Graph Decompositions');
  });

  it('composes accents in every spelling', () => {
    expect(texToText('Kekul\\\'e G\\"odel {\\"u} \\"{o} \\v{S}koda \\c{c}a entrep\\^ots \\\'{\\i}')).toBe('Kekulé Gödel ü ö Škoda ça entrepôts í');
  });

  it('drops math delimiters and turns symbol commands into Unicode', () => {
    expect(texToText('the $(k,\\ell)$-pebble game')).toBe('the (k,ℓ)-pebble game');
    expect(texToText('$\\alpha$-synuclein and $$\\beta$$ and \\(\\gamma\\)')).toBe('α-synuclein and β and γ');
    expect(texToText('$O(n \\log n)$ and $2\\log n$')).toBe('O(n log n) and 2 log n');
  });

  it('keeps arguments of formatting commands, drops citations and labels', () => {
    expect(texToText('\\emph{Robust} \\textbf{methods} \\cite[p.~3]{smith} work \\label{x}')).toBe('Robust methods work');
    expect(texToText('$\\frac{a}{b}$')).toBe('a b');
    expect(texToText('see \\href{http://x.org}{our site}')).toBe('see our site');
  });

  it('handles dashes, ties, quotes and escapes', () => {
    expect(texToText('pages 1--2, A---B, Fig.~3, ``quoted\'\', 50\\% \\& more')).toBe('pages 1–2, A—B, Fig. 3, “quoted”, 50% & more');
  });

  it('survives unbalanced input', () => {
    expect(texToText('costs $5 and \\')).toBe('costs 5 and');
    expect(() => texToText('{\\"')).not.toThrow();
    expect(texToText('\\unknown{word} \\alpha')).toBe('word α');
  });
});
