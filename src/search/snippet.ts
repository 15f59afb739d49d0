/**
 * Highlighted snippets: the window of a text that holds the most distinct query terms, cut at
 * word boundaries, as segments `{type: 'text' | 'highlight', text}` that a page or an email can
 * render without parsing markup. Matching is by index term, so `networks` lights up for the
 * query `network` and `$\alpha$` for `alpha`.
 */
import type { AnalyzedText, Token } from './tokenizer.js';

export interface SnippetSegment {
  type: 'text' | 'highlight';
  text: string;
}

export interface SnippetOptions {
  /** Longest snippet in characters (ellipses not counted); Infinity highlights the whole text. */
  maxChars?: number;
  /** Characters of context kept before the first highlighted word. */
  lead?: number;
}

const ELLIPSIS = '…';

export function buildSnippet(analyzed: AnalyzedText, queryTerms: ReadonlySet<string>, options: SnippetOptions = {}): SnippetSegment[] {
  const { text, tokens } = analyzed;
  const maxChars = options.maxChars ?? 240;
  const lead = options.lead ?? 40;
  const hits = tokens.filter((t) => queryTerms.has(t.term));
  let start = 0;
  let end = text.length;
  if (text.length > maxChars) {
    start = hits.length > 0 ? bestWindowStart(hits, maxChars, lead) : 0;
    start = wordBoundaryAtOrBefore(text, start);
    end = wordBoundaryAtOrBefore(text, Math.min(text.length, start + maxChars), start);
  }
  const ranges = mergeRanges(text, hits.filter((t) => t.start >= start && t.end <= end));
  const segments: SnippetSegment[] = [];
  const push = (type: SnippetSegment['type'], s: string) => {
    if (s.length === 0) return;
    const last = segments[segments.length - 1];
    if (last && last.type === type) last.text += s;
    else segments.push({ type, text: s });
  };
  if (start > 0) push('text', ELLIPSIS);
  let at = start;
  for (const [s, e] of ranges) {
    push('text', text.slice(at, s));
    push('highlight', text.slice(s, e));
    at = e;
  }
  push('text', text.slice(at, end).trimEnd());
  if (end < text.length) push('text', ELLIPSIS);
  return segments;
}

/** Start offset whose window holds the most distinct hit terms (then the most hits). */
function bestWindowStart(hits: Token[], maxChars: number, lead: number): number {
  let best = 0;
  let bestDistinct = -1;
  let bestCount = -1;
  for (let i = 0; i < hits.length; i++) {
    const from = Math.max(0, hits[i]!.start - lead);
    const distinct = new Set<string>();
    let count = 0;
    for (let j = i; j < hits.length && hits[j]!.end <= from + maxChars; j++) {
      distinct.add(hits[j]!.term);
      count++;
    }
    if (distinct.size > bestDistinct || (distinct.size === bestDistinct && count > bestCount)) {
      best = from;
      bestDistinct = distinct.size;
      bestCount = count;
    }
  }
  return best;
}

function wordBoundaryAtOrBefore(text: string, offset: number, floor = 0): number {
  if (offset >= text.length) return text.length;
  let i = offset;
  while (i > floor && !/\s/.test(text[i - 1]!)) i--;
  return i > floor ? i : offset;
}

/**
 * Highlight ranges with overlaps joined (a compound and its parts cover the same words), and
 * parts of one compound joined across their hyphen (`Nash-Williams`, not `Nash`-`Williams`).
 */
function mergeRanges(text: string, hits: Token[]): [number, number][] {
  const sorted = hits.map((t) => [t.start, t.end] as [number, number]).sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    const bridged = last !== undefined && r[0] === last[1] + 1 && /[-+\u2010\u2011]/.test(text[last[1]]!);
    if (last && (r[0] <= last[1] || bridged)) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}
