import { describe, expect, it } from 'vitest';
import { authorLine, excerpt, toDigestEntry } from './digest.js';
import { emptyPaperRecord, type Paper } from './paper.js';

function paper(arxivId: string, publishedAt: string, overrides: Partial<Paper> = {}): Paper {
  return { ...emptyPaperRecord(arxivId), title: `T ${arxivId}`, abstract: 'A', publishedAt, changeSeq: 1, deleted: false, firstSeenAt: '', modifiedAt: '', ...overrides };
}

describe('entries', () => {
  it('renders TeX and trims the abstract at a word boundary', () => {
    const long = `We show $\\alpha$-stable ${'words '.repeat(100)}end.`;
    const e = toDigestEntry({ paper: paper('2406.00009', '2024-06-09', { title: 'On $\\mathbb{R}^n$', abstract: long, authors: [{ name: 'K. G\\"odel' }] }), upvotes: 2 });
    expect(e.title).toBe('On ℝⁿ');
    expect(e.authors).toBe('K. Gödel');
    expect(e.excerpt.startsWith('We show α-stable words')).toBe(true);
    expect(e.excerpt.endsWith('words…')).toBe(true);
    expect(e.excerpt.length).toBeLessThanOrEqual(321);
    expect(e.absUrl).toBe('https://arxiv.org/abs/2406.00009');
  });

  it('shortens long author lists', () => {
    expect(authorLine(['A', 'B'])).toBe('A and B');
    expect(authorLine(['A', 'B', 'C', 'D', 'E'])).toBe('A, B, C and 2 others');
    expect(excerpt('short')).toBe('short');
  });
});
