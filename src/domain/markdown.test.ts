import { describe, expect, it } from 'vitest';
import { dangers, XSS_PAYLOADS } from '../web/members/testing/xss-payloads.js';
import { renderCommentMarkdown } from './markdown.js';

describe('renderCommentMarkdown', () => {
  it('renders Markdown: emphasis, code, lists, quotes, links, demoted headings', () => {
    const html = renderCommentMarkdown('# Title\n\n*a* **b** `c`\n\n- one\n- two\n\n> quoted\n\n[arXiv](https://arxiv.org/abs/2401.00001)');
    expect(html).toContain('<h4>Title</h4>');
    expect(html).toContain('<em>a</em> <strong>b</strong> <code>c</code>');
    expect(html).toContain('<li>one</li>');
    expect(html).toContain('<blockquote>');
    expect(html).toContain('<a href="https://arxiv.org/abs/2401.00001" rel="nofollow ugc noopener">arXiv</a>');
  });

  it('marks every link, including bare URLs, nofollow ugc', () => {
    const html = renderCommentMarkdown('see https://example.org and <https://example.com/x> and [m](mailto:a@b.org)');
    const anchors = [...html.matchAll(/<a [^>]*>/g)].map((m) => m[0]);
    expect(anchors).toHaveLength(3);
    for (const a of anchors) expect(a).toMatch(/rel="nofollow ugc noopener"/);
  });

  it.each(XSS_PAYLOADS.map((p) => [p]))('renders %j inert', (payload) => {
    const html = renderCommentMarkdown(payload);
    expect(dangers(html)).toEqual([]);
  });

  it('keeps the text of refused markup visible as text', () => {
    expect(renderCommentMarkdown('<script>alert(1)</script>')).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n');
    expect(renderCommentMarkdown('[click](javascript:alert(1))')).toBe('<p>[click](javascript:alert(1))</p>\n');
  });
});

describe('maths in comments', () => {
  it('renders $…$ through the given renderer, and as Unicode by default', () => {
    expect(renderCommentMarkdown('Is the bound $O(n^3)$ tight?')).toBe('<p>Is the bound <span class="math">O(n³)</span> tight?</p>\n');
    const typeset = renderCommentMarkdown('For $(k,\\ell)$-sparse graphs and $$\\sum_i x_i$$', { math: (tex, display) => `<m d="${display}">${tex.length}</m>` });
    expect(typeset).toBe('<p>For <m d="false">8</m>-sparse graphs and <m d="true">10</m></p>\n');
  });

  it('leaves prices, code and escaped dollars alone', () => {
    expect(renderCommentMarkdown('It costs $5 and $10.')).toBe('<p>It costs $5 and $10.</p>\n');
    expect(renderCommentMarkdown('`$x$` stays code')).toBe('<p><code>$x$</code> stays code</p>\n');
    expect(renderCommentMarkdown('a $ b $ c')).toBe('<p>a $ b $ c</p>\n');
  });

  it('cannot be used to smuggle markup: the math renderer escapes, and placeholders cannot be forged', () => {
    expect(renderCommentMarkdown('$<img src=x onerror=alert(1)>$')).not.toContain('<img');
    expect(renderCommentMarkdown('\uE0000\uE001 and $x$', { math: () => '<b>ok</b>' })).toBe('<p>0 and <b>ok</b></p>\n');
  });
});
