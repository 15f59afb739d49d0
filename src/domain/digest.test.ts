import { describe, expect, it } from 'vitest';
import { authorLine, excerpt, rankTrending, toDigestEntry } from './digest.js';
import { emptyPaperRecord, type Paper } from './paper.js';

function paper(arxivId: string, publishedAt: string, overrides: Partial<Paper> = {}): Paper {
  return { ...emptyPaperRecord(arxivId), title: `T ${arxivId}`, abstract: 'A', publishedAt, changeSeq: 1, deleted: false, firstSeenAt: '', modifiedAt: '', ...overrides };
}

const at = new Date('2024-06-10T08:00:00Z');

describe('trending', () => {
  it('without votes is pure recency, ties broken by id', () => {
    const papers = [paper('2406.00001', '2024-06-08'), paper('2406.00003', '2024-06-09T10:00:00Z'), paper('2406.00002', '2024-06-09T10:00:00Z'), paper('2406.00004', '2024-06-09')];
    expect(rankTrending(papers, new Map(), at, 10).map((r) => r.paper.arxivId)).toEqual(['2406.00003', '2406.00002', '2406.00004', '2406.00001']);
  });

  it('lets votes win, decayed by age', () => {
    const papers = [paper('old', '2024-06-01'), paper('new', '2024-06-09T20:00:00Z'), paper('none', '2024-06-10T07:00:00Z')];
    const ranked = rankTrending(papers, new Map([['old', 10], ['new', 3]]), at, 2);
    expect(ranked.map((r) => [r.paper.arxivId, r.upvotes])).toEqual([['new', 3], ['old', 10]]);
  });
});

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
