/**
 * Comment Markdown to safe HTML. Two independent layers: markdown-it with raw HTML switched off
 * (so `<script>` is text, and it refuses javascript:/vbscript:/data: links), then an allowlist
 * sanitizer over its output, which also adds `rel="nofollow ugc"` to every link. Images are not
 * rendered (no tracking pixels); headings are demoted so a comment cannot outrank the page.
 *
 * Maths: `$…$` and `$$…$$` (not `$5 and $10`: the opening `$` must not be followed by a space,
 * nor the closing one by a digit) are taken out before sanitizing and put back afterwards as the
 * caller renders them: typeset by the same TeX module as titles and abstracts on pages
 * (web/presenters/tex.presenter.tsx), plain Unicode by default. The placeholders use
 * private-use characters, which are removed from the source first, so a comment cannot forge one.
 */
import MarkdownIt, { type StateInline } from 'markdown-it';
import sanitizeHtml from 'sanitize-html';
import { texPlain } from './tex-segments.js';

const OPEN = '\uE000';
const CLOSE = '\uE001';
const PRIVATE_USE = /[\uE000\uE001]/g;

interface MathSpan {
  tex: string;
  display: boolean;
}

function mathInline(state: StateInline, silent: boolean): boolean {
  const src = state.src;
  const start = state.pos;
  if (src.charCodeAt(start) !== 0x24) return false;
  const display = src.charCodeAt(start + 1) === 0x24;
  const marker = display ? '$$' : '$';
  const from = start + marker.length;
  if (from >= state.posMax || /\s/.test(src[from]!)) return false;
  let end = from;
  for (;;) {
    end = src.indexOf(marker, end);
    if (end === -1 || end >= state.posMax) return false;
    if (src[end - 1] !== '\\') break;
    end += 1;
  }
  if (end === from || /\s/.test(src[end - 1]!) || (!display && /\d/.test(src[end + 1] ?? ''))) return false;
  // A code span wins over maths: `$x$` in backticks stays code, and no span reaches into one.
  if (src.slice(from, end).includes('`')) return false;
  if (!silent) {
    const spans = (state.env as { math?: MathSpan[] }).math;
    const token = state.push('math_inline', '', 0);
    token.content = String(spans?.length ?? 0);
    spans?.push({ tex: src.slice(from, end), display });
  }
  state.pos = end + marker.length;
  return true;
}

const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });
md.disable(['image']);
md.inline.ruler.after('escape', 'math_inline', mathInline);
md.renderer.rules.math_inline = (tokens, idx) => `${OPEN}${tokens[idx]!.content}${CLOSE}`;

const ALLOWED_SCHEMES = ['http', 'https', 'mailto'];

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'em', 'strong', 's', 'del', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a', 'h4', 'h5', 'h6', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td'],
  allowedAttributes: { a: ['href', 'title', 'rel'], ol: ['start'], th: ['style'], td: ['style'] },
  allowedStyles: { th: { 'text-align': [/^(left|right|center)$/] }, td: { 'text-align': [/^(left|right|center)$/] } },
  allowedSchemes: ALLOWED_SCHEMES,
  allowedSchemesByTag: {},
  allowProtocolRelative: false,
  disallowedTagsMode: 'escape',
  transformTags: {
    h1: 'h4',
    h2: 'h4',
    h3: 'h5',
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'nofollow ugc noopener' } }),
  },
  exclusiveFilter: (frame) => frame.tag === 'a' && !frame.attribs.href,
};

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** Maths as readable Unicode (`$O(n^3)$` as O(n³)), where typesetting is not wanted. */
export function plainMath(tex: string): string {
  return `<span class="math">${escapeHtml(texPlain(`$${tex}$`))}</span>`;
}

/**
 * Renders a comment's Markdown source as sanitized HTML, safe to insert into a page. `math`
 * renders a `$…$` span as safe HTML (it must escape what it does not typeset).
 */
export function renderCommentMarkdown(source: string, options: { math?: (tex: string, display: boolean) => string } = {}): string {
  const env: { math: MathSpan[] } = { math: [] };
  const html = sanitizeHtml(md.render(source.replace(PRIVATE_USE, ''), env), SANITIZE);
  if (env.math.length === 0) return html;
  const render = options.math ?? ((tex: string) => plainMath(tex));
  return html.replace(new RegExp(`${OPEN}(\\d+)${CLOSE}`, 'g'), (whole, i: string) => {
    const span = env.math[Number(i)];
    return span ? render(span.tex, span.display) : whole;
  });
}
