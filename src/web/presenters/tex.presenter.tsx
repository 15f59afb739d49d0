/**
 * TeX from arXiv titles and abstracts as HTML: math spans typeset server-side by KaTeX into
 * MathML (browsers render it natively, so no script or web font is needed), prose shown as
 * Unicode. A span KaTeX cannot parse falls back to the readable Unicode rendering rather than
 * an error box. Rendered spans are memoised, since the same `$n$` recurs on every page.
 */
import katex from 'katex';
import { raw } from 'hono/html';
import { texPlain, texSegments } from '../../domain/tex-segments.js';

const CACHE_LIMIT = 5_000;
const cache = new Map<string, string>();

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** One math span as MathML markup (already safe HTML). */
export function mathHtml(tex: string, display: boolean): string {
  const key = `${display ? 'D' : 'I'}${tex}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let html: string;
  try {
    html = katex.renderToString(tex, { output: 'mathml', displayMode: display, throwOnError: true, strict: 'ignore', trust: false, maxExpand: 200 });
  } catch {
    html = `<span class="tex-fallback">${escapeHtml(texPlain(`$${tex}$`))}</span>`;
  }
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, html);
  return html;
}

/** A title or abstract as safe HTML with typeset math. */
export function texHtml(input: string): string {
  return texSegments(input)
    .map((s) => (s.type === 'text' ? escapeHtml(s.text) : mathHtml(s.tex, s.display)))
    .join('');
}

export function Tex(props: { tex: string }) {
  return <>{raw(texHtml(props.tex))}</>;
}

/** Abstract paragraphs: arXiv abstracts mark paragraphs with an indented line break. */
export function TexParagraphs(props: { tex: string }) {
  const paragraphs = props.tex.split(/\n\s{2,}(?=\S)|\n\s*\n/).map((p) => p.trim()).filter(Boolean);
  return (
    <>
      {paragraphs.map((p) => (
        <p>{raw(texHtml(p))}</p>
      ))}
    </>
  );
}
