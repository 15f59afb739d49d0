/**
 * Highlight segments for search results, in the Hugging Face shape
 * `[{ type: 'text' | 'highlight', text }]`: a term highlights where a word starts with it
 * (so `network` marks `networks`), case- and accent-insensitively. Summaries are cut to a
 * window around the first match so the reader sees why a paper matched.
 */
export interface HighlightSegment {
  type: 'text' | 'highlight';
  text: string;
}

const SNIPPET_CHARS = 300;

function fold(s: string): string {
  // NFD then dropping marks keeps string length aligned only per code unit group, so fold per character.
  return [...s].map((ch) => ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().charAt(0) || ch).join('');
}

/** Character ranges [start, end) in `text` where a word starts with one of `terms`. */
function matchRanges(text: string, terms: readonly string[]): [number, number][] {
  const chars = [...text];
  const folded = fold(text);
  const foldedChars = [...folded];
  const ranges: [number, number][] = [];
  const isWord = (ch: string | undefined) => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);
  for (let i = 0; i < foldedChars.length; i++) {
    if (isWord(chars[i - 1]) || !isWord(chars[i])) continue;
    let best = 0;
    for (const t of terms) {
      const tc = [...t];
      if (tc.length > best && tc.every((c, k) => foldedChars[i + k] === c)) best = tc.length;
    }
    if (best > 0) {
      let end = i + best;
      while (isWord(chars[end])) end++; // extend to the whole word
      ranges.push([i, end]);
      i = end - 1;
    }
  }
  return ranges;
}

export function highlightSegments(text: string, terms: readonly string[]): HighlightSegment[] {
  const chars = [...text];
  const out: HighlightSegment[] = [];
  let at = 0;
  for (const [s, e] of matchRanges(text, terms)) {
    if (s > at) out.push({ type: 'text', text: chars.slice(at, s).join('') });
    out.push({ type: 'highlight', text: chars.slice(s, e).join('') });
    at = e;
  }
  if (at < chars.length || out.length === 0) out.push({ type: 'text', text: chars.slice(at).join('') });
  return out;
}

/** A window of the summary around its first match (whole summary when short), highlighted. */
export function highlightSnippet(summary: string, terms: readonly string[], maxChars = SNIPPET_CHARS): HighlightSegment[] {
  const chars = [...summary];
  if (chars.length <= maxChars) return highlightSegments(summary, terms);
  const first = matchRanges(summary, terms)[0]?.[0] ?? 0;
  let start = Math.max(0, first - Math.floor(maxChars / 4));
  // Start at a word boundary so the snippet does not open mid-word.
  while (start > 0 && start < first && /[\p{L}\p{N}]/u.test(chars[start - 1]!)) start++;
  let end = Math.min(chars.length, start + maxChars);
  while (end < chars.length && end > start + maxChars - 30 && /[\p{L}\p{N}]/u.test(chars[end]!)) end--;
  const body = chars.slice(start, end).join('').trim();
  const segments = highlightSegments(body, terms);
  if (start > 0) segments.unshift({ type: 'text', text: '… ' });
  if (end < chars.length) segments.push({ type: 'text', text: ' …' });
  return segments;
}
