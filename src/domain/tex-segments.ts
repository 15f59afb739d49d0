/**
 * Splits an arXiv title or abstract into prose and math, so pages can typeset the math (KaTeX)
 * and show the prose as readable Unicode (`G\"odel` -> `Gödel`, `\emph{x}` -> `x`, `--` -> `–`).
 * Math is `$..$`, `$$..$$`, `\(..\)` or `\[..\]`; `\$` is a dollar sign; an unclosed delimiter
 * stays prose. Pure and linear in the input length.
 */
import { texToText } from './tex-to-text.js';

export type TexSegment = { type: 'text'; text: string } | { type: 'math'; tex: string; display: boolean };

/** Longest math span we hand to a typesetter; longer ones are almost certainly a stray `$`. */
const MAX_MATH = 2_000;

const OPENERS: { open: string; close: string; display: boolean }[] = [
  { open: '$$', close: '$$', display: true },
  { open: '\\[', close: '\\]', display: true },
  { open: '\\(', close: '\\)', display: false },
  { open: '$', close: '$', display: false },
];

/** Finds `close` from `start`, skipping backslash-escaped characters. */
function findClose(s: string, close: string, start: number): number {
  for (let i = start; i < s.length; i++) {
    if (s[i] === '\\' && close[0] !== '\\') {
      i++;
      continue;
    }
    if (s.startsWith(close, i)) return i;
  }
  return -1;
}

/** Raw split: prose segments keep their TeX; math segments carry the TeX between delimiters. */
export function splitTex(input: string): TexSegment[] {
  const out: TexSegment[] = [];
  let text = '';
  let i = 0;
  while (i < input.length) {
    const ch = input[i]!;
    if (ch === '\\' && input[i + 1] === '$') {
      text += '\\$';
      i += 2;
      continue;
    }
    const opener = ch === '$' || ch === '\\' ? OPENERS.find((o) => input.startsWith(o.open, i)) : undefined;
    if (opener) {
      const end = findClose(input, opener.close, i + opener.open.length);
      const tex = end < 0 ? '' : input.slice(i + opener.open.length, end);
      if (end >= 0 && tex.trim() !== '' && tex.length <= MAX_MATH) {
        if (text) out.push({ type: 'text', text });
        text = '';
        out.push({ type: 'math', tex: tex.trim(), display: opener.display });
        i = end + opener.close.length;
        continue;
      }
    }
    text += ch;
    i++;
  }
  if (text) out.push({ type: 'text', text });
  return out;
}

/** Prose TeX as Unicode, keeping one leading and trailing space so it joins its neighbours. */
export function proseText(tex: string): string {
  const body = texToText(tex);
  if (!body) return /\s/.test(tex) ? ' ' : '';
  return `${/^\s/.test(tex) ? ' ' : ''}${body}${/\s$/.test(tex) ? ' ' : ''}`;
}

/** Segments ready to present: prose already turned into Unicode, math left as TeX. */
export function texSegments(input: string): TexSegment[] {
  return splitTex(input.replace(/\s+/g, ' ').trim()).map((s) => (s.type === 'text' ? { type: 'text', text: proseText(s.text) } : s));
}

/** The whole string as plain Unicode text (math included), for excerpts, feeds and meta tags. */
export function texPlain(input: string): string {
  return texToText(input.replace(/\s+/g, ' '));
}
