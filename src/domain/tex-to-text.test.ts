import { describe, expect, it } from 'vitest';
import { texToPlain, texToText } from './tex-to-text.js';

describe('texToText', () => {
  it.each([
    ['We study $\\alpha$-stable graphs.', 'We study α-stable graphs.'],
    ['An $O(n^2)$ algorithm in $O(n^{3/2} \\log n)$ time', 'An O(n²) algorithm in O(n^(3/2) log n) time'],
    ['points in $\\mathbb{R}^d$ and $\\mathbb{Z}_p$', 'points in ℝᵈ and ℤₚ'],
    ['Schr\\"odinger, Erd\\H{o}s, G\\"{o}del, Poincar\\\'e, \\c{C}ela', 'Schrödinger, Erdős, Gödel, Poincaré, Çela'],
    ['$\\frac{a}{b+c}$ and $\\sqrt{x+1}$ and $\\sqrt[3]{y}$', 'a/(b+c) and √(x+1) and ³√y'],
    ['the $\\ell_1$-norm $\\|x\\|_2 \\leq \\epsilon$', 'the ℓ₁-norm ‖x‖₂ ≤ ϵ'],
    ['{\\em deep} \\textbf{learning} -- fast --- really', 'deep learning – fast — really'],
    ['as in~\\cite{smith2020} (see Sec.~\\ref{sec:x})', 'as in (see Sec.)'],
    ['costs 5\\% of \\$10 \\& more', 'costs 5% of $10 & more'],
    ['$$E = mc^2$$ and \\(x_i\\) and \\[y\\]', 'E = mc² and xᵢ and y'],
    ['$\\left( \\hat{x} \\right)$ with $f\'(x)$', '(x̂) with f′(x)'],
    ['$\\mathcal{O}(\\log^2 n)$', 'O(log² n)'],
    ['``quoted\'\' text', '“quoted” text'],
  ])('%s', (input, expected) => {
    expect(texToText(input)).toBe(expected);
  });

  it('survives unbalanced and pathological input', () => {
    expect(texToText('broken {group and $math')).toBe('broken group and math');
    expect(texToText('}}}\\')).toBe('\\');
    const deep = `${'{'.repeat(500)}x${'}'.repeat(500)}`;
    expect(texToText(deep)).toContain('x');
    expect(texToText('\\unknowncommand{arg}')).toBe('unknowncommand arg');
  });

  it('returns plain text unchanged apart from whitespace', () => {
    expect(texToText('  Sparsity-certifying Graph\nDecompositions ')).toBe('Sparsity-certifying Graph Decompositions');
    expect(texToPlain('model\'s  plain\ntext')).toBe('model\'s  plain\ntext');
  });

  it('composes accents in every spelling', () => {
    expect(texToText('Kekul\\\'e G\\"odel {\\"u} \\"{o} \\v{S}koda \\c{c}a entrep\\^ots \\\'{\\i}')).toBe('Kekulé Gödel ü ö Škoda ça entrepôts í');
  });

  it('drops math delimiters and turns symbol commands into Unicode', () => {
    expect(texToText('the $(k,\\ell)$-pebble game')).toBe('the (k,ℓ)-pebble game');
    expect(texToText('$\\alpha$-synuclein and $$\\beta$$ and \\(\\gamma\\)')).toBe('α-synuclein and β and γ');
    expect(texToText('$O(n \\log n)$ and $2\\log n$')).toBe('O(n log n) and 2 log n');
  });

  it('keeps arguments of formatting commands, drops citations and labels, keeps link text', () => {
    expect(texToText('\\emph{Robust} \\textbf{methods} \\cite[p.~3]{smith} work \\label{x}')).toBe('Robust methods work');
    expect(texToText('see \\href{http://x.org}{our site}')).toBe('see our site');
  });

  it('handles dashes, ties, quotes and escapes', () => {
    expect(texToText('pages 1--2, A---B, Fig.~3, ``quoted\'\', 50\\% \\& more')).toBe('pages 1–2, A—B, Fig. 3, “quoted”, 50% & more');
  });

  it('copies long runs of ordinary text between commands intact', () => {
    const text = 'We propose a method that scales to long documents ';
    expect(texToText(`${text}$\\alpha$ ${text}`)).toBe(`${text}α ${text}`.trim());
  });
});
