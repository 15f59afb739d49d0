import { describe, expect, it } from 'vitest';
import { createPlainAnalyzer, createScientificAnalyzer } from './tokenizer.js';

const analyzer = createScientificAnalyzer();
const terms = (text: string) => analyzer.terms(text);

describe('scientific tokenizer on real arXiv titles (cs harvest, page-001)', () => {
  it('indexes both parts and the joined form of a hyphenated compound', () => {
    expect(terms('Sparsity-certifying Graph Decompositions')).toEqual(['sparsiti', 'certifi', 'sparsitycertifi', 'graph', 'decomposit']);
  });

  it('reads inline math as words and keeps the letter before a hyphen', () => {
    expect(terms('The $k$-anonymity Problem is Hard')).toEqual(['k', 'anonym', 'kanonym', 'problem', 'hard']);
    expect(terms('The Complexity of Determining Existence a Hamiltonian Cycle is $O(n^3)$')).toEqual(['complex', 'determin', 'exist', 'hamiltonian', 'cycl', 'o', 'n', '3']);
  });

  it('composes TeX accents and folds them away', () => {
    expect(terms("Kekul\\'e Cells for Molecular Computation")).toEqual(terms('Kekule cells for molecular computation'));
    expect(terms("Vers l'auto-administration des entrep\\^ots de donn\\'ees")).toContain('entrepot');
  });

  it('keeps digits with letters and numbers with dots', () => {
    expect(terms('Reducing SAT to 2-SAT')).toEqual(['reduc', 'sat', '2', 'sat', '2sat']);
    expect(terms('Fairness Provision in the IEEE 802.11e Infrastructure Basic Service Set')).toContain('802.11e');
    expect(terms('3D/4D ultrasound registration of bone')).toEqual(['3d', '4d', 'ultrasound', 'registr', 'bone']);
    expect(terms('Refuting the Pseudo Attack on the REESSE1+ Cryptosystem')).toContain('reesse1');
  });
});

describe('scientific tokenizer rules', () => {
  it('treats $\\alpha$, Unicode α and the spelled-out name alike', () => {
    const fromTex = terms('$\\alpha$-synuclein aggregation');
    expect(fromTex).toEqual(terms('α-synuclein aggregation'));
    expect(fromTex).toEqual(terms('alpha-synuclein aggregation'));
    expect(fromTex).toContain('alphasynuclein');
  });

  it('splits adjacent Greek letters and keeps a number apart from a Greek letter', () => {
    expect(terms('$\\alpha\\beta$ T cells')).toEqual(['alpha', 'beta', 't', 'cell']);
    expect(terms('$2\\pi$ periodic')).toEqual(['2', 'pi', 'period']);
  });

  it('handles the issue examples: 3D+T, 12-lead, COVID-19', () => {
    expect(terms('3D+T segmentation')).toEqual(['3d', 't', '3dt', 'segment']);
    expect(terms('12-lead ECG')).toEqual(['12', 'lead', '12lead', 'ecg']);
    const covid = terms('COVID-19 outcomes');
    expect(covid).toContain('covid19');
    expect(terms('covid19')).toEqual(['covid19']);
  });

  it('joins compounds so that e-mail meets email and pre-trained meets pretrained', () => {
    expect(terms('e-mail')).toContain(terms('email')[0]);
    expect(terms('pre-trained models')).toContain(terms('pretrained')[0]);
  });

  it('drops stop words but keeps an acronym that spells one', () => {
    expect(terms('IT governance for the WHO')).toEqual(['it', 'govern', 'who']);
    expect(terms('it is what it is')).toEqual([]);
  });

  it('does not protect acronyms in text written all in capitals', () => {
    expect(terms('THE IT INDUSTRY AND ITS PROBLEMS')).toEqual(['industri', 'problem']);
  });

  it('drops possessives, closes dotted acronyms and other apostrophes', () => {
    expect(terms("G\\\"odel's theorem")).toEqual(['godel', 'theorem']);
    expect(terms('data from the U.S.A. census')).toContain('usa');
    expect(terms("O'Brien")).toEqual(['obrien']);
  });

  it('drops citations and formatting commands but keeps their text', () => {
    expect(terms('\\emph{Robust} estimation \\cite{smith2001} in $\\mathcal{O}(n \\log n)$ time')).toEqual(['robust', 'estim', 'o', 'n', 'log', 'n', 'time']);
  });

  it('gives word positions that count stop words, joined forms sharing the first position', () => {
    const { tokens } = analyzer.analyze('the state-of-the-art model');
    const byTerm = new Map(tokens.map((t) => [t.term, t.position]));
    expect(byTerm.get('state')).toBe(1);
    expect(byTerm.get('stateoftheart')).toBe(1);
    expect(byTerm.get('art')).toBe(4);
    expect(byTerm.get('model')).toBe(5);
  });

  it('reports offsets into the display text', () => {
    const { text, tokens } = analyzer.analyze('Deep  learning for $\\alpha$-helix\nprediction');
    expect(text).toBe('Deep learning for α-helix prediction');
    for (const t of tokens) expect(text.slice(t.start, t.end).length).toBeGreaterThan(0);
    const helix = tokens.find((t) => t.term === 'helix')!;
    expect(text.slice(helix.start, helix.end)).toBe('helix');
    const joined = tokens.find((t) => t.term === 'alphahelix')!;
    expect(text.slice(joined.start, joined.end)).toBe('α-helix');
  });

  it('can switch stemming and stop words off', () => {
    const bare = createScientificAnalyzer({ stem: false, stopWords: null, compounds: false });
    expect(bare.terms('The networks are learning')).toEqual(['the', 'networks', 'are', 'learning']);
  });
});

describe('plain analyzer (reference runs)', () => {
  it('keeps maximal runs of [a-z0-9] only', () => {
    expect(createPlainAnalyzer().terms("COVID-19: the state-of-the-art G\\\"odel's")).toEqual(['covid', '19', 'the', 'state', 'of', 'the', 'art', 'g', 'odel', 's']);
  });
});
