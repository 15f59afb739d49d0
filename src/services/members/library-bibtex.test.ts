import { describe, expect, it } from 'vitest';
import type { LibraryEntry } from '../../domain/member.js';
import { citationKey, escapeBibtexText, toBibtex } from './library-bibtex.js';

function entry(overrides: Partial<LibraryEntry>): LibraryEntry {
  return { arxivId: '2401.00001', title: 'A Title', authors: ['Ada Lovelace'], publishedAt: '2024-01-02', primaryCategory: 'cs.LG', doi: null, journalRef: null, latestVersion: 1, note: '', savedAt: '', updatedAt: '', ...overrides };
}

describe('BibTeX export', () => {
  it('escapes what people type and keeps TeX titles, balancing braces', () => {
    expect(escapeBibtexText('50% of {x} & y_1 #2 $3 ~ ^ \\')).toBe('50\\% of \\{x\\} \\& y\\_1 \\#2 \\$3 \\textasciitilde{} \\textasciicircum{} \\textbackslash{}');
    const bib = toBibtex([entry({ title: 'Unbalanced } brace {' })]);
    expect(bib).toContain('title = {{Unbalanced \\} brace \\{}}');
  });

  it('makes keys from first author, year and first significant word, unique within a file', () => {
    expect(citationKey(entry({ authors: ['Kurt Gödel'], title: 'On the $\\alpha$-stable graphs', publishedAt: '1931-01-01' }))).toBe('godel1931stable');
    const bib = toBibtex([entry({}), entry({ arxivId: '2401.00002' }), entry({ arxivId: '2401.00003', authors: [] })]);
    expect([...bib.matchAll(/@misc\{([^,]+),/g)].map((m) => m[1])).toEqual(['lovelace2024title', 'lovelace2024titlea', 'anon2024title']);
    expect(bib).toContain('author = {Anonymous}');
  });
});
