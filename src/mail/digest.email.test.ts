import { describe, expect, it } from 'vitest';
import type { DigestContent } from '../domain/digest.js';
import { prepareDigestEmail, renderConfirmationEmail, wrapText } from './digest.email.js';

const content: DigestContent = {
  list: { kind: 'topic', query: 'graphs <b>' },
  period: { key: 'd:2024-06-10', frequency: 'daily', localDate: '2024-06-10', content: { from: '2024-06-09', toExclusive: '2024-06-10' } },
  entries: [
    { arxivId: '2406.00001', title: 'α-stable <script>alert(1)</script> graphs', authors: 'Ada Lovelace and Alan Turing', excerpt: 'We show that ℝⁿ is big & wide.', upvotes: 3, publishedAt: '2024-06-09', absUrl: 'https://arxiv.org/abs/2406.00001', pdfUrl: 'https://arxiv.org/pdf/2406.00001' },
    { arxivId: '2406.00002', title: 'Second', authors: 'B', excerpt: 'Short.', upvotes: 0, publishedAt: '2024-06-09', absUrl: 'https://arxiv.org/abs/2406.00002', pdfUrl: 'https://arxiv.org/pdf/2406.00002' },
  ],
};
const site = { name: 'Paperboy', publicUrl: 'https://papers.example.org' };

describe('digest email', () => {
  it('escapes paper text, splices per-subscriber links and supports dark mode', () => {
    const prepared = prepareDigestEmail(content, site);
    const a = prepared.personalize('ada@example.org', { unsubscribeUrl: 'https://papers.example.org/digest/unsubscribe/tok&1', preferencesUrl: 'https://papers.example.org/digest/preferences/p1' });
    const b = prepared.personalize('bob@example.org', { unsubscribeUrl: 'https://papers.example.org/digest/unsubscribe/tok2', preferencesUrl: 'https://papers.example.org/digest/preferences/p2' });
    expect(a.subject).toBe('Papers on “graphs <b>” — 2024-06-10 (2 papers)');
    expect(a.html).toContain('α-stable &lt;script&gt;alert(1)&lt;/script&gt; graphs');
    expect(a.html).not.toContain('<script>');
    expect(a.html).toContain('href="https://papers.example.org/digest/unsubscribe/tok&amp;1"');
    expect(a.html).toContain('ada@example.org');
    expect(a.html).toContain('prefers-color-scheme: dark');
    expect(a.html).toContain('▲ 3');
    expect(b.html).toContain('/digest/unsubscribe/tok2');
    expect(b.html).not.toContain('ada@example.org');
    expect(a.text).toContain('1. α-stable <script>alert(1)</script> graphs');
    expect(a.text).toContain('Unsubscribe: https://papers.example.org/digest/unsubscribe/tok&1');
    expect(a.text).toContain('We show that ℝⁿ is big & wide.');
    expect(a.html + a.text).not.toContain('\u0001');
  });

  it('renders a confirmation mail with the link and the schedule', () => {
    const m = renderConfirmationEmail({ email: 'ada@example.org', list: { kind: 'trending' }, schedule: { frequency: 'weekly', localHour: 7, timeZone: 'Europe/Berlin' }, confirmUrl: 'https://x.org/digest/confirm/t', site });
    expect(m.subject).toBe('Confirm your Paperboy digest: Trending papers');
    expect(m.text).toContain('Every Monday at 07:00 (Europe/Berlin)');
    expect(m.html).toContain('href="https://x.org/digest/confirm/t"');
  });

  it('wraps text at word boundaries', () => {
    expect(wrapText('aaa bbb ccc ddd', 8, '  ')).toBe('  aaa\n  bbb\n  ccc\n  ddd');
  });
});
