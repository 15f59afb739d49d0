import { describe, expect, it } from 'vitest';
import { texToText } from './digest-tex.js';

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
    expect(texToText('\\unknowncommand{arg}')).toBe('unknowncommandarg');
  });
});
